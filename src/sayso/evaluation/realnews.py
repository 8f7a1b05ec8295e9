"""Scoring who-said-what on real news pages annotated by hand (``shared/data/realnews``).

>>> from sayso.evaluation.realnews import evaluate_realnews
>>> scores = evaluate_realnews(Path("../shared/data/realnews"))  # doctest: +SKIP
>>> scores["both_right"]  # doctest: +SKIP

The data: ``pages/<id>.html`` (the page as published) and ``<split>/<id>.json`` (the gold: ``entities`` with
``name``, ``aliases`` and ``anonymous``; ``attributions`` with ``entity``, ``content`` — a string or the list of
parts of an interrupted quote — ``content_spans`` into ``<split>/<id>.txt``, ``kind`` and ``nested``). sayso
reads each page exactly as ``sayso read page.html`` does; gold contents are located in sayso's own
``article.text`` by their text, so a cleaner extraction costs nothing.

Matching rules (those of the data set's ``LOADING.md``)
-------------------------------------------------------
* **Predictions**: attributions of kind direct, indirect, mixed or according_to (hedged reports without a
  source are not predictions).
* **Locating gold contents**: each part is searched verbatim in ``article.text`` (then with whitespace and
  quotation marks loosened); of several occurrences the one whose relative position is nearest the gold
  offset's. A part that is nowhere in sayso's text stays unlocated (its words can't be matched).
* **Words**: ``\\w+`` runs of the located gold parts and of the prediction's ``content_parts`` (or
  ``content`` when whole), as character positions. A prediction matches a gold attribution when their common
  words are ≥ 50% of the gold words and ≥ 30% of the predicted ones; matching is one-to-one, greedy by Dice.
* **Source right** (of matched): the predicted source's name, or one of its name-like mentions (not a
  pronoun, not a "the …" description), equals the gold speaker's name or an alias (case and punctuation
  normalised), or shares its key token — the surname of a name, the head noun of a description. Key tokens
  shared by two gold entities of the article don't count, and a prediction that matches a *different*
  gold speaker (and not the right one by its full name) is wrong.
* **Scores**: ``recall`` = matched gold / gold; ``precision`` = matched predictions / predictions;
  ``source_right`` = matched with the right source / matched; ``both_right`` = matched with the right
  source / gold; ``entity_merge`` = of the gold entities known by ≥ 2 distinct strings and with ≥ 2
  attributions, the share whose matched attributions (at least 2) all sit on one predicted source that is
  source-right.

Percentages are rounded to one decimal. Every miss is listed in ``failures`` (``kind``: ``missed``,
``spurious``, ``wrong_source``, ``split_entity``) so a reader can see what went wrong and where.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BadInput, InputNotFound
from ..schema import Attribution, Report, Source

#: Attribution kinds that count as predictions.
PREDICTED_KINDS = frozenset({"direct", "indirect", "mixed", "according_to"})

WORD_RE = re.compile(r"\w+")
PRONOUNS = frozenset(
    "he she they it we i you him her them us who whom which that this these those one his its their".split()
)
#: Name suffixes that are never a surname.
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"})
#: Words after which a description's head noun has ended ("a spokesperson for ...", "officials who ...").
HEAD_STOPS = frozenset("for of from at in on with who that which whose to by familiar close according , ( -".split())
ARTICLES = frozenset({"a", "an", "the", "some", "two", "three", "several", "one", "many"})


def normalise(text: str) -> str:
    """Case-, accent- and punctuation-folded form of a name: ``"Gov. Kristi Noem’s"`` → ``"gov kristi noem"``."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").lower()
    text = re.sub(r"'s\b", "", text)
    return " ".join(WORD_RE.findall(text))


def key_token(name: str, anonymous: bool = False) -> str | None:
    """The token that identifies ``name``: a person's or body's last word (suffixes such as "Jr." skipped);
    for a description (lower-case or anonymous), its head noun — the last word before a preposition or
    relative clause (``"a spokesperson for the union"`` → ``"spokesperson"``)."""
    words = normalise(name).split()
    if not words:
        return None
    is_description = anonymous or name[:1].islower() or words[0] in ARTICLES
    if is_description:
        head: list[str] = []
        for w in words:
            if w in HEAD_STOPS:
                break
            head.append(w)
        head = [w for w in head if w not in ARTICLES] or words
        return head[-1]
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    return words[-1]


