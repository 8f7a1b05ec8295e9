"""End to end: the invented Ostrevia tank story (tests/fixtures/story, see its README and expected-ledger.json)
plus the canonical example article, ingested in one database, give the ledger an analyst would write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sayso.cli import main

STORY = Path(__file__).parent / "fixtures" / "story"
EXAMPLE = Path(__file__).parents[1] / "src" / "sayso" / "data" / "example.txt"
EXPECTED = json.loads((STORY / "expected-ledger.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    db = tmp_path_factory.mktemp("story") / "story.db"
    files = sorted(str(p) for p in (STORY / "reports").glob("*.md")) + [str(EXAMPLE)]
    with pytest.raises(SystemExit) as done:
        main(["ingest", *files, "--db", str(db)])
    assert done.value.code in (0, None)
    return db


def _run(capsys, *args: str):
    capsys.readouterr()
    try:
        main(list(args))
    except SystemExit as done:
        assert done.code in (0, None)
    return json.loads(capsys.readouterr().out)


def _story_of(stories: list[dict], title_word: str) -> dict:
    return next(s for s in stories if title_word.lower() in (s["title"] or "").lower())


def test_reports_group_into_stories_and_copies(ledger, capsys):
    stories = _run(capsys, "stories", "--db", str(ledger), "--format", "json", "--limit", "0")
    tanks = _story_of(stories, "Tanks")
    # 12 files of the tank story: 9 originals and 3 copies (02 of 01; 06 and 07 of the wire story 05)
    assert (tanks["articles"], tanks["originals"], tanks["copies"]) == (12, 9, 3)
    # the coast-guard story and the example article stay apart
    assert any("Patrol Boats" in (s["title"] or "") and s["articles"] == 1 for s in stories)
    assert any("Kharkiv" in (s["title"] or "") and s["articles"] == 1 for s in stories)


def _claims(capsys, db: Path, title_word: str) -> list[dict]:
    stories = _run(capsys, "stories", "--db", str(db), "--format", "json", "--limit", "0")
    sid = _story_of(stories, title_word)["id"]
    out = _run(capsys, "claims", "--db", str(db), "--story", str(sid), "--format", "json")
    assert len(out) == 1 and out[0]["story"] == sid
    return out[0]["claims"]


def _files(reports: list[dict]) -> set[str]:
    return {r["article"][:2] for r in reports}


def test_tank_claim_ledger(ledger, capsys):
    claims = _claims(capsys, ledger, "Tanks")
    # the 120-tanks claim leads the ledger or follows the cost claim, which the same reports carry
    main_claim = next(c for c in claims[:2] if "120" in c["statement"] and "tanks" in c["statement"])
    expected = EXPECTED["claims"][0]
    # the first report is the Lantern's, from its two anonymous officials
    assert main_claim["first_report"]["article"] == expected["first_report"]
    assert main_claim["first_report"]["speaker_type"] == "anonymous"
    # two independent origins: the Lantern's officials and the lawmaker on the record
    assert main_claim["independent_origins"] == expected["independent_origins"] == 2
    labels = " | ".join(o["label"] for o in main_claim["origins"])
    assert "Brodsk Lantern" in labels and "Horobets" in labels
    # the confirmation is the lawmaker's (08), not the Lantern repeating its own sources (13)
    assert _files(main_claim["confirmations"]) == {"08"}
    assert all(
        "Horobets" in (r["speaker"] or "") or "lawmaker" in (r["speaker"] or "") for r in main_claim["confirmations"]
    )
    # denials: the ministry spokesman (09, spelt Bogdan in 12) and the finance-ministry source (10)
    denials = main_claim["denials"]
    assert {"09", "10", "12"} <= _files(denials)
    assert "04" not in _files(denials)  # "does not comment" is no denial
    assert any("Lysak" in (r["speaker"] or "") and r["outlet"] == "Valdorian Broadcasting" for r in denials)
    # both levels of a denial: the official denies, the outlet carries it
    assert all(r["speaker_stance"] == "denies" for r in denials)
    # hedged relays of the Lantern's report: Radio Kessby, Midmark Tribune (number in words, "Zhalkov"), the wire
    assert {"03", "04", "05"} <= _files(main_claim["hedged_relays"])
    # copies are in the timeline, marked, and add no origin
    timeline = main_claim["timeline"]
    copies = {r["article"][:2]: r["copy_of"] for r in timeline if r["copy_of"] is not None}
    assert set(copies) >= {"02", "06", "07"}
    assert [r["published"] for r in timeline] == sorted(r["published"] for r in timeline)


def test_example_article_ledger(ledger, capsys):
    claims = _claims(capsys, ledger, "Kharkiv")
    recruit = next(c for c in claims if "300,000 soldiers" in c["statement"])
    assert recruit["first_report"]["outlet"] == "The Moscow Times"
    assert "Vyorstka" in [recruit["first_report"]["speaker"], *recruit["first_report"]["via"]]
    labels = [o["label"] for o in recruit["origins"]]
    assert any("Kremlin" in x and "Vyorstka" in x for x in labels)
    # the Defense Ministry source confirms the target; the source close to it says it is being pushed aside
    assert any("Defense Ministry" in (r["speaker"] or "") for r in recruit["confirmations"])
    assert any("pushed aside" in r["content"] for r in recruit["denials"])


def test_claims_html_is_self_contained_and_escaped(ledger, tmp_path):
    out = tmp_path / "ledger.html"
    try:
        main(["claims", "--db", str(ledger), "--format", "html", "-o", str(out)])
    except SystemExit as done:
        assert done.code in (0, None)
    page = out.read_text(encoding="utf-8")
    assert '<svg class="prov"' in page and '<svg class="timeline"' in page
    assert "http://" not in page.replace("http-equiv", "") and "https://" not in page
    assert "<script" not in page


def test_claims_on_a_missing_database_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as done:
        main(["claims", "--db", str(tmp_path / "none.db")])
    assert done.value.code == 3
    assert "no such database" in capsys.readouterr().err


def test_an_empty_file_is_not_taken_for_a_database(tmp_path, capsys):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for command in ("claims", "stories"):
        with pytest.raises(SystemExit) as done:
            main([command, "--db", str(empty)])
        assert done.value.code == 6
        assert "is empty" in capsys.readouterr().err
    assert empty.stat().st_size == 0  # left as it was
