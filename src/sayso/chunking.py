"""Reading long articles: the parse in pieces, joined into one Doc for sayso's components.

spaCy refuses texts longer than ``nlp.max_length`` (1,000,000 characters) and its models need memory in
proportion to the text they read at once. :func:`parse` therefore cuts a long text into pieces of at most
:data:`PIECE_CHARS` characters, runs the model's own components (tokenizer, tagger, parser, NER, ...) on
each piece with ``nlp.pipe``, joins the parsed pieces into one Doc whose text is exactly the article's
(:func:`join_docs`), and only then runs sayso's components once on that Doc, so every offset they write is
an offset into the whole article and every id is numbered over the whole article.

Cuts fall where they disturb the parse least (:func:`piece_bounds`): after a blank line (a paragraph
break) if there is one in the second half of the window, else after a line break, else after the end of
a sentence, else at any whitespace; only a window without any whitespace is cut inside a word. The text
before a cut keeps its trailing whitespace, so the pieces laid end to end are the text again. Each piece
starts a sentence. A text within the limit is parsed exactly as before: ``nlp(doc)`` in one go.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import re
from collections.abc import Collection, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import numpy
from spacy.attrs import intify_attr
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from .reader.neural import move_pending

#: The neural tagger's component name: it needs only the words, so it may start before the parse ends.
NEURAL_TAGGER = "sayso_neural_roles"

#: Longest text whose words the neural tagger reads while forked processes parse it: a longer one is tagged
#: after the parse (the words of a copy of the whole text and the parsed pieces would be in memory together).
EARLY_TAGGING_CHARS = 2_000_000

#: Most characters one piece of a long text holds: well below spaCy's ``max_length`` (1,000,000), and
#: small enough that the model's working memory for a piece stays modest (en_core_web_sm takes about 400 MB
#: more while it parses 100,000 characters of news).
PIECE_CHARS = 100_000

#: Pieces parsed together in one ``nlp.pipe`` batch.
PIECE_BATCH = 1

#: Shortest text parsed in pieces on several processes when :func:`parse` is allowed more than one: below
#: this, starting the processes costs more than it saves.
PARALLEL_CHARS = 40_000

#: Cut points from the most to the least preferred: a paragraph break, a line break, a sentence's end,
#: any whitespace. A cut falls after the whitespace, so the next piece starts at a word.
_CUTS = (
    re.compile(r"\n[^\S\n]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?][\"'”’»)\]]*\s+"),
    re.compile(r"\s+"),
)

#: Token attributes carried from the parsed pieces into the joined Doc (words and spaces are given).
JOIN_ATTRS = (
    "NORM",
    "TAG",
    "POS",
    "MORPH",
    "LEMMA",
    "HEAD",
    "DEP",
    "SENT_START",
    "ENT_IOB",
    "ENT_TYPE",
    "ENT_KB_ID",
    "ENT_ID",
)


def _last_cut(text: str, lo: int, hi: int) -> int | None:
    """The end of the last match of the most preferred cut pattern in ``text[lo:hi]``, or None."""
    for rx in _CUTS:
        last = None
        for m in rx.finditer(text, lo, hi):
            last = m
        if last is not None and last.end() > lo:
            return last.end()
    return None


def piece_bounds(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """Consecutive ``(start, end)`` pieces that cover ``text``, each at most ``limit`` characters, cut at
    the best point (see the module's docstring) in the second half of each window. ``limit``: at least 2.

    >>> piece_bounds("One. Two.\\n\\nThree four five.", 16)
    [(0, 11), (11, 27)]
    >>> piece_bounds("short", 16)
    [(0, 5)]
    """
    if limit < 2:
        raise ValueError(f"piece limit must be at least 2 characters, not {limit}")
    bounds: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > limit:
        hi = start + limit
        cut = _last_cut(text, start + limit // 2, hi) or _last_cut(text, start + 1, hi) or hi
        bounds.append((start, cut))
        start = cut
    bounds.append((start, n))
    return bounds


def join_docs(vocab: Any, docs: Iterable[Doc]) -> Doc:
    """One Doc made of the parsed ``docs`` laid end to end (no whitespace added between them): their
    tokens, tags, lemmas, morphology, dependency trees, sentence starts and entities (each piece's first
    token starts a sentence). ``vocab``: the shared vocabulary. Each piece is dropped as soon as it has been
    read, and a word's string is shared by all its tokens, so the pieces and the joined Doc are never all in
    memory together."""
    attrs = [intify_attr(a) for a in JOIN_ATTRS]
    read = [intify_attr("ORTH"), intify_attr("SPACY"), *attrs]
    strings: dict[int, str] = {}
    words: list[str] = []
    spaces: list[bool] = []
    arrays: list[numpy.ndarray] = []
    for doc in docs:
        if not len(doc):
            continue
        array = doc.to_array(read)
        for orth in array[:, 0].tolist():
            word = strings.get(orth)
            if word is None:
                word = strings[orth] = vocab.strings[orth]
            words.append(word)
        spaces.extend(array[:, 1].astype(bool).tolist())
        arrays.append(array[:, 2:].copy())
    joined = Doc(vocab, words=words, spaces=spaces)
    del words, spaces, strings
    if arrays:
        array = numpy.concatenate(arrays)
        arrays.clear()
        joined.from_array(attrs, array)
    return joined


def release_free_memory() -> None:
    """Hand the memory the C allocator keeps after a long parse back to the system (glibc's
    ``malloc_trim``; nothing elsewhere). The model's working arrays for the pieces are freed by then, but
    the allocator keeps their pages, and the many small objects sayso's components make next do not reuse
    them: without this, a 10 MB article's peak memory holds both."""
    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):  # not glibc
        return
    trim(0)


