"""Scoring sayso's time expressions against TimeML (TempEval-3 TBAQ, the platinum test set, same format).

>>> from sayso.evaluation.timeml import evaluate_timeml
>>> scores = evaluate_timeml("../shared/data/timeml/tbaq/TimeBank")  # doctest: +SKIP
>>> scores["value"]["f1"]  # doctest: +SKIP

Reading
-------
Every ``*.tml`` file under the given folder (searched recursively, sorted by path) is one document. Its text
is the content of the ``TEXT`` element with the tags stripped (character offsets kept); its publication date
is the value of the ``TIMEX3`` with ``functionInDocument="CREATION_TIME"`` (the DCT, normally ``t0`` in the
``DCT`` element), which is never scored. The gold expressions are the ``TIMEX3`` elements inside ``TEXT``.

Metric (a port of TempEval-3's ``evaluate_entities.py``)
--------------------------------------------------------
TE3 first runs the TimeML-Normalizer, which gives a system expression the id of the gold expression it
overlaps; then, over all documents (micro-averaged):

* **relaxed** match: a system and a gold expression that overlap (share at least one non-space character),
  paired one to one (greedily, largest overlap first, then text order);
* **strict** match: a relaxed pair whose texts are equal (the same extent);
* P = matches / system expressions, R = matches / gold expressions, F1 their harmonic mean;
* **type** and **value** F1: ``(pairs with equal type (value) / relaxed pairs) * relaxed F1``, that is the
  attribute's accuracy over relaxed matches times the relaxed F1 (TE3's "Attribute F1"). A system
  expression without a value never matches a gold value.

Predictions come from the same ``sayso_times`` component ``sayso read`` uses, one parse per document, with the
DCT as ``Article.published``. Scores are percentages rounded to two decimals.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from ..errors import BadInput, InputNotFound
from ..extensions import get_times
from ..schema import Article

#: Components a time-only pipeline runs: the parse the time component reads, and the component itself.
TIME_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "sayso_times")


@dataclass(frozen=True)
class Timex:
    """One TIMEX3: character offsets into the document text, its text, TIMEX3 ``type`` and ``value``."""

    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class TimeMLDocument:
    """A TimeML file as read: ``name`` (file stem), ``text`` (TEXT content, tags stripped), ``dct``
    (YYYY-MM-DD or None) and the gold ``timexes`` in text order."""

    name: str
    text: str
    dct: str | None
    timexes: list[Timex] = field(default_factory=list)
    #: Predictions starting at or after this offset are not scored (MEANTIME annotates the first sentences).
    scored_end: int | None = None
    #: Spans whose predictions are not scored (MEANTIME's dateline DCT, which TimeML keeps out of TEXT).
    unscored: list[tuple[int, int]] = field(default_factory=list)

    def scored(self, pred: list[Timex]) -> list[Timex]:
        """The predictions of ``pred`` that fall in the annotated part of the document."""
        end = len(self.text) if self.scored_end is None else self.scored_end
        return [p for p in pred if p.start < end and not any(p.start < e and s < p.end for s, e in self.unscored)]


def _dct_value(root: ET.Element) -> str | None:
    for el in root.iter("TIMEX3"):
        if el.get("functionInDocument") == "CREATION_TIME":
            value = el.get("value") or ""
            return value[:10] if len(value) >= 10 else None
    return None


def read_tml(path: str | Path) -> TimeMLDocument:
    """Read one TimeML file.

    ``path``: a ``.tml`` file. Returns its text, DCT and gold TIMEX3s (offsets into the text).
    Raises :class:`~sayso.errors.BadInput` when the file is not well-formed XML or has no TEXT element."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, UnicodeDecodeError) as err:
        raise BadInput(f"{path}: not a readable TimeML file ({err})") from err
    text_el = root.find(".//TEXT")
    if text_el is None:
        raise BadInput(f"{path}: no TEXT element")
    parts: list[str] = []
    timexes: list[Timex] = []
    pos = 0

    def walk(el: ET.Element) -> None:
        nonlocal pos
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        if el.tag == "TIMEX3" and el is not text_el and pos > start:
            ttext = "".join(parts)[start:pos]
            timexes.append(Timex(start, pos, ttext, el.get("type", ""), el.get("value", "")))

    walk(text_el)
    timexes.sort(key=lambda t: (t.start, t.end))
    return TimeMLDocument(path.stem, "".join(parts), _dct_value(root), timexes)


