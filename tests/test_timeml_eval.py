"""``sayso eval timeml``: the TimeML reader, the TempEval-3 metric port and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sayso.cli.eval_timeml  # noqa: F401  (registers the command on eval_app)
from sayso.cli import main
from sayso.evaluation.timeml import (
    Counts,
    Timex,
    evaluate_timeml,
    find_tml,
    read_tml,
    score_document,
    scores,
    time_pipeline,
)

TBAQ = Path(__file__).resolve().parents[2] / "shared" / "data" / "timeml" / "tbaq"

TML = "\n".join(
    [
        '<?xml version="1.0" ?>',
        "<TimeML>",
        "<DOCID>own0001</DOCID>",
        '<DCT><TIMEX3 tid="t0" type="DATE" value="2003-05-14" temporalFunction="false" '
        'functionInDocument="CREATION_TIME">20030514</TIMEX3></DCT>',
        "<TEXT>",
        'Mayor Ilse Varga <EVENT eid="e1" class="REPORTING">said</EVENT> '
        '<TIMEX3 tid="t1" type="DATE" value="2003-05-13">yesterday</TIMEX3> that the Brenford bridge would '
        'stay shut for <TIMEX3 tid="t2" type="DURATION" value="P3W">three weeks</TIMEX3>.',
        'It &amp; the ferry <EVENT eid="e2" class="OCCURRENCE">reopened</EVENT> '
        '<TIMEX3 tid="t3" type="DATE" value="2003-W19">last week</TIMEX3>.',
        "</TEXT>",
        "</TimeML>",
    ]
)


def write_tml(folder: Path, name: str = "own0001.tml", text: str = TML) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_tml_keeps_offsets_and_dct(tmp_path):
    doc = read_tml(write_tml(tmp_path))
    assert doc.dct == "2003-05-14"
    assert [(t.text, t.type, t.value) for t in doc.timexes] == [
        ("yesterday", "DATE", "2003-05-13"),
        ("three weeks", "DURATION", "P3W"),
        ("last week", "DATE", "2003-W19"),
    ]
    for t in doc.timexes:
        assert doc.text[t.start : t.end] == t.text
    assert "It & the ferry reopened last week." in doc.text
    assert "<" not in doc.text


def test_find_tml_is_recursive_and_errors_are_clear(tmp_path):
    write_tml(tmp_path / "a" / "b")
    assert [p.name for p in find_tml(tmp_path)] == ["own0001.tml"]
    with pytest.raises(Exception) as missing:
        find_tml(tmp_path / "nowhere")
    assert missing.value.exit_code == 3
    (tmp_path / "empty").mkdir()
    with pytest.raises(Exception) as empty:
        find_tml(tmp_path / "empty")
    assert empty.value.exit_code == 4


def test_te3_metric_strict_relaxed_and_attributes():
    gold = [
        Timex(0, 9, "yesterday", "DATE", "2003-05-13"),
        Timex(20, 31, "three weeks", "DURATION", "P3W"),
        Timex(40, 49, "last week", "DATE", "2003-W19"),
    ]
    pred = [
        Timex(0, 9, "yesterday", "DATE", "2003-05-13"),  # strict, right value
        Timex(14, 31, "about three weeks", "DURATION", "P4W"),  # relaxed only, wrong value
        Timex(60, 63, "now", "DATE", "PRESENT_REF"),  # spurious
    ]
    counts, errors = score_document(pred, gold)
    assert (counts.pred, counts.gold, counts.relaxed, counts.strict) == (3, 3, 2, 1)
    assert (counts.type, counts.value) == (2, 1)
    assert {e["kind"] for e in errors} == {"extent", "value", "missed", "spurious"}
    s = scores(counts)
    assert s["strict"] == {"p": 33.33, "r": 33.33, "f1": 33.33}
    assert s["relaxed"]["f1"] == 66.67
    # TE3 attribute F1: accuracy over relaxed matches times relaxed F1
    assert s["type"]["f1"] == 66.67
    assert s["value"]["f1"] == 33.33


def test_one_prediction_matches_one_gold_only():
    gold = [Timex(0, 6, "Monday", "DATE", "x"), Timex(7, 14, "morning", "TIME", "y")]
    pred = [Timex(0, 14, "Monday morning", "TIME", "y")]
    counts, _ = score_document(pred, gold)
    assert (counts.relaxed, counts.strict) == (1, 0)


def test_empty_counts_score_zero():
    assert scores(Counts())["value"]["f1"] == 0.0


@pytest.fixture(scope="module")
def nlp():
    """The model with the time component only (one load per module)."""
    return time_pipeline()


def test_evaluate_on_own_document(tmp_path, nlp):
    write_tml(tmp_path)
    result = evaluate_timeml(tmp_path, nlp=nlp)
    assert result["documents"] == 1 and result["gold"] == 3
    assert result["strict"]["f1"] == 100.0
    assert result["value"]["f1"] == 100.0


def test_command_json_contract(tmp_path, capsys):
    write_tml(tmp_path)
    with pytest.raises(SystemExit) as done:
        main(["eval", "timeml", "--data", str(tmp_path), "--json"])
    assert done.value.code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["strict"]) == {"p", "r", "f1"} and set(out["relaxed"]) == {"p", "r", "f1"}
    assert "f1" in out["type"] and "f1" in out["value"]


@pytest.mark.parametrize(("make", "code"), [("missing", 3), ("empty", 4)])
def test_command_bad_input(tmp_path, capsys, make, code):
    folder = tmp_path / make
    if make == "empty":
        folder.mkdir()
    with pytest.raises(SystemExit) as done:
        main(["eval", "timeml", "--data", str(folder), "--json"])
    assert done.value.code == code
    err = capsys.readouterr().err.strip()
    assert err.startswith("sayso: error:") and len(err.splitlines()) == 1


@pytest.mark.skipif(not (TBAQ / "TimeBank").is_dir(), reason="TBAQ not found at ../shared/data/timeml/tbaq")
def test_timebank_sample_scores(nlp):
    result = evaluate_timeml(TBAQ / "TimeBank", nlp=nlp, limit=15)
    assert result["documents"] == 15
    assert result["relaxed"]["f1"] > 85
    assert result["value"]["f1"] > 65


# --------------------------------------------------------------------------------------------------
# MEANTIME (CAT XML) as a second format

#: Sentences of an invented Wikinews-style article: title, dateline, then the body. MEANTIME annotates
#: sentences 0-5 only; 'Friday' in sentence 7 is outside that part.
CAT_SENTENCES = [
    "Brenford bridge reopens",
    "March 22 , 2024",
    "The Brenford bridge reopened yesterday after three weeks of repairs .",
    "Mayor Ilse Varga said traffic was normal .",
    "Engineers will inspect it again next month .",
    "Ferries stopped running .",
    "The council met .",
    "A festival follows on Friday .",
]


def cat_xml(timexes: list[tuple[int, int, int, str, str, str]]) -> str:
    """A CAT document of :data:`CAT_SENTENCES`; ``timexes``: (sentence, first token, last token, type,
    value, functionInDocument) with token numbers inside the sentence."""
    lines = ['<?xml version="1.0" ?><Document doc_id="9100" doc_name="9100_Brenford" lang="en" url="x">']
    ids: dict[tuple[int, int], int] = {}
    tid = 0
    for si, sent in enumerate(CAT_SENTENCES):
        for ti, word in enumerate(sent.split()):
            tid += 1
            ids[(si, ti)] = tid
            lines.append(f'<token number="{ti}" sentence="{si}" t_id="{tid}">{word}</token>')
    lines.append("<Markables>")
    for mid, (si, a, b, typ, value, fn) in enumerate(timexes, start=1):
        anchors = "".join(f'<token_anchor t_id="{ids[(si, k)]}"/>' for k in range(a, b + 1))
        lines.append(f'<TIMEX3 m_id="{mid}" type="{typ}" value="{value}" functionInDocument="{fn}">{anchors}</TIMEX3>')
    lines.append("</Markables></Document>")
    return "\n".join(lines)


@pytest.fixture()
def cat_dir(tmp_path):
    """A folder with one invented MEANTIME document: the dateline DCT and two annotated timexes."""
    gold = [
        (1, 0, 3, "DATE", "2024-03-22", "CREATION_TIME"),
        (2, 4, 4, "DATE", "2024-03-21", "NONE"),
        (2, 6, 7, "DURATION", "P3W", "NONE"),
        (4, 5, 6, "DATE", "2024-04", "NONE"),
    ]
    folder = tmp_path / "meantime"
    (folder / "corpus_x").mkdir(parents=True)
    (folder / "corpus_x" / "9100_Brenford.xml").write_text(cat_xml(gold), encoding="utf-8")
    return folder


def test_read_cat_gives_text_dct_and_scored_part(cat_dir):
    from sayso.evaluation.timeml import find_documents, read_cat

    files, fmt = find_documents(cat_dir)
    assert fmt == "meantime" and len(files) == 1
    doc = read_cat(files[0])
    assert doc.dct == "2024-03-22"
    assert [(t.text, t.value) for t in doc.timexes] == [
        ("yesterday", "2024-03-21"),
        ("three weeks", "P3W"),
        ("next month", "2024-04"),
    ]
    friday = doc.text.index("Friday")
    late = Timex(friday, friday + 6, "Friday", "DATE", "2024-03-22")
    dateline = Timex(doc.text.index("March 22"), doc.text.index("March 22") + 8, "March 22", "DATE", "2024-03-22")
    assert doc.scored([late, dateline, doc.timexes[0]]) == [doc.timexes[0]]


def test_format_option_and_auto_detection(tmp_path, cat_dir):
    from sayso.evaluation.timeml import find_documents

    write_tml(tmp_path / "tml")
    assert find_documents(tmp_path / "tml")[1] == "timeml"
    with pytest.raises(Exception) as wrong:
        find_documents(cat_dir, "timeml")
    assert wrong.value.exit_code == 4


def test_evaluate_meantime_document(cat_dir, nlp):
    result = evaluate_timeml(cat_dir, nlp=nlp)
    assert result["format"] == "meantime" and result["gold"] == 3
    # 'Friday' (sentence 7) and the dateline are not scored: every prediction is a gold expression
    assert result["pred"] == 3
    assert result["strict"]["f1"] == 100.0 and result["value"]["f1"] == 100.0


def test_command_meantime_format(cat_dir, capsys):
    with pytest.raises(SystemExit) as done:
        main(["eval", "timeml", "--data", str(cat_dir), "--format", "meantime", "--json"])
    assert done.value.code == 0
    assert json.loads(capsys.readouterr().out)["format"] == "meantime"


MEANTIME = TBAQ.parent / "meantime-en" / "intra-doc_annotation"


@pytest.mark.skipif(not MEANTIME.is_dir(), reason="MEANTIME not found at ../shared/data/timeml/meantime-en")
def test_meantime_sample_scores(nlp):
    result = evaluate_timeml(MEANTIME, nlp=nlp, limit=20)
    assert result["documents"] == 20 and result["format"] == "meantime"
    assert result["relaxed"]["f1"] > 75
    assert result["value"]["f1"] > 60
