"""The chains evaluation: reading the test set, the name normaliser, choosing and scoring predictions,
and ``sayso eval chains``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from typer.testing import CliRunner

from sayso.cli import _register, app, main
from sayso.errors import BadInput, InputNotFound
from sayso.evaluation.chains import (
    DEFAULT_DATA_DIR,
    ChainScorer,
    evaluate_chains,
    jsonl_files,
    locate,
    names_match,
    normalise_name,
    pick_attribution,
    read_passages,
)
from sayso.pipeline import load_pipeline
from sayso.schema import Article, Attribution, Report, Source, Span

FIXTURE = Path(__file__).parent / "fixtures" / "chains"
PASSAGES = {p.id: p for p in read_passages(FIXTURE / "passages.jsonl")}
REAL = DEFAULT_DATA_DIR
REAL_FILES = sorted(REAL.glob("*.jsonl")) if REAL.is_dir() else []


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def span(text: str, needle: str) -> Span:
    """The first occurrence of ``needle`` in ``text`` as a Span."""
    i = text.index(needle)
    return Span(start=i, end=i + len(needle), text=needle)


def src(sid: str, name: str, type_: str = "organization", **kw) -> Source:
    return Source(id=sid, name=name, type=type_, **kw)


def att(text: str, aid: str, source: str | None, content: str, **kw) -> Attribution:
    """A predicted attribution whose content is the first ``content`` in ``text``."""
    return Attribution(
        id=aid, source=source, cue=None, content=span(text, content), kind=kw.pop("kind", "indirect"), **kw
    )


def report(passage_id: str, sources: list[Source], attributions: list[Attribution]) -> Report:
    p = PASSAGES[passage_id]
    return Report(article=Article(text=p.text, outlet=p.outlet), sources=sources, attributions=attributions)


HEDGES = ("reportedly", "considering")
BRISK_QUOTE = "We are not going to sign anything this year"


def f001_report(brisk_name: str = "Ana Brisk", hedges: tuple[str, ...] = HEDGES) -> Report:
    """A hand-made report for passage f001 that gets every expectation right (with ``brisk_name`` as the
    mayor's predicted name)."""
    text = PASSAGES["f001"].text
    sources = [
        src("s1", "The Harbour Ledger", "outlet", is_article_outlet=True),
        src(
            "s2",
            "sources close to the Varn harbour authority",
            "anonymous",
            anonymous=True,
            descriptor="sources close to the Varn harbour authority",
            affiliation="Varn harbour authority",
            closeness="close to",
            number="2",
            reason="not authorised to speak publicly",
        ),
        src("s3", brisk_name, "person"),
        src("s4", "Kestrel Daily", "outlet"),
    ]
    atts = [
        att(text, "a1", "s2", "that the dredging contract would be cancelled next month", to="s1"),
        att(text, "a2", "s3", BRISK_QUOTE, kind="direct", via=["s4"], to="s4"),
        att(
            text,
            "a3",
            None,
            "reportedly considering a new tariff on container ships",
            kind="hedged",
            hedges=list(hedges),
        ),
    ]
    return report("f001", sources, atts)


# ------------------------------------------------------------------------------------------------ reading


def test_reads_files_and_folders_in_name_order():
    assert [f.name for f in jsonl_files(FIXTURE)] == ["more.jsonl", "passages.jsonl"]
    assert jsonl_files(FIXTURE / "more.jsonl") == [FIXTURE / "more.jsonl"]
    f002 = PASSAGES["f002"]
    assert (f002.outlet, f002.published, len(f002.expect), f002.line) == ("Norrvik Post", "2025-03-02", 2, 2)
    assert f002.expect[1]["nested"] is True


def test_missing_path_and_empty_folder_are_input_not_found(tmp_path):
    with pytest.raises(InputNotFound) as err:
        jsonl_files(tmp_path / "nowhere.jsonl")
    assert "nowhere.jsonl" in err.value.message
    with pytest.raises(InputNotFound, match=r"no \*\.jsonl files"):
        jsonl_files(tmp_path)


def test_malformed_line_is_bad_input_naming_file_and_line(tmp_path):
    good = (FIXTURE / "more.jsonl").read_text(encoding="utf-8").strip()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(good + "\n\n" + '{"id": "x", "text": "oops"\n', encoding="utf-8")
    with pytest.raises(BadInput) as err:
        read_passages(bad)
    assert err.value.message.startswith(f"{bad}:3: malformed JSON")
    bad.write_text('{"id": "x", "text": "Some text.", "expect": [{"source": "Ann"}]}\n', encoding="utf-8")
    with pytest.raises(BadInput, match=r"bad\.jsonl:1: expect\[0\] must be an object with a non-empty"):
        read_passages(bad)


# ----------------------------------------------------------------------------------------------- matching


def test_normalise_name():
    assert normalise_name("  The  Harbour\nLedger ") == "harbour ledger"
    assert normalise_name("Kestrel Daily’s") == "kestrel daily"
    assert normalise_name("the ministers'") == "ministers"
    assert normalise_name("Theodora Vane") == "theodora vane"  # only a leading "the " word goes
    assert normalise_name("Norrvik's finance ministry") == "norrvik's finance ministry"
    assert normalise_name(2) == "2"
    assert normalise_name("") is None and normalise_name(None) is None


def test_names_match_none_titles_and_types():
    assert names_match(None, None)
    assert not names_match(None, "Ana Brisk") and not names_match("Ana Brisk", None)
    assert names_match("Norrvik finance ministry", src("s1", "the Norrvik Finance Ministry"))
    assert names_match("Ana Brisk", src("s1", "Mayor Ana Brisk", "person"))
    assert not names_match("Ana Brisk", src("s1", "Brisk", "person"))
    assert not names_match("Ana Brisk", src("s1", "Varn Ana Brisk", "organization"))
    assert not names_match("Brisk", src("s1", "Mayor Brisk", "person"))  # full names only


def test_locate_trims_quotes_and_punctuation():
    text = 'He said: "We will win." Then he left.'
    assert text[slice(*locate(text, '"We will win."'))] == "We will win"
    assert locate(text, "we will win") is None


def test_pick_prefers_non_nested_then_shortest_and_falls_back():
    text = PASSAGES["f002"].text
    outer = att(text, "a1", "s2", "officials in the Norrvik finance ministry, that the budget would be cut")
    inner = att(text, "a2", "s3", "that the budget would be cut", nested_in="a1")
    short = att(text, "a3", "s2", "the budget would be cut")
    start, end = locate(text, "the budget would be cut")
    assert pick_attribution([outer, inner], start, end) == (outer, True)
    assert pick_attribution([outer, inner], start, end, nested=True) == (inner, True)
    assert pick_attribution([outer], start, end, nested=True) == (outer, True)
    assert pick_attribution([outer, short], start, end)[0] is short
    assert pick_attribution([inner], 0, end) == (None, False)


# ------------------------------------------------------------------------------------------------ scoring


def test_all_right_report_scores_everything_correct():
    scorer = ChainScorer()
    scorer.add_passage(PASSAGES["f001"], f001_report())
    r = scorer.result()
    assert r["failures"] == []
    for name in ("chains", "source", "via", "to", "found", "kind"):
        assert (r[name]["accuracy"], r[name]["total"]) == (100.0, 3), name
    anon = r["anonymous_fields"]
    assert (anon["correct"], anon["total"]) == (6, 6)
    assert all(c["total"] == 1 for c in anon["per_field"].values())
    assert r["modality"] == {"recall": 100.0, "correct": 2, "total": 2}
    assert (r["passages"], r["expected"], r["skipped"], r["lenient_name_matches"]) == (1, 3, 0, 0)


def test_wrong_source_and_missing_hedge_are_failures():
    scorer = ChainScorer()
    scorer.add_passage(PASSAGES["f001"], f001_report(brisk_name="Varn", hedges=("reportedly",)))
    r = scorer.result()
    assert (r["chains"]["correct"], r["source"]["correct"], r["via"]["correct"]) == (2, 2, 3)
    assert r["modality"] == {"recall": 50.0, "correct": 1, "total": 2}
    brisk, tariff = r["failures"]
    assert brisk["problems"] == ["source", "chains"] and brisk["predicted"]["source"] == "Varn"
    assert brisk["predicted"]["via"] == ["Kestrel Daily"] and brisk["paragraph"].startswith('"We are not')
    assert tariff["problems"] == ["modality:considering"]


def test_titled_person_name_counts_as_lenient_match():
    scorer = ChainScorer()
    scorer.add_passage(PASSAGES["f001"], f001_report(brisk_name="Mayor Ana Brisk"))
    r = scorer.result()
    assert r["chains"]["correct"] == 3 and r["lenient_name_matches"] == 1


def test_nested_expectation_scores_via_to_and_anonymous_fields():
    p = PASSAGES["f002"]
    text = p.text
    sources = [
        src("s1", "Norrvik Post", "outlet", is_article_outlet=True),
        src("s2", "Kestrel Daily", "outlet"),
        src("s3", "officials", "anonymous", anonymous=True, affiliation="the Norrvik finance ministry"),
    ]
    outer = att(text, "a1", "s2", "officials in the Norrvik finance ministry, that the budget would be cut")
    inner = att(text, "a2", "s3", "the budget would be cut by a tenth", nested_in="a1", via=["s2"], to="s2")
    scorer = ChainScorer()
    scorer.add_passage(p, report("f002", sources, [outer, inner]))
    r = scorer.result()
    # the outer expectation's content ends past the outer prediction: only the nested one contains it
    outer_fail, inner_fail = r["failures"]
    assert outer_fail["problems"] == ["source", "via", "to", "chains"]
    assert outer_fail["predicted"]["nested_in"] == "a1"
    # inner: source, via, to right; number predicted None but expected "several"; reason null = None
    assert inner_fail["problems"] == ["anonymous.number"]
    per_field = r["anonymous_fields"]["per_field"]
    assert [per_field[f]["correct"] for f in ("anonymous", "affiliation", "number", "reason")] == [1, 1, 0, 1]
    assert per_field["descriptor"] == {"accuracy": None, "correct": 0, "total": 0}
    assert (r["chains"]["correct"], r["chains"]["total"]) == (1, 2)


def test_not_found_is_wrong_everywhere_and_lists_overlaps():
    p = PASSAGES["f002"]
    sources = [src("s1", "officials", "anonymous", anonymous=True)]
    partial = att(p.text, "a1", "s1", "the budget would be")
    scorer = ChainScorer()
    scorer.add_passage(p, report("f002", sources, [partial]))
    r = scorer.result()
    assert r["found"]["correct"] == 0 and r["to"]["correct"] == 0
    assert r["anonymous_fields"]["correct"] == 0  # even the expected null reason
    fail = r["failures"][1]
    assert fail["problems"][0] == "not found" and fail["predicted"] is None
    assert fail["overlapping"] == [{"content": "the budget would be", "source": "officials"}]


def test_content_not_in_text_is_skipped(tmp_path):
    p = PASSAGES["f002"]
    p = type(p)(id="x", text=p.text, outlet=p.outlet, expect=[{"content": "no such words", "source": None}])
    scorer = ChainScorer()
    scorer.add_passage(p, report("f002", [], []))
    r = scorer.result()
    assert (r["skipped"], r["expected"], r["chains"]["total"]) == (1, 1, 0)
    assert r["chains"]["accuracy"] is None and r["failures"][0]["problems"] == ["content not in text"]


# --------------------------------------------------------------------------------------- pipeline and CLI


def test_evaluate_chains_runs_the_pipeline_on_the_fixtures(nlp, tmp_path):
    failures = tmp_path / "failures.jsonl"
    r = evaluate_chains(FIXTURE, nlp=nlp, failures_path=failures)
    assert (r["passages"], r["expected"], r["skipped"]) == (3, 7, 0)
    totals = [r[name]["total"] for name in ("chains", "kind", "anonymous_fields", "modality")]
    assert totals == [7, 5, 10, 3]
    assert r["found"]["correct"] >= r["chains"]["correct"] and r["seconds"] >= 0
    records = [json.loads(line) for line in failures.read_text(encoding="utf-8").splitlines()]
    assert r["failures_written"] == len(records) == len(r["failures"])
    assert all(rec["passage"] in {"f001", "f002", "f003"} and rec["problems"] for rec in records)


def test_cli_json_shape_and_table(nlp, monkeypatch):
    monkeypatch.setattr("sayso.pipeline.load_pipeline", lambda model=None, fast=False: nlp)
    _register()
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "chains", "--data", str(FIXTURE / "passages.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    for name in ("chains", "source", "via", "to", "found", "kind", "anonymous_fields"):
        assert set(out[name]) >= {"accuracy", "correct", "total"}, name
    assert set(out["anonymous_fields"]["per_field"]) == {
        "anonymous",
        "descriptor",
        "affiliation",
        "closeness",
        "number",
        "reason",
    }
    assert set(out["modality"]) == {"recall", "correct", "total"}
    assert out["passages"] == 2 and out["chains"]["total"] == 5 and "seconds" in out and "failures" not in out
    result = runner.invoke(app, ["eval", "chains", "--data", str(FIXTURE)])
    assert result.exit_code == 0 and "3 passages, 7 expected" in result.stdout
    assert "anonymous fields" in result.stdout


def test_cli_errors_exit_with_documented_status(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["eval", "chains", "--data", str(tmp_path / "missing")])
    assert exit_.value.code == 3 and "missing" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["eval", "chains", "--data", str(bad), "--json"])
    assert exit_.value.code == 4 and "bad.jsonl:1: malformed JSON" in capsys.readouterr().err


# -------------------------------------------------------------------------------------------- real data


@pytest.mark.skipif(not REAL_FILES, reason=f"chains test set not found at {REAL}")
def test_real_test_set_evaluates(nlp):
    r = evaluate_chains(REAL_FILES, nlp=nlp)
    assert r["passages"] > 0 and r["expected"] > 0 and r["skipped"] < r["expected"]
    assert r["chains"]["total"] == r["expected"] - r["skipped"]
    assert 0 <= r["chains"]["correct"] <= r["found"]["correct"] <= r["found"]["total"]
    assert 0 <= r["anonymous_fields"]["correct"] <= r["anonymous_fields"]["total"]
    # a floor under the development scores (84.5% chains, 90.5% anonymous-source fields when written),
    # so a change that breaks chains or anonymous sources shows up here
    assert r["chains"]["accuracy"] >= 80
    assert r["anonymous_fields"]["accuracy"] >= 87
