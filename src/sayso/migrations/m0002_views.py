"""Migration 2: views a journalist would query (names of sources, not ids)."""

SQL = """
-- Every attribution with who said it and where it was published.
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
    ar.id           AS article_id
FROM attributions AS a
JOIN articles AS ar ON ar.id = a.article_id
LEFT JOIN sources AS s ON s.id = a.source_id;

-- Anonymous sources per outlet: how they are described, whom they are close to, why they are unnamed.
-- count: anonymous source records; articles: articles they appear in; attributions: claims made.
CREATE VIEW anonymous_sources_by_outlet AS
SELECT
    ar.outlet                           AS outlet,
    COALESCE(s.descriptor, s.name)      AS descriptor,
    s.affiliation                       AS affiliation,
    s.reason                            AS reason,
    COUNT(DISTINCT s.id)                AS count,
    COUNT(DISTINCT ar.id)               AS articles,
    COUNT(a.id)                         AS attributions
FROM sources AS s
JOIN articles AS ar ON ar.id = s.article_id
LEFT JOIN attributions AS a ON a.source_id = s.id
WHERE s.anonymous = 1
GROUP BY ar.outlet, COALESCE(s.descriptor, s.name), s.affiliation, s.reason;

-- Each attribution's reporting chain as text: 'The Moscow Times → Vyorstka → one Kremlin source'.
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
    a.content_text  AS content
FROM attributions AS a
JOIN articles AS ar ON ar.id = a.article_id
LEFT JOIN sources AS s ON s.id = a.source_id;

-- Claims: what is said, by whom, through whom, to whom, with which hedges.
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
    ar.url          AS url
FROM attributions AS a
JOIN articles AS ar ON ar.id = a.article_id
LEFT JOIN sources AS s ON s.id = a.source_id
LEFT JOIN sources AS ts ON ts.id = a.to_source_id
LEFT JOIN attributions AS n ON n.id = a.nested_in;
"""
