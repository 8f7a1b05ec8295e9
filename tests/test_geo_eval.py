"""``sayso eval geo``: the readers of the four layouts, resolving given spans, the scores and the command's
errors. Small inline XML files (real places) stand in for the data sets; the dev sets are scored only when
present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sayso.cli.eval_geo  # noqa: F401  (registers ``eval geo``)
from sayso.cli import app
from sayso.errors import BadInput, InputNotFound
from sayso.evaluation.geo import (
    DEFAULT_FILES,
    GeoArticle,
    GoldToponym,
    distance_km,
    evaluate_articles,
    evaluate_geo,
    read_dataset,
    read_geovirus,
    read_gwn,
    read_trnews,
)
from sayso.pipeline import load_pipeline

TEXT = "Flooding hit Lafayette, Ind., on Monday. Turkish officials in Ankara sent aid to Europe."

TRNEWS = f"""<?xml version="1.0" encoding="utf-8"?>
<articles><article docid="1"><title>t</title><url>u</url><dltime>2016-12-19</dltime>
<text><![CDATA[{TEXT}]]></text><toponyms>
<toponym><phrase>Lafayette</phrase><start>13</start><end>22</end>
  <gaztag geonameid="4922462"><name>Lafayette</name><fclass>P</fclass><fcode>PPLA2</fcode>
  <lat>40.4167</lat><lon>-86.8753</lon><country>United States</country><admin1>Indiana</admin1></gaztag></toponym>
<toponym><phrase>Ind.</phrase><start>24</start><end>28</end>
  <gaztag geonameid="4921868"><name>Indiana</name><lat>40.00032</lat><lon>-86.25027</lon></gaztag></toponym>
<toponym><phrase>Turkish</phrase><start>41</start><end>48</end>
  <gaztag geonameid="298795"><name>Turkey</name><lat>39</lat><lon>35</lon></gaztag></toponym>
<toponym><phrase>Ankara</phrase><start>62</start><end>68</end>
  <gaztag geonameid="323786"><name>Ankara</name><lat>39.91987</lat><lon>32.85427</lon></gaztag></toponym>
