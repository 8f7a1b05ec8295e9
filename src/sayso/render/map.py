"""A small offline map of a report's places, as inline SVG for the HTML page.

Country outlines come from the bundled ``data/world-outline.json`` (simplified Natural Earth 1:110m,
public domain; built by ``scripts/build_world_outline.py``); nothing is fetched. The projection is
equirectangular with longitudes scaled by the cosine of the view's middle latitude (so a regional view
keeps shapes roughly right); the view fits the places' bounding box with a margin, or shows the whole
world when they are spread too far apart.

Each located place (same name and coordinates merged over its mentions) gets one marker that links to its
first mention and carries the name as an SVG ``<title>`` tooltip. Places used only as a stand-in for a
government ("Moscow said") are drawn as hollow markers and do not steer the view. Every string from the
report is escaped.

>>> svg = map_svg(report, href=lambda p: "#place-" + p.id)  # doctest: +SKIP
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..schema import Place, Report

#: Width of the SVG's viewBox in user units (the map scales to its container).
WIDTH = 600.0
#: Width / height of a regional view.
ASPECT = 1.5
#: The world view: west, south, east, north (Antarctica and the far Arctic left out).
WORLD = (-180.0, -58.0, 180.0, 84.0)
#: Places spread wider than this (degrees of longitude or latitude) are shown on the world view.
MAX_SPAN = (150.0, 75.0)
#: The smallest height of a regional view in degrees of latitude (a lone city still shows its region).
MIN_SPAN = 9.0
#: Margin around the places, as a share of their span.
MARGIN = 0.25
#: Marker radius and label font size in viewBox units.
RADIUS = 5.0
FONT = 12.0


def esc(value: object) -> str:
    """``value`` as text safe inside SVG/HTML content and quoted attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def anchor(prefix: str, item_id: str) -> str:
    """An HTML id made from ``prefix`` and a report id, with characters other than word characters and
    '-' replaced, so it is a valid fragment."""
    return prefix + "-" + re.sub(r"[^\w-]", "_", item_id)


@lru_cache(maxsize=1)
def load_outline() -> dict:
    """The bundled world outline (``sayso/data/world-outline.json``): ``metadata`` and ``countries``, each
    with ``iso_a2``, ``name`` and ``rings`` (flat ``[lon, lat, ...]`` lists in 1/``metadata.scale``
    degrees). Read once per process."""
    path = resources.files("sayso") / "data" / "world-outline.json"
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class View:
    """A rectangle of the world drawn onto a ``width`` x ``height`` SVG canvas.

    ``west``/``south``/``east``/``north`` bound it in degrees; ``xscale`` (the cosine of the middle
    latitude, 1 for the world view) shrinks longitudes so regional shapes are not stretched."""

    west: float
    south: float
    east: float
    north: float
    xscale: float = 1.0
    width: float = WIDTH

    @property
    def scale(self) -> float:
        """Canvas units per degree of latitude."""
        return self.width / ((self.east - self.west) * self.xscale)

    @property
    def height(self) -> float:
        """The canvas height for this view."""
        return (self.north - self.south) * self.scale

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """Canvas (x, y) of a point given in degrees; y grows southwards."""
        return (lon - self.west) * self.xscale * self.scale, (self.north - lat) * self.scale

    def contains(self, lon: float, lat: float) -> bool:
        """Whether the point (degrees) lies inside the view."""
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def overlaps(self, west: float, south: float, east: float, north: float) -> bool:
        """Whether a bounding box (degrees) touches the view."""
        return west <= self.east and east >= self.west and south <= self.north and north >= self.south


def world_view(width: float = WIDTH) -> View:
    """The whole-world view (:data:`WORLD`), plain equirectangular, ``width`` units wide."""
    return View(*WORLD, xscale=1.0, width=width)


def fit_view(points: Sequence[tuple[float, float]], width: float = WIDTH) -> View:
    """The view showing every (lon, lat) point in ``points`` with a margin.

    The view is at least :data:`MIN_SPAN` degrees tall and widened or heightened to :data:`ASPECT`; when
    the points span more than :data:`MAX_SPAN`, or there are none, the world view. Returns the View."""
    if not points:
        return world_view(width)
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    if east - west > MAX_SPAN[0] or north - south > MAX_SPAN[1]:
        return world_view(width)
    mid_lat = (south + north) / 2
    xscale = max(0.2, math.cos(math.radians(mid_lat)))
    pad = MARGIN * max((east - west) * xscale, north - south)
    height = max(MIN_SPAN, north - south + 2 * pad)
    wide = max((east - west) * xscale + 2 * pad, height * ASPECT)  # projected width
    height = max(height, wide / ASPECT)
    mid_lon = (west + east) / 2
    half_lon = wide / xscale / 2
    south, north = mid_lat - height / 2, mid_lat + height / 2
    if north > WORLD[3]:  # keep the view on the drawn world, moving rather than shrinking it
        south, north = south - (north - WORLD[3]), WORLD[3]
    if south < -85.0:
        south, north = -85.0, north + (-85.0 - south)
    return View(mid_lon - half_lon, south, mid_lon + half_lon, north, xscale=xscale, width=width)