def split_pipeline(nlp: Language, disable: Collection[str] = ()) -> tuple[list[str], list[str]]:
    """The names of ``nlp``'s enabled components, less ``disable``, in two parts, each in pipeline order:
    the model's own (run per piece) and sayso's (``sayso_...``, run once on the joined Doc). A sayso component
    placed before the model's (the neural tagger, which overlaps its work with the parse) runs on the joined
    Doc too."""
    names = [name for name in nlp.pipe_names if name not in disable]
    return [n for n in names if not n.startswith("sayso_")], [n for n in names if n.startswith("sayso_")]


def _parsed_pieces(nlp: Language, text: str, bounds: list[tuple[int, int]], skip: list[str]) -> Iterator[Doc]:
    """The pieces of ``text`` parsed by ``nlp`` without the components ``skip``."""
    pieces = (text[a:b] for a, b in bounds)
    for doc in nlp.pipe(pieces, disable=skip, batch_size=PIECE_BATCH):
        doc.tensor = numpy.zeros((0, 0), dtype="float32")  # the model's working vectors: not needed after
        yield doc


#: The pipeline and the components to skip, for the processes forked by :func:`_forked_pieces`.
_FORKED: dict[str, Any] = {}


def _parse_in_child(piece: str) -> bytes:
    """``piece`` parsed by the forked pipeline, as DocBin bytes holding :data:`JOIN_ATTRS`."""
    doc = _FORKED["nlp"](piece, disable=_FORKED["skip"])
    return DocBin(attrs=list(JOIN_ATTRS), docs=[doc]).to_bytes()


