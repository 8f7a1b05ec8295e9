"""Stories: copies linked to their original (wire copies, URL and title variants), related articles grouped,
the same grouping in any arrival order, incremental linking, the v3 -> v4 migration and ``sayso stories``.

Every article, outlet, person and town here is invented."""

from __future__ import annotations

import json
import random
import sqlite3

import pytest
from typer.testing import CliRunner

import sayso.cli.stories  # noqa: F401  (registers `sayso stories`)
import sayso.store
from sayso.analysis import analyse_article
from sayso.cli import app, main
from sayso.migrations import all_migrations
from sayso.pipeline import load_pipeline
from sayso.schema import Article, Report
from sayso.store import Store
from sayso.stories import (
    StoryLinker,
    article_features,
    canonical_url,
    jaccard_estimate,
    minhash,
    normalize_title,
    similarity,
    top_claims,
)

FERRY_BODY = (
    "Ferry crossings between Quillby and the island of Brannock will resume on Thursday, three weeks after a "
    "winter storm tore away part of the harbour's main pier, the Quillby Port Authority said on Monday.\n\n"
    "“The new landing stage has passed every inspection and the boats are ready,” said Ansel Morrow, a "
    "spokesman for the port authority. Engineers worked through the weekend to fit steel pilings and a "
    "temporary ramp for vehicles.\n\n"
    "Mayor Petra Lindqvist said the closure had cost local shops dearly. “Brannock has been cut off for too "
    "long, and our traders have felt every day of it,” she told reporters at the town hall.\n\n"
    "The operator, Saltmarsh Lines, will run four sailings a day at first and return to its full timetable "
    "in April, the authority said. Passengers were told to allow extra time for boarding.\n"
)
FERRY_UPDATE = "\nUpdated on Tuesday: Saltmarsh Lines said tickets for the first sailings had sold out within hours.\n"
FERRY_OWN = (
    "Islanders on Brannock can plan trips to the mainland again: Saltmarsh Lines is to restart its Quillby "
    "service this week after storm damage closed the harbour for most of the winter.\n\n"
    "Ansel Morrow of the Quillby Port Authority told the Coastline Courier that divers had checked the new "
    "pilings twice. “The new landing stage has passed every inspection and the boats are ready,” Morrow "
    "said.\n\n"
    "Petra Lindqvist, the mayor, has pressed for a second landing stage so that one storm cannot close "
    "the crossing again. Residents on Brannock said deliveries of food and fuel had become irregular.\n"
)
PEAR_BODY = (
    "Orchard growers around Vellmoor expect the largest pear harvest in two decades after a mild spring and "
    "a wet summer, the Vellmoor Growers Cooperative said on Tuesday.\n\n"
    "“We have never seen branches this heavy,” said Tomas Brightwater, the cooperative's chairman. He said "
    "members had hired extra pickers from neighbouring valleys and rented cold stores near the rail yard.\n\n"
    "Prices at the Vellmoor wholesale market fell by a tenth last week as the first crates arrived, traders "
    "said, and juice makers have offered to take fruit that supermarkets reject.\n"
)
PEAR_OWN = (
    "Pickers are arriving in Vellmoor by the busload as the valley's pear trees bend under a record crop.\n\n"
    "Tomas Brightwater, who chairs the Vellmoor Growers Cooperative, said cold stores were filling faster "
    "than expected. “We have never seen branches this heavy,” he said, adding that some growers would sell "
    "directly to juice makers.\n\n"
    "Wholesale prices have already fallen, according to market traders, and the cooperative warned that "
    "smaller farms could struggle to cover the cost of extra labour.\n"
)
LIBRARY_BODY = (
    "The public library in Quillby reopened on Saturday after an eighteen-month renovation that added a "
    "children's wing and a rooftop reading garden.\n\n"
    "“People queued around the block before we unlocked the doors,” said Imogen Faraday, the head librarian. "
    "The building, a former customs house, had been closed since damp was found in its foundations.\n\n"
    "The renovation was paid for by a bequest from the late novelist Cyril Ambleside and a grant from the "
    "regional arts council, Faraday said.\n"
)


def make(key: str, title: str, outlet: str, published: str, url: str, text: str) -> tuple[str, Article]:
    return key, Article(title=title, outlet=outlet, published=published, url=url, text=text)