def word_positions(spans: Sequence[tuple[int, int]], text: str) -> set[int]:
    """Start offsets of the ``\\w+`` words inside ``spans`` of ``text`` (a word is identified by where it
    starts, so two spans covering the same words share them)."""
    out: set[int] = set()
    for start, end in spans:
        for m in WORD_RE.finditer(text, start, end):
            out.add(m.start())
    return out


def _loose_pattern(part: str) -> re.Pattern[str] | None:
    words = WORD_RE.findall(part)
    if not words:
        return None
    return re.compile(r"\W+".join(re.escape(w) for w in words))


def locate(part: str, text: str, relative: float) -> tuple[int, int] | None:
    """Where ``part`` (a gold content piece) sits in ``text``: verbatim, else word by word with any
    punctuation and spacing between; of several places the one nearest ``relative`` (0..1) of the text."""
    part = part.strip()
    if not part:
        return None
    hits = [(m.start(), m.start() + len(part)) for m in re.finditer(re.escape(part), text)]
    if not hits:
        pattern = _loose_pattern(part)
        if pattern is not None:
            hits = [(m.start(), m.end()) for m in pattern.finditer(text)]
    if not hits:
        return None
    target = relative * max(1, len(text))
    return min(hits, key=lambda h: abs(h[0] - target))


@dataclass
class GoldEntity:
    id: str
    name: str
    aliases: list[str]
    anonymous: bool

    @property
    def strings(self) -> set[str]:
        return {normalise(s) for s in [self.name, *self.aliases] if normalise(s)}


@dataclass
class GoldAttribution:
    id: str
    entity: str | None
    speaker: str
    aliases: list[str]
    anonymous: bool
    words: set[int]
    content: str
    kind: str


@dataclass
class PageResult:
    id: str
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    source_right: int = 0
    merge_eligible: int = 0
    merged: int = 0
    unlocated: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)


def _source_strings(source: Source, text: str) -> list[str]:
    """The predicted source's name and its name-like mentions (no pronoun, no "the …" description)."""
    out = [source.name]
    for m in source.mentions:
        words = normalise(m.text).split()
        if not words or (len(words) == 1 and words[0] in PRONOUNS):
            continue
        if words[0] in {"the", "a", "an"}:
            continue
        out.append(m.text)
    return out


class SourceJudge:
    """Decides whether a predicted source is the gold speaker, by the data set's rules, for one page."""

    def __init__(self, entities: Sequence[GoldEntity]) -> None:
        self.entities = {e.id: e for e in entities}
        counts: dict[str, int] = {}
        self.keys: dict[str, set[str]] = {}
        for e in entities:
            keys = {k for k in (key_token(s, e.anonymous) for s in [e.name, *e.aliases]) if k}
            self.keys[e.id] = keys
            for k in keys:
                counts[k] = counts.get(k, 0) + 1
        shared = {k for k, n in counts.items() if n > 1}
        for eid in self.keys:
            self.keys[eid] -= shared

    def _matches(self, strings: Sequence[str], entity: GoldEntity) -> tuple[bool, bool]:
        """(matches at all, matches by a full name or alias)."""
        folded = [normalise(s) for s in strings]
        exact = any(f in entity.strings for f in folded if f)
        keys = self.keys.get(entity.id, set())
        by_key = any(keys & set(f.split()) for f in folded)
        return exact or by_key, exact

    def right(self, strings: Sequence[str], entity_id: str | None, speaker: str, aliases: Sequence[str]) -> bool:
        target = self.entities.get(entity_id or "") or GoldEntity("", speaker, list(aliases), False)
        hit, exact = self._matches(strings, target)
        if not hit:
            return False
        if exact:
            return True
        for other in self.entities.values():
            if other.id != target.id and self._matches(strings, other)[0]:
                return False
        return True


