"""The MEANTIME CAT reader and the ``sayso eval meantime-values`` scorer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import sayso.cli.eval_meantime  # noqa: F401  (registers the command)
from sayso.cli import main
from sayso.errors import BadInput, InputNotFound
from sayso.evaluation.meantime import (
    align,
    evaluate_meantime_values,
    gold_number,
    kind_type,
    read_meantime,
)
from sayso.schema import Quantity

MEANTIME = Path(__file__).resolve().parents[1] / "../shared/data/timeml/meantime-en/intra-doc_annotation"

CAT = """<?xml version="1.0" ?><Document doc_id="9001" doc_name="9001_Veltan_Air_orders_jets" lang="en" url="http://example.org/wiki/Veltan_Air_orders_jets">
<token number="0" sentence="0" t_id="1">Veltan</token>
<token number="1" sentence="0" t_id="2">Air</token>
<token number="2" sentence="0" t_id="3">orders</token>
<token number="3" sentence="0" t_id="4">jets</token>
<token number="4" sentence="1" t_id="5">March</token>
<token number="5" sentence="1" t_id="6">04</token>
<token number="6" sentence="1" t_id="7">,</token>
<token number="7" sentence="1" t_id="8">2009</token>
<token number="8" sentence="2" t_id="9">Veltan</token>
<token number="9" sentence="2" t_id="10">Air</token>
<token number="10" sentence="2" t_id="11">said</token>
<token number="11" sentence="2" t_id="12">on</token>
<token number="12" sentence="2" t_id="13">Tuesday</token>
<token number="13" sentence="2" t_id="14">it</token>
<token number="14" sentence="2" t_id="15">will</token>
<token number="15" sentence="2" t_id="16">buy</token>
<token number="16" sentence="2" t_id="17">twenty</token>
<token number="17" sentence="2" t_id="18">jets</token>
<token number="18" sentence="2" t_id="19">for</token>
<token number="19" sentence="2" t_id="20">US$</token>
<token number="20" sentence="2" t_id="21">1.4</token>
<token number="21" sentence="2" t_id="22">billion</token>
<token number="22" sentence="2" t_id="23">(</token>
<token number="23" sentence="2" t_id="24">about</token>
<token number="24" sentence="2" t_id="25">5%</token>
<token number="25" sentence="2" t_id="26">of</token>
<token number="26" sentence="2" t_id="27">its</token>
<token number="27" sentence="2" t_id="28">value</token>
<token number="28" sentence="2" t_id="29">)</token>
<token number="29" sentence="2" t_id="30">.</token>
<token number="30" sentence="3" t_id="31">``</token>
<token number="31" sentence="3" t_id="32">We</token>
<token number="32" sentence="3" t_id="33">are</token>
<token number="33" sentence="3" t_id="34">&quot;</token>
<token number="34" sentence="3" t_id="35">ready</token>
<token number="35" sentence="3" t_id="36">&quot;</token>
<token number="36" sentence="3" t_id="37">,</token>
<token number="37" sentence="3" t_id="38">''</token>
<token number="38" sentence="3" t_id="39">it</token>
<token number="39" sentence="3" t_id="40">said</token>
<token number="40" sentence="3" t_id="41">.</token>
<Markables>
<TIMEX3 anchorTimeID="" beginPoint="" comment="" endPoint=""
 functionInDocument="CREATION_TIME" m_id="1" type="DATE" value="2009-03-04">
<token_anchor t_id="5"/>
<token_anchor t_id="6"/>
<token_anchor t_id="7"/>
<token_anchor t_id="8"/>
</TIMEX3>
<TIMEX3 anchorTimeID="1" beginPoint="" comment="" endPoint=""
 functionInDocument="NONE" m_id="2" type="DATE" value="2009-03-03">
<token_anchor t_id="13"/>
</TIMEX3>
<TIMEX3 TAG_DESCRIPTOR="2010" anchorTimeID="" beginPoint="" comment="" endPoint=""
 functionInDocument="NONE" m_id="3" type="DATE" value="2010"/>
