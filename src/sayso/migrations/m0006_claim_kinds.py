"""Migration 6: attributions that are not claims; documents as sources.

The reader now keeps, beside the claims, three kinds that are not claims (:mod:`sayso.reader.scope`):
``belief`` (a mental state or plan), ``topic`` (a speech act that states nothing) and ``act`` (an act or
event with no speech word). The ``attributions`` table's CHECK on ``kind`` is widened (SQLite rebuilds the
table for that: the store runs this migration with foreign keys off and checks them afterwards, see
``FOREIGN_KEYS_OFF``); the ``claims`` view keeps to claims. Views that read ``attributions`` are recreated
unchanged around the rebuild. ``sources.type`` may now be ``document`` ("the report found", "the study
says": a text speaks, not a person), which needs the same rebuild of ``sources``.
"""

from . import m0005_store_hardening as _m5

#: The store turns foreign-key enforcement off around this migration (a table rebuild must not cascade).
FOREIGN_KEYS_OFF = True

_COLUMNS = """
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    key             TEXT NOT NULL,
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
        CHECK (kind IN ('direct', 'indirect', 'mixed', 'according_to', 'hedged', 'belief', 'topic', 'act')),
    to_source_id    INTEGER REFERENCES sources (id) ON DELETE CASCADE,
    hops            INTEGER NOT NULL DEFAULT 1,
    nested_in       INTEGER REFERENCES attributions (id) ON DELETE CASCADE,
    hedges          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(hedges)),
    content_parts   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(content_parts)),
    UNIQUE (article_id, key)
"""

_NAMES = (
    "id, article_id, key, source_id, source_start, source_end, source_text, cue_start, cue_end, cue_text, "
    "content_start, content_end, content_text, kind, to_source_id, hops, nested_in, hedges, content_parts"
)


def _views_of_migration_5() -> str:
    """The CREATE VIEW statements of migration 5 (quotes_by_source, reporting_chains, claims), verbatim."""
    body = _m5.SQL[_m5.SQL.index("DROP VIEW quotes_by_source;") :]
    return "\n".join(line for line in body.splitlines() if not line.startswith("DROP VIEW"))


_CLAIMS_FILTER = "LEFT JOIN story_articles AS sa ON sa.article_id = ar.id;"
_VIEWS = _views_of_migration_5()
_head, _, _claims = _VIEWS.partition("CREATE VIEW claims AS")
_VIEWS = (
    _head
    + "CREATE VIEW claims AS"
    + _claims.replace(
        _CLAIMS_FILTER,
        "LEFT JOIN story_articles AS sa ON sa.article_id = ar.id\n"
        "WHERE a.kind IN ('direct', 'indirect', 'mixed', 'according_to', 'hedged');",
    )
)

_SOURCE_COLUMNS = """
    id                  INTEGER PRIMARY KEY,
    article_id          INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    key                 TEXT NOT NULL,
    name                TEXT NOT NULL,
    type                TEXT NOT NULL
        CHECK (type IN ('person', 'organization', 'government', 'outlet', 'anonymous', 'unknown', 'document')),
    anonymous           INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    descriptor          TEXT,
    affiliation         TEXT,
    role                TEXT,
    reason              TEXT,
    closeness           TEXT,
    number              TEXT,
    is_article_outlet   INTEGER NOT NULL DEFAULT 0 CHECK (is_article_outlet IN (0, 1)),
    UNIQUE (article_id, key)
"""
_SOURCE_NAMES = (
    "id, article_id, key, name, type, anonymous, descriptor, affiliation, role, reason, closeness, number, "
    "is_article_outlet"
)

SQL = f"""
DROP VIEW quotes_by_source;
DROP VIEW reporting_chains;
DROP VIEW claims;
DROP VIEW anonymous_sources_by_outlet;
CREATE TABLE attributions_rebuilt ({_COLUMNS});
INSERT INTO attributions_rebuilt ({_NAMES}) SELECT {_NAMES} FROM attributions;
DROP TABLE attributions;
ALTER TABLE attributions_rebuilt RENAME TO attributions;
CREATE INDEX attributions_source ON attributions (source_id);
CREATE INDEX attributions_article ON attributions (article_id);
CREATE INDEX attributions_nested_in ON attributions (nested_in);
CREATE INDEX attributions_to_source ON attributions (to_source_id);
CREATE TABLE sources_rebuilt ({_SOURCE_COLUMNS});
INSERT INTO sources_rebuilt ({_SOURCE_NAMES}) SELECT {_SOURCE_NAMES} FROM sources;
DROP TABLE sources;
ALTER TABLE sources_rebuilt RENAME TO sources;
CREATE INDEX sources_name ON sources (name);
{_VIEWS}
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
"""

#: PostgreSQL changes a CHECK in place (its automatic constraint names are ``<table>_<column>_check``).
POSTGRES_SQL = f"""
ALTER TABLE attributions DROP CONSTRAINT IF EXISTS attributions_kind_check;
ALTER TABLE attributions ADD CONSTRAINT attributions_kind_check
    CHECK (kind IN ('direct', 'indirect', 'mixed', 'according_to', 'hedged', 'belief', 'topic', 'act'));
ALTER TABLE sources DROP CONSTRAINT IF EXISTS sources_type_check;
ALTER TABLE sources ADD CONSTRAINT sources_type_check
    CHECK (type IN ('person', 'organization', 'government', 'outlet', 'anonymous', 'unknown', 'document'));
DROP VIEW claims;
{_VIEWS[_VIEWS.index("CREATE VIEW claims AS") :]}
"""