ARTICLES = dict(
    [
        make(
            "wire",
            "Quillby ferry service to resume after storm repairs",
            "Northwire",
            "2025-03-10",
            "https://www.northwire.example/news/2025/03/10/quillby-ferry-resume",
            FERRY_BODY,
        ),
        make(  # the same wire story, same day, with a credit line: a copy
            "gazette",
            "Opinion | Quillby ferry service to resume after storm repairs - The Harbour Gazette",
            "The Harbour Gazette",
            "2025-03-10",
            "https://harbourgazette.example/wire/quillby-ferry-resume?utm_source=northwire",
            "QUILLBY (Northwire) — " + FERRY_BODY + "\nCompiled by the Harbour Gazette news desk.\n",
        ),
        make(  # a day later on a third site
            "daily",
            "Quillby ferry service to resume after storm repairs | Eastmarch Daily",
            "Eastmarch Daily",
            "2025-03-11",
            "http://m.eastmarchdaily.example/region/quillby-ferry-service-to-resume/",
            FERRY_BODY + "\nThis article was supplied by Northwire.\n",
        ),
        make(  # the wire's own page again, under a tracking URL
            "wire_rss",
            "Quillby ferry service to resume after storm repairs",
            "Northwire",
            "2025-03-10",
            "http://northwire.example/news/2025/03/10/quillby-ferry-resume/?utm_source=rss&utm_medium=feed&fbclid=Zq9",
            FERRY_BODY,
        ),
        make(  # the wire's update: a title variant, a paragraph longer
            "wire_update",
            "UPDATE: Quillby Ferry Service to Resume After Storm Repairs",
            "Northwire",
            "2025-03-11",
            "https://northwire.example/news/2025/03/11/quillby-ferry-resume-update",
            FERRY_BODY + FERRY_UPDATE,
        ),
        make(  # the same event in another outlet's own words: same story, not a copy
            "courier",
            "Brannock crossing reopens as Quillby harbour repairs finish",
            "Coastline Courier",
            "2025-03-11",
            "https://coastlinecourier.example/2025/03/brannock-crossing-reopens",
            FERRY_OWN,
        ),
        make(
            "pears",
            "Vellmoor growers expect record pear harvest",
            "Valley Post",
            "2025-03-11",
            "https://valleypost.example/farming/vellmoor-record-pears",
            PEAR_BODY,
        ),
        make(
            "pears_own",
            "Pickers pour into Vellmoor as pear trees bend under record crop",
            "Eastmarch Daily",
            "2025-03-12",
            "https://eastmarchdaily.example/farming/vellmoor-pickers",
            PEAR_OWN,
        ),
        make(  # same town as the ferry story, another event
            "library",
            "Quillby library reopens with rooftop reading garden",
            "The Harbour Gazette",
            "2025-03-10",
            "https://harbourgazette.example/local/quillby-library-reopens",
            LIBRARY_BODY,
        ),
    ]
)
FERRY = {"wire", "gazette", "daily", "wire_rss", "wire_update", "courier"}
COPIES = {"gazette": "wire", "daily": "wire", "wire_rss": "wire", "wire_update": "wire"}


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    """Each article analysed once by the full pipeline."""
    nlp = load_pipeline()
    return {key: analyse_article(article, nlp) for key, article in ARTICLES.items()}


def ingest(store: Store, reports: dict[str, Report], order: list[str]) -> dict[int, str]:
    """Save and link ``order``'s reports one by one; return {article id: key}."""
    linker = StoryLinker(store)
    ids = {}
    for key in order:
        result = store.save_report(reports[key])
        linker.link(result.article_id, reports[key])
        ids[result.article_id] = key
    return ids


def grouping(store: Store, ids: dict[int, str]) -> tuple[set[frozenset[str]], dict[str, str | None]]:
    """The stories as sets of keys, and each article's original (by key)."""
    rows = store.connection.execute("SELECT article_id, story_id, original_id FROM story_articles").fetchall()
    stories: dict[int, set[str]] = {}
    originals = {}
    for article_id, story_id, original_id in rows:
        stories.setdefault(story_id, set()).add(ids[article_id])
        originals[ids[article_id]] = ids[original_id] if original_id is not None else None
    return {frozenset(s) for s in stories.values()}, originals


# --- pure functions -------------------------------------------------------------------------------


