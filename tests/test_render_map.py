"""The offline places map of the HTML page (``sayso.render.map``), its bundled world outline and the
builder script, plus the place columns of the tree and Markdown renderers."""

from __future__ import annotations

import importlib.util
import json
import re
import struct
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

from sayso.render.html import render_html
from sayso.render.map import (
    MIN_SPAN,
    WORLD,
    View,
    countries_in_view,
    fit_view,
    load_outline,
    map_svg,
    map_view,
    off_map,
    pins,
    ring_path,
)
from sayso.render.markdown import render_markdown
from sayso.render.tree import render_tree_text
from sayso.schema import Article, Caption, Place, Report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_TXT = ROOT / "src" / "sayso" / "data" / "example.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "reports" / "example.json"


def _script():
    spec = importlib.util.spec_from_file_location("build_world_outline", ROOT / "scripts" / "build_world_outline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _country(iso: str) -> dict:
    return next(c for c in load_outline()["countries"] if c["iso_a2"] == iso)


def _inside(lon: float, lat: float, iso: str) -> bool:
    """Whether (lon, lat) lies inside one of the country's outline rings (even-odd ray casting)."""
    scale = load_outline()["metadata"]["scale"]
    for ring in _country(iso)["rings"]:
        pts = [(ring[i] / scale, ring[i + 1] / scale) for i in range(0, len(ring), 2)]
        hit = False
        for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                hit = not hit
        if hit:
            return True
    return False


def place(pid: str, name: str, lat: float | None, lon: float | None, **kw) -> Place:
    """A place mention with dummy offsets (``kw`` sets country, feature, metonymy, caption, start...)."""
    fields = {"start": 0, "end": len(name), "text": name, "country": None, "feature": "city"} | kw
    return Place(id=pid, name=name, lat=lat, lon=lon, **fields)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each <text> and <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in ("circle", "rect", "br", "meta", "path"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if self.stack:
            self.text.setdefault(self.stack[-1], []).append(data)


def parse(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def example() -> Report:
    """The hand-built perfect report of the example article."""
    return Report.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def analysed() -> Report:
    """The example article as sayso reads it (the model is loaded once for this module)."""
    from sayso.analysis import analyse_article
    from sayso.loading import load
    from sayso.pipeline import load_pipeline

    return analyse_article(load(str(EXAMPLE_TXT)), nlp=load_pipeline())


# --- the bundled outline ---------------------------------------------------------------------------


def test_outline_is_bundled_small_and_documented():
    path = resources.files("sayso") / "data" / "world-outline.json"
    raw = path.read_bytes()
    assert len(raw) < 300_000
    meta = json.loads(raw)["metadata"]
    assert "Natural Earth" in meta["source"] and "public domain" in meta["source_licence"]
    assert meta["source_package"].startswith("geopandas==0.14.4")
    assert meta["scale"] == 10 and meta["countries"] == len(load_outline()["countries"]) > 170


def test_outline_rings_are_valid():
    outline = load_outline()
    codes = [c["iso_a2"] for c in outline["countries"] if c["iso_a2"]]
    assert len(codes) == len(set(codes)) > 170
    for country in outline["countries"]:
        assert country["name"] and country["rings"]
        for ring in country["rings"]:
            assert len(ring) % 2 == 0 and len(ring) >= 6
            assert all(-1800 <= x <= 1800 for x in ring[0::2]) and all(-900 <= y <= 900 for y in ring[1::2])


@pytest.mark.parametrize(
    ("lon", "lat", "iso", "inside"),
    [
        (36.25, 49.98, "UA", True),  # Kharkiv
        (37.54, 47.10, "UA", True),  # Mariupol
        (30.52, 50.45, "UA", True),  # Kyiv
        (37.62, 55.75, "RU", True),  # Moscow
        (37.62, 55.75, "UA", False),
        (2.35, 48.86, "FR", True),  # Paris
        (-3.70, 40.42, "FR", False),  # Madrid
        (-3.70, 40.42, "ES", True),
        (151.21, -33.87, "AU", True),  # Sydney
        (-74.0, 40.9, "US", True),  # near New York
    ],
)
def test_outline_puts_cities_in_their_country(lon, lat, iso, inside):
    assert _inside(lon, lat, iso) is inside


# --- the builder script ----------------------------------------------------------------------------


def test_builder_parses_a_shapefile_and_simplifies():
    script = _script()
    # One polygon record: a square with a hole, written as a .shp main file would hold it.
    outer = [(0.0, 0.0), (0.0, 10.0), (10.0, 10.0), (10.0, 0.0), (0.0, 0.0)]
    hole = [(2.0, 2.0), (4.0, 2.0), (4.0, 4.0), (2.0, 4.0), (2.0, 2.0)]
    points = outer + hole
    content = struct.pack("<i4d", 5, 0, 0, 10, 10) + struct.pack("<ii", 2, len(points))
    content += struct.pack("<2i", 0, len(outer)) + b"".join(struct.pack("<2d", *p) for p in points)
    null = struct.pack("<i", 0)
    shp = b"\0" * 100
    shp += struct.pack(">ii", 1, len(content) // 2) + content + struct.pack(">ii", 2, len(null) // 2) + null
    polygons = script.read_polygons(shp)
    assert polygons == [[outer, hole], []]

    # Points within the tolerance of a straight edge go; corners stay.
    wiggly = [(0.0, 0.0), (1.0, 0.01), (2.0, -0.02), (3.0, 0.0), (3.0, 3.0)]
    assert script.simplify(wiggly, 0.1) == [(0.0, 0.0), (3.0, 0.0), (3.0, 3.0)]
    ring = script.compact_ring(outer)
    assert ring is not None and sorted(zip(ring[0::2], ring[1::2], strict=True)) == [
        (0, 0),
        (0, 100),
        (100, 0),
        (100, 100),
    ]
    assert script.compact_ring([(0.0, 0.0), (0.01, 0.0), (0.01, 0.01), (0.0, 0.0)]) is None  # collapses


def test_builder_reads_dbf_records():
    script = _script()
    fields = [(b"name", 10), (b"iso_a3", 3)]
    header_len = 32 + 32 * len(fields) + 1
    record_len = 1 + sum(size for _, size in fields)
    dbf = bytearray(struct.pack("<B3BIHH20x", 3, 124, 1, 1, 2, header_len, record_len))
    for name, size in fields:
        dbf += name.ljust(11, b"\0") + b"C" + b"\0" * 4 + bytes([size, 0]) + b"\0" * 14
    dbf += b"\r"
    dbf += b" " + "Vélandia".encode().ljust(10) + b"VEL"
    dbf += b"*" + b"Gone".ljust(10) + b"GON"
    assert script.read_dbf(bytes(dbf)) == [{"name": "Vélandia", "iso_a3": "VEL"}]


# --- projection and fitting ------------------------------------------------------------------------


def test_view_projects_corners_and_keeps_aspect():
    view = View(30.0, 40.0, 50.0, 55.0, xscale=0.6, width=600)
    assert view.project(30.0, 55.0) == (0.0, 0.0)
    x, y = view.project(50.0, 40.0)
    assert x == pytest.approx(600) and y == pytest.approx(view.height)
    assert view.height == pytest.approx(600 * 15 / (20 * 0.6))
    assert view.contains(40.0, 50.0) and not view.contains(60.0, 50.0)


def test_fit_view_regional_single_and_world():
    ukraine = [(36.25, 49.98), (37.54, 47.10), (37.72, 48.10)]
    view = fit_view(ukraine)
    assert all(view.contains(lon, lat) for lon, lat in ukraine)
    assert view.north - view.south == pytest.approx(MIN_SPAN)  # small spread: the minimum height
    assert 20 < view.west < 36 and 38 < view.east < 50  # around eastern Ukraine, not the world
    assert view.width / view.height == pytest.approx(1.5)

    lone = fit_view([(-8.61, 41.15)])
    assert lone.contains(-8.61, 41.15) and lone.north - lone.south == pytest.approx(MIN_SPAN)

    spread = fit_view([(139.69, 35.69), (-74.0, 40.71)])  # Tokyo and New York
    assert (spread.west, spread.south, spread.east, spread.north) == WORLD
    assert fit_view([]) == spread

    wide = fit_view([(-9.14, 38.72), (37.62, 55.75)])  # Lisbon to Moscow: a wide regional view
    assert wide.contains(-9.14, 38.72) and wide.contains(37.62, 55.75) and wide.west > -40

    north = fit_view([(18.0, 82.0)])  # near the pole the view moves down rather than off the world
    assert north.north <= WORLD[3] and north.contains(18.0, 82.0)


def test_ring_path_clips_by_bounding_box():
    view = View(30.0, 40.0, 50.0, 55.0, xscale=0.6)
    inside = [350, 450, 360, 450, 360, 460]
    path = ring_path(inside, 10, view)
    assert path.startswith("M") and path.endswith("Z") and path.count("L") == 2
    assert ring_path([-1000, 0, -990, 0, -990, 10], 10, view) == ""


def test_countries_in_view():
    view = fit_view([(36.25, 49.98), (37.54, 47.10)])
    codes = countries_in_view(view)
    assert {"UA", "RU"} <= codes and "FR" not in codes and "AU" not in codes


# --- markers ---------------------------------------------------------------------------------------


def test_pins_merge_mentions_and_skip_unlocated():
    places = [
        place("p1", "Brenholm", 59.9, 10.7, country="NO", start=10),
        place("p2", "Nowhere Creek", None, None, start=20),
        place("p3", "Brenholm", 59.9, 10.7, country="NO", metonymy=True, start=30),
        place("p4", "Tarvik", 60.4, 5.3, country="NO", metonymy=True, start=40),
        place("p5", "Brenholm", 59.9, 10.7, country="NO", caption=0, start=0),
    ]
    merged = pins(places)
    assert [(p.name, [m.id for m in p.mentions]) for p in merged] == [
        ("Brenholm", ["p1", "p3", "p5"]),
        ("Tarvik", ["p4"]),
    ]
    assert not merged[0].metonymic and merged[1].metonymic
    tip = merged[0].tooltip()
    assert "Brenholm, NO" in tip and "3 mentions" in tip and "1 as government" in tip and "photo caption" in tip
    # The view follows the literal place; the metonymic one only shows when it falls inside.
    view = map_view(merged)
    assert view.contains(10.7, 59.9)
    report = Report(article=Article(text="x" * 50), places=places)
    assert [p.name for p in off_map(report, view)] == ["Nowhere Creek"] + (
        [] if view.contains(5.3, 60.4) else ["Tarvik"]
    )


def test_map_svg_of_the_example_report(example):
    svg = map_svg(example, lambda p: "#place-" + p.id)
    tags = parse(svg)
    assert tags.tags[0][0] == "svg" and "Kharkiv" in tags.tags[0][1]["aria-label"]
    links = {a["id"]: a["href"] for t, a in tags.tags if t == "a"}
    # Kharkiv's three mentions make one marker, linked to the first.
    assert links["pin-p2"] == "#place-p2" and "pin-p3" not in links and links["pin-p6"] == "#place-p6"
    # Russia (country-level, its fixture centre far east) is not a marker; its outline is drawn.
    assert "pin-p1" not in links and "pin-p12" not in links
    titles = tags.text["title"]
    assert "Ukraine" in titles and "Russia" in titles
    assert any(t.startswith("Kharkiv, UA") and "3 mentions" in t for t in titles)
    hollow = [a for t, a in tags.tags if t == "circle" and "meto" in a["class"]]
    assert len(hollow) == 1  # Kyiv, named as a government; Moscow lies outside the view
    assert "Kyiv" in tags.text["text"] and "Mariupol" in tags.text["text"]


def test_map_svg_markers_sit_on_their_country(analysed):
    svg = map_svg(analysed, lambda p: "#" + p.id)
    view = map_view(pins(analysed.places))
    # Every marker for a place in Ukraine lies inside Ukraine's outline.
    located = {p.name: p for p in analysed.places if p.lat is not None}
    for name in ("Kharkiv", "Mariupol", "Donetsk Oblast"):
        p = located[name]
        assert view.contains(p.lon, p.lat) and _inside(p.lon, p.lat, "UA")
        x, y = view.project(p.lon, p.lat)
        assert f'cx="{x:.1f}" cy="{y:.1f}"' in svg
    assert 22 < view.west and view.east < 50 and 40 < view.south and view.north < 56


def test_map_svg_empty_without_located_places():
    report = Report(article=Article(text="Nothing here."), places=[place("p1", "Nowhere Creek", None, None)])
    assert map_svg(report, lambda p: "#x") == ""
    assert "<figure" not in render_html(report)


# --- the HTML page ---------------------------------------------------------------------------------


def test_html_map_links_both_ways(example):
    page = render_html(example)
    tags = parse(page)
    ids = {a.get("id") for _, a in tags.tags}
    aside = page[page.index("<aside>") : page.index("</aside>")]
    assert "<figure" in aside and "<svg" in aside
    hrefs = [a["href"] for t, a in tags.tags if t == "a" and a.get("href", "").startswith("#")]
    assert all(h[1:] in ids for h in hrefs), [h for h in hrefs if h[1:] not in ids]
    # Every place mention has an anchor; place words that link nowhere else link to their marker.
    assert all(f"place-{p.id}" in ids for p in example.places)
    # "invasion of Ukraine" is in no claim: it links to its marker; "second Mariupol" is in a claim and
    # links to the claim, as before.
    assert re.search(r'<a href="#pin-p8"[^>]*id="place-p8">Ukraine</a>', page)
    assert not re.search(r'<a href="#pin-p6"', page) and re.search(r'<a href="#att-[^>]*id="place-p6"', page)
    caption = page[page.index("<figcaption>") : page.index("</figcaption>")]
    assert "Kharkiv" in caption and "Natural Earth" in caption and "Not on this map" in caption


def test_html_map_caption_places():
    text = "Officials in Brenholm said the road reopened."
    caption = "Snow on the ridge above Tarvik."
    report = Report(
        article=Article(text=text, captions=[Caption(text=caption, credit="A. Photographer")]),
        places=[
            place("p1", "Brenholm", 59.9, 10.7, country="NO", start=13, end=21, text="Brenholm"),
            place("p2", "Tarvik", 60.4, 5.3, country="NO", caption=0, start=24, end=30, text="Tarvik"),
        ],
    )
    page = render_html(report)
    tags = parse(page)
    cap = next(a for t, a in tags.tags if a.get("id") == "cap-0")
    assert cap and '<span class="l-place" id="place-p2"' in page
    assert {a["href"] for t, a in tags.tags if a.get("id", "").startswith("pin-")} == {"#place-p1", "#place-p2"}
    assert '<a href="#pin-p1"' in page  # the place word in the text links to its marker
    assert "Photo: Snow on the ridge above " in page


def test_html_map_escapes_place_names():
    evil = '<script>alert("x")</script>'
    text = f"They met in {evil} yesterday."
    start = text.index(evil)
    report = Report(
        article=Article(text=text),
        places=[place("p1", evil, 45.0, 7.0, start=start, end=start + len(evil), text=evil, country="I<T")],
    )
    page = render_html(report)
    assert evil not in page and "I<T" not in page
    tags = parse(page)
    assert [t for t, _ in tags.tags].count("script") == 1  # the page's own
    assert evil in tags.text["text"] and any(evil in t for t in tags.text["title"])
    assert not re.search(r"<(img|image|use|foreignObject|iframe)\b", page, re.IGNORECASE)


def test_html_map_world_view_when_spread():
    text = "Delegates flew from Tokyo to New York."
    report = Report(
        article=Article(text=text),
        places=[
            place("p1", "Tokyo", 35.69, 139.69, country="JP", start=20, end=25, text="Tokyo"),
            place("p2", "New York", 40.71, -74.0, country="US", start=29, end=37, text="New York"),
        ],
    )
    svg = map_svg(report, lambda p: "#place-" + p.id)
    view = map_view(pins(report.places))
    assert (view.west, view.east) == (WORLD[0], WORLD[2])
    assert svg.count("<path") > 150 and len(svg) < 150_000
    assert "pin-p1" in svg and "pin-p2" in svg


# --- tree and Markdown show every place field ------------------------------------------------------


def test_tree_and_markdown_show_place_fields(example):
    tree = render_tree_text(example, width=140)
    row = next(line for line in tree.splitlines() if line.strip().startswith("Kharkiv  "))
    assert "UA" in row and "city" in row and "49.9808, 36.2527" in row and "706483" in row and " 3" in row
    assert re.search(r"Russia .*2017370 .*5 \(4 as government\)", tree)
    assert "GeoNames" in tree
    md = render_markdown(example)
    assert "| GeoNames id |" in md
    assert "| Kharkiv | Kharkiv | UA | city | 49.9808, 36.2527 | 706483 |  |  |" in md
    assert "| Kyiv | Kyiv | UA | city | 50.4547, 30.5238 | 703448 | yes |  |" in md


def test_tree_and_markdown_show_times_and_quantities(example):
    tree = render_tree_text(example, width=140)
    md = render_markdown(example)
    for t in example.times:
        assert t.value in tree and t.type.lower() in tree
    for q in example.quantities:
        assert (q.unit or "") in tree and (q.unit or "") in md
        if q.qualifier:
            assert q.qualifier in tree and q.qualifier.replace("_", "\\_") in md  # Markdown-escaped
