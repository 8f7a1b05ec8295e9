"""Words to MiniLM wordpieces and back: the input side of the neural attribution tagger.

Shared by training (:mod:`sayso.training.neural`) and inference (:mod:`sayso.reader.neural`), so both see
exactly the same input. Pure functions over word lists; the WordPiece tokenizer is the one of
all-MiniLM-L6-v2 bundled in ``sayso/data/models/minilm/tokenizer.json`` and read with ``tokenizers``.

Input: one *unit* (a paragraph) as a list of words. Each word gets the wordpieces of its text; its label is read
off its first wordpiece. The token-type ids carry one structural hint, the quotation flag
(:func:`quote_flags`): 1 for words inside a quotation (marks included), 0 elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

#: The tag set, in the order of the model's output.
TAGS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
ROLES = ("source", "cue", "content")

#: The bundled WordPiece tokenizer.
TOKENIZER_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "minilm" / "tokenizer.json"

#: Most wordpieces in one encoder window, [CLS] and [SEP] included.
MAX_PIECES = 256

_OPEN = {"\u201c", "\u00ab", "\u201e", "``"}
_CLOSE = {"\u201d", "\u00bb", "''"}
_TOGGLE = {'"', "\uff02"}


@lru_cache(maxsize=2)
def load_tokenizer(path: str | None = None):
    """The WordPiece tokenizer (a ``tokenizers.Tokenizer``) with truncation and padding off.

    ``path``: a ``tokenizer.json``; default :data:`TOKENIZER_PATH`."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path or TOKENIZER_PATH))
    tok.no_truncation()
    tok.no_padding()
    return tok


def quote_flags(words: Sequence[str]) -> list[int]:
    """1 for each word inside a quotation (its marks included), else 0.

    Curly marks, guillemets and PTB's ``\u0060\u0060``/``''`` open and close; straight double quotes toggle.
    A quotation left open runs to the end of the unit, as a quote that continues into the next paragraph does.
    ``words``: the unit's words. Returns one flag per word."""
    flags: list[int] = []
    inside = False
    for w in words:
        s = w.strip()
        if s in _OPEN or (s in _TOGGLE and not inside):
            inside = True
            flags.append(1)
        elif s in _CLOSE or s in _TOGGLE:
            flags.append(1 if inside else 0)
            inside = False
        else:
            flags.append(1 if inside else 0)
    return flags


@dataclass
class Window:
    """One encoder input: wordpiece ids, token-type ids, and for each word of the window the index of its
    first wordpiece (-1 when the word has none, e.g. a control character)."""

    ids: list[int]
    type_ids: list[int]
    first: list[int]
    word_start: int  # index in the unit of the window's first word


def encode_unit(words: Sequence[str], tokenizer=None, max_pieces: int = MAX_PIECES) -> list[Window]:
    """The unit's words as one or more encoder windows of at most ``max_pieces`` wordpieces.

    A unit too long for one window is cut between words into consecutive windows (no word is split).
    ``words``: the unit's words; ``tokenizer``: from :func:`load_tokenizer` (default the bundled one).
    Returns the windows in order; together their ``first`` lists cover every word once."""
    tok = tokenizer or load_tokenizer()
    flags = quote_flags(words)
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    pieces: list[list[int]] = []
    if words:
        encs = tok.encode_batch([w if w.strip() else "" for w in words], add_special_tokens=False)
        pieces = [e.ids[: max_pieces - 2] for e in encs]
    windows: list[Window] = []
    start = 0
    while start < len(words) or not windows:
        ids, types, first = [cls_id], [0], []
        k = start
        while k < len(words) and len(ids) + len(pieces[k]) <= max_pieces - 1:
            first.append(len(ids) if pieces[k] else -1)
            ids.extend(pieces[k])
            types.extend([flags[k]] * len(pieces[k]))
            k += 1
        ids.append(sep_id)
        types.append(0)
        windows.append(Window(ids, types, first, start))
        if k == start:  # nothing fitted (cannot happen with max_pieces > 2) or no words at all
            break
        start = k
    return windows


def pad_batch(windows: Sequence[Window]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Input ids, token-type ids and attention mask (int64 arrays, padded with 0) for a batch of windows."""
    width = max(len(w.ids) for w in windows)
    ids = np.zeros((len(windows), width), dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    for r, w in enumerate(windows):
        n = len(w.ids)
        ids[r, :n] = w.ids
        types[r, :n] = w.type_ids
        mask[r, :n] = 1
    return ids, types, mask


def word_scores(logits: np.ndarray, window: Window) -> np.ndarray:
    """Per-word tag scores (words × tags) read off the first wordpiece of each word of ``window``.

    ``logits``: the window's row of the model output (pieces × tags). A word without a wordpiece takes the
    scores of the word before it (or "O" at the start)."""
    out = np.zeros((len(window.first), len(TAGS)), dtype=np.float32)
    for j, p in enumerate(window.first):
        if p >= 0:
            out[j] = logits[p]
        elif j:
            out[j] = out[j - 1]
        else:
            out[j, 0] = 10.0
    return out


def _allowed() -> np.ndarray:
    """allowed[prev, cur]: I-x may follow only B-x or I-x."""
    allowed = np.ones((len(TAGS), len(TAGS)), dtype=bool)
    for cur, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            role = tag[2:]
            for prev, ptag in enumerate(TAGS):
                allowed[prev, cur] = ptag in (f"B-{role}", f"I-{role}")
    return allowed


_ALLOWED = _allowed()
_START_OK = np.array([not t.startswith("I-") for t in TAGS])


def viterbi(scores: np.ndarray) -> list[str]:
    """The best tag sequence under BIO constraints (I-x only after B-x or I-x; never first).

    ``scores``: words × tags logits. The path maximises the sum of per-word log-probabilities. Returns one
    tag per word."""
    n = scores.shape[0]
    if n == 0:
        return []
    shifted = scores - scores.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    neg = -1e9
    trans = np.where(_ALLOWED, 0.0, neg)
    best = np.where(_START_OK, logp[0], neg)
    back = np.zeros((n, len(TAGS)), dtype=np.int64)
    for i in range(1, n):
        cand = best[:, None] + trans
        back[i] = cand.argmax(axis=0)
        best = cand.max(axis=0) + logp[i]
    path = [int(best.argmax())]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return [TAGS[k] for k in reversed(path)]


def paragraph_units(doc) -> list[list[int]]:
    """The token indices of each paragraph of a spaCy ``doc``: units end at a newline, whitespace tokens are
    left out. Training and inference cut articles into units with this one function."""
    units: list[list[int]] = []
    cur: list[int] = []
    for tok in doc:
        if tok.is_space or "\n" in tok.text:
            if "\n" in tok.text or "\n" in tok.whitespace_:
                if cur:
                    units.append(cur)
                cur = []
            continue
        cur.append(tok.i)
        if "\n" in tok.whitespace_:
            units.append(cur)
            cur = []
    if cur:
        units.append(cur)
    return units