<VALUE comment="" m_id="4" type="QUANTITY">
<token_anchor t_id="17"/>
</VALUE>
<VALUE comment="" m_id="5" type="MONEY">
<token_anchor t_id="20"/>
<token_anchor t_id="21"/>
<token_anchor t_id="22"/>
</VALUE>
<VALUE comment="" m_id="6" type="PERCENT">
<token_anchor t_id="24"/>
<token_anchor t_id="25"/>
</VALUE>
</Markables>
</Document>
"""


@pytest.fixture()
def cat_dir(tmp_path: Path) -> Path:
    """A folder holding one small CAT document (invented airline and text)."""
    (tmp_path / "corpus_x").mkdir()
    (tmp_path / "corpus_x" / "9001_Veltan_Air_orders_jets.xml").write_text(CAT, encoding="utf-8")
    return tmp_path


def test_reader_text_and_offsets(cat_dir):
    (doc,) = read_meantime(cat_dir)
    assert doc.doc_id == "9001"
    assert doc.url == "http://example.org/wiki/Veltan_Air_orders_jets"
    assert doc.text.startswith("Veltan Air orders jets\nMarch 04, 2009\n\nVeltan Air said on Tuesday")
    assert "for US$1.4 billion (about 5% of its value). ``We are \"ready\",'' it said." in doc.text
    for _, _, start, end in doc.tokens:
        assert doc.text[start:end].strip() == doc.text[start:end] != ""
    assert [doc.text[s:e] for _, _, s, e in doc.tokens[19:22]] == ["US$", "1.4", "billion"]


def test_reader_dct_timexes_values(cat_dir):
    (doc,) = read_meantime(cat_dir)
    assert doc.dct == "2009-03-04"
    assert doc.text[slice(*doc.dct_span)] == "March 04, 2009"
    # the DCT is kept apart, the non-anchored helper timex (no tokens) is skipped
    assert [(t.text, t.type, t.value) for t in doc.timexes] == [("Tuesday", "DATE", "2009-03-03")]
    assert [(v.text, v.type) for v in doc.values] == [
        ("twenty", "QUANTITY"),
        ("US$1.4 billion", "MONEY"),
        ("about 5%", "PERCENT"),
    ]
    for m in doc.values + doc.timexes:
        assert doc.text[m.start : m.end] == m.text
    assert doc.annotated_end == len(doc.text)


def test_reader_errors(tmp_path):
    with pytest.raises(InputNotFound) as err:
        read_meantime(tmp_path / "nowhere")
    assert err.value.exit_code == 3
    with pytest.raises(BadInput) as err:
        read_meantime(tmp_path)
    assert err.value.exit_code == 4


def test_cli_bad_input(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["eval", "meantime-values", "--data", str(tmp_path / "nowhere")])
    assert exc.value.code == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith("sayso: error:") and "\n" not in err
    with pytest.raises(SystemExit) as exc:
        main(["eval", "meantime-values", "--data", str(tmp_path)])
    assert exc.value.code == 4


def test_gold_number():
    assert gold_number("US$40 billion") == 40e9
    assert gold_number("about 5%") == 5
    assert gold_number("fourteen percent") == 14
    assert gold_number("sixty") == 60
    assert gold_number("between three and seven percent") == 3
    assert gold_number("a score of") == 20
    assert gold_number("26 cents") == 0.26
    assert gold_number("-36") == -36
    assert gold_number("15-20%") == 15
    assert gold_number("the amount") is None


def test_align_prefers_exact_match():
    # a prediction inside a long gold and an exact gold goes to the exact one
    assert align([(10, 16)], [(0, 16), (10, 16)]) == [(0, 1)]
    assert align([(0, 5)], [(3, 9)], strict=True) == []
    assert align([(0, 5), (4, 9)], [(3, 9)]) == [(1, 0)]


def _q(doc_text: str, text: str, value: float, kind: str, upper: float | None = None) -> Quantity:
    start = doc_text.index(text)
    return Quantity(id="q", start=start, end=start + len(text), text=text, value=value, unit=None, kind=kind,
                    upper=upper)  # fmt: skip


def test_scoring_with_given_predictions(cat_dir):
    def predict(doc, nlp):
        return [
            _q(doc.text, "twenty", 20, "count"),  # exact, right value and type
            _q(doc.text, "1.4 billion", 1.4e9, "count"),  # overlaps, right value, wrong type
            _q(doc.text, "5%", 6, "percent"),  # overlaps, wrong value
            _q(doc.text, "Tuesday", 1, "count"),  # false positive
        ]

    result = evaluate_meantime_values(cat_dir, predict=predict)
    assert result["documents"] == 1
    assert result["extent"] == {"p": 75.0, "r": 100.0, "f1": 85.7, "pred": 4, "gold": 3}
    assert result["extent_strict"]["r"] == pytest.approx(33.3)
    assert result["value"]["r"] == pytest.approx(66.7)
    assert result["type"]["r"] == pytest.approx(66.7)
    assert result["by_type"]["MONEY"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "pred": 0, "gold": 1}
    assert result["by_type"]["PERCENT"]["f1"] == 100.0


def test_kind_type():
    assert [kind_type(k) for k in ("money", "percent", "count", "measure", None)] == [
        "MONEY",
        "PERCENT",
        "QUANTITY",
        "QUANTITY",
        "QUANTITY",
    ]


@pytest.mark.skipif(not MEANTIME.is_dir(), reason="MEANTIME not found under ../shared/data/timeml/meantime-en")
def test_real_corpus_counts():
    docs = read_meantime(MEANTIME)
    assert len(docs) == 120
    assert sum(d.dct_annotated for d in docs) == 118  # two files lack a CREATION_TIME: read from the dateline
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", d.dct or "") for d in docs)
    assert next(d for d in docs if d.doc_id == "120578").dct == "2009-02-03"  # annotated as '03-02-2009'
    values = [v for d in docs for v in d.values]
    assert len(values) == 418
    assert {t: sum(v.type == t for v in values) for t in ("QUANTITY", "MONEY", "PERCENT")} == {
        "QUANTITY": 236,
        "MONEY": 101,
        "PERCENT": 81,
    }
    assert sum(len(d.timexes) for d in docs) == 370
    for d in docs:
        for m in d.values + d.timexes:
            assert d.text[m.start : m.end] == m.text and m.end <= d.annotated_end
    first = next(d for d in docs if d.doc_id == "100911")
    assert first.values[0].text == "$40 billion"
    assert first.dct == "2008-03-01"