def test_url_variants_have_one_canonical_form():
    forms = {
        canonical_url(u)
        for u in (
            "https://www.northwire.example/news/quillby-ferry",
            "http://northwire.example/news/quillby-ferry/",
            "https://m.northwire.example/news/quillby-ferry?utm_source=rss&utm_campaign=spring",
            "https://amp.northwire.example/news/quillby-ferry/amp?fbclid=abc&gclid=def#comments",
            "https://northwire.example/amp/news/quillby-ferry?ref=homepage",
        )
    }
    assert forms == {"northwire.example/news/quillby-ferry"}
    # parameters that pick the page stay, sorted; other hosts and paths stay apart
    assert canonical_url("https://northwire.example/story?page=2&id=7&utm_medium=x") == (
        "northwire.example/story?id=7&page=2"
    )
    assert canonical_url("https://northwire.example/news/quillby-ferry-2") != canonical_url(
        "https://northwire.example/news/quillby-ferry"
    )
    assert canonical_url("https://other.example/news/quillby-ferry") != canonical_url(
        "https://northwire.example/news/quillby-ferry"
    )
    assert canonical_url(None) is None and canonical_url("  ") is None


def test_title_variants_normalise_alike():
    variants = [
        "Quillby ferry service to resume after storm repairs",
        "Opinion | Quillby ferry service to resume after storm repairs - The Harbour Gazette",
        "Quillby ferry service to resume after storm repairs | Eastmarch Daily",
        "Quillby Ferry Service to Resume After Storm Repairs — Northwire",
        "UPDATE: Quillby ferry service to resume after storm repairs.",
        "Analysis: Quillby ferry service to resume after storm repairs",
    ]
    assert {normalize_title(t) for t in variants} == {"quillby ferry service to resume after storm repairs"}
    assert normalize_title("Vellmoor growers expect record pear harvest") != normalize_title(variants[0])
    assert normalize_title("") is None


def test_minhash_tells_copies_from_other_articles():
    wire, gazette = minhash(ARTICLES["wire"].text), minhash(ARTICLES["gazette"].text)
    courier = minhash(ARTICLES["courier"].text)
    assert jaccard_estimate(wire, gazette) >= 0.8
    assert jaccard_estimate(wire, courier) < 0.2
    assert minhash("Too short to tell.") is None and jaccard_estimate(None, wire) == 0.0


def test_features_of_one_event_are_closer_than_of_another():
    def feats(key: str) -> dict[str, float]:
        return article_features(ARTICLES[key].title, ARTICLES[key].text)

    assert "e:ansel morrow" in feats("wire") and "e:quillby port authority" in feats("wire")
    same_event = similarity(feats("wire"), feats("courier"))
    assert same_event > similarity(feats("wire"), feats("library"))
    assert same_event > similarity(feats("wire"), feats("pears"))


# --- linking ----------------------------------------------------------------------------------------


def test_wire_copies_url_and_title_variants_link_to_the_original(reports):
    with Store(":memory:") as store:
        ids = ingest(store, reports, list(ARTICLES))
        stories, originals = grouping(store, ids)
        assert originals == {key: COPIES.get(key) for key in ARTICLES}
        via = dict(store.connection.execute("SELECT article_id, duplicate_via FROM story_articles").fetchall())
        by_key = {ids[a]: v for a, v in via.items()}
        assert by_key["wire_rss"] == "url"
        assert by_key["gazette"] == by_key["daily"] == "text"
        summary = {s.id: s for s in StoryLinker(store).stories(limit=None)}
        ferry = next(s for s in summary.values() if s.articles == len(FERRY))
        assert (ferry.originals, ferry.copies) == (2, 4)  # the wire and the Courier's own story
        assert (ferry.first, ferry.last) == ("2025-03-10", "2025-03-11")
        assert ferry.outlets == ["Coastline Courier", "Eastmarch Daily", "Northwire", "The Harbour Gazette"]
        assert ferry.title == ARTICLES["wire"].title


def test_unrelated_stories_stay_apart(reports):
    with Store(":memory:") as store:
        ids = ingest(store, reports, list(ARTICLES))
        stories, _ = grouping(store, ids)
        assert stories == {frozenset(FERRY), frozenset({"pears", "pears_own"}), frozenset({"library"})}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_arrival_order_gives_the_same_grouping(reports, seed):
    keys = list(ARTICLES)
    with Store(":memory:") as store:
        expected = grouping(store, ingest(store, reports, keys))
    shuffled = keys[::-1] if seed == 1 else random.Random(seed).sample(keys, len(keys))
    with Store(":memory:") as store:
        assert grouping(store, ingest(store, reports, shuffled)) == expected


def test_incremental_ingest_over_several_sessions(reports, tmp_path):
    keys = list(ARTICLES)
    with Store(":memory:") as store:
        expected = grouping(store, ingest(store, reports, keys))
    path = tmp_path / "inc.db"
    ids: dict[int, str] = {}
    for part in (keys[:3], keys[3:6], keys[6:]):
        with Store(path) as store:
            ids |= ingest(store, reports, part)
    with Store(path) as store:
        assert grouping(store, ids) == expected
        linker = StoryLinker(store)
        again = linker.link(next(iter(ids)))  # linked before: left alone
        assert again.new is False
        assert linker.link_pending() == 0
        assert store.connection.execute("SELECT SUM(size) FROM _story_groups").fetchone()[0] == len(keys)


