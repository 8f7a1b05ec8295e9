"""An offline gazetteer of countries, first-level regions and populated places.

The data is one SQLite file shipped with the package (``sayso/data/gazetteer.sqlite``, built by
``scripts/build_gazetteer.py`` from GeoNames data re-published on PyPI). It is opened read-only on
first use and cached, so importing this module costs nothing.

>>> from sayso.gazetteer import load_gazetteer
>>> [e.feature for e in load_gazetteer().lookup("Russia’s")]
['country']
"""

from __future__ import annotations

import os
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from .errors import MissingResource

Feature = Literal["continent", "country", "admin1", "admin2", "city"]

#: Words that, after a name, mark a first-level region: "Kharkiv Oblast", "Donetsk region".
REGION_WORDS = frozenset(
    {
        "region",
        "oblast",
        "province",
        "state",
        "krai",
        "kray",
        "territory",
        "governorate",
        "prefecture",
        "voivodeship",
        "canton",
        "emirate",
    }
)

#: Coordinates are stored as integers in units of 1 / COORD_SCALE degrees (about 1 m).
COORD_SCALE = 100_000

_FEATURE_RANK = {"continent": -1, "country": 0, "admin1": 1, "admin2": 2, "city": 3}

# Letters that Unicode decomposition leaves alone.
_FOLD = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ß": "ss",
        "ʻ": "",
        "ʼ": "",
        "’": "",
        "‘": "",
        "'": "",
        "`": "",
        "´": "",
        "ʹ": "",
        ".": "",
        "-": " ",
        "‐": " ",
        "‑": " ",
        "–": " ",
        "—": " ",
        ",": " ",
        "(": " ",
        ")": " ",
    }
)
_POSSESSIVE = re.compile(r"(?:['’ʼ`´]s|s['’ʼ`´])$", re.IGNORECASE)
_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)


def normalize(name: str) -> str:
    """The lookup key of a name: case, diacritics, apostrophes, dots and hyphens folded away.

    ``name``: any spelling ("Kharkiv", "KHARKIV", "Vovchans’k", "Ivano-Frankivsk", "U.S.").
    Returns a lower-case ASCII-ish key with single spaces ("kharkiv", "vovchansk", "ivano frankivsk", "us").
    """
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.translate(_FOLD).split())


