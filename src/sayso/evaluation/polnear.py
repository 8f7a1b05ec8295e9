"""Scoring sayso's attributions against PolNeAR (Newell, Margolin & Ruths, LREC 2018).

>>> from sayso.evaluation.polnear import evaluate_polnear
>>> scores = evaluate_polnear("../shared/data/polnear/data", "dev", limit=5)  # doctest: +SKIP
>>> scores["cue"]["exact"]["f1"]  # doctest: +SKIP

Gold: for each article ``{split}/text/<stem>.txt`` the first ``{split}/attributions/<stem>_<annotator>.ann``
alphabetically (one annotator per article), read by :mod:`sayso.evaluation.brat`. Every ``Attribution`` or
``Attribution-no-source`` event is one gold attribution with a source (absent for ``Attribution-no-source``
or when the event has no Source argument), a cue and a content; several arguments of one role
(``Content``, ``Content2``) are merged into one span.

Predictions: ``report.attributions`` from :func:`sayso.report.build_report`, using ``source_span``,
``cue`` and ``content``. Attributions with ``nested_in`` set are skipped: PolNeAR annotates only the
outermost attribution. Attributions are never filtered otherwise.

Matching rules
--------------
* **Spans as character sets.** A span (gold spans may be discontinuous: ``10 20;25 40``) is compared as
  the set of character offsets it covers.
* **Normalisation.** Each fragment is trimmed of leading and trailing whitespace and of the marks
  :data:`STRIP_CHARS` (“ ” " ' ‘ ’ , . : ;), repeatedly, on both sides (gold and predicted); then
  whitespace characters inside are dropped from the set. A span that would become empty (a cue that is
  just ``:``) keeps its untrimmed non-whitespace characters instead; a span with none is ignored.
* **Exact match**: the same character set after normalisation.
* **Overlap match**: at least one shared (normalised, non-whitespace) character.
* **Duplicates count once**, on both sides: the spans of one role in one article form a set (two
  predicted attributions citing the same source mention yield one predicted source span; likewise
  in the gold).
* **One-to-one.** Each predicted span matches at most one gold span and vice versa. Overlap matching is
  greedy: candidate pairs are taken in order of decreasing Jaccard similarity (shared ÷ union of
  characters), then decreasing number of shared characters, then position.
* **Roles** (source, cue, content) are scored separately: a gold attribution without a source
  contributes no source span. Precision = matched ÷ predicted spans, recall = matched ÷ gold spans,
  F1 their harmonic mean, micro-averaged over all articles.
* **Triples.** An attribution is the triple (source, cue, content). A predicted triple matches a gold one
  under *exact* when all three roles are exact matches, under *overlap* when all three overlap; a role
  absent on both sides (no source, no cue) matches, absent on one side only does not. Identical triples
  count once; matching is one-to-one, greedy by the sum of the roles' Jaccard similarities.

Percentages are rounded to two decimals. A contiguous prediction can never exactly match a gold content
that skips the cue (``"A," she said, "B."`` is annotated as two fragments): overlap scores show that case.
On dev, 13.7% of gold contents are discontinuous in this way, so a predictor whose content is one
contiguous span (as :class:`sayso.schema.Span` is) scores at most 86.3 exact content F1 (source and cue:
100), measured by feeding the gold spans' covering ranges back as predictions.
"""

from __future__ import annotations

import bisect
import csv
import json
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import extensions  # noqa: F401  (registers the Doc attributes set below)
from ..errors import MissingResource
from .brat import ROLES, Fragments, GoldAttribution, annotation_files, read_ann

#: Marks trimmed from both ends of every span fragment before comparing.
STRIP_CHARS = "“”\"'‘’,.:;"

#: Default location of the PolNeAR ``data`` folder, relative to the working directory.
DEFAULT_DATA_DIR = Path("../shared/data/polnear/data")

#: PolNeAR publisher slugs → outlet names (for ``Article.outlet``).
OUTLETS = {
    "breitbart": "Breitbart",
    "huff-post": "HuffPost",
    "nyt": "The New York Times",
    "politico": "Politico",
    "usa-today": "USA Today",
    "wash-post": "The Washington Post",
    "west-journal": "Western Journal",
}

SPLITS = ("train", "dev", "test")
MODES = ("exact", "overlap")

Chars = frozenset[int]
Triple = tuple[Chars | None, Chars | None, Chars | None]


