"""Reading the NewsReader MEANTIME corpus (CAT XML) and scoring sayso's quantities on its VALUE markables.

MEANTIME (Minard et al. 2016) ships one CAT XML file per Wikinews article: ``<token t_id sentence number>``
elements, then ``<Markables>`` whose spans are lists of ``<token_anchor t_id>``. :func:`read_meantime`
rebuilds a plain text from the tokens, keeping a character offset per token, and returns each document's
DCT (the TIMEX3 with ``functionInDocument="CREATION_TIME"``), its text-anchored TIMEX3 (char span, type,
value) and its VALUE markables (char span, type MONEY/PERCENT/QUANTITY, text).

Text reconstruction: sentence 0 (the title) and sentence 1 (the dateline) each end with a newline, the
body follows with a blank line before it; tokens of a sentence are joined by one space, except before
closing punctuation (``, . ; : ! ? ) ] } % 's n't ''``), after opening punctuation (``( [ { $ US$ # £ € ```` ``)
and inside double quotes (the first ``"`` opens, the next closes). Token forms are kept as they are
(MEANTIME writes quotes as ```` `` ```` and ``''``), so ``text[start:end]`` of a token is its form.
Sentences of the body are joined by one space.

Scoring (:func:`evaluate_meantime_values`), in percent. MEANTIME annotates only the title, the dateline
and the first sentences of each article (sentences 0-5; :attr:`CatDocument.annotated_end`): the pipeline
reads the whole text once, and only predictions starting inside the annotated part are scored.

* **extent**: a predicted quantity matches a gold VALUE of the same document when their character spans
  overlap (relaxed) or are equal (strict); each gold and each prediction is used at most once (greedy,
  by largest overlap). ``extent`` in the result is the relaxed score, ``extent_strict`` the strict one.
* **value**: among relaxed extent matches, the predicted number (or, for a range, its upper end: MEANTIME
  splits '20 to 25 percent' in two) must equal the gold number. MEANTIME's
  VALUE markables carry **no normalised value** (only ``type``), so the gold number is derived from the
  gold text with sayso's own number reader (:func:`gold_number`), a sanity check, not an independent
  gold: gold VALUEs whose text holds no readable number ('dozens of', 'a few') stay in the recall base
  and can never match. Precision and recall use all predictions / all golds as denominators.
* **type**: among relaxed extent matches, the type must agree: our ``kind`` ``money`` -> MONEY,
  ``percent`` -> PERCENT, anything else (count, measure) -> QUANTITY. ``by_type`` gives relaxed extent
  P/R/F1 per gold type, where a prediction counts for the type its kind maps to, and a match needs the
  same type.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BadInput, InputNotFound

#: MEANTIME annotates the title (sentence 0), the dateline (1) and the next sentences up to number 5.
ANNOTATED_SENTENCES = 6

#: Gold VALUE types, in table order.
VALUE_TYPES = ("QUANTITY", "MONEY", "PERCENT")

_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'", "n't", "'re", "'ve", "'ll", "'d",
                    "'m", "...", "'S", "''"}  # fmt: skip
_NO_SPACE_AFTER = {"(", "[", "{", "$", "US$", "AU$", "#", "£", "€", "C$", "A$", "``"}


@dataclass
class CatMarkable:
    """One text-anchored markable: ``text[start:end]`` of its document.

    ``m_id``: the markable id; ``tag``: 'TIMEX3' or 'VALUE'; ``type``: TIMEX3 type (DATE, TIME, DURATION,
    SET) or VALUE type (MONEY, PERCENT, QUANTITY); ``value``: the TIMEX3 value (None for VALUE, which has
    none in MEANTIME); ``function``: TIMEX3 ``functionInDocument``."""

    m_id: str
    tag: str
    start: int
    end: int
    text: str
    type: str
    value: str | None = None
    function: str | None = None


@dataclass
class CatDocument:
    """One MEANTIME article.

    ``doc_id``, ``url``, ``name``: from ``<Document>``; ``text``: rebuilt from the tokens;
    ``tokens``: (t_id, sentence, start, end) per token in order; ``dct``: the creation time value
    (YYYY-MM-DD) or None; ``dct_span``: its char span in the dateline; ``dct_annotated``: False when no
    CREATION_TIME is annotated and ``dct`` was read from the dateline (sentence 1) instead; ``timexes``:
    text-anchored TIMEX3 other than the DCT; ``values``: VALUE markables; ``annotated_end``: char offset
    where the annotated part ends (MEANTIME annotates the title and the first sentences only: the end of
    the last sentence any markable touches, and at least sentence 5)."""

    doc_id: str
    url: str | None
    name: str
    text: str
    tokens: list[tuple[str, int, int, int]] = field(default_factory=list)
    dct: str | None = None
    dct_span: tuple[int, int] | None = None
    dct_annotated: bool = True
    timexes: list[CatMarkable] = field(default_factory=list)
    values: list[CatMarkable] = field(default_factory=list)
    annotated_end: int = 0


def build_text(tokens: Iterable[tuple[str, int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """Join ``tokens`` ((t_id, sentence, form) in order) into one text.

    Returns the text and a (start, end) char span per token (see the module docstring for the spacing)."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    prev_sent: int | None = None
    prev_form: str | None = None
    in_quote = False
    for _, sent, form in tokens:
        if prev_sent is None:
            sep = ""
        elif sent != prev_sent:
            sep = "\n" if prev_sent == 0 else ("\n\n" if prev_sent == 1 else " ")
            in_quote = False if sent <= 2 else in_quote
        elif form in _NO_SPACE_BEFORE or (form == '"' and in_quote):
            sep = ""
        elif prev_form in _NO_SPACE_AFTER or (prev_form == '"' and in_quote):
            sep = ""
        else:
            sep = " "
        if form == '"':
            in_quote = not in_quote
        parts.append(sep)
        pos += len(sep)
        parts.append(form)
        spans.append((pos, pos + len(form)))
        pos += len(form)
        prev_sent, prev_form = sent, form
    return "".join(parts), spans