#: Demonyms and country adjectives, comma-separated per ISO alpha-2 code. Used only to resolve spans that a
#: gold standard marks as toponyms ("Turkish" -> Turkey): the place tagger never tags a demonym as a place.
_DEMONYMS_BY_COUNTRY = {
    "AF": "afghan,afghani,afghans", "AL": "albanian,albanians", "DZ": "algerian,algerians", "AO": "angolan",
    "AR": "argentine,argentinian,argentinians,argentines", "AM": "armenian,armenians",
    "AU": "australian,australians,aussie", "AT": "austrian,austrians", "AZ": "azerbaijani,azeri,azeris",
    "BH": "bahraini", "BD": "bangladeshi,bangladeshis", "BY": "belarusian,belarusians",
    "BE": "belgian,belgians", "BO": "bolivian", "BA": "bosnian,bosnians", "BR": "brazilian,brazilians",
    "GB": "british,briton,britons,english,scottish,welsh,scots", "BG": "bulgarian,bulgarians",
    "MM": "burmese", "KH": "cambodian", "CM": "cameroonian", "CA": "canadian,canadians",
    "CL": "chilean,chileans", "CN": "chinese", "CO": "colombian,colombians", "CD": "congolese",
    "HR": "croatian,croat,croats", "CU": "cuban,cubans", "CY": "cypriot,cypriots", "CZ": "czech,czechs",
    "DK": "danish,dane,danes", "DO": "dominican", "NL": "dutch", "EC": "ecuadorian",
    "EG": "egyptian,egyptians", "SV": "salvadoran", "ER": "eritrean,eritreans", "EE": "estonian",
    "ET": "ethiopian,ethiopians", "FI": "finnish,finn,finns", "FR": "french,frenchman,frenchmen",
    "GE": "georgian,georgians", "DE": "german,germans", "GH": "ghanaian,ghanaians", "GR": "greek,greeks",
    "GT": "guatemalan", "HT": "haitian,haitians", "HN": "honduran", "HU": "hungarian,hungarians",
    "IS": "icelandic", "IN": "indian,indians", "ID": "indonesian,indonesians",
    "IR": "iranian,iranians,persian", "IQ": "iraqi,iraqis", "IE": "irish", "IL": "israeli,israelis",
    "IT": "italian,italians", "JM": "jamaican,jamaicans", "JP": "japanese", "JO": "jordanian,jordanians",
    "KZ": "kazakh,kazakhstani", "KE": "kenyan,kenyans", "KP": "north korean,north koreans",
    "KR": "south korean,south koreans,korean,koreans", "KW": "kuwaiti,kuwaitis", "KG": "kyrgyz",
    "LA": "lao,laotian", "LV": "latvian", "LB": "lebanese", "LY": "libyan,libyans", "LT": "lithuanian",
    "MK": "macedonian", "MY": "malaysian,malaysians", "ML": "malian", "MT": "maltese",
    "MX": "mexican,mexicans", "MD": "moldovan", "MN": "mongolian", "ME": "montenegrin",
    "MA": "moroccan,moroccans", "MZ": "mozambican", "NP": "nepalese,nepali", "NZ": "new zealander,kiwi",
    "NI": "nicaraguan", "NE": "nigerien", "NG": "nigerian,nigerians", "NO": "norwegian,norwegians",
    "OM": "omani", "PK": "pakistani,pakistanis", "PS": "palestinian,palestinians", "PA": "panamanian",
    "PY": "paraguayan", "PE": "peruvian,peruvians", "PH": "filipino,filipinos,philippine",
    "PL": "polish,pole,poles", "PT": "portuguese", "QA": "qatari,qataris", "RO": "romanian,romanians",
    "RU": "russian,russians", "RW": "rwandan,rwandans", "SA": "saudi,saudis", "SN": "senegalese",
    "RS": "serbian,serb,serbs", "SG": "singaporean", "SK": "slovak,slovakian", "SI": "slovenian,slovene",
    "SO": "somali,somalis", "ZA": "south african,south africans", "SS": "south sudanese",
    "ES": "spanish,spaniard,spaniards", "LK": "sri lankan", "SD": "sudanese", "SE": "swedish,swede,swedes",
    "CH": "swiss", "SY": "syrian,syrians", "TW": "taiwanese", "TJ": "tajik", "TZ": "tanzanian",
    "TH": "thai", "TN": "tunisian,tunisians", "TR": "turkish,turk,turks", "TM": "turkmen",
    "UG": "ugandan,ugandans", "UA": "ukrainian,ukrainians", "AE": "emirati", "US": "american,americans",
    "UY": "uruguayan", "UZ": "uzbek", "VE": "venezuelan,venezuelans", "VN": "vietnamese",
    "YE": "yemeni,yemenis", "ZM": "zambian", "ZW": "zimbabwean,zimbabweans",
}  # fmt: skip
#: Adjectives of continents -> the continent's name.
CONTINENT_DEMONYMS = {"european": "Europe", "african": "Africa", "asian": "Asia", "south american": "South America",
                      "north american": "North America", "latin american": "South America",
                      "central american": "Central America", "southeast asian": "Southeast Asia",
                      "south east asian": "Southeast Asia", "middle eastern": "Middle East",
                      "caribbean": "Caribbean", "east asian": "Eastern Asia", "south asian": "Southern Asia",
                      "west african": "Western Africa", "east african": "Eastern Africa",
                      "north african": "Northern Africa"}  # fmt: skip
#: Demonym (normalised) -> ISO alpha-2 code.
DEMONYMS: dict[str, str] = {w: cc for cc, words in _DEMONYMS_BY_COUNTRY.items() for w in words.split(",")}


