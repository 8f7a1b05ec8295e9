"""Scoring sayso's attribution chains, anonymous-source fields and modality on its own test set.

>>> from sayso.evaluation.chains import evaluate_chains
>>> scores = evaluate_chains([DEFAULT_DATA_DIR])  # doctest: +SKIP
>>> scores["chains"]["accuracy"]  # doctest: +SKIP

The test set (``sayso/data/chains/*.jsonl``, shipped with the package) holds one passage per line: ``id``, ``outlet``,
``published``, ``text`` and ``expect``, a list of expected attributions, each naming a verbatim
``content`` substring of the text, its ``source``, the relays ``via`` (outermost first), the recipient
``to`` and optionally the anonymous-source fields (``anonymous``, ``descriptor``, ``affiliation``,
``closeness``, ``number``, ``reason``), ``kind``, ``modality`` words and ``nested``.

Matching rules
--------------
* **Locating the content.** The first occurrence of ``content`` in the text, trimmed of surrounding
  whitespace, quotation marks and ``, . : ;`` (:data:`TRIM_CHARS`). A content that does not occur in the
  text is a data error: the expectation is skipped (counted in ``skipped``) and listed in the failures.
* **Choosing the prediction.** Among ``report.attributions`` whose ``content`` span contains the located
  content, prefer those with ``nested_in`` unset (or set, when the expectation says ``nested: true``),
  falling back to the others when none is preferred; of several, the one with the shortest content.
  ``found`` counts expectations for which any containing attribution exists.
* **Names.** Source ids are mapped to names through ``report.sources`` and compared after
  :func:`normalise_name` (case-insensitive, curly apostrophes made straight, a leading "the " and a
  trailing possessive removed, whitespace collapsed). A person's expected full name (two words or more)
  also matches a predicted person whose name ends with it after a title ("Mayor Ana Brisk").
  ``None`` matches only ``None``.
* **Scores.** ``chains``: source, via (the same names in the same order) and ``to`` all match; ``source``,
  ``via`` and ``to`` are also reported on their own, over all expectations (not found = wrong).
  ``anonymous_fields``: each stated field of each expectation is one item, compared after
  :func:`normalise_name` (``anonymous`` as a boolean; an expected null must be predicted None or empty);
  per-field accuracy too; with no prediction found every stated field is wrong. ``kind``: accuracy where
  stated. ``modality``: recall of the listed words, each found when it occurs (case-insensitive) inside
  one of the prediction's ``hedges``.

Percentages are rounded to two decimals; an accuracy over no items is ``None``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sayso

from ..errors import BadInput, InputNotFound
from ..schema import Article, Attribution, Report, Source

#: The test set, shipped as package data (``src/sayso/data/chains``): invented passages written for sayso.
DEFAULT_DATA_DIR = Path(sayso.__file__).resolve().parent / "data" / "chains"

#: The anonymous-source fields an expectation may state, in report order.
ANON_FIELDS = ("anonymous", "descriptor", "affiliation", "closeness", "number", "reason")

#: Marks trimmed from both ends of an expected content before locating it.
TRIM_CHARS = " \t\n“”\"'‘’,.:;"

#: The scores that count one item per expectation (``kind`` only where stated).
SIMPLE_METRICS = ("chains", "source", "via", "to", "found", "kind")


@dataclass
class Passage:
    """One test passage: ``id``, ``outlet``, ``published``, ``text``, the expected attributions
    ``expect`` (dicts as in the file) and where it was read (``path``, 1-based ``line``)."""

    id: str
    text: str
    outlet: str | None = None
    published: str | None = None
    expect: list[dict[str, Any]] = field(default_factory=list)
    path: str = ""
    line: int = 0


@dataclass
class Count:
    """Correct items out of a total."""

    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        """Count one item, correct when ``ok``."""
        self.total += 1
        self.correct += int(ok)

    def as_dict(self, key: str = "accuracy") -> dict[str, Any]:
        """``{key: percentage or None, "correct": n, "total": n}``."""
        pct = round(100.0 * self.correct / self.total, 2) if self.total else None
        return {key: pct, "correct": self.correct, "total": self.total}


# ------------------------------------------------------------------------------------------------ reading


def jsonl_files(paths: Path | str | Iterable[Path | str]) -> list[Path]:
    """The ``*.jsonl`` files named by ``paths`` (one path or several; each a file or a folder, whose
    ``*.jsonl`` files are taken in name order).

    Raises :class:`~sayso.errors.InputNotFound` for a missing path or a folder without ``*.jsonl``."""
    if isinstance(paths, str | Path):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.glob("*.jsonl"))
            if not found:
                raise InputNotFound(f"no *.jsonl files in {p}")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise InputNotFound(f"no such file or folder: {p} (point --data at the chains test set)")
    return files


def read_passages(path: Path) -> list[Passage]:
    """The passages of one JSON-lines file (blank lines skipped).

    Raises :class:`~sayso.errors.BadInput` naming the file and line for malformed JSON or a line that is
    not a passage object (``id`` and ``text`` strings, ``expect`` a list of objects with ``content``)."""
    out: list[Passage] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise BadInput(f"{path}: not UTF-8 ({err.reason})") from err
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise BadInput(f"{path}:{lineno}: malformed JSON: {err.msg} (column {err.colno})") from err
        problem = _passage_problem(obj)
        if problem:
            raise BadInput(f"{path}:{lineno}: {problem}")
        out.append(
            Passage(
                id=obj["id"],
                text=obj["text"],
                outlet=obj.get("outlet"),
                published=obj.get("published"),
                expect=obj.get("expect", []),
                path=str(path),
                line=lineno,
            )
        )
    return out


def _passage_problem(obj: Any) -> str | None:
    """What makes ``obj`` unusable as a passage, or None when it is fine."""
    if not isinstance(obj, dict):
        return "expected a JSON object"
    for key in ("id", "text"):
        if not isinstance(obj.get(key), str):
            return f"'{key}' must be a string"
    expect = obj.get("expect", [])
    if not isinstance(expect, list):
        return "'expect' must be a list"
    for i, exp in enumerate(expect):
        if not isinstance(exp, dict) or not isinstance(exp.get("content"), str) or not exp["content"]:
            return f"expect[{i}] must be an object with a non-empty 'content' string"
        if "via" in exp and not isinstance(exp["via"], list):
            return f"expect[{i}].via must be a list"
        if "modality" in exp and not isinstance(exp["modality"], list):
            return f"expect[{i}].modality must be a list"
    return None


# ----------------------------------------------------------------------------------------------- matching

_POSSESSIVE = re.compile(r"(?:'s|s')$")


def normalise_name(name: Any) -> str | None:
    """A name or field value in comparable form: lower case, curly apostrophes made straight, whitespace
    collapsed, surrounding ``, . ; :`` dropped, a leading "the " and a trailing possessive ("'s", "s'")
    removed. ``None`` and empty strings give ``None``; other values are turned into strings first."""
    if name is None:
        return None
    text = str(name).replace("’", "'").replace("‘", "'")
    text = " ".join(text.split()).strip(",.;: ").lower()
    if text.startswith("the "):
        text = text[4:]
    if _POSSESSIVE.search(text):
        text = text[:-1] if text.endswith("s'") else text[:-2]
    return text.strip() or None


def names_match(expected: str | None, predicted: Source | str | None) -> bool:
    """Whether a predicted source (a :class:`Source` or a bare name) is the ``expected`` name.

    Equal after :func:`normalise_name`; ``None`` matches only ``None``. A person source whose name ends
    with the expected full name (two words or more) after a title also matches ("Mayor Ana Brisk")."""
    exp = normalise_name(expected)
    name = predicted.name if isinstance(predicted, Source) else predicted
    pred = normalise_name(name)
    if exp is None or pred is None:
        return exp is None and pred is None
    if exp == pred:
        return True
    words = exp.split()
    if isinstance(predicted, Source) and predicted.type == "person" and len(words) >= 2:
        return pred.split()[-len(words) :] == words
    return False


def locate(text: str, content: str) -> tuple[int, int] | None:
    """Character offsets of the first occurrence of ``content`` in ``text``, trimmed of
    :data:`TRIM_CHARS` at both ends; None when it does not occur."""
    start = text.find(content)
    if start < 0:
        return None
    end = start + len(content)
    while start < end and text[start] in TRIM_CHARS:
        start += 1
    while end > start and text[end - 1] in TRIM_CHARS:
        end -= 1
    return (start, end) if end > start else None


def pick_attribution(
    attributions: Sequence[Attribution], start: int, end: int, nested: bool = False
) -> tuple[Attribution | None, bool]:
    """The predicted attribution for an expected content at ``start:end``, and whether any attribution
    contains it at all.

    ``attributions``: the report's attributions; ``nested``: prefer those reported inside another
    (``nested_in`` set) instead of those that are not. Of the preferred (or, when there are none, of all
    containing ones) the one with the shortest content wins."""
    cands = [a for a in attributions if a.content.start <= start and end <= a.content.end]
    if not cands:
        return None, False
    preferred = [a for a in cands if bool(a.nested_in) == nested] or cands
    best = min(preferred, key=lambda a: (a.content.end - a.content.start, a.content.start))
    return best, True


# ------------------------------------------------------------------------------------------------ scoring


class ChainScorer:
    """Accumulates the scores over passages: call :meth:`add_passage` for each, then :meth:`result`."""

    def __init__(self) -> None:
        self.counts = {name: Count() for name in SIMPLE_METRICS}
        self.anon = Count()
        self.per_field = {name: Count() for name in ANON_FIELDS}
        self.modality = Count()
        self.passages = 0
        self.skipped = 0
        self.lenient_names = 0
        self.failures: list[dict[str, Any]] = []

    def add_passage(self, passage: Passage, report: Report) -> None:
        """Score the expectations of ``passage`` against ``report`` (its analysis), collecting failures."""
        self.passages += 1
        sources = {s.id: s for s in report.sources}
        for exp in passage.expect:
            span = locate(passage.text, exp["content"])
            if span is None:
                self.skipped += 1
                problem = {"passage": passage.id, "problems": ["content not in text"]}
                self.failures.append({**problem, "expected": exp})
                continue
            self._score(passage, exp, span, report, sources)

    def _score(
        self,
        passage: Passage,
        exp: dict[str, Any],
        span: tuple[int, int],
        report: Report,
        sources: dict[str, Source],
    ) -> None:
        """Score one expectation located at ``span``; ``sources`` maps the report's source ids."""
        pred, found = pick_attribution(report.attributions, *span, nested=bool(exp.get("nested")))
        problems: list[str] = []

        def check(metric: str, ok: bool) -> None:
            self.counts[metric].add(ok)
            if not ok:
                problems.append(metric)

        src = sources.get(pred.source) if pred and pred.source else None
        if pred is not None and src is not None and exp.get("source") is not None:
            if normalise_name(exp["source"]) != normalise_name(src.name) and names_match(exp["source"], src):
                self.lenient_names += 1
        source_ok = pred is not None and names_match(exp.get("source"), src)
        via_names = [_name(sources, i) for i in pred.via] if pred else []
        exp_via = exp.get("via") or []
        via_ok = pred is not None and len(via_names) == len(exp_via)
        pairs = zip(exp_via, pred.via, strict=False) if pred else []
        via_ok = via_ok and all(names_match(e, sources.get(i)) for e, i in pairs)
        to_src = sources.get(pred.to) if pred and pred.to else None
        to_ok = pred is not None and names_match(exp.get("to"), to_src)
        self.counts["found"].add(found)
        if not found:
            problems.append("not found")
        check("source", source_ok)
        check("via", via_ok)
        check("to", to_ok)
        check("chains", source_ok and via_ok and to_ok)
        if "kind" in exp and exp["kind"] is not None:
            check("kind", pred is not None and pred.kind == exp["kind"])
        for fname in ANON_FIELDS:
            if fname not in exp:
                continue
            ok = pred is not None and _field_ok(fname, exp[fname], src)
            self.anon.add(ok)
            self.per_field[fname].add(ok)
            if not ok:
                problems.append(f"anonymous.{fname}")
        hedges = [h.lower() for h in (pred.hedges if pred else [])]
        for word in exp.get("modality") or []:
            ok = any(str(word).lower() in h for h in hedges)
            self.modality.add(ok)
            if not ok:
                problems.append(f"modality:{word}")
        if problems:
            self.failures.append(
                {
                    "passage": passage.id,
                    "problems": problems,
                    "expected": exp,
                    "predicted": _describe(pred, sources) if pred else None,
                    "overlapping": [] if pred else _overlapping(report.attributions, span, sources),
                    "paragraph": _paragraph(passage.text, span),
                }
            )

    def result(self) -> dict[str, Any]:
        """The scores: for each metric ``{"accuracy", "correct", "total"}`` (``modality``: ``recall``),
        ``anonymous_fields`` with ``per_field``, plus ``passages``, ``expected``, ``skipped``,
        ``lenient_name_matches`` and ``failures`` (one dict per expectation with a problem)."""
        out: dict[str, Any] = {name: c.as_dict() for name, c in self.counts.items()}
        out["anonymous_fields"] = {
            **self.anon.as_dict(),
            "per_field": {name: c.as_dict() for name, c in self.per_field.items()},
        }
        out["modality"] = self.modality.as_dict("recall")
        out["passages"] = self.passages
        out["expected"] = self.counts["found"].total + self.skipped
        out["skipped"] = self.skipped
        out["lenient_name_matches"] = self.lenient_names
        out["failures"] = self.failures
        return out


