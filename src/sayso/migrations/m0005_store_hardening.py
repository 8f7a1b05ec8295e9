"""Migration 5: skipping unchanged inputs, internal tables out of sight, stories in the views.

* ``articles.input_hash``: sha256 of the raw input an article was read from (its bytes, how they were read
  and the sayso version; :func:`sayso.store.input_hash`), so ``sayso ingest`` recognises an unchanged file
  before parsing it. NULL for articles stored before, or read from a URL or stdin.
* The linker's indexes and counters are renamed with a leading ``_`` (``_story_lsh``, ``_story_terms``,
  ``_story_groups``): Datasette (1.0) hides such tables; ``sayso ingest`` also writes a Datasette metadata
  file that hides them (and ``schema_migrations``) for Datasette 0.6x (:func:`sayso.store.datasette_metadata`).
* ``quotes_by_source``, ``reporting_chains`` and ``claims`` gain a last column ``story_id`` (NULL while the
  article is not linked into a story).
"""

SQL = """
ALTER TABLE articles ADD COLUMN input_hash TEXT;
CREATE INDEX articles_input_hash ON articles (input_hash);

ALTER TABLE story_lsh RENAME TO _story_lsh;
ALTER TABLE story_terms RENAME TO _story_terms;
ALTER TABLE story_groups RENAME TO _story_groups;

DROP VIEW quotes_by_source;
CREATE VIEW quotes_by_source AS
SELECT
    s.name          AS source_name,
    s.type          AS source_type,
    s.anonymous     AS anonymous,
    a.kind          AS kind,
    a.content_text  AS quote,
    a.cue_text      AS cue,
    ar.title        AS article_title,
    ar.outlet       AS outlet,
    ar.published    AS published,
    ar.url          AS url,
    a.id            AS attribution_id,
    ar.id           AS article_id,
    sa.story_id     AS story_id
FROM attributions AS a
JOIN articles AS ar ON ar.id = a.article_id
LEFT JOIN sources AS s ON s.id = a.source_id
LEFT JOIN story_articles AS sa ON sa.article_id = ar.id;

DROP VIEW reporting_chains;
CREATE VIEW reporting_chains AS
SELECT
    a.id            AS attribution_id,
    ar.id           AS article_id,
    ar.title        AS article_title,
    ar.outlet       AS outlet,
    s.name          AS source_name,
    a.hops          AS hops,
    (SELECT group_concat(name, ' → ') FROM (
        SELECT cs.name AS name FROM attribution_chain AS c
        JOIN sources AS cs ON cs.id = c.source_id
        WHERE c.attribution_id = a.id ORDER BY c.position)) AS chain,
    (SELECT group_concat(name, ' → ') FROM (
        SELECT vs.name AS name FROM attribution_via AS v
        JOIN sources AS vs ON vs.id = v.source_id
        WHERE v.attribution_id = a.id ORDER BY v.position)) AS via,
    a.content_text  AS content,
    sa.story_id     AS story_id
FROM attributions AS a
JOIN articles AS ar ON ar.id = a.article_id
LEFT JOIN sources AS s ON s.id = a.source_id
LEFT JOIN story_articles AS sa ON sa.article_id = ar.id;

DROP VIEW claims;
CREATE VIEW claims AS
SELECT
    a.id            AS attribution_id,
    ar.id           AS article_id,
    a.content_text  AS content,
    a.kind          AS kind,
    s.name          AS source_name,
    s.type          AS source_type,
    s.anonymous     AS anonymous,
    (SELECT group_concat(name, ' → ') FROM (
        SELECT vs.name AS name FROM attribution_via AS v
        JOIN sources AS vs ON vs.id = v.source_id
        WHERE v.attribution_id = a.id ORDER BY v.position)) AS via,
    ts.name         AS told_to,
    a.cue_text      AS cue,
    a.hedges        AS hedges,
    a.hops          AS hops,
    n.content_text  AS nested_in_content,
    ar.title        AS article_title,
    ar.outlet       AS outlet,
    ar.published    AS published,
    ar.url          AS url,
    sa.story_id     AS story_id
FROM attributions AS a
JOIN articles AS ar ON ar.id = a.article_id
LEFT JOIN sources AS s ON s.id = a.source_id
LEFT JOIN sources AS ts ON ts.id = a.to_source_id
LEFT JOIN attributions AS n ON n.id = a.nested_in
LEFT JOIN story_articles AS sa ON sa.article_id = ar.id;
"""
