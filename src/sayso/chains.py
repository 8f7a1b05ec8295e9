"""Reporting chains: on whose say-so each attribution reaches the reader.

The article's own outlet is the root of every chain. An attribution's ``via`` lists the relays between the
root and the source, outermost first:

- nested attributions ("Vyorstka reported, citing sources in the Kremlin, that ...") are relayed by the outer
  attribution's source (and whatever relays that one);
- "was quoted as saying by the outlet" makes the outlet a relay;
- "told the outlet", "told Vyorstka", "confirmed ... to Vyorstka" make the recipient outlet a relay;
  "told The Moscow Times" (the article's own outlet) is direct: no relay, recipient = the article's outlet;
- a source first heard through a relay keeps that channel for its later statements ("the source said",
  "they added") unless a statement names another one.

``hops`` is the number of reporting steps from the article to the source (1 = the article's outlet heard it
directly, or the source is the article itself when 0).
"""

from __future__ import annotations

from spacy.tokens import Doc

from .extensions import article_data, doc_text
from .quotes import Quote
from .reader.raw import RawAttribution
from .schema import CLAIM_KINDS, Attribution, Source
from .schema import Span as SpanModel
from .sources import SourceRegistry


def _span(doc: Doc, a: int, b: int) -> SpanModel:
    return SpanModel(start=a, end=b, text=doc_text(doc)[a:b])


def _mention_order(r: RawAttribution) -> int:
    if r.source_tokens is not None:
        return r.source_tokens[0]
    return r.cue_token if r.cue_token is not None else 10**9


