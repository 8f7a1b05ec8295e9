"""Throughput of the full sayso pipeline compared with a bare spaCy parse of the same texts.

Both pipelines are warmed up on the first text, then each is timed separately on the whole corpus,
repeating the corpus until at least ``min_seconds`` of work has been timed. The full run includes
building the report (:func:`sayso.report.build_report`) for every document. Words are counted as
whitespace-separated tokens of the text.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from . import extensions  # noqa: F401  (registers the Doc attributes set below)
from .errors import BadInput, InputNotFound


def example_text() -> str:
    """The bundled example article (``sayso/data/example.txt``)."""
    return resources.files("sayso").joinpath("data/example.txt").read_text(encoding="utf-8")


def load_corpus(corpus: str | Path | None = None) -> list[str]:
    """The texts to benchmark: every ``*.txt`` in ``corpus`` (sorted by name), or the bundled example.

    ``corpus``: a folder, or ``None``. Raises :class:`InputNotFound` for a missing folder and
    :class:`BadInput` when it holds no non-empty ``.txt`` file."""
    if corpus is None:
        return [example_text()]
    folder = Path(corpus)
    if not folder.is_dir():
        raise InputNotFound(f"corpus folder not found: {folder}")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    texts = [t for t in texts if t.strip()]
    if not texts:
        raise BadInput(f"no non-empty .txt files in {folder}")
    return texts


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _timed(run: Callable[[Sequence[str]], None], texts: Sequence[str], min_seconds: float) -> tuple[float, int]:
    """Run ``run`` over ``texts`` until ``min_seconds`` have passed; return (seconds, passes)."""
    passes, elapsed = 0, 0.0
    while passes == 0 or elapsed < min_seconds:
        t0 = time.perf_counter()
        run(texts)
        elapsed += time.perf_counter() - t0
        passes += 1
    return elapsed, passes


def run_bench(
    texts: Sequence[str],
    nlp: Any = None,
    bare: Any = None,
    min_seconds: float = 3.0,
    batch_size: int = 16,
) -> dict[str, float | int]:
    """Time the full pipeline and a bare model parse on ``texts``.

    ``texts``: the articles; ``nlp``: the full pipeline (default :func:`sayso.pipeline.load_pipeline`);
    ``bare``: the bare model (default a fresh :func:`sayso.pipeline.load_base_model`); ``min_seconds``:
    least timed work per pipeline; ``batch_size``: documents per ``nlp.pipe`` batch.

    Returns ``articles_per_s``, ``words_per_s``, ``bare_articles_per_s``, ``bare_words_per_s``,
    ``ratio`` (full time ÷ bare time per pass), ``articles``, ``words`` (of one pass), ``seconds``,
    ``bare_seconds``, ``passes``, ``bare_passes`` and ``peak_rss_mb``."""
    from .pipeline import load_base_model, load_pipeline
    from .report import build_report
    from .schema import Article

    if not texts:
        raise BadInput("nothing to benchmark: no texts")
    nlp = nlp if nlp is not None else load_pipeline()
    bare = bare if bare is not None else load_base_model()

    def full(batch: Sequence[str]) -> None:
        def docs():
            for text in batch:
                doc = nlp.make_doc(text)
                doc._.sayso_article = Article(text=text)
                yield doc

        for doc in nlp.pipe(docs(), batch_size=batch_size):
            build_report(doc)

    def plain(batch: Sequence[str]) -> None:
        for _ in bare.pipe(batch, batch_size=batch_size):
            pass

    full(texts[:1])
    plain(texts[:1])
    seconds, passes = _timed(full, texts, min_seconds)
    bare_seconds, bare_passes = _timed(plain, texts, min_seconds)
    articles = len(texts)
    words = sum(len(t.split()) for t in texts)
    per_pass, bare_per_pass = seconds / passes, bare_seconds / bare_passes
    return {
        "articles_per_s": round(articles / per_pass, 3),
        "words_per_s": round(words / per_pass, 1),
        "bare_articles_per_s": round(articles / bare_per_pass, 3),
        "bare_words_per_s": round(words / bare_per_pass, 1),
        "ratio": round(per_pass / bare_per_pass, 3),
        "articles": articles,
        "words": words,
        "seconds": round(seconds, 3),
        "bare_seconds": round(bare_seconds, 3),
        "passes": passes,
        "bare_passes": bare_passes,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