def test_top_claims_count_each_original_once(reports):
    with Store(":memory:") as store:
        ids = ingest(store, reports, list(ARTICLES))
        key_to_id = {k: a for a, k in ids.items()}
        story = StoryLinker(store).story_of(key_to_id["wire"])
        assert story is not None
        claims = top_claims(store, story.story_id)
        assert claims, "the ferry story has attributed claims"
        top = claims[0]
        # said in the wire story (and its 4 copies) and in the Courier's own: 2 originals, not 6 articles
        assert "passed every inspection" in top.content and top.articles == 2
        assert top.source is not None and "Morrow" in top.source


# --- the store: migration, bad databases, the command ------------------------------------------------


def test_migration_from_a_v3_database_keeps_the_articles(reports, tmp_path, monkeypatch):
    path = tmp_path / "v3.db"
    monkeypatch.setattr(sayso.store, "all_migrations", lambda: all_migrations()[:3])
    monkeypatch.setattr(sayso.store.Store, "_claim_input", lambda *args: None)  # a v3 sayso had no input hashes
    with Store(path) as store:
        assert store.schema_version == 3
        for key in ("wire", "gazette", "pears"):
            store.save_report(reports[key])
        before = [tuple(r) for r in store.connection.execute("SELECT id, content_hash FROM articles ORDER BY id")]
        claims_before = store.connection.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    monkeypatch.undo()
    with Store(path) as store:
        assert store.schema_version == len(all_migrations())
        after = [tuple(r) for r in store.connection.execute("SELECT id, content_hash FROM articles ORDER BY id")]
        assert after == before
        assert store.connection.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == claims_before
        assert store.report(before[0][0]) == reports["wire"]
        linker = StoryLinker(store)
        assert linker.link_pending() == 3
        assert linker.story_of(before[1][0]).original_id == before[0][0]  # the gazette copies the wire
        assert len({linker.story_of(a).story_id for a, _ in before}) == 2


def test_stories_command_json_and_table(reports, tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as store:  # stored but not linked: the command links them first
        for key in ARTICLES:
            store.save_report(reports[key])
    runner = CliRunner()
    result = runner.invoke(app, ["stories", "--db", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "linked 9 article(s)" in result.stderr
    out = json.loads(result.stdout)
    assert [s["articles"] for s in out] == [6, 2, 1]
    assert out[0]["copies"] == 4 and out[0]["top_claims"][0]["articles"] == 2
    assert set(out[0]) >= {"id", "articles", "originals", "copies", "first", "last", "outlets", "title", "top_claims"}
    result = runner.invoke(app, ["stories", "--db", str(path), "--min-size", "2", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "Quillby ferry" in result.stdout and "Morrow" in result.stdout and "Vellmoor" not in result.stdout


def run_main(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    return int(exit_info.value.code or 0)


def test_stories_command_on_bad_databases(tmp_path, capsys):
    assert run_main(["stories", "--db", str(tmp_path / "missing.db")]) == 3
    assert "no such database" in capsys.readouterr().err
    assert not (tmp_path / "missing.db").exists()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not an sqlite database, just some bytes\n" * 100)
    assert run_main(["stories", "--db", str(junk)]) == 6
    assert "not an SQLite database" in capsys.readouterr().err
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
    conn.close()
    assert run_main(["stories", "--db", str(other)]) == 6


def test_ingest_links_articles_into_stories(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for key in ("wire", "daily", "pears"):
        art = ARTICLES[key]
        (folder / f"{key}.txt").write_text(f"# {art.title}\n\n{art.text}", encoding="utf-8")
    db = tmp_path / "ing.db"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        rows = store.connection.execute(
            "SELECT a.title, sa.story_id, sa.original_id FROM story_articles AS sa "
            "JOIN articles AS a ON a.id = sa.article_id ORDER BY a.id"
        ).fetchall()
    assert len(rows) == 3
    by_title = {r[0]: (r[1], r[2]) for r in rows}
    daily = by_title[ARTICLES["daily"].title]
    wire = by_title[ARTICLES["wire"].title]
    assert daily[0] == wire[0] and wire[1] is None and daily[1] is not None
    assert by_title[ARTICLES["pears"].title][0] != wire[0]