#: Abbreviations of US states and Canadian provinces in news style ("Lafayette, Ind.", "Surrey, B.C.") ->
#: (country, region name). Keys are the text with its dots. Postal codes are added for Canada's provinces
#: only when they cannot be an English word.
REGION_ABBREVIATIONS: dict[str, tuple[str, str]] = {
    **{k: ("US", v) for k, v in {
        "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California", "Cal.": "California",
        "Colo.": "Colorado", "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida", "Ga.": "Georgia",
        "Ill.": "Illinois", "Ind.": "Indiana", "Kan.": "Kansas", "Kans.": "Kansas", "Ky.": "Kentucky",
        "La.": "Louisiana", "Md.": "Maryland", "Mass.": "Massachusetts", "Mich.": "Michigan",
        "Minn.": "Minnesota", "Miss.": "Mississippi", "Mo.": "Missouri", "Mont.": "Montana",
        "Neb.": "Nebraska", "Nebr.": "Nebraska", "Nev.": "Nevada", "N.H.": "New Hampshire",
        "N.J.": "New Jersey", "N.M.": "New Mexico", "N.Y.": "New York", "N.C.": "North Carolina",
        "N.D.": "North Dakota", "Okla.": "Oklahoma", "Ore.": "Oregon", "Oreg.": "Oregon", "Pa.": "Pennsylvania",
        "R.I.": "Rhode Island", "S.C.": "South Carolina", "S.D.": "South Dakota", "Tenn.": "Tennessee",
        "Tex.": "Texas", "Vt.": "Vermont", "Va.": "Virginia", "Wash.": "Washington", "W.Va.": "West Virginia",
        "W. Va.": "West Virginia", "Wis.": "Wisconsin", "Wisc.": "Wisconsin", "Wyo.": "Wyoming",
        "D.C.": "Washington, D.C.",
    }.items()},
    **{k: ("CA", v) for k, v in {
        "B.C.": "British Columbia", "BC": "British Columbia", "Alta.": "Alberta", "Sask.": "Saskatchewan",
        "Man.": "Manitoba", "Ont.": "Ontario", "Que.": "Quebec", "N.S.": "Nova Scotia", "N.B.": "New Brunswick",
        "Nfld.": "Newfoundland and Labrador", "P.E.I.": "Prince Edward Island", "PEI": "Prince Edward Island",
    }.items()},
}  # fmt: skip


def demonym_continent(word: str) -> str | None:
    """The name of the continent an adjective names ("European" -> "Europe"), or None; ``word``: the text."""
    return CONTINENT_DEMONYMS.get(normalize(_POSSESSIVE.sub("", word.strip())))


