"""Migration 1: the tables, one per model of :mod:`sayso.schema`, every row tied to its article."""

SQL = """
CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    url             TEXT,
    title           TEXT,
    outlet          TEXT,
    published       TEXT,                     -- YYYY-MM-DD
    language        TEXT,
    input           TEXT,                     -- path, URL or '-' it was read from
    text            TEXT NOT NULL,            -- the body every offset points into
    authors         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(authors)),
    notes           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(notes)),
    captions        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(captions)),
    related         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(related)),
    warnings        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings)),
    content_hash    TEXT NOT NULL UNIQUE,     -- sha256 of url + text: the article's identity
    report_hash     TEXT NOT NULL,            -- sha256 of the extraction: changes when a re-read differs
    schema_version  TEXT,
    sayso_version   TEXT,
    ingested_at     TEXT NOT NULL             -- UTC, ISO 8601
);
CREATE INDEX articles_outlet ON articles (outlet);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_url ON articles (url);

CREATE TABLE sources (
    id                  INTEGER PRIMARY KEY,
    article_id          INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    key                 TEXT NOT NULL,        -- the report's id, e.g. 's3'
    name                TEXT NOT NULL,
    type                TEXT NOT NULL
        CHECK (type IN ('person', 'organization', 'government', 'outlet', 'anonymous', 'unknown')),
    anonymous           INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    descriptor          TEXT,
    affiliation         TEXT,
    role                TEXT,
    reason              TEXT,
    closeness           TEXT,
    number              TEXT,
    is_article_outlet   INTEGER NOT NULL DEFAULT 0 CHECK (is_article_outlet IN (0, 1)),
    UNIQUE (article_id, key)
);
CREATE INDEX sources_name ON sources (name);

CREATE TABLE source_mentions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source_id   INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL
);
CREATE INDEX source_mentions_source ON source_mentions (source_id);
CREATE INDEX source_mentions_article ON source_mentions (article_id);

CREATE TABLE attributions (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    key             TEXT NOT NULL,            -- the report's id, e.g. 'a7'
    source_id       INTEGER REFERENCES sources (id) ON DELETE CASCADE,
    source_start    INTEGER,
    source_end      INTEGER,
    source_text     TEXT,
    cue_start       INTEGER,
    cue_end         INTEGER,
    cue_text        TEXT,
    content_start   INTEGER NOT NULL,
    content_end     INTEGER NOT NULL,
    content_text    TEXT NOT NULL,
    kind            TEXT NOT NULL
        CHECK (kind IN ('direct', 'indirect', 'mixed', 'according_to', 'hedged')),
    to_source_id    INTEGER REFERENCES sources (id) ON DELETE CASCADE,
    hops            INTEGER NOT NULL DEFAULT 1,
    nested_in       INTEGER REFERENCES attributions (id) ON DELETE CASCADE,
    hedges          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(hedges)),
    UNIQUE (article_id, key)
);
CREATE INDEX attributions_source ON attributions (source_id);
CREATE INDEX attributions_article ON attributions (article_id);
CREATE INDEX attributions_nested_in ON attributions (nested_in);
CREATE INDEX attributions_to_source ON attributions (to_source_id);

-- Relays between the article's outlet and the source, outermost first.
CREATE TABLE attribution_via (
    attribution_id  INTEGER NOT NULL REFERENCES attributions (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    source_id       INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    PRIMARY KEY (attribution_id, position)
);

-- The full reporting chain: article outlet, relays..., source.
CREATE TABLE attribution_chain (
    attribution_id  INTEGER NOT NULL REFERENCES attributions (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    source_id       INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    PRIMARY KEY (attribution_id, position)
);

-- Sources cited as a claim's origin.
CREATE TABLE attribution_origins (
    attribution_id  INTEGER NOT NULL REFERENCES attributions (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    source_id       INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    PRIMARY KEY (attribution_id, position)
);

CREATE TABLE times (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    value       TEXT,                         -- TIMEX3 value
    type        TEXT NOT NULL CHECK (type IN ('DATE', 'TIME', 'DURATION', 'SET')),
    end_value   TEXT,
    anchor      TEXT,
    UNIQUE (article_id, key)
);

CREATE TABLE quantities (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    value       REAL NOT NULL,
    unit        TEXT,
    qualifier   TEXT,
    upper       REAL,
    kind        TEXT,
    UNIQUE (article_id, key)
);

CREATE TABLE places (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    name        TEXT NOT NULL,
    country     TEXT,                         -- ISO 3166-1 alpha-2
    lat         REAL,
    lon         REAL,
    geonameid   INTEGER,
    feature     TEXT,
    metonymy    INTEGER NOT NULL DEFAULT 0 CHECK (metonymy IN (0, 1)),
    UNIQUE (article_id, key)
);
CREATE INDEX places_name ON places (name);

CREATE INDEX attribution_via_source ON attribution_via (source_id);
CREATE INDEX attribution_chain_source ON attribution_chain (source_id);
CREATE INDEX attribution_origins_source ON attribution_origins (source_id);

-- Times, quantities and places inside an attribution's content.
CREATE TABLE attribution_times (
    attribution_id  INTEGER NOT NULL REFERENCES attributions (id) ON DELETE CASCADE,
    time_id         INTEGER NOT NULL REFERENCES times (id) ON DELETE CASCADE,
    PRIMARY KEY (attribution_id, time_id)
);
CREATE TABLE attribution_quantities (
    attribution_id  INTEGER NOT NULL REFERENCES attributions (id) ON DELETE CASCADE,
    quantity_id     INTEGER NOT NULL REFERENCES quantities (id) ON DELETE CASCADE,
    PRIMARY KEY (attribution_id, quantity_id)
);
CREATE TABLE attribution_places (
    attribution_id  INTEGER NOT NULL REFERENCES attributions (id) ON DELETE CASCADE,
    place_id        INTEGER NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    PRIMARY KEY (attribution_id, place_id)
);
CREATE INDEX attribution_times_time ON attribution_times (time_id);
CREATE INDEX attribution_quantities_quantity ON attribution_quantities (quantity_id);
CREATE INDEX attribution_places_place ON attribution_places (place_id);
"""
