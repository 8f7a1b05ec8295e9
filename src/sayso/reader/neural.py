"""``sayso_neural_roles``: the neural attribution tagger, a fine-tuned MiniLM-L6 run as int8 ONNX on the CPU.

Output: ``doc.spans["sayso_roles"]``, token spans labelled ``"source"``, ``"cue"`` or ``"content"`` in document
order, never overlapping (one span per BIO run: a content interrupted by its cue gives two spans). Each span's
mean tag probability is in ``doc.spans["sayso_roles"].attrs["scores"]``. The attribution component
(:mod:`sayso.attribution`) links the spans into attributions and resolves their sources and chains.

The article is read paragraph by paragraph (:func:`sayso.reader.encoding.paragraph_units`); the paragraph's
spaCy tokens are the words, split into MiniLM wordpieces, and each token's tag is read off its first wordpiece
and decoded with constrained Viterbi. No torch at run time: onnxruntime runs ``model.onnx`` (trained by
``sayso train attribution``, :mod:`sayso.training.neural`), shipped in ``sayso/data/models/neural``::

    nlp = load_base_model()
    nlp.add_pipe("sayso_neural_roles")
    doc = nlp("The minister said the bridge would reopen.")
    [(s.text, s.label_) for s in doc.spans["sayso_roles"]]
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from ..errors import MissingResource
from ..extensions import doc_cache
from .encoding import TAGS, Window, encode_unit, load_tokenizer, pad_batch, paragraph_units, viterbi, word_scores

#: The span group the component writes (the same key the attribution component reads).
SPANS_KEY = "sayso_roles"

#: The shipped model's folder: ``model.onnx`` and ``training-record.json``.
MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "models" / "neural"

#: Most windows per onnxruntime call. Only windows of the same length share a call, so no padding is ever
#: added: padding would change int8 results (activations are quantised per call) and waste time.
BATCH = 32

#: Most units (paragraphs) encoded at once: an article's paragraphs are read in blocks of this many.
BLOCK_UNITS = 2_000


@lru_cache(maxsize=2)
def load_session(model_dir: str | None = None):
    """An onnxruntime session for ``model.onnx`` in ``model_dir`` (default :data:`MODEL_DIR`), on the CPU.

    Threads: ``SAYSO_THREADS`` if set, else one: windows run one at a time, and on a 2-core CPU one thread
    reads PolNeAR dev's paragraphs about twice as fast as two (3.8 s against 8.1 s for 29,546 words), which
    spin against each other and against the parser."""
    import onnxruntime as ort

    path = Path(model_dir or MODEL_DIR) / "model.onnx"
    if not path.exists():
        raise MissingResource(f"the neural attribution model is missing ({path}): reinstall sayso or use --fast")
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = int(os.environ.get("SAYSO_THREADS") or 1)
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def onnx_logits(model_dir: str | None = None) -> Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    """A function ``(input_ids, token_type_ids, attention_mask) -> logits`` running the shipped model."""
    session = load_session(model_dir)

    def run(ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return session.run(["logits"], {"input_ids": ids, "token_type_ids": types, "attention_mask": mask})[0]

    return run


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def tag_units(
    run_logits: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
    units: Sequence[Sequence[str]],
    tokenizer=None,
    batch_size: int = BATCH,
) -> tuple[list[list[str]], list[np.ndarray]]:
    """BIO tags and per-word tag probabilities for each unit (a list of words).

    ``run_logits``: the encoder (see :func:`onnx_logits`); ``units``: word lists; ``tokenizer``: default the
    bundled one. Windows of equal length run together, at most ``batch_size`` a call, among :data:`BLOCK_UNITS`
    units at a time (a long text's wordpieces are never all in memory). Returns (tags, probabilities) per unit."""
    tok = tokenizer or load_tokenizer()
    if len(units) > BLOCK_UNITS:
        tags: list[list[str]] = []
        probs: list[np.ndarray] = []
        for start in range(0, len(units), BLOCK_UNITS):
            t, p = tag_units(run_logits, units[start : start + BLOCK_UNITS], tok, batch_size)
            tags.extend(t)
            probs.extend(p)
        return tags, probs
    windows: list[tuple[int, Window]] = [(u, w) for u, words in enumerate(units) for w in encode_unit(words, tok)]
    # windows of one length run together (no padding); the batches depend on this article's words alone
    by_length: dict[int, list[int]] = {}
    for i, (_, w) in enumerate(windows):
        by_length.setdefault(len(w.ids), []).append(i)
    chunks = [ids[k : k + batch_size] for _, ids in sorted(by_length.items()) for k in range(0, len(ids), batch_size)]
    scores: dict[int, np.ndarray] = {}
    for chunk in chunks:
        ids, types, mask = pad_batch([windows[i][1] for i in chunk])
        logits = run_logits(ids, types, mask)
        for r, i in enumerate(chunk):
            scores[i] = word_scores(logits[r], windows[i][1])
    per_unit: list[list[np.ndarray]] = [[] for _ in units]
    for i, (u, _) in enumerate(windows):
        per_unit[u].append(scores[i])
    tags, probs = [], []
    for parts, words in zip(per_unit, units, strict=True):
        s = np.concatenate(parts) if parts else np.zeros((0, len(TAGS)), dtype=np.float32)
        s = s[: len(words)]
        tags.append(viterbi(s))
        probs.append(_softmax(s))
    return tags, probs


def bio_runs(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, role)`` token runs of a BIO sequence (``end`` exclusive)."""
    out: list[tuple[int, int, str]] = []
    cur: tuple[int, str] | None = None
    for i, t in enumerate([*tags, "O"]):
        if cur is not None and not (t.startswith("I-") and t[2:] == cur[1]):
            out.append((cur[0], i, cur[1]))
            cur = None
        if t.startswith("B-") or (t.startswith("I-") and cur is None):
            cur = (i, t[2:])
    return out


class NeuralRoleTagger:
    """spaCy component ``sayso_neural_roles``: tags source, cue and content spans with the neural model and
    writes them to ``doc.spans["sayso_roles"]`` (see the module docstring).

    ``model_dir``: a folder holding ``model.onnx`` (default the shipped model); ``overlap``: tag on a
    background thread while the components after this one run (place it before the parser); the spans are
    written when :func:`finish_roles` is called, as the attribution component does first. The results are the
    same either way."""

    def __init__(self, model_dir: str | None = None, overlap: bool = False) -> None:
        self.model_dir = model_dir
        self.overlap = overlap
        self._run: Callable | None = None

    def _runner(self) -> Callable:
        if self._run is None:
            self._run = onnx_logits(self.model_dir)
        return self._run

    def __call__(self, doc: Doc) -> Doc:
        """Tag ``doc`` and return it with ``doc.spans["sayso_roles"]`` set; with ``overlap``, start tagging
        on a background thread and return at once (:func:`finish_roles` sets the spans)."""
        # compact for long texts: token indices as 4-byte integers, one string per distinct word
        units = [array("i", u) for u in paragraph_units(doc)]
        strings: dict[int, str] = {}
        orths = doc.to_array("ORTH").tolist()
        words = [[strings.get(orths[i]) or strings.setdefault(orths[i], doc[i].text) for i in u] for u in units]
        if self.overlap and units:
            # the encoder runs (outside the GIL) while the parser and the other components work on this doc
            pending = _pool().submit(tag_units, self._runner(), words)
            doc_cache(doc)[_PENDING] = (units, pending)
            return doc
        tags, probs = tag_units(self._runner(), words) if units else ([], [])
        return _write_spans(doc, units, tags, probs)


def finish_roles(doc: Doc) -> Doc:
    """Wait for tagging started by an overlapping :class:`NeuralRoleTagger` and write its spans (nothing to do
    when none is pending). The attribution component calls this first."""
    pending = doc_cache(doc).pop(_PENDING, None)
    if pending is not None:
        units, future = pending
        tags, probs = future.result()
        _write_spans(doc, units, tags, probs)
    return doc


def move_pending(source: Doc, target: Doc) -> bool:
    """Hand the tagging an overlapping :class:`NeuralRoleTagger` started on ``source`` over to ``target``, a
    Doc with the same tokens (the same text parsed in pieces, say), so that :func:`finish_roles` on ``target``
    writes its spans. Returns whether it was handed over: False when nothing is pending on ``source`` or the
    tokens differ (the pending work is then dropped, and ``target`` must be tagged afresh)."""
    pending = doc_cache(source).pop(_PENDING, None)
    if pending is None:
        return False
    if len(source) != len(target) or any(a.text != b.text for a, b in zip(source, target, strict=True)):
        pending[1].cancel()
        return False
    doc_cache(target)[_PENDING] = pending
    return True


_PENDING = "neural_roles_pending"


_POOLS: dict[int, ThreadPoolExecutor] = {}


def _pool() -> ThreadPoolExecutor:
    """One background thread per process for overlapped tagging (onnxruntime releases the GIL while it runs).
    Keyed by process id: a process forked from one that had a pool (``nlp.pipe(n_process=2)``) gets its own,
    since a fork copies the pool but not its thread."""
    pid = os.getpid()
    pool = _POOLS.get(pid)
    if pool is None:
        pool = _POOLS[pid] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sayso-neural")
    return pool


def _write_spans(doc: Doc, units: list[list[int]], tags: list[list[str]], probs: list[np.ndarray]) -> Doc:
    """Write the BIO runs of each unit to ``doc.spans["sayso_roles"]`` with their mean tag probability."""
    spans: list[Span] = []
    scores: list[float] = []
    for idx, tg, pr in zip(units, tags, probs, strict=True):
        for a, b, role in bio_runs(tg):
            spans.append(Span(doc, idx[a], idx[b - 1] + 1, label=role))
            cols = [TAGS.index(t) for t in tg[a:b]]
            scores.append(round(float(np.mean([pr[a + k, c] for k, c in enumerate(cols)])), 4))
    group = SpanGroup(doc, name=SPANS_KEY, spans=spans)
    group.attrs["scores"] = scores
    doc.spans[SPANS_KEY] = group
    return doc


@Language.factory(
    "sayso_neural_roles",
    default_config={"model_dir": None, "overlap": False},
    assigns=["doc.spans"],
)
def make_neural_role_tagger(nlp: Language, name: str, model_dir: str | None, overlap: bool) -> NeuralRoleTagger:
    """Factory for :class:`NeuralRoleTagger` (``nlp.add_pipe("sayso_neural_roles")``).

    ``nlp``: the pipeline; ``name``: the component's name; ``model_dir`` and ``overlap``: see
    :class:`NeuralRoleTagger`. Returns the component."""
    return NeuralRoleTagger(model_dir=model_dir, overlap=overlap)