def demonym_country(word: str) -> str | None:
    """The ISO alpha-2 code of the country a demonym or country adjective names ("Turkish" -> "TR", "U.S."
    is not a demonym: None); ``word``: the text, any case, possibly possessive."""
    key = normalize(_POSSESSIVE.sub("", word.strip()))
    return DEMONYMS.get(key)


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entry.

    ``name``: canonical English name; ``feature``: 'continent', 'country', 'admin1' (first-level region),
    'admin2' (second-level region: a county, "Black Hawk County", "Essex") or 'city' (any populated place);
    ``country``: ISO 3166-1 alpha-2 code ("" for a continent);
    ``lat``/``lon``: WGS84 degrees (countries: the GeoNames point or the centre of their places' bounding
    box; first-level regions: halfway between the centre of their places' bounding box and the centroid of
    their polygon; counties: the centre of their places' bounding box); ``geonameid``: GeoNames id or None;
    ``population``: GeoNames population (for regions, the sum over their places); ``admin1``: the GeoNames
    first-level code of the region the entry lies in (None for countries); ``capital``: True for a
    country's capital city.
    """

    id: int
    name: str
    feature: Feature
    country: str
    lat: float
    lon: float
    geonameid: int | None
    population: int
    admin1: str | None
    capital: bool = False


def _default_path() -> Path:
    return Path(str(resources.files("sayso").joinpath("data", "gazetteer.sqlite")))


class Gazetteer:
    """Read-only access to the gazetteer file.

    ``path``: the SQLite file; defaults to the one shipped with the package.
    Raises :class:`~sayso.errors.MissingResource` when the file is absent.

    Each process opens its own connection (a forked worker of ``nlp.pipe(texts, n_process=2)`` does not
    share its parent's), and a pickled Gazetteer carries no connection."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else _default_path()
        if not self.path.is_file():
            raise MissingResource(f"gazetteer not found at {self.path}: run 'python scripts/build_gazetteer.py'")
        self._conn: sqlite3.Connection | None = None
        self._conn_pid = 0
        self._cache: dict[str, list[Entry]] = {}
        self._admin1: dict[tuple[str, str], Entry] | None = None
        self._countries: dict[str, Entry] | None = None

    @property
    def _db(self) -> sqlite3.Connection:
        """This process's read-only connection, opened on first use."""
        if self._conn is None or self._conn_pid != os.getpid():
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._conn_pid = os.getpid()
        return self._conn

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_conn": None, "_conn_pid": 0}

    # -- raw access ---------------------------------------------------------------------------------

    def _by_key(self, key: str) -> list[Entry]:
        hit = self._cache.get(key)
        if hit is None:
            rows = self._db.execute(
                "SELECT e.id, e.name, e.feature, e.country, e.lat, e.lon, e.geonameid, e.population, "
                "e.admin1, e.capital FROM names n JOIN entries e ON e.id = n.entry WHERE n.key = ?",
                (key,),
            ).fetchall()
            hit = sorted((_entry(r) for r in rows), key=_order)
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[key] = hit
        return hit

    def _feature_entries(self, feature: str) -> list[Entry]:
        rows = self._db.execute(
            "SELECT id, name, feature, country, lat, lon, geonameid, population, admin1, capital "
            "FROM entries WHERE feature = ?",
            (feature,),
        ).fetchall()
        return [_entry(r) for r in rows]

    # -- public API ---------------------------------------------------------------------------------

    def has_key(self, key: str) -> bool:
        """Whether the normalised ``key`` (see :func:`normalize`) names any entry."""
        return bool(self._by_key(key))

    def lookup(self, name: str, *, feature: Feature | None = None, country: str | None = None) -> list[Entry]:
        """Entries that ``name`` may refer to, most populous first within countries, regions, cities.

        ``name``: a place name in any case, with or without diacritics, a possessive ("Russia’s"), a
        leading "the" or a region word ("Kharkiv Oblast", "Donetsk region": regions only).
        ``feature``: keep only entries of this kind; ``country``: keep only this ISO alpha-2 country.
        Returns a possibly empty list of :class:`Entry`."""
        found = self._lookup(name.strip())
        if feature is not None:
            found = [e for e in found if e.feature == feature]
        if country is not None:
            found = [e for e in found if e.country == country.upper()]
        return found

    def _lookup(self, name: str) -> list[Entry]:
        key = normalize(name)
        if not key:
            return []
        hit = self._by_key(key)
        if hit:
            return hit
        if _POSSESSIVE.search(name):
            stripped = _POSSESSIVE.sub("", name)
            if stripped.strip():
                return self._lookup(stripped)
        if _ARTICLE.match(name):
            return self._lookup(_ARTICLE.sub("", name))
        words = key.split()
        if len(words) > 1 and words[-1] in REGION_WORDS:
            return self.regions(" ".join(words[:-1]))
        return []

    def regions(self, name: str, country: str | None = None) -> list[Entry]:
        """First-level regions called ``name`` ("Kharkiv", "Bavaria"), or, when none is, the regions of
        the places called so ("Kharkov" -> Kharkiv Oblast). ``country``: restrict to this alpha-2 code.
        Returns entries ordered by population."""
        found = self.lookup(name, feature="admin1", country=country)
        if found:
            return found
        seen: dict[int, Entry] = {}
        for city in self.lookup(name, feature="city", country=country):
            region = self.admin1_of(city)
            if region is not None and region.id not in seen:
                seen[region.id] = region
        return list(seen.values())

    def admin1_of(self, entry: Entry) -> Entry | None:
        """The first-level region ``entry`` lies in, or None when unknown."""
        if entry.admin1 is None:
            return None
        if self._admin1 is None:
            self._admin1 = {(e.country, e.admin1 or ""): e for e in self._feature_entries("admin1")}
        return self._admin1.get((entry.country, entry.admin1))

    def abbreviation(self, text: str) -> Entry | None:
        """The region a news-style abbreviation names ("Ind." -> Indiana, "B.C." -> British Columbia), or None.

        ``text``: the abbreviation with its dots, as written."""
        hit = REGION_ABBREVIATIONS.get(text.strip())
        if hit is None:
            return None
        found = self.lookup(hit[1], feature="admin1", country=hit[0])
        return found[0] if found else None

    def country(self, code: str) -> Entry | None:
        """The country entry for ISO alpha-2 ``code``, or None."""
        if self._countries is None:
            self._countries = {e.country: e for e in self._feature_entries("country")}
        return self._countries.get(code.upper())

    def counts(self) -> dict[str, int]:
        """Number of entries per feature and of distinct lookup keys."""
        out = dict(self._db.execute("SELECT feature, COUNT(*) FROM entries GROUP BY feature").fetchall())
        out["names"] = self._db.execute("SELECT COUNT(*) FROM names").fetchone()[0]
        return out


def _entry(row: tuple) -> Entry:
    return Entry(
        id=row[0],
        name=row[1],
        feature=row[2],
        country=row[3],
        lat=row[4] / COORD_SCALE,
        lon=row[5] / COORD_SCALE,
        geonameid=row[6],
        population=row[7] or 0,
        admin1=row[8],
        capital=bool(row[9]),
    )


def _order(e: Entry) -> tuple[int, int, int]:
    return (_FEATURE_RANK[e.feature], -e.population, e.id)


@lru_cache(maxsize=4)
def load_gazetteer(path: str | None = None) -> Gazetteer:
    """The cached :class:`Gazetteer` for ``path`` (default: the shipped file)."""
    return Gazetteer(path)