# --------------------------------------------------------------------------------------------- spans


def normalise(text: str, fragments: Fragments) -> Chars | None:
    """The character set a span is compared as (see the module's matching rules).

    ``text``: the article text; ``fragments``: sorted (start, end) offsets. Returns a frozenset of
    offsets, or ``None`` when the span holds no non-whitespace character."""
    chars: set[int] = set()
    raw: set[int] = set()
    n = len(text)
    for start, end in fragments:
        start, end = max(0, start), min(n, end)
        raw.update(i for i in range(start, end) if not text[i].isspace())
        while start < end and (text[start].isspace() or text[start] in STRIP_CHARS):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in STRIP_CHARS):
            end -= 1
        chars.update(i for i in range(start, end) if not text[i].isspace())
    if chars:
        return frozenset(chars)
    return frozenset(raw) if raw else None


def _jaccard(a: Chars, b: Chars) -> float:
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared) if shared else 0.0


def match_exact(pred: Sequence[Chars], gold: Sequence[Chars]) -> list[tuple[int, int]]:
    """One-to-one exact matches between two lists of character sets: ``[(pred index, gold index)]``."""
    gold_index: dict[Chars, list[int]] = {}
    for j, g in enumerate(gold):
        gold_index.setdefault(g, []).append(j)
    pairs = []
    for i, p in enumerate(pred):
        free = gold_index.get(p)
        if free:
            pairs.append((i, free.pop(0)))
    return pairs


def match_overlap(pred: Sequence[Chars], gold: Sequence[Chars]) -> list[tuple[int, int]]:
    """One-to-one overlap matches, greedy by Jaccard, then shared characters, then position.

    ``pred``, ``gold``: character sets. Returns ``[(pred index, gold index)]``."""
    candidates = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            shared = len(p & g)
            if shared:
                candidates.append((-_jaccard(p, g), -shared, i, j))
    candidates.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def _role_ok(p: Chars | None, g: Chars | None, mode: str) -> bool:
    if p is None or g is None:
        return p is None and g is None
    return p == g if mode == "exact" else bool(p & g)


def match_triples(pred: Sequence[Triple], gold: Sequence[Triple], mode: str) -> list[tuple[int, int]]:
    """One-to-one matches between (source, cue, content) triples under ``mode`` (``'exact'`` or
    ``'overlap'``), greedy by the sum of the roles' Jaccard similarities. Returns index pairs."""
    candidates = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if all(_role_ok(a, b, mode) for a, b in zip(p, g, strict=True)):
                score = sum(
                    _jaccard(a, b) if a is not None and b is not None else 1.0 for a, b in zip(p, g, strict=True)
                )
                candidates.append((-score, i, j))
    candidates.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


# --------------------------------------------------------------------------------------------- counts


@dataclass
class Counts:
    """Matched, predicted and gold counts for one role and mode."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, tp: int, pred: int, gold: int) -> None:
        """Add one article's numbers."""
        self.tp += tp
        self.pred += pred
        self.gold += gold

    def as_dict(self) -> dict[str, float | int]:
        """Precision, recall and F1 in percent (two decimals) plus the raw counts."""
        p = self.tp / self.pred if self.pred else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "p": round(100 * p, 2),
            "r": round(100 * r, 2),
            "f1": round(100 * f1, 2),
            "tp": self.tp,
            "pred": self.pred,
            "gold": self.gold,
        }