def read_cat_file(path: str | Path) -> CatDocument:
    """Read one CAT XML file into a :class:`CatDocument`. ``path``: the .xml file.

    Raises :class:`~sayso.errors.BadInput` when the file is not CAT XML."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise BadInput(f"{path}: not XML ({err})") from err
    if root.tag != "Document":
        raise BadInput(f"{path}: not a CAT document (root <{root.tag}>)")
    raw = [(t.get("t_id", ""), int(t.get("sentence", "0")), (t.text or "").strip()) for t in root.iter("token")]
    text, spans = build_text(raw)
    by_id = {tid: i for i, (tid, _, _) in enumerate(raw)}
    doc = CatDocument(
        doc_id=root.get("doc_id", path.stem),
        url=root.get("url"),
        name=root.get("doc_name", path.stem),
        text=text,
        tokens=[(tid, sent, s, e) for (tid, sent, _), (s, e) in zip(raw, spans, strict=True)],
    )
    markables = root.find("Markables")
    sents = [sent for _, sent, _ in raw]
    anchored = [by_id[a.get("t_id")] for a in root.iter("token_anchor") if a.get("t_id") in by_id]
    last_sent = max([ANNOTATED_SENTENCES - 1, *(sents[i] for i in anchored)])
    ends = [spans[i][1] for i, s in enumerate(sents) if s <= last_sent]
    doc.annotated_end = max(ends) if ends else 0
    for el in markables if markables is not None else []:
        if el.tag not in ("TIMEX3", "VALUE"):
            continue
        idx = sorted(by_id[a.get("t_id")] for a in el.iter("token_anchor") if a.get("t_id") in by_id)
        function = el.get("functionInDocument")
        if el.tag == "TIMEX3" and function == "CREATION_TIME":
            doc.dct = el.get("value")
            if doc.dct and idx:
                doc.dct = normalise_dct(doc.dct, text[spans[idx[0]][0] : spans[idx[-1]][1]])
            if idx:
                doc.dct_span = (spans[idx[0]][0], spans[idx[-1]][1])
            continue
        if not idx:  # non-anchored helper timex (TAG_DESCRIPTOR): no text
            continue
        start, end = spans[idx[0]][0], spans[idx[-1]][1]
        m = CatMarkable(
            m_id=el.get("m_id", ""),
            tag=el.tag,
            start=start,
            end=end,
            text=text[start:end],
            type=el.get("type", ""),
            value=el.get("value") if el.tag == "TIMEX3" else None,
            function=function,
        )
        (doc.timexes if el.tag == "TIMEX3" else doc.values).append(m)
    if doc.dct is None:
        dateline = " ".join(form for _, sent, form in raw if sent == 1)
        doc.dct = _dateline_date(dateline)
        doc.dct_annotated = False
    doc.timexes.sort(key=lambda m: (m.start, m.end))
    doc.values.sort(key=lambda m: (m.start, m.end))
    return doc


_MONTHS = ("january february march april may june july august september october november december").split()


def _dateline_date(text: str) -> str | None:
    """YYYY-MM-DD from a dateline such as 'March 01 , 2008', or None."""
    m = re.search(r"\b([A-Za-z]+)\s+(\d{1,2})\s*,?\s*(\d{4})\b", text)
    if m and m.group(1).lower() in _MONTHS:
        return f"{m.group(3)}-{_MONTHS.index(m.group(1).lower()) + 1:02d}-{int(m.group(2)):02d}"
    return None


def normalise_dct(value: str, text: str) -> str:
    """The creation time ``value`` as YYYY-MM-DD: kept when already so; a 'DD-MM-YYYY' or 'MM-DD-YYYY'
    value (one MEANTIME file has '03-02-2009') is read the way that agrees with its dateline ``text``."""
    m = re.fullmatch(r"(\d\d)-(\d\d)-(\d{4})", value)
    if not m:
        return value
    from_text = _dateline_date(text)
    day_first = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    month_first = f"{m.group(3)}-{m.group(1)}-{m.group(2)}"
    return month_first if from_text == month_first else day_first


def read_meantime(path: str | Path) -> list[CatDocument]:
    """Read every CAT XML file under ``path`` (a folder searched recursively, or one .xml file).

    Returns the documents sorted by file path. Raises :class:`~sayso.errors.InputNotFound` (exit 3) when
    ``path`` does not exist and :class:`~sayso.errors.BadInput` (exit 4) when it holds no .xml files."""
    path = Path(path)
    if not path.exists():
        raise InputNotFound(f"MEANTIME data not found: {path}")
    files = [path] if path.is_file() else sorted(path.rglob("*.xml"))
    if not files:
        raise BadInput(f"{path} holds no CAT .xml documents")
    return [read_cat_file(f) for f in files]


def default_meantime_dir(data: str | Path) -> Path:
    """The MEANTIME intra-document folder under a data root ``data`` (e.g. ``../shared/data``), or ``data``
    itself when it is already a folder of CAT files."""
    data = Path(data)
    for sub in ("timeml/meantime-en/intra-doc_annotation", "meantime-en/intra-doc_annotation",
                "intra-doc_annotation"):  # fmt: skip
        if (data / sub).is_dir():
            return data / sub
    return data


# ------------------------------------------------------------------------------------------------ scoring

_NUMBER_WORDS = sorted(
    "zero a one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
    "million billion trillion dozen score half".split(),
    key=len,
    reverse=True,
)
_WORD = rf"(?:{'|'.join(_NUMBER_WORDS)})"
_GOLD_NUMBER = re.compile(
    r"\d[\d,]*(?:\.\d+)?(?:\s*(?:hundred|thousand|million|billion|trillion|bn|mn|m|k)\b)?"
    rf"|\b{_WORD}(?:[\s-]+{_WORD})*\b",
    re.IGNORECASE,
)


def gold_number(text: str) -> float | None:
    """The first number in a gold VALUE text, read with sayso's number reader ('US$ 40 billion' -> 4e10,
    'twenty' -> 20, '5.3%' -> 5.3, '26 cents' -> 0.26 as dollars), or None when it holds no readable
    number."""
    from ..numbers import VAGUE_PLURALS, parse_number

    for m in _GOLD_NUMBER.finditer(text):
        chunk = m.group(0).strip(" -")
        if not chunk or chunk.lower() in ("a", "an"):
            continue
        value = parse_number(chunk)
        if value is not None:
            if text[max(0, m.start() - 1) : m.start()] == "-" and not text[: m.start() - 1].rstrip()[-1:].isdigit():
                value = -value
            if re.match(r"\s*cents?\b", text[m.end() :], re.IGNORECASE):
                value /= 100
            return value
    low = text.lower()
    for word, value in sorted(VAGUE_PLURALS.items(), key=lambda kv: -len(kv[0])):
        if word in low:
            return value
    return None


def kind_type(kind: str | None) -> str:
    """The MEANTIME VALUE type for a sayso quantity ``kind``: money -> MONEY, percent -> PERCENT, else
    QUANTITY."""
    return {"money": "MONEY", "percent": "PERCENT"}.get(kind or "", "QUANTITY")


def prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> dict[str, float | int]:
    """Precision, recall and F1 in percent (one decimal). ``tp_p``: matched predictions, ``n_pred``: all
    predictions, ``tp_g``: matched golds, ``n_gold``: all golds."""
    p = 100.0 * tp_p / n_pred if n_pred else 0.0
    r = 100.0 * tp_g / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 1), "r": round(r, 1), "f1": round(f, 1), "pred": n_pred, "gold": n_gold}


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def align(pred: list[tuple[int, int]], gold: list[tuple[int, int]], strict: bool = False) -> list[tuple[int, int]]:
    """One-to-one (pred index, gold index) pairs of overlapping (``strict``: equal) spans, greedily by
    overlap over union (so an exact match wins over a longer gold holding it).
    ``pred``, ``gold``: (start, end) char spans."""
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if (p == g) if strict else _overlap(p, g) > 0:
                union = max(p[1], g[1]) - min(p[0], g[0])
                cands.append((-_overlap(p, g) / union, i, j))
    cands.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def _same_number(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def score_document(
    doc: CatDocument, predicted: list[Any], counts: dict[str, int], errors: list[dict] | None = None
) -> None:
    """Add one document's match counts to ``counts`` (keys described in :func:`evaluate_meantime_values`).

    ``doc``: the gold document; ``predicted``: sayso :class:`~sayso.schema.Quantity` objects whose offsets
    point into ``doc.text`` (those starting after ``doc.annotated_end`` are not scored); ``errors``: when
    given, gets one dict per false positive / negative / value or type mismatch."""
    gold = doc.values
    predicted = [q for q in predicted if q.start < doc.annotated_end]
    pspans = [(q.start, q.end) for q in predicted]
    gspans = [(g.start, g.end) for g in gold]
    counts["pred"] += len(predicted)
    counts["gold"] += len(gold)
    counts["strict"] += len(align(pspans, gspans, strict=True))
    pairs = align(pspans, gspans)
    counts["overlap"] += len(pairs)
    for i, j in pairs:
        q, g = predicted[i], gold[j]
        gv = gold_number(g.text)
        ok_value = gv is not None and (_same_number(q.value, gv) or (q.upper is not None and _same_number(q.upper, gv)))
        counts["value"] += ok_value
        counts["typed"] += kind_type(q.kind) == g.type
        if errors is not None and (not ok_value or kind_type(q.kind) != g.type):
            errors.append({"doc": doc.doc_id, "error": "mismatch", "gold": g.text, "gold_type": g.type,
                           "gold_value": gv, "pred": q.text, "pred_value": q.value, "pred_kind": q.kind})  # fmt: skip
    for t in VALUE_TYPES:
        tp = [(i, j) for i, j in pairs if gold[j].type == t and kind_type(predicted[i].kind) == t]
        counts[f"{t}_tp"] += len(tp)
        counts[f"{t}_pred"] += sum(kind_type(q.kind) == t for q in predicted)
        counts[f"{t}_gold"] += sum(g.type == t for g in gold)
    if errors is not None:
        matched_p = {i for i, _ in pairs}
        matched_g = {j for _, j in pairs}
        for i, q in enumerate(predicted):
            if i not in matched_p:
                ctx = doc.text[max(0, q.start - 40) : q.end + 40].replace("\n", " ")
                errors.append({"doc": doc.doc_id, "error": "fp", "pred": q.text, "pred_kind": q.kind, "context": ctx})
        for j, g in enumerate(gold):
            if j not in matched_g:
                ctx = doc.text[max(0, g.start - 40) : g.end + 40].replace("\n", " ")
                errors.append({"doc": doc.doc_id, "error": "fn", "gold": g.text, "gold_type": g.type, "context": ctx})


def summarise(counts: dict[str, int]) -> dict[str, Any]:
    """Turn the counts of :func:`score_document` into the result dict (see
    :func:`evaluate_meantime_values`)."""
    n_p, n_g = counts["pred"], counts["gold"]
    return {
        "extent": prf(counts["overlap"], n_p, counts["overlap"], n_g),
        "extent_strict": prf(counts["strict"], n_p, counts["strict"], n_g),
        "value": prf(counts["value"], n_p, counts["value"], n_g),
        "type": prf(counts["typed"], n_p, counts["typed"], n_g),
        "by_type": {
            t: prf(counts[f"{t}_tp"], counts[f"{t}_pred"], counts[f"{t}_tp"], counts[f"{t}_gold"]) for t in VALUE_TYPES
        },
    }


def predict_quantities(doc: CatDocument, nlp: Any) -> list[Any]:
    """Run the full sayso pipeline ``nlp`` once on ``doc.text`` with the DCT as publication date and return
    the quantities (:class:`~sayso.schema.Quantity`)."""
    from ..analysis import analyse_article
    from ..schema import Article

    article = Article(text=doc.text, published=(doc.dct or "")[:10] or None, url=doc.url)
    return list(analyse_article(article, nlp=nlp).quantities)


def evaluate_meantime_values(
    data: str | Path,
    nlp: Any = None,
    limit: int | None = None,
    errors: list[dict] | None = None,
    predict: Callable[[CatDocument, Any], list[Any]] | None = None,
) -> dict[str, Any]:
    """Score sayso's quantities against MEANTIME's VALUE markables.

    ``data``: a data root holding ``timeml/meantime-en/intra-doc_annotation``, or a folder of CAT files;
    ``nlp``: the sayso pipeline (default :func:`sayso.pipeline.load_pipeline`); ``limit``: score only the
    first N documents; ``errors``: a list that receives error records; ``predict``: replaces
    :func:`predict_quantities` (for tests).

    Returns ``{"extent", "extent_strict", "value", "type": {"p","r","f1","pred","gold"}, "by_type": {type:
    {...}}, "documents", "seconds"}`` with scores in percent."""
    docs = read_meantime(default_meantime_dir(data))
    if limit is not None:
        docs = docs[:limit]
    if nlp is None and predict is None:
        from ..pipeline import load_pipeline

        nlp = load_pipeline()
    predict = predict or predict_quantities
    counts: dict[str, int] = {k: 0 for k in ("pred", "gold", "strict", "overlap", "value", "typed")}
    for t in VALUE_TYPES:
        for k in ("tp", "pred", "gold"):
            counts[f"{t}_{k}"] = 0
    t0 = time.perf_counter()
    for doc in docs:
        score_document(doc, predict(doc, nlp), counts, errors)
    result = summarise(counts)
    result["documents"] = len(docs)
    result["seconds"] = round(time.perf_counter() - t0, 2)
    return result
