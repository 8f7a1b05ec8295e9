"""Migration 8: full-text search (SQLite FTS5) over article titles and text, attribution contents and source names.

Three external-content FTS5 indexes read their text from the tables they index (nothing is stored twice):
``_search_articles`` (``articles.title``, ``articles.text``), ``_search_attributions``
(``attributions.content_text``) and ``_search_sources`` (``sources.name``, ``sources.descriptor``). Triggers keep
them in step with every insert, update and delete (an article's cascaded rows included), so the store code needs
no change; existing rows are indexed when the migration runs. Words are folded to lower case without diacritics
(``unicode61 remove_diacritics 2``). :mod:`sayso.search` queries them.

Nothing here depends on this migration's number: renumbering the module is the only change a renumbering needs.
"""

SQL = """
CREATE VIRTUAL TABLE _search_articles USING fts5(
    title, text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE _search_attributions USING fts5(
    content_text, content='attributions', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE _search_sources USING fts5(
    name, descriptor, content='sources', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);

CREATE TRIGGER _search_articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO _search_articles (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER _search_articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO _search_articles (_search_articles, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER _search_articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO _search_articles (_search_articles, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO _search_articles (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

CREATE TRIGGER _search_attributions_ai AFTER INSERT ON attributions BEGIN
    INSERT INTO _search_attributions (rowid, content_text) VALUES (new.id, new.content_text);
END;
CREATE TRIGGER _search_attributions_ad AFTER DELETE ON attributions BEGIN
    INSERT INTO _search_attributions (_search_attributions, rowid, content_text)
    VALUES ('delete', old.id, old.content_text);
END;
CREATE TRIGGER _search_attributions_au AFTER UPDATE OF content_text ON attributions BEGIN
    INSERT INTO _search_attributions (_search_attributions, rowid, content_text)
    VALUES ('delete', old.id, old.content_text);
    INSERT INTO _search_attributions (rowid, content_text) VALUES (new.id, new.content_text);
END;

CREATE TRIGGER _search_sources_ai AFTER INSERT ON sources BEGIN
    INSERT INTO _search_sources (rowid, name, descriptor) VALUES (new.id, new.name, new.descriptor);
END;
CREATE TRIGGER _search_sources_ad AFTER DELETE ON sources BEGIN
    INSERT INTO _search_sources (_search_sources, rowid, name, descriptor)
    VALUES ('delete', old.id, old.name, old.descriptor);
END;
CREATE TRIGGER _search_sources_au AFTER UPDATE OF name, descriptor ON sources BEGIN
    INSERT INTO _search_sources (_search_sources, rowid, name, descriptor)
    VALUES ('delete', old.id, old.name, old.descriptor);
    INSERT INTO _search_sources (rowid, name, descriptor) VALUES (new.id, new.name, new.descriptor);
END;

INSERT INTO _search_articles (_search_articles) VALUES ('rebuild');
INSERT INTO _search_attributions (_search_attributions) VALUES ('rebuild');
INSERT INTO _search_sources (_search_sources) VALUES ('rebuild');
"""

#: PostgreSQL has no FTS5: nothing is created there, and :mod:`sayso.search` says search needs an SQLite store.
POSTGRES_SQL = ""