def load_gold(
    path: Path, text_of: dict[str, str], sayso_text: str
) -> tuple[list[GoldEntity], list[GoldAttribution], int]:
    """Read one gold file and locate its contents in ``sayso_text``. Returns the entities, the attributions
    (with their words as positions in ``sayso_text``) and the number of content parts not located."""
    data = json.loads(path.read_text(encoding="utf-8"))
    gold_text = text_of.get("text", "")
    entities = [
        GoldEntity(e["id"], e["name"], list(e.get("aliases") or []), bool(e.get("anonymous"))) for e in data["entities"]
    ]
    out: list[GoldAttribution] = []
    unlocated = 0
    for a in data["attributions"]:
        parts = a["content"] if isinstance(a["content"], list) else [a["content"]]
        spans_in_gold = a.get("content_spans") or []
        located: list[tuple[int, int]] = []
        for i, part in enumerate(parts):
            offset = spans_in_gold[i]["start"] if i < len(spans_in_gold) else 0
            where = locate(part, sayso_text, offset / max(1, len(gold_text)))
            if where is None:
                unlocated += 1
            else:
                located.append(where)
        out.append(
            GoldAttribution(
                id=a["id"],
                entity=a.get("entity"),
                speaker=a["speaker"],
                aliases=list(a.get("speaker_aliases") or []),
                anonymous=bool(a.get("anonymous")),
                words=word_positions(located, sayso_text),
                content=" … ".join(parts),
                kind=a.get("kind", ""),
            )
        )
    return entities, out, unlocated


def predicted_words(att: Attribution, text: str) -> set[int]:
    parts = att.content_parts or [att.content]
    return word_positions([(p.start, p.end) for p in parts], text)