def spare_processes(most: int = 2) -> int:
    """How many processes a single reader may parse a long text on: the cores this process may use, at
    most ``most`` (each process holds a piece's working memory)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(most, cores))


def can_fork() -> bool:
    """Whether this platform can fork processes that inherit the loaded pipeline (POSIX, not macOS's
    default spawn-only set-ups): parsing on several processes needs it."""
    return "fork" in multiprocessing.get_all_start_methods()


class _ForkedParse:
    """Pieces of a text being parsed on forked processes: the processes are forked (and given every piece)
    when this is made, so a thread started afterwards is not copied into them; iterate to get the parsed
    pieces in order."""

    def __init__(self, nlp: Language, pieces: list[str], skip: list[str], processes: int) -> None:
        _FORKED.update(nlp=nlp, skip=skip)
        self.vocab = nlp.vocab
        self.pool = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork"))
        try:
            self.futures = [self.pool.submit(_parse_in_child, piece) for piece in pieces]
        except BaseException:
            self.close()
            raise

    def __iter__(self) -> Iterator[Doc]:
        try:
            for i, future in enumerate(self.futures):
                data = future.result()
                self.futures[i] = None  # type: ignore[call-overload]  # (its bytes are not kept)
                yield from DocBin().from_bytes(data).get_docs(self.vocab)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the processes (pieces not parsed yet are dropped)."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        _FORKED.clear()


def piece_limit(length: int, limit: int, processes: int) -> int:
    """The piece size for a text of ``length`` characters parsed ``processes`` at a time with pieces of at most
    ``limit``: about an equal share per process for a text from :data:`PARALLEL_CHARS` up (cuts fall in the
    second half of a window, so the share gets some slack), else ``limit``.

    >>> piece_limit(90_000, 100_000, 2), piece_limit(90_000, 100_000, 1), piece_limit(9_000_000, 100_000, 2)
    (51751, 100000, 100000)
    """
    if processes < 2 or length < PARALLEL_CHARS:
        return limit
    return min(limit, int(length / processes * 1.15) + 1)


def parse(
    nlp: Language,
    text: str,
    article: Any = None,
    *,
    limit: int | None = None,
    disable: Collection[str] = (),
    processes: int = 1,
) -> Doc:
    """``text`` run through ``nlp`` as one Doc, whatever its length.

    ``article``: set as ``doc._.sayso_article`` before sayso's components run (None: left unset);
    ``limit``: most characters parsed at once (default: :data:`PIECE_CHARS`; never more than
    ``nlp.max_length``); ``disable``: components not to run; ``processes``: how many processes may parse
    pieces at once (a text from :data:`PARALLEL_CHARS` characters up is then cut into at least that many
    pieces, parsed by forked copies of this process; 1, or a platform that cannot fork: all in this
    process). A text within the limit is parsed in one go, as ``nlp(doc)`` would; a longer one in pieces
    joined before sayso's components (see the module's docstring). Returns the annotated Doc, whose ``text``
    is ``text``."""
    limit = min(limit or PIECE_CHARS, nlp.max_length)
    processes = processes if can_fork() else 1
    bounds = piece_bounds(text, piece_limit(len(text), limit, processes))
    if len(bounds) == 1:
        doc = nlp.make_doc(text)
        if article is not None:
            doc._.sayso_article = article
        return nlp(doc, disable=list(disable))
    model, late = split_pipeline(nlp, disable)
    skip = [name for name in nlp.pipe_names if name not in model]
    early: Doc | None = None
    doc = None
    if processes > 1:
        try:
            forked = _ForkedParse(nlp, [text[a:b] for a, b in bounds], skip, min(processes, len(bounds)))
            if (
                late
                and late[0] == NEURAL_TAGGER
                and getattr(nlp.get_pipe(NEURAL_TAGGER), "overlap", False)
                and len(text) <= EARLY_TAGGING_CHARS
            ):
                # the neural tagger reads only the words: it tags them on a thread of this process meanwhile
                early = nlp.get_pipe(NEURAL_TAGGER)(nlp.tokenizer(text))  # (make_doc refuses a long text)
            doc = join_docs(nlp.vocab, forked)
        except (OSError, BrokenProcessPool):
            # no process could be started, or one died (out of memory?): parse here instead
            doc = None
    if doc is None:
        doc = join_docs(nlp.vocab, _parsed_pieces(nlp, text, bounds, skip))
    release_free_memory()
    if article is not None:
        doc._.sayso_article = article
    if early is not None and move_pending(early, doc):
        late = late[1:]
    early = None  # (its tokens: not needed once its tagging is handed over)
    for name in late:
        doc = nlp.get_pipe(name)(doc)
    return doc
