"""The gazetteer API and the ``sayso_places`` component on the example article and on small sentences."""

from __future__ import annotations

from importlib import resources

import pytest

import sayso
from sayso.extensions import get_places
from sayso.gazetteer import Gazetteer, load_gazetteer, normalize
from sayso.pipeline import load_pipeline
from sayso.schema import Article, Place

EXAMPLE = resources.files("sayso").joinpath("data", "example.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="module")
def example_places(nlp) -> list[Place]:
    report = sayso.analyse(Article(text=EXAMPLE, published="2024-03-22"), nlp=nlp)
    return report.places


def places(nlp, text: str) -> list[Place]:
    """Places of ``text`` after running the pipeline up to and including the place tagger."""
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "sayso_places":
            break
    return get_places(doc)


def by_text(found: list[Place], text: str) -> list[Place]:
    return [p for p in found if p.text == text]


# -- gazetteer ---------------------------------------------------------------------------------------


def test_normalize_folds_case_diacritics_and_apostrophes():
    assert normalize("KHARKIV") == "kharkiv"
    assert normalize("Vovchans’k") == normalize("Vovchans'k") == "vovchansk"
    assert normalize("Ivano-Frankivsk") == "ivano frankivsk"
    assert normalize("Zürich") == "zurich"
    assert normalize("U.S.") == "us"


def test_lookup_country_with_possessive_and_short_names():
    g = load_gazetteer()
    russia = g.lookup("Russia’s")[0]
    assert (russia.name, russia.feature, russia.country, russia.geonameid) == (
        "Russia",
        "country",
        "RU",
        2017370,
    )
    assert g.lookup("Britain")[0].country == "GB"
    assert g.lookup("US", feature="country")[0].country == "US"
    assert g.lookup("the Netherlands")[0].country == "NL"


def test_lookup_city_by_alternate_name():
    g = load_gazetteer()
    for name in ("Kharkiv", "Kharkov", "kharkiv"):
        city = g.lookup(name, feature="city")[0]
        assert city.geonameid == 706483
        assert city.lat == pytest.approx(49.98, abs=0.02) and city.lon == pytest.approx(36.25, abs=0.02)
    assert g.lookup("Kiev", feature="city")[0].name == "Kyiv"
    assert g.lookup("Kyiv", feature="city")[0].capital


def test_lookup_regions_with_region_words():
    g = load_gazetteer()
    for name in ("Kharkiv Oblast", "Kharkiv region", "Kharkov region"):
        (region,) = g.lookup(name)
        assert (region.name, region.feature, region.country) == ("Kharkiv Oblast", "admin1", "UA")
    assert g.lookup("Donetsk region")[0].name == "Donetsk Oblast"
    assert g.lookup("Bavaria")[0].country == "DE"
    texas = g.lookup("Texas", feature="admin1")[0]
    assert (texas.country, texas.admin1) == ("US", "TX")


def test_lookup_filters_and_unknown_names():
    g = load_gazetteer()
    assert g.lookup("Defense Ministry") == []
    assert g.lookup("") == []
    assert all(e.country == "US" for e in g.lookup("Springfield", country="us"))
    assert {e.feature for e in g.lookup("Springfield", feature="city")} == {"city"}


def test_every_country_and_region_has_coordinates():
    g = load_gazetteer()
    counts = g.counts()
    assert counts["country"] >= 240 and counts["admin1"] >= 3000 and counts["city"] >= 230_000
    ukraine = g.country("UA")
    assert ukraine is not None and 44 < ukraine.lat < 53 and 22 < ukraine.lon < 41
    assert g.admin1_of(g.lookup("Mariupol")[0]).name == "Donetsk Oblast"


def test_missing_file_is_a_clear_error(tmp_path):
    from sayso.errors import MissingResource

    with pytest.raises(MissingResource):
        Gazetteer(tmp_path / "absent.sqlite")


# -- the example article -----------------------------------------------------------------------------


def test_example_kharkiv_is_the_city(example_places):
    kharkiv = by_text(example_places, "Kharkiv")
    assert kharkiv
    for p in kharkiv:
        assert (p.country, p.feature) == ("UA", "city")
        assert p.lat == pytest.approx(49.98, abs=0.02) and p.lon == pytest.approx(36.25, abs=0.02)


def test_example_regions_countries_and_metonymy(example_places):
    (mariupol,) = by_text(example_places, "Mariupol")
    assert mariupol.country == "UA"
    (donetsk,) = by_text(example_places, "Donetsk region")
    assert (donetsk.name, donetsk.feature, donetsk.country) == ("Donetsk Oblast", "admin1", "UA")
    (kharkiv_region,) = by_text(example_places, "Kharkiv region")
    assert (kharkiv_region.name, kharkiv_region.feature) == ("Kharkiv Oblast", "admin1")
    assert {p.feature for p in by_text(example_places, "Ukraine")} == {"country"}
    assert {(p.feature, p.country) for p in by_text(example_places, "Russia")} == {("country", "RU")}
    (kyiv,) = by_text(example_places, "Kyiv")
    assert kyiv.metonymy and kyiv.feature == "city" and kyiv.country == "UA"


def test_example_ids_offsets_and_no_outlet_places(example_places):
    assert [p.id for p in example_places] == [f"p{i}" for i in range(1, len(example_places) + 1)]
    assert [p.start for p in example_places] == sorted(p.start for p in example_places)
    for p in example_places:
        assert EXAMPLE[p.start : p.end] == p.text
    moscow_times = EXAMPLE.index("The Moscow Times")
    assert not [p for p in example_places if moscow_times <= p.start < moscow_times + 16]


# -- constructions -----------------------------------------------------------------------------------


def test_region_versus_city(nlp):
    found = places(nlp, "Shells fell on Kharkiv on Monday. Villages in the Kharkiv region were evacuated.")
    city, region = found
    assert (city.text, city.feature) == ("Kharkiv", "city")
    assert (region.text, region.feature, region.name) == ("Kharkiv region", "admin1", "Kharkiv Oblast")


def test_oblast_and_state_constructions(nlp):
    found = places(nlp, "Drones hit Kursk Oblast overnight, and floods reached the Texas state line.")
    assert [(p.text, p.feature, p.country) for p in found] == [
        ("Kursk Oblast", "admin1", "RU"),
        ("Texas state", "admin1", "US"),
    ]


def test_possessive_and_direction(nlp):
    found = places(nlp, "Fighting raged in eastern Ukraine’s Donetsk region, Russia’s army said.")
    assert [(p.text, p.feature) for p in found] == [
        ("Ukraine", "country"),
        ("Donetsk region", "admin1"),
        ("Russia", "country"),
    ]


def test_metonymy(nlp):
    found = places(nlp, "Moscow warned of a response. Washington seeks talks. Tourists love Moscow in May.")
    assert [(p.text, p.metonymy) for p in found] == [
        ("Moscow", True),
        ("Washington", True),
        ("Moscow", False),
    ]
    assert found[1].country == "US"


def test_ambiguous_name_resolved_by_comention(nlp):
    (paris, texas) = places(nlp, "The mayor of Paris, Texas, opened the county fair.")
    assert (paris.country, texas.name) == ("US", "Texas")
    (paris_fr,) = places(nlp, "The delegates flew to Paris for the summit.")
    assert paris_fr.country == "FR"
    springfield = places(nlp, "Springfield officials met on Monday. The Illinois governor approved the plan.")[0]
    assert springfield.country == "US" and springfield.lat == pytest.approx(39.8, abs=0.1)


def test_places_inside_organisation_and_person_names_are_skipped(nlp):
    found = places(nlp, "Lena Varro wrote for The Moscow Times and studied at Moscow State University.")
    assert found == []
    found = places(nlp, "President Vladimir Putin visited Mariupol.")
    assert [p.text for p in found] == ["Mariupol"]


def resolved(nlp, text: str, phrases: list[str]) -> dict[str, Place | None]:
    """Resolve the first occurrence of each phrase of ``text`` as a given span."""
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "sayso_places":
            break
    spans = [(text.index(p), text.index(p) + len(p)) for p in phrases]
    return dict(zip(phrases, nlp.get_pipe("sayso_places").resolve_spans(doc, spans), strict=True))


def test_list_neighbours_share_region_or_town(nlp):
    states = places(nlp, "Marta Olvido moved her bakery from Oregon or Washington to Montana and Wyoming.")
    assert {p.text: p.feature for p in states} == {
        "Oregon": "admin1", "Washington": "admin1", "Montana": "admin1", "Wyoming": "admin1"
    }  # fmt: skip
    cities = places(nlp, "The tour stopped in Washington, New York and Boston before Chicago.")
    assert by_text(cities, "New York")[0].feature == "city"
    assert by_text(cities, "Washington")[0].name == "Washington"
    assert abs(by_text(cities, "Washington")[0].lat - 38.9) < 0.2  # the capital, not the state


def test_state_government_word_makes_a_region(nlp):
    found = places(nlp, "Former New York Gov. Dalton Pribe spoke on Tuesday.")
    assert by_text(found, "New York")[0].feature == "admin1"


def test_given_building_span_is_not_a_foreign_town(nlp):
    got = resolved(nlp, "Aides met at the White House in Washington on Monday.", ["White House", "Washington"])
    assert got["White House"] is not None and got["White House"].country == "US"


def test_country_points_come_from_factbook_or_geonames():
    g = load_gazetteer()
    us, fr = g.country("US"), g.country("FR")
    assert us is not None and (round(us.lat, 2), round(us.lon, 2)) == (39.76, -98.5)
    assert fr is not None and (fr.lat, fr.lon) == (46.0, 2.0)
    meta = dict(g._db.execute("SELECT key, value FROM meta").fetchall())
    assert meta["countryinfo_package"] == "countryinfo" and meta["countryinfo_license"] == "MIT"


# -- the outlet, the dateline and the article's focus region -------------------------------------------------


def read_places(nlp, text: str, url: str | None = None) -> list[tuple[str, str | None]]:
    """(text, country) of the places ``sayso.analyse`` finds in ``text`` published at ``url``."""
    report = sayso.analyse(Article(text=text, url=url), nlp=nlp)
    return [(p.text, p.country) for p in report.places]


def test_outlet_place_from_the_domain(nlp):
    tagger = nlp.get_pipe("sayso_places")
    town = tagger.outlet_place("https://edmontonjournal.com/news/local", "CA")
    assert (town.name, town.country) == ("Edmonton", "CA")
    assert tagger.outlet_place("https://www.enfield-today.co.uk/news", "GB").country == "GB"
    assert tagger.outlet_place("https://www.lemarssentinel.com/story/1.html").name == "Le Mars"
    assert tagger.outlet_place("https://eparisextra.com/obituaries") is None  # Paris, France or Texas?
    assert tagger.outlet_place("https://www.startribune.com/x", "US") is None  # no town called "Star"


def test_outlet_country_and_town_settle_a_homonym(nlp):
    text = "Pupils from a school in Edmonton planted a garden on Monday, said their teacher Lila Brandt."
    assert read_places(nlp, text) == [("Edmonton", "CA")]
    assert read_places(nlp, text, "https://www.enfield-today.co.uk/news/1") == [("Edmonton", "GB")]


def test_dateline_sets_the_focus_region(nlp):
    text = "LONDON, Ontario (AP) — Police in London said on Monday that a man was arrested near a mall."
    assert read_places(nlp, text) == [("LONDON", "CA"), ("Ontario", "CA"), ("London", "CA")]


def test_one_sense_per_discourse(nlp):
    text = "The fair opened in Paris, Texas, on Friday. Visitors to Paris praised the barbecue, said Tom Varga."
    found = sayso.analyse(Article(text=text), nlp=nlp).places
    paris = [p for p in found if p.text == "Paris"]
    assert len(paris) == 2 and {(p.country, p.geonameid) for p in paris} == {("US", paris[0].geonameid)}


def test_an_old_name_of_a_city_and_its_region_means_the_city(nlp):
    doc = nlp("Russia plans to recruit 300 000 soldiers for an offensive on Kharkov, officials said on Monday.")
    kharkov = [p for p in get_places(doc) if p.text == "Kharkov"]
    assert kharkov and kharkov[0].name == "Kharkiv" and kharkov[0].feature == "city"