def score_page(page_id: str, report: Report, entities: list[GoldEntity], gold: list[GoldAttribution]) -> PageResult:
    """Match one page's predictions against its gold by the module's rules."""
    text = report.article.text
    sources = {s.id: s for s in report.sources}
    preds = [a for a in report.attributions if a.kind in PREDICTED_KINDS]
    pred_words = [predicted_words(a, text) for a in preds]
    result = PageResult(page_id, gold=len(gold), predicted=len(preds))
    candidates: list[tuple[float, int, int]] = []
    for gi, g in enumerate(gold):
        if not g.words:
            continue
        for pi, pw in enumerate(pred_words):
            common = len(g.words & pw)
            if not pw or common < 0.5 * len(g.words) or common < 0.3 * len(pw):
                continue
            candidates.append((2 * common / (len(g.words) + len(pw)), gi, pi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    gold_to_pred: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in candidates:
        if gi in gold_to_pred or pi in used:
            continue
        gold_to_pred[gi] = pi
        used.add(pi)
    result.matched = len(gold_to_pred)
    judge = SourceJudge(entities)
    right: dict[int, bool] = {}
    for gi, pi in gold_to_pred.items():
        g, p = gold[gi], preds[pi]
        src = sources.get(p.source or "")
        strings = _source_strings(src, text) if src else []
        ok = judge.right(strings, g.entity, g.speaker, g.aliases)
        right[gi] = ok
        result.source_right += ok
        if not ok:
            result.failures.append(
                {
                    "kind": "wrong_source",
                    "page": page_id,
                    "gold": g.id,
                    "speaker": g.speaker,
                    "predicted": src.name if src else None,
                    "cue": p.cue.text if p.cue else None,
                    "content": g.content[:120],
                }
            )
    for gi, g in enumerate(gold):
        if gi not in gold_to_pred:
            result.failures.append(
                {
                    "kind": "missed",
                    "page": page_id,
                    "gold": g.id,
                    "speaker": g.speaker,
                    "content": g.content[:120],
                    "located": bool(g.words),
                }
            )
    for pi, p in enumerate(preds):
        if pi not in used:
            src = sources.get(p.source or "")
            result.failures.append(
                {
                    "kind": "spurious",
                    "page": page_id,
                    "predicted": src.name if src else None,
                    "cue": p.cue.text if p.cue else None,
                    "content": p.content.text[:120],
                    "start": p.content.start,
                }
            )
    by_entity: dict[str, list[int]] = {}
    for gi, g in enumerate(gold):
        if g.entity:
            by_entity.setdefault(g.entity, []).append(gi)
    ents = {e.id: e for e in entities}
    for eid, gis in by_entity.items():
        e = ents.get(eid)
        if e is None or len(e.strings) < 2 or len(gis) < 2:
            continue
        result.merge_eligible += 1
        matched = [gi for gi in gis if gi in gold_to_pred]
        owners = {preds[gold_to_pred[gi]].source for gi in matched}
        if len(matched) >= 2 and len(owners) == 1 and all(right[gi] for gi in matched):
            result.merged += 1
        else:
            names = sorted({sources[o].name if o in sources else str(o) for o in owners})
            result.failures.append(
                {
                    "kind": "split_entity",
                    "page": page_id,
                    "entity": e.name,
                    "attributions": len(gis),
                    "matched": len(matched),
                    "predicted_sources": names,
                }
            )
    return result


def _pct(n: int, d: int) -> float | None:
    return round(100.0 * n / d, 1) if d else None


def pages_in(data_dir: Path, split: str) -> list[Path]:
    """The gold files of ``split`` under ``data_dir``; a clear error when the folder isn't a realnews set."""
    if not data_dir.is_dir():
        raise InputNotFound(f"no realnews data at {data_dir} (expected pages/ and {split}/ folders)")
    gold_dir = data_dir / split
    files = sorted(gold_dir.glob("*.json")) if gold_dir.is_dir() else []
    if not files:
        raise BadInput(f"no gold files in {gold_dir}: expected <id>.json beside pages/<id>.html")
    return files


def evaluate_realnews(data_dir: Path, *, split: str = "dev", nlp: Any = None, fast: bool = False) -> dict[str, Any]:
    """Read every page of ``split`` with sayso and score it against the gold.

    Args:
        data_dir: the realnews folder (``pages/`` and ``<split>/``).
        split: the gold folder's name (``dev``; held-back sets use the same layout).
        nlp: a loaded pipeline (default: :func:`sayso.pipeline.load_pipeline` with ``fast``).
        fast: rules only (no neural tagger) when ``nlp`` is not given.

    Returns:
        ``recall``, ``source_right``, ``both_right``, ``precision``, ``entity_merge`` (percentages), the counts
        behind them (``gold``, ``predicted``, ``matched``, ``right``, ``merge_eligible``, ``merged``,
        ``unlocated_parts``), ``pages`` (per page scores), ``failure_counts`` and ``failures``.
    """
    from ..analysis import analyse_article
    from ..loading import load
    from ..pipeline import load_pipeline

    files = pages_in(data_dir, split)
    if nlp is None:
        nlp = load_pipeline(fast=fast)
    began = time.perf_counter()
    pages: list[PageResult] = []
    for gold_file in files:
        page_id = gold_file.stem
        meta = json.loads(gold_file.read_text(encoding="utf-8"))
        page = data_dir / (meta.get("page") or f"pages/{page_id}.html")
        if not page.exists():
            raise InputNotFound(f"page {page} named by {gold_file.name} is missing")
        article = load(str(page))
        report = analyse_article(article, nlp)
        text_file = gold_file.with_name(meta.get("text_file") or f"{page_id}.txt")
        gold_text = text_file.read_text(encoding="utf-8") if text_file.exists() else report.article.text
        entities, gold, unlocated = load_gold(gold_file, {"text": gold_text}, report.article.text)
        res = score_page(page_id, report, entities, gold)
        res.unlocated = unlocated
        pages.append(res)
    tot = PageResult("all")
    for p in pages:
        for name in ("gold", "predicted", "matched", "source_right", "merge_eligible", "merged", "unlocated"):
            setattr(tot, name, getattr(tot, name) + getattr(p, name))
    failures = [f for p in pages for f in p.failures]
    counts: dict[str, int] = {}
    for f in failures:
        counts[f["kind"]] = counts.get(f["kind"], 0) + 1
    return {
        "split": split,
        "pipeline": "fast" if fast else "neural",
        "recall": _pct(tot.matched, tot.gold),
        "source_right": _pct(tot.source_right, tot.matched),
        "both_right": _pct(tot.source_right, tot.gold),
        "precision": _pct(tot.matched, tot.predicted),
        "entity_merge": _pct(tot.merged, tot.merge_eligible),
        "gold": tot.gold,
        "predicted": tot.predicted,
        "matched": tot.matched,
        "right": tot.source_right,
        "merge_eligible": tot.merge_eligible,
        "merged": tot.merged,
        "unlocated_parts": tot.unlocated,
        "pages": [
            {
                "id": p.id,
                "gold": p.gold,
                "predicted": p.predicted,
                "matched": p.matched,
                "right": p.source_right,
                "both_right": _pct(p.source_right, p.gold),
                "precision": _pct(p.matched, p.predicted),
            }
            for p in pages
        ],
        "failure_counts": counts,
        "failures": failures,
        "seconds": round(time.perf_counter() - began, 1),
    }