def build_attributions(
    doc: Doc, raws: list[RawAttribution], quotes: list[Quote]
) -> tuple[list[Source], list[Attribution]]:
    """Resolve sources, recipients and relays of ``raws`` and compute their chains.

    Returns the merged sources and the attributions (ids "s1".., "a1".. in text order)."""
    registry = SourceRegistry(doc, article_data(doc).get("outlet"))
    root = registry.article_outlet_id
    source_of: dict[int, str | None] = {}
    recipient_of: dict[int, str | None] = {}
    relay_of: dict[int, str | None] = {}

    # 1. resolve mentions in the order they are written (so "the source" finds the one before it)
    events: list[tuple[int, int, str]] = []  # (token position, raw index, role)
    for k, r in enumerate(raws):
        if r.source_tokens is not None:
            events.append((r.source_tokens[0], k, "source"))
        if r.recipient_tokens is not None:
            events.append((r.recipient_tokens[0], k, "recipient"))
        if r.relay_tokens is not None:
            events.append((r.relay_tokens[0], k, "relay"))
    events.sort()
    for _, k, role in events:
        r = raws[k]
        toks = {"source": r.source_tokens, "recipient": r.recipient_tokens, "relay": r.relay_tokens}[role]
        sid = registry.resolve(*toks, role=role)
        {"source": source_of, "recipient": recipient_of, "relay": relay_of}[role][k] = sid

    index = {id(r): k for k, r in enumerate(raws)}

    def source_id(k: int, depth: int = 0) -> str | None:
        if k in source_of:
            return source_of[k]
        r = raws[k]
        if r.inherit_from is not None and depth < 20 and id(r.inherit_from) in index:
            return source_id(index[id(r.inherit_from)], depth + 1)
        return None

    def inherited(k: int, table: dict[int, str | None]) -> str | None:
        r = raws[k]
        seen = 0
        while r is not None and seen < 20:
            kk = index.get(id(r))
            if kk is not None and table.get(kk):
                return table[kk]
            r = r.inherit_from if r.continuation or r.source_tokens is None else None
            seen += 1
        return None

    by_id = {s.id: s for s in registry.sources}
    channel: dict[str, list[str]] = {}  # source id -> via established for it
    vias: dict[int, list[str]] = {}
    tos: dict[int, str | None] = {}
    default_to: dict[str, str] = {}  # source id -> recipient of its first attribution
    # in the order the sources are written (so a source's first channel is set by its first statement),
    # but an outer attribution always before those nested in it, so they can extend its chain
    order: list[int] = []
    placed: set[int] = set()

    def place(k: int, depth: int = 0) -> None:
        if k in placed:
            return
        parent = raws[k].nested_in
        if parent is not None and id(parent) in index and depth < 20:
            place(index[id(parent)], depth + 1)
        placed.add(k)
        order.append(k)

    for k in sorted(range(len(raws)), key=lambda k: _mention_order(raws[k])):
        place(k)
    for k in order:
        r = raws[k]
        sid = source_id(k)
        to = recipient_of.get(k) or inherited(k, recipient_of)
        relay = relay_of.get(k) or inherited(k, relay_of)
        via: list[str]
        if r.nested_in is not None and id(r.nested_in) in index:
            pk = index[id(r.nested_in)]
            parent_sid = source_id(pk)
            via = list(vias.get(pk, []))
            if parent_sid and parent_sid != root:
                via.append(parent_sid)
        elif relay and relay != sid:
            via = [*channel.get(relay, []), relay] if relay != root else []
        elif to and by_id.get(to) is not None and by_id[to].type == "outlet" and to != sid:
            via = [] if to == root else [*channel.get(to, []), to]
        elif sid in channel:
            via = list(channel[sid])
        else:
            via = []
        via = [v for v in via if v != sid and v != root]
        # the recipient: "told X"; else the relay that quotes it ("quoted by X"); else, for a nested
        # attribution, the outer source ("X reported, citing sources"); else whom this source spoke to before
        if not to and relay and relay != sid:
            to = relay
        if not to and r.nested_in is not None and id(r.nested_in) in index:
            to = source_id(index[id(r.nested_in)])
            if to == sid:  # a source that goes on speaking, not one that told itself
                to = None
        if sid and sid != root and sid not in channel and (relay or to or r.nested_in is not None):
            channel[sid] = via
            if to:
                default_to[sid] = to
        elif not to and sid in default_to and channel.get(sid) == via:
            to = default_to[sid]
        vias[k] = via
        tos[k] = to

    atts: list[Attribution] = []
    order = sorted(
        range(len(raws)),
        key=lambda k: (
            raws[k].content[0],
            raws[k].nested_in is not None,
            raws[k].cue[0] if raws[k].cue else 0,
        ),
    )
    ids = {k: f"a{n + 1}" for n, k in enumerate(order)}
    for k in order:
        r = raws[k]
        sid = source_id(k)
        via = vias.get(k, [])
        src_tokens = r.source_tokens
        if src_tokens is None and r.inherit_from is not None and not r.continuation:
            src_tokens = r.inherit_from.source_tokens
        source_span = None
        if src_tokens is not None:
            a, b = doc[src_tokens[0]].idx, doc[src_tokens[1] - 1].idx + len(doc[src_tokens[1] - 1].text)
            source_span = _span(doc, a, b)
        if sid is None:
            hops, chain = (0, [root] if root else [])
        elif sid == root:
            hops, chain = 0, [root]
        else:
            hops = len(via) + 1
            chain = ([root] if root else []) + via + [sid]
        to = tos.get(k)
        parent = index.get(id(r.nested_in)) if r.nested_in is not None else None
        nested = ids.get(parent) if parent is not None else None
        atts.append(
            Attribution(
                id=ids[k],
                source=sid,
                source_span=source_span,
                cue=_span(doc, *r.cue) if r.cue else None,
                content=_span(doc, *r.content),
                content_parts=[_span(doc, a, b) for a, b in r.parts],
                kind=r.kind,  # type: ignore[arg-type]
                via=via,
                to=to,
                hops=hops,
                chain=chain,
                nested_in=nested,
                hedges=r.hedges,
            )
        )
    # origins: sources cited inside an attribution (one whose belief or plan is reported is no origin:
    # "Ostrevia intends to buy tanks, according to the Lantern" is the Lantern's claim)
    by_att = {a.id: a for a in atts}
    for a in atts:
        if a.nested_in and a.source and a.nested_in in by_att and a.kind in CLAIM_KINDS:
            by_att[a.nested_in].origins.append(a.source)
    used = {a.source for a in atts} | {a.to for a in atts} | {v for a in atts for v in a.via}
    sources = [s for s in registry.sources if s.id in used or s.is_article_outlet]
    return sources, atts