@dataclass
class Scorer:
    """Accumulates counts over articles; optionally collects error records."""

    counts: dict[str, dict[str, Counts]] = field(
        default_factory=lambda: {k: {m: Counts() for m in MODES} for k in (*ROLES, "triple")}
    )
    collect_errors: bool = False
    errors: list[dict[str, Any]] = field(default_factory=list)
    articles: int = 0
    gold_attributions: int = 0
    predicted_attributions: int = 0
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    by_cue: dict[str, dict[str, int]] = field(default_factory=dict)

    def add_article(
        self,
        text: str,
        gold: Iterable[GoldAttribution],
        predicted: Iterable[Any],
        article_id: str = "",
        sentences: Sequence[tuple[int, int]] | None = None,
    ) -> None:
        """Score one article.

        ``text``: the article text all offsets point into; ``gold``: its gold attributions;
        ``predicted``: :class:`sayso.schema.Attribution` objects (those with ``nested_in`` set are
        skipped); ``article_id``: a name for error records; ``sentences``: (start, end) character
        spans of the sentences, used to show context in error records."""
        gold = list(gold)
        preds = [a for a in predicted if getattr(a, "nested_in", None) is None]
        self.articles += 1
        self.gold_attributions += len(gold)
        self.predicted_attributions += len(preds)

        gold_triples = _unique(tuple(normalise(text, g.role(r)) if g.role(r) else None for r in ROLES) for g in gold)
        pred_triples = _unique(_pred_triple(text, a) for a in preds)
        gold_triples = [t for t in gold_triples if any(x is not None for x in t)]
        pred_triples = [t for t in pred_triples if any(x is not None for x in t)]

        ctx = _Context(text, sentences, article_id)
        for k, role in enumerate(ROLES):
            g_sets = _unique(t[k] for t in gold_triples if t[k] is not None)
            p_sets = _unique(t[k] for t in pred_triples if t[k] is not None)
            exact = match_exact(p_sets, g_sets)
            overlap = match_overlap(p_sets, g_sets)
            self.counts[role]["exact"].add(len(exact), len(p_sets), len(g_sets))
            self.counts[role]["overlap"].add(len(overlap), len(p_sets), len(g_sets))
            if self.collect_errors:
                self.errors.extend(ctx.span_errors(role, p_sets, g_sets, exact, overlap))
        # precision by attribution kind and by cue word: how often each kind's content and cue are exact
        gold_contents = {t[2] for t in gold_triples if t[2] is not None}
        gold_cues = {t[1] for t in gold_triples if t[1] is not None}
        for a in preds:
            _, cue_chars, content_chars = _pred_triple(text, a)
            cue_word = " ".join(a.cue.text.lower().split()[-1:]) if a.cue is not None else "(none)"
            for table, key in ((self.by_kind, a.kind), (self.by_cue, cue_word)):
                row = table.setdefault(key, {"predicted": 0, "content_exact": 0, "cue_exact": 0})
                row["predicted"] += 1
                row["content_exact"] += content_chars in gold_contents
                row["cue_exact"] += cue_chars in gold_cues
        for mode in MODES:
            pairs = match_triples(pred_triples, gold_triples, mode)
            self.counts["triple"][mode].add(len(pairs), len(pred_triples), len(gold_triples))
            if self.collect_errors and mode == "overlap":
                self.errors.extend(ctx.triple_errors(pred_triples, gold_triples, pairs))

    def result(self) -> dict[str, Any]:
        """The scores: ``{role: {mode: {p, r, f1, tp, pred, gold}}}`` for the three roles and
        ``triple``, plus ``articles``, ``gold_attributions`` and ``predicted_attributions``."""
        out: dict[str, Any] = {k: {m: c.as_dict() for m, c in v.items()} for k, v in self.counts.items()}
        out["articles"] = self.articles
        out["gold_attributions"] = self.gold_attributions
        out["predicted_attributions"] = self.predicted_attributions

        def rows(table: dict[str, dict[str, int]], top: int | None = None) -> dict[str, dict[str, float | int]]:
            ranked = sorted(table.items(), key=lambda kv: -kv[1]["predicted"])[:top]
            return {
                k: {
                    **v,
                    "content_precision": round(100 * v["content_exact"] / v["predicted"], 1),
                    "cue_precision": round(100 * v["cue_exact"] / v["predicted"], 1),
                }
                for k, v in ranked
            }

        out["by_kind"] = rows(self.by_kind)
        out["by_cue"] = rows(self.by_cue, 25)
        return out


