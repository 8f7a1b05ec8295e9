"""Migration 7: the claim ledger (:mod:`sayso.ledger`), stored per story with stable ids.

* ``ledger_stories``: one row per story whose ledger is stored, with the ``fingerprint`` of what it was
  computed from (the story's articles, their extractions, copy links and the ledger's version): a story whose
  fingerprint changed is stale and recomputed by the next ``sayso ingest`` or ``sayso claims``.
* ``ledger_claims``: one row per claim (its ``id`` is kept when a recomputation finds the same claim again),
  with its rank in the story, statement, counts and first report.
* ``ledger_members``: one row per report of a claim (an attribution of one article) with both stance levels,
  whether it is hedged, a confirmation, a denial or a hedged relay, and the origins it traces back to.
* ``ledger_origins``: the independent origins of each claim (key and readable label).
* ``ledger_entities`` and ``ledger_entity_sources``: who is who across a story's articles ("Kristi Noem" =
  "Noem" = "Gov. Noem"): each entity links the per-article ``sources`` rows it resolves. The articles' own
  rows are never changed by what other articles say.
* Views for Datasette: ``ledger`` (one row per claim with its first report) and ``ledger_timeline`` (one row
  per report, with its article and outlet).
"""

SQL = """
CREATE TABLE ledger_stories (
    story_id        INTEGER PRIMARY KEY,          -- story_articles.story_id
    fingerprint     TEXT NOT NULL,                -- sha256 of what the ledger was computed from
    claims          INTEGER NOT NULL,
    computed_at     TEXT NOT NULL                 -- UTC, ISO 8601
);

CREATE TABLE ledger_claims (
    id                  INTEGER PRIMARY KEY,      -- stable: kept for the same claim across recomputations
    story_id            INTEGER NOT NULL,
    rank                INTEGER NOT NULL,         -- 1 = most independent origins, then most reports
    statement           TEXT NOT NULL,            -- the wording of its first report
    independent_origins INTEGER NOT NULL,
    reports             INTEGER NOT NULL,
    articles            INTEGER NOT NULL,         -- distinct articles carrying it (copies included)
    denials             INTEGER NOT NULL,
    first_article_id    INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    first_published     TEXT
);
CREATE INDEX ledger_claims_story ON ledger_claims (story_id, rank);

CREATE TABLE ledger_members (
    id              INTEGER PRIMARY KEY,
    claim_id        INTEGER NOT NULL REFERENCES ledger_claims (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,             -- order in the claim's timeline
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    attribution_key TEXT,                         -- the report's attribution id, e.g. 'a7'
    content         TEXT NOT NULL,
    start           INTEGER NOT NULL,
    end             INTEGER NOT NULL,
    speaker         TEXT,
    speaker_type    TEXT,
    via             TEXT NOT NULL DEFAULT '[]',   -- JSON list of the relays' names
    stance          TEXT NOT NULL CHECK (stance IN ('asserts', 'denies', 'relays', 'mentions')),
    speaker_stance  TEXT NOT NULL CHECK (speaker_stance IN ('asserts', 'denies')),
    hedged          INTEGER NOT NULL DEFAULT 0 CHECK (hedged IN (0, 1)),
    confirmation    INTEGER NOT NULL DEFAULT 0 CHECK (confirmation IN (0, 1)),
    is_first        INTEGER NOT NULL DEFAULT 0 CHECK (is_first IN (0, 1)),
    confirms        INTEGER NOT NULL DEFAULT 0 CHECK (confirms IN (0, 1)),      -- an independent confirmation
    denies          INTEGER NOT NULL DEFAULT 0 CHECK (denies IN (0, 1)),        -- a denial of the claim
    hedged_relay    INTEGER NOT NULL DEFAULT 0 CHECK (hedged_relay IN (0, 1)),  -- relayed without endorsing
    copy_of         INTEGER,                      -- the original article of a copy
    origins         TEXT NOT NULL DEFAULT '[]',   -- JSON list of the origin labels it traces back to
    origin_keys     TEXT NOT NULL DEFAULT '[]'    -- JSON list of their keys (ledger_origins.key), in that order
);
CREATE INDEX ledger_members_claim ON ledger_members (claim_id, position);
CREATE INDEX ledger_members_article ON ledger_members (article_id);

CREATE TABLE ledger_origins (
    claim_id    INTEGER NOT NULL REFERENCES ledger_claims (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    key         TEXT NOT NULL,                    -- 'named:kristi noem', 'outlet:reuters', 'anon:...'
    label       TEXT NOT NULL,
    PRIMARY KEY (claim_id, position)
);

CREATE TABLE ledger_entities (
    id          INTEGER PRIMARY KEY,
    story_id    INTEGER NOT NULL,
    key         TEXT NOT NULL,                    -- the origin key the entity's sources share
    label       TEXT NOT NULL,                    -- its fullest name
    type        TEXT
);
CREATE INDEX ledger_entities_story ON ledger_entities (story_id);

CREATE TABLE ledger_entity_sources (
    entity_id   INTEGER NOT NULL REFERENCES ledger_entities (id) ON DELETE CASCADE,
    source_id   INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    PRIMARY KEY (entity_id, source_id)
);
CREATE INDEX ledger_entity_sources_source ON ledger_entity_sources (source_id);

-- One row per claim: the story, what it says, how many independent origins, and its first report.
CREATE VIEW ledger AS
SELECT
    c.id                    AS claim_id,
    c.story_id              AS story_id,
    c.rank                  AS rank,
    c.statement             AS statement,
    c.independent_origins   AS independent_origins,
    c.reports               AS reports,
    c.articles              AS articles,
    c.denials               AS denials,
    ar.title                AS first_report_title,
    ar.outlet               AS first_report_outlet,
    c.first_published       AS first_published,
    ar.url                  AS first_report_url
FROM ledger_claims AS c
LEFT JOIN articles AS ar ON ar.id = c.first_article_id;

-- One row per report of a claim, in timeline order.
CREATE VIEW ledger_timeline AS
SELECT
    m.claim_id      AS claim_id,
    c.story_id      AS story_id,
    m.position      AS position,
    ar.published    AS published,
    ar.outlet       AS outlet,
    ar.title        AS article_title,
    m.speaker       AS speaker,
    m.stance        AS stance,
    m.speaker_stance AS speaker_stance,
    m.hedged        AS hedged,
    m.content       AS content,
    m.copy_of       AS copy_of,
    m.article_id    AS article_id
FROM ledger_members AS m
JOIN ledger_claims AS c ON c.id = m.claim_id
JOIN articles AS ar ON ar.id = m.article_id;
"""
