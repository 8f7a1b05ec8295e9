"""Token-level BIO labels from sayso's attributions, for pre-tokenised benchmarks (CofeNet's PolNeAR files).

CofeNet's files give each sentence as a list of tokens with one BIO tag per token (``B-source``,
``I-content``, ...). :func:`label_units` rebuilds each article from its consecutive lines (so a speaker can be
found across sentences), runs the sayso pipeline once on the given tokens (no re-tokenisation: token *i* of the
file is token *i* of the Doc) and projects every outermost attribution's source, cue and content back onto the
tokens. Where roles overlap on a token, the cue wins over the source, and the source over the content.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import get_attributions
from ..quotes import Quote
from ..schema import Article, Attribution

ROLE_PRIORITY = {"content": 0, "source": 1, "cue": 2}

_NO_SPACE_BEFORE = {
    ",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "''", "”", "’", "'s", "’s", "n't", "'re", "'ve", "'ll", "'d", "'m"
}  # fmt: skip
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``", "“", "‘"}


def spaces_for(tokens: Sequence[str]) -> list[bool]:
    """Whether each token is followed by a space, so the rebuilt text reads naturally ("said , " -> "said, ")."""
    spaces = []
    for k, tok in enumerate(tokens):
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        space = nxt is not None and nxt.lower() not in _NO_SPACE_BEFORE and tok not in _NO_SPACE_AFTER
        spaces.append(space)
    return spaces


def _roles(att: Attribution) -> list[tuple[str, int, int]]:
    out = []
    contents = att.content_parts or [att.content]
    out += [("content", c.start, c.end) for c in contents]
    if att.source_span is not None:
        out.append(("source", att.source_span.start, att.source_span.end))
    if att.cue is not None:
        out.append(("cue", att.cue.start, att.cue.end))
    return out


def _with_quote_marks(text: str, start: int, end: int, quotes: Sequence[Quote]) -> tuple[int, int]:
    """CofeNet's contents of direct quotes include the quote marks and the punctuation before the closing mark
    (`` It 's an invasion , '' ): grow a content that fills a quotation to the whole quotation."""
    for q in quotes:
        if q.inner_start <= start + 1 and start <= q.inner_start + 1 and end <= q.inner_end:
            if not text[end : q.inner_end].strip(" ,.;:!?…\u2063"):
                return q.start, q.end
    return start, end


def bio_labels(doc: Doc, attributions: Sequence[Attribution], quotes: Sequence[Quote] | None = None) -> list[str]:
    """One BIO label per token of ``doc`` from the outermost ``attributions`` (nested ones are skipped, as
    PolNeAR annotates only the outermost attribution). With ``quotes``, contents that fill a quotation are
    labelled with its quote marks (CofeNet's convention)."""
    role_of: list[tuple[int, str, int] | None] = [None] * len(doc)  # (priority, role, span id)
    span_id = 0
    text = doc.text
    for att in attributions:
        if att.nested_in is not None:
            continue
        for role, start, end in _roles(att):
            if role == "content" and quotes:
                start, end = _with_quote_marks(text, start, end, quotes)
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            span_id += 1
            for tok in span:
                if tok.is_space:
                    continue
                current = role_of[tok.i]
                if current is None or ROLE_PRIORITY[role] > current[0]:
                    role_of[tok.i] = (ROLE_PRIORITY[role], role, span_id)
    labels = []
    for i, item in enumerate(role_of):
        if item is None:
            labels.append("O")
            continue
        prev = role_of[i - 1] if i > 0 else None
        begin = prev is None or prev[1:] != item[1:]
        labels.append(("B-" if begin else "I-") + item[1])
    return labels


def label_units(units: Sequence[Sequence[str]], nlp: Language, paragraphs: bool = True) -> list[list[str]]:
    """Labels for consecutive sentence-like ``units`` (token lists) of one article, analysed together.

    With ``paragraphs`` each unit is set as a paragraph of its own (a blank line between units), so quote
    paragraphs and colon lead-ins are read as in the original article; the separators are whitespace tokens
    that get no label."""
    words: list[str] = []
    spaces: list[bool] = []
    index: list[int] = []  # position in ``words`` of each given token
    for unit in units:
        if not unit:
            continue
        if words and paragraphs:
            spaces[-1] = False
            words.append("\n\n")
            spaces.append(False)
        unit_spaces = spaces_for(unit)
        unit_spaces[-1] = True
        for tok, space in zip(unit, unit_spaces, strict=True):
            index.append(len(words))
            words.append(tok)
            spaces.append(space)
    if not words:
        return [[] for _ in units]
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    doc._.sayso_article = Article(text=doc.text)
    doc = nlp(doc)
    quotes = [Quote(**q) for q in doc._.sayso_quotes or ()]
    labels = bio_labels(doc, get_attributions(doc), quotes)
    given = [labels[i] for i in index]
    out, k = [], 0
    for unit in units:
        out.append(given[k : k + len(unit)])
        k += len(unit)
    return out