def _name(sources: dict[str, Source], sid: str | None) -> str | None:
    """The name of source ``sid`` (the id itself when unknown), or None."""
    if sid is None:
        return None
    src = sources.get(sid)
    return src.name if src else sid


def _field_ok(fname: str, expected: Any, src: Source | None) -> bool:
    """Whether the predicted source's anonymous-source field ``fname`` equals ``expected``."""
    if fname == "anonymous":
        return bool(expected) == bool(src is not None and src.anonymous)
    predicted = getattr(src, fname) if src is not None else None
    return normalise_name(expected) == normalise_name(predicted)


def _describe(pred: Attribution, sources: dict[str, Source]) -> dict[str, Any]:
    """A predicted attribution with names instead of ids, for the failure list."""
    src = sources.get(pred.source) if pred.source else None
    return {
        "content": pred.content.text,
        "cue": pred.cue.text if pred.cue else None,
        "source": src.name if src else pred.source,
        "source_type": src.type if src else None,
        "via": [_name(sources, i) for i in pred.via],
        "to": _name(sources, pred.to),
        "to_type": sources[pred.to].type if pred.to in sources else None,
        "kind": pred.kind,
        "hedges": pred.hedges,
        "nested_in": pred.nested_in,
        **({f: getattr(src, f) for f in ANON_FIELDS} if src is not None else {}),
    }