def _fmt(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def ring_path(ring: Sequence[int], scale: int, view: View) -> str:
    """The SVG path data of one outline ring (flat ``[lon, lat, ...]`` in 1/``scale`` degrees) in
    ``view``: 'M x y L x y ... Z', with points that round to the same spot dropped. '' when the ring's
    bounding box misses the view."""
    lons = ring[0::2]
    lats = ring[1::2]
    if not view.overlaps(min(lons) / scale, min(lats) / scale, max(lons) / scale, max(lats) / scale):
        return ""
    digits = 0 if view.scale < 20 else 1
    out: list[str] = []
    last = None
    for lon, lat in zip(lons, lats, strict=True):
        x, y = view.project(lon / scale, lat / scale)
        point = f"{_fmt(x, digits)} {_fmt(y, digits)}"
        if point != last:
            out.append(point)
            last = point
    if len(out) < 3:
        return ""
    return "M" + " L".join(out) + "Z"


def countries_in_view(view: View, outline: dict | None = None) -> set[str]:
    """The ISO alpha-2 codes of the countries with an outline ring touching ``view`` (``outline``
    defaults to the bundled one)."""
    outline = outline if outline is not None else load_outline()
    scale = int(outline["metadata"]["scale"])
    return {
        country["iso_a2"]
        for country in outline["countries"]
        if country.get("iso_a2") and any(ring_path(ring, scale, view) for ring in country["rings"])
    }


def outline_svg(view: View, highlight: Iterable[str] = (), outline: dict | None = None) -> str:
    """The country outlines that touch ``view`` as SVG paths (one ``<path>`` per country, class 'land';
    'land named' for countries whose ISO alpha-2 code is in ``highlight``). ``outline`` defaults to the
    bundled one."""
    outline = outline if outline is not None else load_outline()
    scale = int(outline["metadata"]["scale"])
    named = set(highlight)
    out = []
    for country in outline["countries"]:
        data = "".join(ring_path(ring, scale, view) for ring in country["rings"])
        if data:
            cls = "land named" if country.get("iso_a2") in named else "land"
            out.append(f'<path class="{cls}" d="{data}"><title>{esc(country["name"])}</title></path>')
    return "".join(out)


@dataclass
class Pin:
    """One marker: a located place with all its mentions (the first decides the link)."""

    name: str
    country: str | None
    lat: float
    lon: float
    feature: str | None
    mentions: list[Place] = field(default_factory=list)

    @property
    def metonymic(self) -> bool:
        """True when every mention uses the place for its government ('Moscow said')."""
        return all(p.metonymy for p in self.mentions)

    @property
    def id(self) -> str:
        """The report id of the first mention, which names the marker."""
        return self.mentions[0].id

    def tooltip(self) -> str:
        """'name, CC · lat, lon · n mentions' with metonymic and caption uses noted."""
        bits = [self.name + (f", {self.country}" if self.country else "")]
        bits.append(f"{self.lat:.4f}, {self.lon:.4f}")
        if self.feature:
            bits.append(self.feature)
        count = len(self.mentions)
        bits.append(f"{count} mention" + ("s" if count != 1 else ""))
        meto = sum(p.metonymy for p in self.mentions)
        if meto:
            bits.append(f"{meto} as government")
        captions = sum(p.caption is not None for p in self.mentions)
        if captions:
            bits.append(f"{captions} in a photo caption")
        return " · ".join(bits)


def pins(places: Iterable[Place]) -> list[Pin]:
    """The report's located places merged into markers, in order of first mention (article text first,
    then captions). Places without coordinates are left out."""
    merged: dict[tuple, Pin] = {}
    ordered = sorted(places, key=lambda p: (p.caption is not None, p.caption or 0, p.start))
    for p in ordered:
        if p.lat is None or p.lon is None:
            continue
        key = (p.name, p.country, round(p.lat, 4), round(p.lon, 4))
        if key not in merged:
            merged[key] = Pin(p.name, p.country, p.lat, p.lon, p.feature)
        merged[key].mentions.append(p)
    return list(merged.values())


def _label_box(x: float, y: float, text: str, right: bool) -> tuple[float, float, float, float]:
    width = 0.6 * FONT * len(text)
    left = x + RADIUS + 2 if right else x - RADIUS - 2 - width
    return left, y - FONT * 0.8, left + width, y + FONT * 0.3


def _marker_box(x: float, y: float) -> tuple[float, float, float, float]:
    return x - RADIUS, y - RADIUS, x + RADIUS, y + RADIUS


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def marker_svg(pin: Pin, view: View, href: str, taken: list[tuple[float, float, float, float]]) -> str:
    """One marker as SVG: a link (``href``, a '#fragment') around a circle and, when it fits without
    covering an earlier label (``taken``, updated in place), the place's name. Country-level places get
    a square, metonymic ones are hollow."""
    x, y = view.project(pin.lon, pin.lat)
    classes = ["pin"]
    if pin.metonymic:
        classes.append("meto")
    if pin.feature == "country":
        shape = (
            f'<rect x="{x - RADIUS:.1f}" y="{y - RADIUS:.1f}" width="{2 * RADIUS:.0f}" '
            f'height="{2 * RADIUS:.0f}" class="{" ".join(classes)}"/>'
        )
    else:
        shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{RADIUS:.0f}" class="{" ".join(classes)}"/>'
    label = ""
    for right in (True, False):
        box = _label_box(x, y, pin.name, right)
        if box[0] >= 0 and box[2] <= view.width and not any(_overlap(box, t) for t in taken):
            taken.append(box)
            side = "start" if right else "end"
            lx = x + RADIUS + 2 if right else x - RADIUS - 2
            ly = y + FONT * 0.35
            label = f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{side}">{esc(pin.name)}</text>'
            break
    tip = f"<title>{esc(pin.tooltip())}</title>"
    return f'<a href="{esc(href)}" id="{anchor("pin", pin.id)}" class="pinlink">{tip}{shape}{label}</a>'


def map_view(all_pins: Sequence[Pin], width: float = WIDTH) -> View:
    """The view for a report's markers, fitted to the first non-empty group of: literal places below
    country level (a country's centre point says little about where things happen, and its outline is
    highlighted anyway), literal places, all places."""
    literal = [p for p in all_pins if not p.metonymic]
    local = [p for p in literal if p.feature != "country"]
    chosen = local or literal or list(all_pins)
    return fit_view([(p.lon, p.lat) for p in chosen], width)


def map_svg(report: Report, href: Callable[[Place], str], width: float = WIDTH) -> str:
    """The map of ``report``'s places as one inline ``<svg>`` element, or '' when no place is located.

    ``href`` gives the '#fragment' a marker links to for its first mention (a place in the text or a
    photo caption); ``width`` is the viewBox width. Markers outside the view (metonymic places far away)
    are left out."""
    all_pins = pins(report.places)
    if not all_pins:
        return ""
    view = map_view(all_pins, width)
    named = {p.country for p in all_pins if p.feature == "country" and p.country and not p.metonymic}
    # Literal places claim label room first, and are drawn last so they sit on top of hollow markers.
    shown = sorted((p for p in all_pins if view.contains(p.lon, p.lat)), key=lambda p: p.metonymic)
    taken = [_marker_box(*view.project(p.lon, p.lat)) for p in shown]  # labels never cover a marker
    markers = "".join(reversed([marker_svg(p, view, href(p.mentions[0]), taken) for p in shown]))
    names = ", ".join(p.name for p in shown)
    return (
        f'<svg class="map" viewBox="0 0 {_fmt(view.width, 1)} {_fmt(view.height, 1)}" role="img" '
        f'aria-label="{esc("Map of the places named: " + names)}">'
        f'<rect class="sea" x="0" y="0" width="{_fmt(view.width, 1)}" height="{_fmt(view.height, 1)}"/>'
        f"{outline_svg(view, named)}{markers}</svg>"
    )


def off_map(report: Report, view: View | None = None, shown: Iterable[str] = ()) -> list[Place]:
    """The places the map does not show: those without coordinates and, given the ``view``, those
    outside it, except those named in ``shown`` (countries shown by their shaded outline); one per name,
    in order of mention."""
    seen: set[str] = set(shown)
    out = []
    for p in report.places:
        located = p.lat is not None and p.lon is not None
        if located and (view is None or view.contains(p.lon, p.lat)):
            continue
        if p.name not in seen:
            seen.add(p.name)
            out.append(p)
    return out
