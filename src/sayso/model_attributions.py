"""Attributions the rules missed, read off the trained role tagger's spans (``doc.spans["sayso_roles"]``).

The rules are precise; the tagger (:mod:`sayso.role_tagger`) finds more cues and sources. For each cue the
tagger marks that no rule attribution covers, this module links the nearest free source span and the
content span(s) of the same sentence into a new attribution; sources and chains are then resolved like
every other attribution. Nothing happens when the tagger is not in the pipeline.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .attribution import RawAttribution, _hedges, _kind, _trim_chars
from .extensions import doc_text
from .quotes import Quote

ROLES_KEY = "sayso_roles"


def _overlaps(span: Span, taken: list[tuple[int, int]]) -> bool:
    return any(span.start_char < b and a < span.end_char for a, b in taken)


def model_attributions(doc: Doc, raws: list[RawAttribution], quotes: list[Quote]) -> list[RawAttribution]:
    """New attributions for the tagger's cues that no attribution in ``raws`` covers (see module doc)."""
    if ROLES_KEY not in doc.spans:
        return []
    text = doc_text(doc)
    taken: list[tuple[int, int]] = []
    for r in raws:
        taken.append(r.content)
        taken.extend(r.parts)
        if r.cue:
            taken.append(r.cue)
        if r.source_tokens:
            a, b = r.source_tokens
            taken.append((doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)))
    spans = [s for s in doc.spans[ROLES_KEY] if not _overlaps(s, taken)]
    out: list[RawAttribution] = []
    for cue in (s for s in spans if s.label_ == "cue"):
        sent = cue.sent
        in_sent = [s for s in spans if s.sent == sent and s is not cue]
        contents = [s for s in in_sent if s.label_ == "content"]
        if not contents:
            continue
        sources = [s for s in in_sent if s.label_ == "source"]
        source = min(sources, key=lambda s: abs(s.start - cue.start)) if sources else None
        parts = [_trim_chars(text, s.start_char, s.end_char) for s in contents]
        parts = [p for p in parts if p[1] - p[0] > 1]
        clause = [c for c in cue.root.children if c.dep_ in ("ccomp", "xcomp") and c.i > cue.root.i]
        if clause:
            # the parse knows the complement's extent better than the tagger's boundaries
            c = clause[0]
            clause_chars = _trim_chars(text, doc[c.left_edge.i].idx, doc[c.right_edge.i].idx + len(doc[c.right_edge.i]))
            if any(p[0] < clause_chars[1] and clause_chars[0] < p[1] for p in parts):
                parts = [clause_chars]
        if not parts:
            continue
        content = (parts[0][0], parts[-1][1])
        out.append(
            RawAttribution(
                content=content,
                cue=(cue.start_char, cue.end_char),
                kind=_kind(text, content, quotes),
                source_tokens=(source.start, source.end) if source is not None else None,
                cue_token=cue.root.i,
                hedges=_hedges(text, [(cue.start_char, cue.end_char), *parts]),
                parts=parts if len(parts) > 1 else [],
            )
        )
    return out
