"""Migration 9: every raw input an article was read from, not only the latest.

``_article_inputs`` maps each input hash (:func:`sayso.store.input_hash`: a file's bytes, or a record of a web
archive, dump or feed) to the article it reads as. The same article often arrives from several inputs (a feed
item and the archived page, a wire copy in two dumps); with one ``articles.input_hash`` each new input took
the hash from the previous one, which was then parsed again on every run. ``articles.input_hash`` stays (the
latest input). Rows go with their article (``ON DELETE CASCADE``); the table is internal (hidden from
Datasette)."""

SQL = """
CREATE TABLE _article_inputs (
    input_hash  TEXT PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX _article_inputs_article ON _article_inputs (article_id);
INSERT INTO _article_inputs (input_hash, article_id)
SELECT input_hash, id FROM articles WHERE input_hash IS NOT NULL;
"""