<toponym><phrase>Europe</phrase><start>81</start><end>87</end></toponym>
</toponyms></article></articles>"""

GEOVIRUS = f"""<articles><article><source>https://en.wikinews.org/wiki/x</source>
<text>{TEXT}</text><locations>
<location><name>Ankara</name><start>63</start><end>69</end><lat>39.92</lat><lon>32.85</lon>
<page>https://en.wikipedia.org/wiki/Ankara</page></location>
</locations></article></articles>"""

GWN = f"""<?xml version="1.0" ?><articles><article file="0"><title>t</title><link>l</link>
<text>{TEXT}</text><toponyms>
<toponym><extractedName>Ankara</extractedName><type>Literal</type><start>62</start><end>68</end>
<geonamesID>323786</geonamesID><latitude>39.91987</latitude><longitude>32.85427</longitude></toponym>
<toponym><extractedName>Turkish</extractedName><type>Demonym</type><start>41</start><end>48</end>
<geonamesID /><latitude /><longitude /></toponym>
</toponyms></article></articles>"""


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_distance_km():
    assert distance_km(50.45, 30.52, 50.45, 30.52) == 0
    assert distance_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(344, abs=3)


def test_readers_offsets_and_types(tmp_path):
    (art,) = read_trnews(write(tmp_path, "tr.xml", TRNEWS))
    assert [art.text[t.start : t.end] for t in art.toponyms] == ["Lafayette", "Ind.", "Turkish", "Ankara", "Europe"]
    assert art.published == "2016-12-19"
    assert art.toponyms[0].geonameid == 4922462 and not art.toponyms[-1].located
    (gv,) = read_geovirus(write(tmp_path, "gv.xml", GEOVIRUS))
    (t,) = gv.toponyms
    assert gv.text[t.start : t.end] == "Ankara" and t.geonameid is None and t.lat == 39.92
    assert art.url == "u" and gv.url == "https://en.wikinews.org/wiki/x"
    (gwn,) = read_gwn(write(tmp_path, "gwn.xml", GWN))
    assert gwn.url == "l"
    assert [(t.text, t.recognise, t.located) for t in gwn.toponyms] == [
        ("Ankara", True, True),
        ("Turkish", False, False),
    ]


def test_shifted_offset_is_reanchored(tmp_path):
    shifted = TRNEWS.replace("<start>62</start><end>68</end>", "<start>63</start><end>69</end>")
    (art,) = read_trnews(write(tmp_path, "tr.xml", shifted))
    ankara = art.toponyms[3]
    assert (ankara.start, ankara.end) == (62, 68)


def test_bad_inputs(tmp_path):
    with pytest.raises(InputNotFound):
        read_dataset("lgl", tmp_path / "absent.xml")
    with pytest.raises(BadInput):
        read_dataset("trnews", write(tmp_path, "bad.xml", "<articles><article>"))
    with pytest.raises(BadInput):
        read_dataset("geovirus", write(tmp_path, "empty.xml", "<articles/>"))


def test_resolve_given_spans_uses_context(nlp):
    doc = nlp(TEXT)
    tagger = nlp.get_pipe("sayso_places")
    spans = [(13, 22), (24, 28), (41, 48), (62, 68), (81, 87)]
    lafayette, indiana, turkey, ankara, europe = tagger.resolve_spans(doc, spans)
    assert (lafayette.country, lafayette.geonameid) == ("US", 4922462)  # Indiana's, not Louisiana's
    assert (indiana.name, indiana.feature) == ("Indiana", "admin1")
    assert (turkey.feature, turkey.country, turkey.geonameid) == ("country", "TR", 298795)
    assert ankara.geonameid == 323786 and ankara.text == "Ankara"
    assert europe.feature == "continent" and europe.country is None


def test_unknown_street_is_placed_at_the_town_nearby(nlp):
    text = "Crowds filled Bourbon Street in New Orleans on Tuesday night."
    doc = nlp(text)
    start = text.index("Bourbon Street")
    (street,) = nlp.get_pipe("sayso_places").resolve_spans(doc, [(start, start + len("Bourbon Street"))])
    assert street.name == "New Orleans" and street.text == "Bourbon Street"


def test_scores_on_a_small_file(tmp_path, nlp):
    result = evaluate_geo("trnews", write(tmp_path, "tr.xml", TRNEWS), nlp=nlp)
    assert result["resolved_total"] == 4 and result["exact_total"] == 4
    assert result["acc161"] == 100.0 and result["exact"] == 100.0
    rec = result["recognition"]
    assert rec["gold"] == 5 and 0 < rec["tp"] <= rec["pred"]  # "Turkish" is no place for the tagger
    assert 0 < result["end_to_end_acc161"] <= result["acc161"]


def test_outlet_url_reaches_the_tagger(nlp):
    text = "Pupils from a school in Edmonton planted a garden on Monday, said their teacher Lila Brandt."
    start = text.index("Edmonton")
    gold = [GoldToponym(start, start + 8, "Edmonton", 51.6256, -0.058)]  # Edmonton, north London
    local = evaluate_articles([GeoArticle(text, gold, url="https://www.enfield-today.co.uk/news/1")], nlp=nlp)
    bare = evaluate_articles([GeoArticle(text, gold)], nlp=nlp)
    assert local["acc161"] == 100.0 and bare["acc161"] == 0.0  # without the outlet: Edmonton, Alberta


def test_cli_json_and_errors(tmp_path):
    runner = CliRunner()
    path = write(tmp_path, "gv.xml", GEOVIRUS)
    out = runner.invoke(app, ["eval", "geo", "--dataset", "geovirus", "--data", str(path), "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert {"acc161", "exact", "mean_km", "end_to_end_acc161", "recognition"} <= result.keys()
    assert set(result["recognition"]) >= {"p", "r", "f1"} and result["acc161"] == 100.0
    missing = runner.invoke(app, ["eval", "geo", "--dataset", "lgl", "--data", str(tmp_path / "none.xml")])
    assert isinstance(missing.exception, InputNotFound) and missing.exception.exit_code == 3
    bad = runner.invoke(app, ["eval", "geo", "--dataset", "gwn", "--data", str(write(tmp_path, "b.xml", "<a"))])
    assert isinstance(bad.exception, BadInput) and bad.exception.exit_code == 4
    assert runner.invoke(app, ["eval", "geo", "--dataset", "nope"]).exit_code == 2


@pytest.mark.skipif(not DEFAULT_FILES["trnews"].is_file(), reason="TR-News not found at ../shared/data/geo")
def test_trnews_dev_accuracy(nlp):
    result = evaluate_geo("trnews", DEFAULT_FILES["trnews"], nlp=nlp, limit=30)
    assert result["acc161"] >= 80 and result["recognition"]["p"] >= 80