def _overlapping(
    attributions: Sequence[Attribution], span: tuple[int, int], sources: dict[str, Source]
) -> list[dict[str, Any]]:
    """Predicted attributions whose content overlaps ``span`` without containing it (for not-found
    failures), described briefly."""
    start, end = span
    return [
        {"content": a.content.text, "source": _name(sources, a.source)}
        for a in attributions
        if a.content.start < end and start < a.content.end
    ]


def _paragraph(text: str, span: tuple[int, int]) -> str:
    """The paragraph (text between blank lines) holding ``span``."""
    start = text.rfind("\n\n", 0, span[0])
    end = text.find("\n\n", span[1])
    return text[start + 2 if start >= 0 else 0 : end if end >= 0 else len(text)].strip()


# --------------------------------------------------------------------------------------------- evaluating


def evaluate_chains(
    paths: Path | str | Iterable[Path | str] = DEFAULT_DATA_DIR,
    nlp: Any = None,
    failures_path: Path | str | None = None,
) -> dict[str, Any]:
    """Analyse every passage of the chains test set with sayso and score the expected attributions.

    ``paths``: a JSON-lines file, a folder of ``*.jsonl`` files, or several of these (default: the test
    set in the repository); ``nlp``: a loaded sayso pipeline (default
    :func:`sayso.pipeline.load_pipeline`); ``failures_path``: if given, write one JSON line per failure.

    Returns the dict of :meth:`ChainScorer.result` plus ``seconds`` (wall time, model loading excluded)
    and, with ``failures_path``, ``failures_written``. Raises :class:`~sayso.errors.InputNotFound` for a
    missing path and :class:`~sayso.errors.BadInput` for a malformed line."""
    from ..analysis import analyse_article

    passages = [p for f in jsonl_files(paths) for p in read_passages(f)]
    if nlp is None:
        from ..pipeline import load_pipeline

        nlp = load_pipeline()
    t0 = time.perf_counter()
    scorer = ChainScorer()
    for passage in passages:
        article = Article(text=passage.text, outlet=passage.outlet, published=passage.published)
        scorer.add_passage(passage, analyse_article(article, nlp))
    result = scorer.result()
    result["seconds"] = round(time.perf_counter() - t0, 2)
    if failures_path is not None:
        with Path(failures_path).open("w", encoding="utf-8") as fh:
            for rec in result["failures"]:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        result["failures_written"] = len(result["failures"])
    return result