def read_cat(path: str | Path) -> TimeMLDocument:
    """Read one MEANTIME CAT XML file as a :class:`TimeMLDocument`.

    ``path``: a CAT ``.xml`` file. Its text is rebuilt from the tokens
    (:func:`sayso.evaluation.meantime.read_cat_file`); the DCT is its CREATION_TIME (or the dateline's
    date); gold expressions are its text-anchored TIMEX3s. Only predictions before ``annotated_end`` (the
    title, dateline and first sentences MEANTIME annotates) and outside the dateline's DCT are scored."""
    from .meantime import read_cat_file

    cat = read_cat_file(path)
    timexes = [Timex(m.start, m.end, m.text, m.type, m.value or "") for m in cat.timexes]
    dct = cat.dct[:10] if cat.dct and len(cat.dct) >= 10 else None
    unscored = [cat.dct_span] if cat.dct_span else []
    return TimeMLDocument(Path(path).stem, cat.text, dct, timexes, cat.annotated_end, unscored)


#: Reader per format; :func:`find_documents` picks one by file extension when the format is 'auto'.
FORMATS = {"timeml": (".tml", read_tml), "meantime": (".xml", read_cat)}


def find_documents(folder: str | Path, fmt: str = "auto") -> tuple[list[Path], str]:
    """The document files under ``folder`` (recursively, sorted) and their format.

    ``fmt``: 'timeml' (``*.tml``), 'meantime' (CAT ``*.xml``) or 'auto' (TimeML when any ``.tml`` file is
    there, else MEANTIME). Raises :class:`~sayso.errors.InputNotFound` when ``folder`` does not exist and
    :class:`~sayso.errors.BadInput` when it holds no file of the format."""
    folder = Path(folder)
    if fmt not in ("auto", *FORMATS):
        raise BadInput(f"unknown format {fmt!r} (use auto, timeml or meantime)")
    if not folder.exists():
        raise InputNotFound(f"{folder}: no such folder (point --data at TimeML .tml or MEANTIME .xml files)")
    formats = list(FORMATS) if fmt == "auto" else [fmt]
    for name in formats:
        ext = FORMATS[name][0]
        files = ([folder] if folder.suffix == ext else []) if folder.is_file() else sorted(folder.rglob(f"*{ext}"))
        if files:
            return files, name
    wanted = " or ".join(FORMATS[n][0] for n in formats)
    raise BadInput(f"{folder}: no {wanted} files found")


def find_tml(folder: str | Path) -> list[Path]:
    """The ``*.tml`` files under ``folder`` (recursively, sorted).

    Raises :class:`~sayso.errors.InputNotFound` when ``folder`` does not exist and
    :class:`~sayso.errors.BadInput` when it holds no ``.tml`` file."""
    return find_documents(folder, "timeml")[0]


# --------------------------------------------------------------------------------------------------
# The TE3 metric


def _chars(t: Timex) -> set[int]:
    return {i for i, ch in zip(range(t.start, t.end), t.text, strict=False) if not ch.isspace()}


def match_relaxed(pred: list[Timex], gold: list[Timex]) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index) of overlapping expressions, largest overlap first.

    ``pred``, ``gold``: expressions of one document. Returns the pairs in gold order."""
    gchars = [_chars(g) for g in gold]
    cands: list[tuple[int, int, int]] = []
    for i, p in enumerate(pred):
        pc = _chars(p)
        for j, g in enumerate(gold):
            if p.start < g.end and g.start < p.end:
                shared = len(pc & gchars[j])
                if shared:
                    cands.append((-shared, i, j))
    cands.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return sorted(pairs, key=lambda ij: ij[1])


@dataclass
class Counts:
    """Running totals over documents: expressions, relaxed and strict matches, equal types and values."""

    pred: int = 0
    gold: int = 0
    relaxed: int = 0
    strict: int = 0
    type: int = 0
    value: int = 0

    def add(self, other: Counts) -> None:
        """Add ``other``'s totals to these."""
        for k, v in asdict(other).items():
            setattr(self, k, getattr(self, k) + v)


def score_document(pred: list[Timex], gold: list[Timex]) -> tuple[Counts, list[dict[str, Any]]]:
    """Compare one document's predicted and gold expressions.

    Returns the counts and a list of error records (dicts with ``kind``: 'missed', 'spurious', 'extent',
    'type', 'value'; and the gold/predicted text, type and value)."""
    pairs = match_relaxed(pred, gold)
    c = Counts(pred=len(pred), gold=len(gold), relaxed=len(pairs))
    errors: list[dict[str, Any]] = []
    for i, j in pairs:
        p, g = pred[i], gold[j]
        rec = {"gold": g.text, "pred": p.text, "gtype": g.type, "ptype": p.type, "gvalue": g.value}
        rec |= {"pvalue": p.value, "start": g.start}
        if p.text == g.text:
            c.strict += 1
        else:
            errors.append({"kind": "extent", **rec})
        if p.type == g.type:
            c.type += 1
        else:
            errors.append({"kind": "type", **rec})
        if p.value == g.value:
            c.value += 1
        else:
            errors.append({"kind": "value", **rec})
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    for j, g in enumerate(gold):
        if j not in matched_g:
            errors.append({"kind": "missed", "gold": g.text, "gtype": g.type, "gvalue": g.value, "start": g.start})
    for i, p in enumerate(pred):
        if i not in matched_p:
            errors.append({"kind": "spurious", "pred": p.text, "ptype": p.type, "pvalue": p.value, "start": p.start})
    return c, errors


