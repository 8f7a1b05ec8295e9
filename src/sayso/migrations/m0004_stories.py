"""Migration 4: stories and copies (:mod:`sayso.stories`).

``story_articles`` has one row per linked article: its story, its copy group and the original it copies
(``original_id`` NULL for an original), plus what linking needs again (canonical URL, normalised title,
MinHash signature, weighted features). Two inverted indexes make linking a new article cost index
look-ups, never a scan: ``story_lsh`` (MinHash band buckets, for near-duplicate bodies) and
``story_terms`` (hashed entity and title terms by day, for blocking story candidates). Neither carries a
foreign key (an index on ``article_id`` would double their size): readers join them to
``story_articles``, which goes with its article. The view ``stories`` sums each story up.
"""

SQL = """
CREATE TABLE story_groups (
    id      INTEGER PRIMARY KEY,
    size    INTEGER NOT NULL DEFAULT 0            -- articles linked into it (originals and copies)
);

CREATE TABLE story_articles (
    article_id      INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id        INTEGER NOT NULL,             -- story_groups.id
    dup_group       INTEGER NOT NULL,             -- copy group: the article id of one of its members
    original_id     INTEGER,                      -- the article this one copies; NULL for an original
    duplicate_via   TEXT CHECK (duplicate_via IN ('url', 'text', 'title')),  -- how a copy edge was found
    canonical_url   TEXT,
    title_key       TEXT,                         -- normalised title ('Opinion | X - Site' -> 'x')
    outlet_key      TEXT,                         -- outlet name, else host of the URL
    day             INTEGER NOT NULL,             -- days since 1970-01-01 of `published`; -1000000 undated
    sort_key        TEXT NOT NULL,                -- least = the copy group's original (date, length, URL)
    signature       BLOB,                         -- MinHash of the body's word shingles (uint32 each)
    features        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(features)),  -- term -> weight
    linked_at       TEXT NOT NULL
);
CREATE INDEX story_articles_story ON story_articles (story_id);
CREATE INDEX story_articles_dup_group ON story_articles (dup_group);
CREATE INDEX story_articles_original ON story_articles (original_id);
CREATE INDEX story_articles_url ON story_articles (canonical_url);
CREATE INDEX story_articles_title ON story_articles (title_key);

CREATE TABLE story_lsh (
    bucket      INTEGER NOT NULL,                 -- hash of (band number, the band's MinHash values)
    article_id  INTEGER NOT NULL,
    PRIMARY KEY (bucket, article_id)
) WITHOUT ROWID;

CREATE TABLE story_terms (
    term        INTEGER NOT NULL,                 -- 63-bit hash of the term ('e:ansel morrow')
    day         INTEGER NOT NULL,
    article_id  INTEGER NOT NULL,
    weight      REAL NOT NULL,
    PRIMARY KEY (term, day, article_id)
) WITHOUT ROWID;

-- One row per story: how many articles, originals and copies, when, where.
CREATE VIEW stories AS
SELECT
    sa.story_id                         AS story_id,
    COUNT(*)                            AS articles,
    SUM(sa.original_id IS NULL)         AS originals,
    SUM(sa.original_id IS NOT NULL)     AS copies,
    MIN(ar.published)                   AS first_published,
    MAX(ar.published)                   AS last_published,
    COUNT(DISTINCT ar.outlet)           AS outlets
FROM story_articles AS sa
JOIN articles AS ar ON ar.id = sa.article_id
GROUP BY sa.story_id;
"""
