"""Build sayso's bundled world outline, ``src/sayso/data/world-outline.json``, for the offline map of
``sayso read --format html``.

Source: the Natural Earth 1:110m admin-0 countries (public domain, https://www.naturalearthdata.com/) as
shipped inside the **geopandas 0.14.4** wheel on PyPI (``geopandas/datasets/naturalearth_lowres/``;
geopandas itself is BSD-3-Clause; the data set was dropped in geopandas 1.0). The wheel is only read as a
zip file: nothing is installed or imported from it, so it is a build input, never a runtime dependency.

Recipe (deterministic: the same wheel gives the same file)::

    pip download --no-deps geopandas==0.14.4 -d /tmp/wheels
    python scripts/build_world_outline.py /tmp/wheels/geopandas-0.14.4-py3-none-any.whl

The shapefile (``.shp`` polygons, ``.dbf`` attributes) is parsed here with :mod:`struct`. Each ring is
simplified with Douglas-Peucker at :data:`TOLERANCE` degrees, snapped to a 0.1-degree grid, and rings
that collapse (fewer than 4 points or almost no area) are dropped. ISO 3166-1 alpha-2 codes come from
pycountry (a build dependency of the gazetteer already) when it is installed, else are left null.

Output (compact JSON, ~100 KB)::

    {"metadata": {...source, version, licence, scale...},
     "countries": [{"iso_a2": "UA", "iso_a3": "UKR", "name": "Ukraine",
                    "rings": [[lon0, lat0, lon1, lat1, ...], ...]}, ...]}

where every coordinate is an integer in tenths of a degree (``metadata.scale`` = 10).
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "src" / "sayso" / "data" / "world-outline.json"

SOURCE_PACKAGE = "geopandas"
SOURCE_VERSION = "0.14.4"
MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"

#: Coordinates are stored as integers in 1/SCALE degrees.
SCALE = 10
#: Douglas-Peucker tolerance in degrees.
TOLERANCE = 0.1
#: Rings with a smaller area (square degrees) after simplification are dropped.
MIN_AREA = 0.05

Point = tuple[float, float]


def read_polygons(shp: bytes) -> list[list[list[Point]]]:
    """The polygons of an ESRI shapefile's main file.

    ``shp`` is the content of the ``.shp`` file (shape types 5, Polygon, or 0, null). Returns one entry per
    record: its rings, each a list of (lon, lat) points."""
    out: list[list[list[Point]]] = []
    pos = 100  # file header
    while pos < len(shp):
        _, words = struct.unpack(">ii", shp[pos : pos + 8])
        body = shp[pos + 8 : pos + 8 + 2 * words]
        pos += 8 + 2 * words
        (shape_type,) = struct.unpack("<i", body[:4])
        if shape_type == 0:
            out.append([])
            continue
        if shape_type != 5:
            raise ValueError(f"unsupported shape type {shape_type}")
        num_parts, num_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{num_parts}i", body[44 : 44 + 4 * num_parts]))
        start = 44 + 4 * num_parts
        coords = struct.unpack(f"<{2 * num_points}d", body[start : start + 16 * num_points])
        points = list(zip(coords[0::2], coords[1::2], strict=True))
        bounds = [*parts, num_points]
        out.append([points[a:b] for a, b in zip(bounds, bounds[1:], strict=False)])
    return out


def read_dbf(dbf: bytes, encoding: str = "utf-8") -> list[dict[str, str]]:
    """The records of a dBASE III file (a shapefile's ``.dbf``) as dicts of stripped strings.

    ``dbf`` is the file's content; ``encoding`` that of its text (the ``.cpg`` file names it). Deleted
    records are skipped."""
    count, header_len, record_len = struct.unpack("<IHH", dbf[4:12])
    fields: list[tuple[str, int]] = []
    pos = 32
    while dbf[pos] != 0x0D:
        name = dbf[pos : pos + 11].split(b"\0", 1)[0].decode("ascii")
        fields.append((name, dbf[pos + 16]))
        pos += 32
    rows = []
    for i in range(count):
        rec = dbf[header_len + i * record_len : header_len + (i + 1) * record_len]
        if rec[:1] == b"*":
            continue
        row, at = {}, 1
        for name, size in fields:
            row[name] = rec[at : at + size].decode(encoding).strip()
            at += size
        rows.append(row)
    return rows


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    """Distance from ``p`` to the segment ``a``-``b`` (plane geometry, degrees)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return ((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return ((p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2) ** 0.5


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """``points`` (an open or closed line) simplified with Douglas-Peucker: the points kept are those
    further than ``tolerance`` from the line through their neighbours' kept ends. Returns a sub-list
    keeping the first and last points."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _segment_distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_area(points: list[tuple[int, int]]) -> float:
    """The unsigned area of a closed ring (shoelace formula), in square grid units."""
    total = 0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        total += x0 * y1 - x1 * y0
    return abs(total) / 2


def compact_ring(ring: list[Point]) -> list[int] | None:
    """One ring simplified and snapped to the 1/:data:`SCALE` degree grid, as a flat list
    ``[lon0, lat0, lon1, lat1, ...]`` without the closing point; None when it collapses."""
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]
    # Split the closed ring in two halves so Douglas-Peucker has two fixed ends that are far apart.
    half = len(ring) // 2
    kept = simplify(ring[: half + 1], TOLERANCE)[:-1] + simplify(ring[half:] + ring[:1], TOLERANCE)[:-1]
    grid: list[tuple[int, int]] = []
    for lon, lat in kept:
        point = (round(lon * SCALE), round(lat * SCALE))
        if not grid or grid[-1] != point:
            grid.append(point)
    if len(grid) > 1 and grid[0] == grid[-1]:
        grid.pop()
    if len(grid) < 3 or ring_area(grid) < MIN_AREA * SCALE * SCALE:
        return None
    return [c for point in grid for c in point]


#: Alpha-2 codes pycountry lacks, by Natural Earth name (GeoNames uses XK for Kosovo).
EXTRA_ALPHA2 = {"Kosovo": "XK"}


def alpha2(iso_a3: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for an alpha-3 code, via pycountry when installed; else None."""
    try:
        import pycountry
    except ImportError:
        return None
    country = pycountry.countries.get(alpha_3=iso_a3)
    return country.alpha_2 if country else None


def build(wheel: Path) -> dict:
    """The world outline built from the geopandas wheel at ``wheel``. Returns the JSON-ready dict."""
    with zipfile.ZipFile(wheel) as zf:
        shp = zf.read(MEMBER + ".shp")
        dbf = zf.read(MEMBER + ".dbf")
        encoding = zf.read(MEMBER + ".cpg").decode("ascii").strip() or "utf-8"
    polygons = read_polygons(shp)
    records = read_dbf(dbf, "utf-8" if encoding.upper().replace("-", "") == "UTF8" else encoding)
    if len(polygons) != len(records):
        raise ValueError(f"{len(polygons)} shapes but {len(records)} attribute records")
    countries = []
    for rings, rec in zip(polygons, records, strict=True):
        kept = [r for r in (compact_ring(ring) for ring in rings) if r is not None]
        if not kept:
            continue
        iso_a3 = rec.get("iso_a3", "")
        countries.append(
            {
                "iso_a2": EXTRA_ALPHA2.get(rec.get("name", ""))
                or (alpha2(iso_a3) if iso_a3 and iso_a3 != "-99" else None),
                "iso_a3": iso_a3 if iso_a3 and iso_a3 != "-99" else None,
                "name": rec.get("name", ""),
                "rings": kept,
            }
        )
    countries.sort(key=lambda c: c["name"])
    return {
        "metadata": {
            "description": "Country outlines for sayso's offline HTML map: simplified Natural Earth 1:110m "
            "admin-0 countries.",
            "source": "Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries",
            "source_url": "https://www.naturalearthdata.com/",
            "source_licence": "public domain (Natural Earth terms of use)",
            "source_package": f"{SOURCE_PACKAGE}=={SOURCE_VERSION} (PyPI wheel, {MEMBER}.shp/.dbf)",
            "source_package_licence": "BSD-3-Clause (geopandas); the data itself is public domain",
            "built_by": "scripts/build_world_outline.py",
            "simplification": f"Douglas-Peucker {TOLERANCE} degrees, snapped to a 1/{SCALE} degree grid, "
            f"rings under {MIN_AREA} square degrees dropped",
            "scale": SCALE,
            "coordinates": "rings are flat lists [lon0, lat0, lon1, lat1, ...] in 1/scale degrees, open "
            "(the last point joins the first)",
            "disclaimer": "Borders as drawn by Natural Earth; they are a background, not a statement on "
            "disputed territory.",
            "countries": len(countries),
        },
        "countries": countries,
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: build the outline from the wheel given and write it. Returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path, help=f"path to the {SOURCE_PACKAGE}-{SOURCE_VERSION} wheel")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write the JSON")
    args = parser.parse_args(argv)
    if not args.wheel.is_file():
        print(f"no such wheel: {args.wheel}", file=sys.stderr)
        return 2
    outline = build(args.wheel)
    text = json.dumps(outline, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    rings = sum(len(c["rings"]) for c in outline["countries"])
    points = sum(len(r) // 2 for c in outline["countries"] for r in c["rings"])
    count = len(outline["countries"])
    print(f"wrote {args.output}: {count} countries, {rings} rings, {points} points, {len(text):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