def _prf(match: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = match / pred if pred else 0.0
    r = match / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def scores(c: Counts) -> dict[str, Any]:
    """TE3 scores from totals: ``{"strict": {p, r, f1}, "relaxed": {p, r, f1}, "type": {f1, accuracy},
    "value": {f1, accuracy}}`` in percent, two decimals."""
    sp, sr, sf = _prf(c.strict, c.pred, c.gold)
    rp, rr, rf = _prf(c.relaxed, c.pred, c.gold)

    def pct(x: float) -> float:
        return round(100 * x, 2)

    out: dict[str, Any] = {
        "strict": {"p": pct(sp), "r": pct(sr), "f1": pct(sf)},
        "relaxed": {"p": pct(rp), "r": pct(rr), "f1": pct(rf)},
    }
    for attr in ("type", "value"):
        acc = getattr(c, attr) / c.relaxed if c.relaxed else 0.0
        out[attr] = {"f1": pct(acc * rf), "accuracy": pct(acc)}
    return out


# --------------------------------------------------------------------------------------------------
# Predicting


def time_pipeline() -> Language:
    """The English model with only what the time component needs, plus ``sayso_times`` itself."""
    from ..pipeline import _register_factories, load_base_model

    _register_factories()
    nlp = load_base_model()
    nlp.add_pipe("sayso_times", last=True)
    return nlp


def predict(doc: TimeMLDocument, nlp: Language) -> list[Timex]:
    """sayso's time expressions in ``doc.text`` with ``doc.dct`` as publication date (one parse).

    ``nlp``: a pipeline holding ``sayso_times``; components it does not need are disabled."""
    disable = [n for n in nlp.pipe_names if n not in TIME_COMPONENTS]
    sdoc = nlp.make_doc(doc.text)
    sdoc._.sayso_article = Article(text=doc.text, published=doc.dct)
    with nlp.select_pipes(disable=disable):
        sdoc = nlp(sdoc)
    return [Timex(t.start, t.end, t.text, t.type, t.value or "") for t in get_times(sdoc)]


def evaluate_timeml(
    data: str | Path,
    nlp: Language | None = None,
    limit: int | None = None,
    errors_path: str | Path | None = None,
    progress: bool = False,
    predictor: Callable[[TimeMLDocument], list[Timex]] | None = None,
    fmt: str = "auto",
) -> dict[str, Any]:
    """Score sayso's time expressions on every TimeML ``.tml`` (or MEANTIME CAT ``.xml``) file under ``data``.

    ``data``: a folder (searched recursively) or one file; ``nlp``: the pipeline (default: the model plus
    ``sayso_times``); ``limit``: score only the first N files; ``errors_path``: write each error as a JSON
    line there; ``progress``: show a progress bar on stderr; ``predictor``: replaces the pipeline (tests);
    ``fmt``: 'auto', 'timeml' or 'meantime' (see :func:`find_documents`).
    Returns :func:`scores` plus ``format``, ``documents``, ``gold``, ``pred`` and ``seconds``."""
    files, fmt = find_documents(data, fmt)
    files = files[:limit] if limit else files
    reader = FORMATS[fmt][1]
    if predictor is None:
        model = nlp or time_pipeline()

        def predictor(d: TimeMLDocument) -> list[Timex]:
            return predict(d, model)

    total = Counts()
    t0 = time.perf_counter()
    err_out = open(errors_path, "w", encoding="utf-8") if errors_path else None
    try:
        for path in _progress(files, progress):
            doc = reader(path)
            counts, errors = score_document(doc.scored(predictor(doc)), doc.timexes)
            total.add(counts)
            if err_out is not None:
                for e in errors:
                    ctx = doc.text[max(0, e["start"] - 60) : e["start"] + 60].replace("\n", " ")
                    err_out.write(json.dumps({"doc": doc.name, "dct": doc.dct, **e, "context": ctx}) + "\n")
    finally:
        if err_out is not None:
            err_out.close()
    result = scores(total)
    result |= {"format": fmt, "documents": len(files), "gold": total.gold, "pred": total.pred}
    result["seconds"] = round(time.perf_counter() - t0, 1)
    return result


def _progress(files: list[Path], show: bool) -> Iterable[Path]:
    if not show:
        yield from files
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("TimeML", total=len(files))
        for f in files:
            yield f
            bar.advance(task)