def _unique(items: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


def _span_chars(text: str, span: Any) -> Chars | None:
    if span is None:
        return None
    return normalise(text, ((span.start, span.end),))


def _pred_triple(text: str, att: Any) -> Triple:
    parts = getattr(att, "content_parts", None)
    content = normalise(text, tuple((p.start, p.end) for p in parts)) if parts else _span_chars(text, att.content)
    return (
        _span_chars(text, att.source_span),
        _span_chars(text, att.cue),
        content,
    )


# --------------------------------------------------------------------------------------------- errors


class _Context:
    """Turns character sets back into readable error records."""

    def __init__(self, text: str, sentences: Sequence[tuple[int, int]] | None, article_id: str) -> None:
        self.text = text
        self.sentences = list(sentences or [])
        self.starts = [s for s, _ in self.sentences]
        self.article_id = article_id

    def fragments(self, chars: Chars) -> list[tuple[int, int]]:
        """Contiguous runs of ``chars`` (joining runs separated by whitespace only)."""
        runs: list[list[int]] = []
        for i in sorted(chars):
            if runs and self.text[runs[-1][1] : i].isspace() or (runs and runs[-1][1] == i):
                runs[-1][1] = i + 1
            else:
                runs.append([i, i + 1])
        return [(a, b) for a, b in runs]

    def show(self, chars: Chars | None) -> str | None:
        """The text of a character set, fragments joined by ' … '."""
        if chars is None:
            return None
        return " … ".join(self.text[a:b] for a, b in self.fragments(chars))

    def sentence(self, chars: Chars) -> str:
        """The sentence(s) around a character set (at most 1000 characters)."""
        lo, hi = min(chars), max(chars) + 1
        if self.sentences:
            i = max(0, bisect.bisect_right(self.starts, lo) - 1)
            j = max(0, bisect.bisect_right(self.starts, hi - 1) - 1)
            lo, hi = min(lo, self.sentences[i][0]), max(hi, self.sentences[j][1])
        else:
            lo = self.text.rfind("\n", 0, lo) + 1
            nl = self.text.find("\n", hi)
            hi = len(self.text) if nl < 0 else nl
        return self.text[lo:hi].strip()[:1000]

    def record(self, role: str, kind: str, chars: Chars, other: Chars | None, overlap_ok: bool) -> dict:
        return {
            "article": self.article_id,
            "role": role,
            "type": kind,
            "text": self.show(chars),
            "start": min(chars),
            "end": max(chars) + 1,
            "overlap_match": overlap_ok,
            "best_overlap": self.show(other),
            "sentence": self.sentence(chars),
        }

    def span_errors(
        self,
        role: str,
        pred: Sequence[Chars],
        gold: Sequence[Chars],
        exact: list[tuple[int, int]],
        overlap: list[tuple[int, int]],
    ) -> Iterator[dict]:
        """Records for predicted spans without an exact gold match (``fp``) and gold spans without an
        exact prediction (``fn``), with the best-overlapping span on the other side if any."""
        exact_p = {i for i, _ in exact}
        exact_g = {j for _, j in exact}
        over_p = {i for i, _ in overlap}
        over_g = {j for _, j in overlap}
        for i, p in enumerate(pred):
            if i not in exact_p:
                yield self.record(role, "fp", p, _best(p, gold), i in over_p)
        for j, g in enumerate(gold):
            if j not in exact_g:
                yield self.record(role, "fn", g, _best(g, pred), j in over_g)

    def triple_errors(
        self, pred: Sequence[Triple], gold: Sequence[Triple], pairs: list[tuple[int, int]]
    ) -> Iterator[dict]:
        """Records for triples without an overlap match (``fp`` predicted, ``fn`` gold)."""
        matched_p = {i for i, _ in pairs}
        matched_g = {j for _, j in pairs}
        for kind, triples, matched in (("fp", pred, matched_p), ("fn", gold, matched_g)):
            for i, t in enumerate(triples):
                if i in matched:
                    continue
                anchor = t[2] or t[1] or t[0]
                assert anchor is not None
                yield {
                    "article": self.article_id,
                    "role": "triple",
                    "type": kind,
                    "source": self.show(t[0]),
                    "cue": self.show(t[1]),
                    "content": self.show(t[2]),
                    "start": min(anchor),
                    "end": max(anchor) + 1,
                    "sentence": self.sentence(anchor),
                }


def _best(chars: Chars, others: Sequence[Chars]) -> Chars | None:
    best, best_key = None, (0.0, 0)
    for o in others:
        shared = len(chars & o)
        if shared and (_jaccard(chars, o), shared) > best_key:
            best, best_key = o, (_jaccard(chars, o), shared)
    return best


# --------------------------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class PolnearArticle:
    """One article of a split: its id (file stem), text, gold attributions and metadata."""

    id: str
    text: str
    gold: list[GoldAttribution]
    published: str | None = None
    title: str | None = None
    outlet: str | None = None


def _metadata(data_dir: Path) -> dict[str, dict[str, str]]:
    path = data_dir / "metadata.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["filename"]: row for row in csv.DictReader(fh, delimiter="\t") if row.get("filename")}


def _clean(value: str | None) -> str | None:
    return None if value in (None, "", "None") else value


def load_split(data_dir: str | Path, split: str, limit: int | None = None) -> list[PolnearArticle]:
    """Read the articles of one split that have both a text and an annotation file.

    ``data_dir``: the PolNeAR ``data`` folder (holding ``{split}/text``, ``{split}/attributions`` and
    ``metadata.tsv``); ``split``: ``'train'``, ``'dev'`` or ``'test'``; ``limit``: keep only the first
    ``limit`` articles (by file name). Raises :class:`~sayso.errors.MissingResource` when the folders are
    missing. Returns the articles sorted by id."""
    data_dir = Path(data_dir)
    text_dir, ann_dir = data_dir / split / "text", data_dir / split / "attributions"
    for d in (text_dir, ann_dir):
        if not d.is_dir():
            raise MissingResource(
                f"PolNeAR {split} data not found: {d} does not exist; pass --data DIR pointing at the "
                f"PolNeAR 'data' folder (the one holding {split}/text and {split}/attributions)"
            )
    anns = annotation_files(ann_dir)
    meta = _metadata(data_dir)
    stems = sorted(p.stem for p in text_dir.glob("*.txt") if p.stem in anns)
    if limit is not None:
        stems = stems[: max(0, limit)]
    articles = []
    for stem in stems:
        row = meta.get(stem, {})
        publisher = _clean(row.get("publisher"))
        articles.append(
            PolnearArticle(
                id=stem,
                text=(text_dir / f"{stem}.txt").read_text(encoding="utf-8"),
                gold=read_ann(anns[stem]),
                published=_clean(row.get("publication_date")),
                title=_clean(row.get("title")),
                outlet=OUTLETS.get(publisher or "", publisher),
            )
        )
    return articles


def evaluate_polnear(
    data_dir: str | Path = DEFAULT_DATA_DIR,
    split: str = "dev",
    nlp: Any = None,
    limit: int | None = None,
    errors_path: str | Path | None = None,
    progress: bool = False,
    batch_size: int = 16,
) -> dict[str, Any]:
    """Run the sayso pipeline over a PolNeAR split and score its attributions.

    ``data_dir``: the PolNeAR ``data`` folder; ``split``: ``'dev'``, ``'test'`` or ``'train'``;
    ``nlp``: a loaded pipeline (default :func:`sayso.pipeline.load_pipeline`); ``limit``: score only the
    first ``limit`` articles; ``errors_path``: if given, write one JSON line per false positive/negative
    (see :meth:`_Context.span_errors`); ``progress``: show a Rich progress bar on stderr;
    ``batch_size``: documents per ``nlp.pipe`` batch.

    Returns the dict of :meth:`Scorer.result` plus ``split`` and ``seconds`` (wall time, model loading
    excluded)."""
    from ..report import build_report
    from ..schema import Article

    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: expected one of {', '.join(SPLITS)}")
    articles = load_split(data_dir, split, limit)
    if nlp is None:
        from ..pipeline import load_pipeline

        nlp = load_pipeline()
    scorer = Scorer(collect_errors=errors_path is not None)
    t0 = time.perf_counter()

    def docs() -> Iterator[Any]:
        for art in articles:
            doc = nlp.make_doc(art.text)
            doc._.sayso_article = Article(text=art.text, published=art.published, title=art.title, outlet=art.outlet)
            yield doc

    bar = _progress(progress)
    with bar:
        task = bar.add_task(f"PolNeAR {split}", total=len(articles))
        for art, doc in zip(articles, nlp.pipe(docs(), batch_size=batch_size), strict=True):
            report = build_report(doc)
            sentences = None
            if errors_path is not None and doc.has_annotation("SENT_START"):
                sentences = [(s.start_char, s.end_char) for s in doc.sents]
            scorer.add_article(art.text, art.gold, report.attributions, art.id, sentences)
            bar.advance(task)
    result = scorer.result()
    result["split"] = split
    result["seconds"] = round(time.perf_counter() - t0, 2)
    if errors_path is not None:
        with Path(errors_path).open("w", encoding="utf-8") as fh:
            for rec in scorer.errors:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        result["errors_written"] = len(scorer.errors)
    return result


def _progress(enabled: bool) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )
