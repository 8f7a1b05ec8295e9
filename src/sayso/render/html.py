"""One self-contained HTML page for a report: the article text with sources, cues, contents, times,
quantities and places highlighted, and the reporting chains beside it.

The page loads nothing: CSS and a few lines of JavaScript are inline, and a Content-Security-Policy
meta tag allows only those two blocks (by their SHA-256 hashes), so even a string that escaped escaping
could not run a script or fetch anything. Every string from the article or the report goes through
:func:`esc` (``html.escape`` with ``quote=True``).

Overlapping and nested spans are handled by cutting the text at every span boundary: each piece is one
flat ``<span>``/``<a>`` whose classes name every layer covering it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections import OrderedDict
from dataclasses import dataclass

from ..schema import Attribution, Place, Report
from . import (
    KIND_LABELS,
    ChainNode,
    Index,
    chain_tree,
    coordinates,
    describe_place,
    describe_quantity,
    describe_time,
    number,
    recipient,
    source_details,
    trim,
)
from .map import anchor, countries_in_view, load_outline, map_svg, map_view, off_map, pins

#: Highlight layers, in the order they are drawn (later layers win where CSS rules collide).
LAYERS = ("content", "source", "anon", "cue", "time", "quantity", "place")

LEGEND = (
    ("content", "claim content (what is said)"),
    ("source", "named source"),
    ("anon", "anonymous source"),
    ("cue", "attribution cue (said, told, according to)"),
    ("time", "time (value in tooltip)"),
    ("quantity", "quantity (value in tooltip)"),
    ("place", "place (location in tooltip)"),
)

CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 Georgia,'Times New Roman',serif;color:#1d1d1f;background:#fafaf7}
header{padding:1.2em 2em .6em;border-bottom:1px solid #ddd;background:#fff}
header h1{margin:0 0 .2em;font-size:1.5em;line-height:1.25}
.meta,.small{color:#555;font:13px/1.5 system-ui,sans-serif}
.meta a{color:#555}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.5em;padding:1em 2em}
@media (max-width:900px){main{grid-template-columns:1fr}}
.article{white-space:pre-wrap;background:#fff;padding:1em 1.3em;border:1px solid #e3e3e3;border-radius:6px}
aside{font:14px/1.45 system-ui,sans-serif}
.panel{position:sticky;top:.5em;max-height:calc(100vh - 1em);overflow:auto;background:#fff;
 border:1px solid #e3e3e3;border-radius:6px;padding:.6em 1em}
h2{font:600 15px/1.3 system-ui,sans-serif;margin:1em 0 .4em;text-transform:uppercase;letter-spacing:.04em;
 color:#444}
a.m,span.m{color:inherit;text-decoration:none}
.l-content{background:#fff4c2}
.l-source{background:#cfe6ff;border-radius:2px}
.l-anon{background:#ffd3d3;border-radius:2px}
.l-cue{background:#ffc98a;font-weight:600}
.l-time{border-bottom:2px solid #2e9d4a}
.l-quantity{border-bottom:2px dashed #8e3fb8}
.l-place{border-bottom:2px dotted #1f5fbf}
.l-time.l-quantity,.l-time.l-place,.l-quantity.l-place{border-bottom-style:double}
.hl{outline:2px solid #e0542e;outline-offset:1px}
.legend{display:flex;flex-wrap:wrap;gap:.4em 1em;margin:.5em 0 0;padding:0;list-style:none;
 font:13px system-ui,sans-serif}
.legend span{padding:0 .35em}
ul.chain{list-style:none;margin:0;padding-left:1.1em;border-left:1px dashed #bbb}
ul.chain.root{padding-left:0;border-left:0}
li.node{margin:.35em 0}
.name{font-weight:600}
.badge{display:inline-block;font:600 11px/1.6 system-ui,sans-serif;padding:0 .45em;border-radius:3px;
 background:#eee;color:#333;margin-right:.3em;vertical-align:1px}
.badge.anon{background:#c62828;color:#fff}
.k-direct{background:#2e7d32;color:#fff}.k-indirect{background:#00838f;color:#fff}
.k-mixed{background:#1565c0;color:#fff}.k-according_to{background:#5e35b1;color:#fff}
.k-hedged{background:#f9a825;color:#222}
.k-belief,.k-topic,.k-act{background:#eceff1;color:#37474f}
.details{color:#666;font-size:12px}
li.claim{margin:.3em 0 .5em;padding:.3em .5em;border-radius:4px;background:#f6f6f3}
li.claim blockquote{margin:.2em 0;padding-left:.6em;border-left:3px solid #e0c04a;font-family:Georgia,serif}
.items{font-size:12px;color:#444}
.items span{margin-right:.6em}
table{border-collapse:collapse;font:13px/1.4 system-ui,sans-serif;margin:.3em 0 1em;background:#fff}
th,td{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f0f0ec}
section.tables{padding:0 2em 2em}
.warn{color:#8a4b00}
figure.places{margin:0 0 1em;background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:.5em}
svg.map{display:block;width:100%;height:auto;font:12px system-ui,sans-serif}
svg.map .sea{fill:#eef3f7}
svg.map .land{fill:#e4e1d8;stroke:#a29c8a;stroke-width:.7}
svg.map .land.named{fill:#d3dcc2}
svg.map .pin{fill:#1f5fbf;stroke:#fff;stroke-width:1.5}
svg.map .pin.meto{fill:#fff;stroke:#1f5fbf;stroke-width:1.5;stroke-dasharray:2 1.5}
svg.map text{fill:#1d1d1f;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
svg.map a:hover .pin,svg.map a:focus .pin,svg.map a:target .pin{fill:#e0542e}
figcaption{font:12px/1.45 system-ui,sans-serif;color:#444;margin-top:.4em}
figcaption a{color:#1f5fbf}
"""

JS = """
(function(){
  function ids(el){return (el.getAttribute('data-att')||'').split(' ').filter(Boolean);}
  var all=document.querySelectorAll('[data-att]');
  document.addEventListener('mouseover',function(ev){
    var el=ev.target.closest?ev.target.closest('[data-att]'):null;
    document.querySelectorAll('.hl').forEach(function(x){x.classList.remove('hl');});
    if(!el)return;
    var want=ids(el);
    all.forEach(function(x){if(ids(x).some(function(i){return want.indexOf(i)>=0;}))x.classList.add('hl');});
  });
})();
"""


def esc(value: object) -> str:
    """``value`` as text safe inside HTML content and double- or single-quoted attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


CSP = (
    f"default-src 'none'; style-src {_sha256(CSS)}; script-src {_sha256(JS)}; img-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class Mark:
    """One highlighted stretch of the article text.

    ``layer`` is one of :data:`LAYERS`; ``att`` the attribution it belongs to (or None for a source
    mention, time, quantity or place); ``src`` the source of a mention; ``tip`` the line it adds to the
    tooltip; ``place`` the id of a place mention."""

    start: int
    end: int
    layer: str
    att: str | None
    tip: str
    src: str | None = None
    place: str | None = None


def _att_tip(att: Attribution, index: Index, report: Report) -> str:
    cue = f" ({trim(att.cue.text, 40)})" if att.cue else ""
    told = recipient(att, index, report)
    chain = " → ".join(index.name(s, report) for s in att.chain) if att.chain else index.name(att.source, report)
    return f"{att.id}: {att.kind}{cue}, {chain}" + (f", {told}" if told else "")


def marks(report: Report, index: Index) -> list[Mark]:
    """Every highlight of the article text: each attribution's content, cue and source mention, and
    every time, quantity and place. Spans outside the text or empty are dropped; duplicates merged."""
    out: OrderedDict[tuple, Mark] = OrderedDict()
    size = len(report.article.text)

    def add(
        start: int, end: int, layer: str, att: str | None, tip: str, src: str | None = None, place: str | None = None
    ) -> None:
        start, end = max(0, start), min(size, end)
        if start < end:
            out.setdefault((start, end, layer, att, src), Mark(start, end, layer, att, tip, src, place))

    for src in report.sources:
        layer = "anon" if src.anonymous else "source"
        tip = "source: " + "; ".join([src.name, *source_details(src)])
        for mention in src.mentions:
            add(mention.start, mention.end, layer, None, tip, src.id)

    for att in report.attributions:
        tip = _att_tip(att, index, report)
        add(att.content.start, att.content.end, "content", att.id, tip)
        if att.cue is not None:
            add(att.cue.start, att.cue.end, "cue", att.id, tip)
        if att.source_span is not None:
            src = index.sources.get(att.source or "")
            layer = "anon" if src is not None and src.anonymous else "source"
            add(att.source_span.start, att.source_span.end, layer, att.id, tip)
    for t in report.times:
        add(t.start, t.end, "time", None, "time: " + describe_time(t))
    for q in report.quantities:
        add(q.start, q.end, "quantity", None, "quantity: " + describe_quantity(q))
    for p in report.places:
        if p.caption is not None:
            continue  # offsets point into a caption, not the article text
        add(p.start, p.end, "place", None, "place: " + place_tip(p), place=p.id)
    return list(out.values())


def place_tip(p: Place) -> str:
    """'name, CC (lat, lon)' for a place's tooltip, with a GeoNames id when it has one."""
    where = coordinates(p)
    ids = ", ".join(x for x in (where, f"GeoNames {p.geonameid}" if p.geonameid else "") if x)
    return describe_place(p) + (f" ({ids})" if ids else "")


def _link_target(active: list[Mark]) -> str | None:
    """The panel entry a piece of text links to: the attribution whose cue or source covers it, else the
    one with the shortest content covering it, else the source of a mention covering it."""
    for layer in ("cue", "source", "anon"):
        for m in active:
            if m.layer == layer and m.att:
                return anchor("att", m.att)
    contents = [m for m in active if m.layer == "content" and m.att]
    if contents:
        return anchor("att", min(contents, key=lambda m: m.end - m.start).att or "")
    mention = next((m for m in active if m.src), None)
    return anchor("src", mention.src) if mention and mention.src else None


def highlight(report: Report, index: Index, pin_of: dict[str, str] | None = None) -> str:
    """The article text as HTML with every mark applied, cut at all mark boundaries so overlapping and
    nested marks become flat pieces. The first piece of each content carries the id ``txt-<att id>``,
    the first piece of each place mention ``place-<place id>``. ``pin_of`` maps place ids to the HTML id
    of their map marker: a piece that is only a place (no claim or source to link to) links there."""
    text = report.article.text
    all_marks = marks(report, index)
    pin_of = pin_of or {}
    cuts = sorted({0, len(text), *(m.start for m in all_marks), *(m.end for m in all_marks)})
    first_piece = {m.att: m.start for m in all_marks if m.layer == "content" and m.att}
    place_at: dict[int, list[str]] = {}
    for m in all_marks:
        if m.place:
            place_at.setdefault(m.start, []).append(m.place)
    placed: set[str] = set()
    parts: list[str] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        piece = esc(text[left:right])
        active = [m for m in all_marks if m.start <= left and right <= m.end]
        place_ids = [anchor("place", p) for p in place_at.pop(left, [])]
        if not active:
            parts.append(piece)
            continue
        layers = sorted({m.layer for m in active}, key=LAYERS.index)
        classes = "m " + " ".join(f"l-{layer}" for layer in layers)
        atts = list(OrderedDict.fromkeys(m.att for m in active if m.att))
        tips = list(OrderedDict.fromkeys(m.tip for m in active))
        attrs = f' class="{classes}" title="{esc(chr(10).join(tips))}"'
        if atts:
            attrs += f' data-att="{esc(" ".join(atts))}"'
        firsts = [a for a in atts if first_piece.get(a) == left and a not in placed]
        placed.update(firsts)
        ids = [anchor("txt", a) for a in firsts] + place_ids
        if ids:
            attrs += f' id="{ids[0]}"'
        # Claims sharing a start (a claim and the one nested in it) and place mentions starting inside a
        # claim get their own empty anchors.
        parts.extend(f'<span id="{i}"></span>' for i in ids[1:])
        target = _link_target(active)
        if target is None:
            target = next((pin_of[m.place] for m in active if m.place and m.place in pin_of), None)
        if target:
            parts.append(f'<a href="#{target}"{attrs}>{piece}</a>')
        else:
            parts.append(f"<span{attrs}>{piece}</span>")
    return "".join(parts)


def _items_html(att: Attribution, index: Index) -> str:
    bits = [f'<span class="l-time">{esc(describe_time(t))}</span>' for t in index.items(att.times, "times")]
    bits += [
        f'<span class="l-quantity">{esc(describe_quantity(q))}</span>'
        for q in index.items(att.quantities, "quantities")
    ]
    bits += [f'<span class="l-place">{esc(describe_place(p))}</span>' for p in index.items(att.places, "places")]
    return f'<div class="items">{"".join(bits)}</div>' if bits else ""


def claim_html(att: Attribution, index: Index, report: Report) -> str:
    """One claim in the side panel: kind badge, cue, recipient, content (trimmed) and its items, linked
    back to its place in the text."""
    head = [f'<span class="badge k-{esc(att.kind)}" title="{esc(KIND_LABELS.get(att.kind, att.kind))}">']
    head.append(f"{esc(att.kind)}</span>")
    if att.cue is not None:
        head.append(f'<span class="l-cue">{esc(trim(att.cue.text, 60))}</span>')
    told = recipient(att, index, report)
    if told:
        head.append(f" → {esc(told)}")
    if att.nested_in:
        head.append(
            f' <span class="details">inside <a href="#{anchor("att", att.nested_in)}">{esc(att.nested_in)}</a></span>'
        )
    if att.hedges:
        head.append(f' <span class="details">hedges: {esc(", ".join(att.hedges))}</span>')
    head.append(f' <a class="details" href="#{anchor("txt", att.id)}" title="show in text">{esc(att.id)} ↖</a>')
    return (
        f'<li class="claim" id="{anchor("att", att.id)}" data-att="{esc(att.id)}">{"".join(head)}'
        f"<blockquote>{esc(trim(att.content.text))}</blockquote>{_items_html(att, index)}</li>"
    )


def node_html(node: ChainNode, index: Index, report: Report) -> str:
    """One source of the chain tree with its claims and, nested, the sources it relays."""
    src = node.source
    label = []
    if src is not None and src.anonymous:
        label.append('<span class="badge anon">⚠ anonymous</span>')
    name = esc(index.name(node.source_id, report))
    label.append(f'<span class="name" id="{anchor("src", node.source_id)}">{name}</span>')
    details = source_details(src)
    if details:
        label.append(f'<div class="details">{esc("; ".join(details))}</div>')
    inner = "".join(claim_html(a, index, report) for a in node.claims)
    if node.source_id == index.root_id and not report.attributions:
        inner += '<li class="details">no attributed claims found</li>'
    inner += "".join(node_html(c, index, report) for c in node.children.values())
    return f'<li class="node">{"".join(label)}<ul class="chain">{inner}</ul></li>'


def _table(title: str, head: tuple[str, ...], rows: list[tuple]) -> str:
    if not rows:
        return ""
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<h2>{esc(title)}</h2><table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def tables_html(report: Report, index: Index) -> str:
    """Tables of sources, times, quantities and places."""
    sources = [
        (s.id, s.name, "anonymous" if s.anonymous else s.type, "; ".join(source_details(s))) for s in report.sources
    ]
    times = [(t.text, t.value or "", t.end_value or "", t.type.lower()) for t in report.times]
    quantities = [
        (q.text, number(q.value), "" if q.upper is None else number(q.upper), q.unit or "", q.qualifier or "")
        for q in report.quantities
    ]
    places = [
        (
            p.text,
            p.name,
            p.country or "",
            p.feature or "",
            coordinates(p),
            p.geonameid or "",
            "yes" if p.metonymy else "",
            "" if p.caption is None else f"photo caption {p.caption + 1}",
        )
        for p in report.places
    ]
    return (
        _table("Sources", ("id", "name", "type", "details"), sources)
        + _table("Times", ("text", "value", "until", "type"), times)
        + _table("Quantities", ("text", "value", "upper", "unit", "qualifier"), quantities)
        + _table(
            "Places",
            ("text", "place", "country", "kind", "lat, lon", "GeoNames id", "as government", "where"),
            places,
        )
    )


def caption_html(text: str, places: list[Place]) -> str:
    """A photo caption's ``text`` escaped, with the ``places`` named in it (offsets into ``text``) marked
    and given the ids ``place-<id>`` the map links to; overlapping or out-of-range places are skipped."""
    out, pos = [], 0
    for p in sorted(places, key=lambda p: (p.start, -p.end)):
        if p.start < pos or p.end > len(text) or p.start >= p.end:
            continue
        out.append(esc(text[pos : p.start]))
        tip = esc("place: " + place_tip(p))
        name = esc(text[p.start : p.end])
        out.append(f'<span class="l-place" id="{anchor("place", p.id)}" title="{tip}">{name}</span>')
        pos = p.end
    out.append(esc(text[pos:]))
    return "".join(out)


def map_html(report: Report) -> tuple[str, dict[str, str]]:
    """The places map as an HTML ``<figure>``: the inline SVG (see :mod:`sayso.render.map`) and a caption
    listing the places shown (each linked to its first mention), those drawn hollow (named as a
    government), those off the map, and the outline's source.

    Returns the figure ('' when the report has no located place) and a dict from every place id on the
    map to the HTML id of its marker, for the text to link back."""
    all_pins = pins(report.places)
    if not all_pins:
        return "", {}
    view = map_view(all_pins)
    shown = [p for p in all_pins if view.contains(p.lon, p.lat)]
    svg = map_svg(report, lambda p: "#" + anchor("place", p.id))
    pin_of = {m.id: anchor("pin", pin.id) for pin in shown for m in pin.mentions}

    def link(pin) -> str:
        return f'<a href="#{anchor("place", pin.id)}">{esc(pin.name)}</a>'

    in_view = countries_in_view(view)
    shaded = [
        p for p in all_pins if p not in shown and p.feature == "country" and not p.metonymic and p.country in in_view
    ]
    literal = [link(p) for p in shown if not p.metonymic]
    meto = [link(p) for p in shown if p.metonymic]
    lines = []
    if literal:
        lines.append("Places: " + ", ".join(literal) + ".")
    if shaded:
        lines.append("Shaded, centre outside the map: " + ", ".join(link(p) for p in shaded) + ".")
    if meto:
        lines.append("Hollow, named only as a government: " + ", ".join(meto) + ".")
    away = off_map(report, view, [p.name for p in shaded])
    if away:
        names = ", ".join(f'<a href="#{anchor("place", p.id)}">{esc(p.name)}</a>' for p in away)
        lines.append("Not on this map: " + names + ".")
    source = esc(load_outline()["metadata"].get("source", "Natural Earth"))
    lines.append(
        f'<span class="details">■ country (its outline shaded), ● city or region, hollow: named as a government. '
        f"Outlines: {source}, public domain.</span>"
    )
    caption = "<br>".join(lines)
    return f'<figure class="places">{svg}<figcaption>{caption}</figcaption></figure>', pin_of


def header_html(report: Report) -> str:
    """Title, outlet, date, authors, URL (a link only for a plain http/https URL), notes, captions and
    warnings."""
    art = report.article
    meta = [esc(m) for m in (art.outlet, art.published) if m]
    if art.authors:
        meta.append("by " + esc(", ".join(art.authors)))
    if art.url:
        if re.fullmatch(r"https?://[^\s\"'<>`]+", art.url, re.IGNORECASE):
            meta.append(f'<a href="{esc(art.url)}" rel="noreferrer noopener">{esc(art.url)}</a>')
        else:
            meta.append(esc(art.url))
    out = [
        f"<h1>{esc(art.title or '(untitled article)')}</h1>",
        f'<div class="meta">{" · ".join(meta)}</div>',
    ]
    out += [f'<div class="meta">Note: {esc(n)}</div>' for n in art.notes]
    for i, cap in enumerate(art.captions):
        credit = f" ({esc(cap.credit)})" if cap.credit else ""
        text = caption_html(cap.text, [p for p in report.places if p.caption == i])
        out.append(f'<div class="meta" id="{anchor("cap", str(i))}">Photo: {text}{credit}</div>')
    out += [f'<div class="meta warn">Warning: {esc(w)}</div>' for w in report.warnings]
    legend = "".join(f'<li><span class="l-{layer}">{esc(label)}</span></li>' for layer, label in LEGEND)
    kinds = "".join(f'<li><span class="badge k-{k}">{esc(k)}</span>{esc(v)}</li>' for k, v in KIND_LABELS.items())
    out.append(f'<ul class="legend" aria-label="legend">{legend}</ul><ul class="legend">{kinds}</ul>')
    return "".join(out)


def render_html(report: Report) -> str:
    """``report`` as one self-contained HTML page (no external resources; a strict CSP). Returns the page."""
    index = Index.of(report)
    root = chain_tree(report)
    title = report.article.title or "sayso report"
    figure, pin_of = map_html(report)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} · sayso</title>\n"
        f"<style>{CSS}</style></head>\n<body>\n"
        f"<header>{header_html(report)}</header>\n"
        f'<main><article class="article" lang="{esc(report.article.language or "en")}">'
        f"{highlight(report, index, pin_of)}</article>\n"
        f'<aside>{figure}<div class="panel"><h2>Reporting chains</h2>'
        f'<ul class="chain root">{node_html(root, index, report)}</ul></div></aside></main>\n'
        f'<section class="tables">{tables_html(report, index)}'
        f'<p class="small">Generated by sayso {esc(report.sayso_version or "")} · schema '
        f"{esc(report.schema_version)}</p></section>\n"
        f"<script>{JS}</script>\n</body></html>\n"
    )
