"""A Markdown brief of a report: title, metadata, a sources table, the claims grouped by reporting chain
(contents as blockquotes), and tables of times, quantities and places.

Article strings are cleaned of terminal escape sequences and control characters
(:func:`~sayso.render.safe_text`) and escaped (:func:`md_escape`): ``<``, ``>`` and ``&`` become entities, so
no raw HTML, autolink or entity from an article reaches the output, the other Markdown specials are
backslash-escaped so they cannot open links, images or emphasis, and pipes cannot break a table row
(:func:`cell`).
"""

from __future__ import annotations

import re

from ..schema import Attribution, Report
from . import (
    KIND_LABELS,
    Index,
    chain_tree,
    coordinates,
    describe_place,
    describe_quantity,
    describe_time,
    number,
    recipient,
    safe_report,
    source_details,
)

#: Characters that can start Markdown syntax anywhere in a line (CommonMark allows a backslash before
#: any ASCII punctuation, so escaping them is always safe). ``<``, ``>`` and ``&`` become entities instead.
_INLINE = re.compile(r"([\\`*_\[\]|!~])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: Line starts that would make a heading, quote, list item, thematic break or setext underline.
_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])")


def md_inline(text: str) -> str:
    """``text`` with the characters that start inline Markdown syntax (emphasis, links, images, code, table
    pipes) backslash-escaped and ``&``, ``<``, ``>`` written as entities (no raw HTML, autolinks or
    entities); for text that never starts a line."""
    text = re.sub(r"[&<>]", lambda m: _ENTITIES[m.group()], text)
    return _INLINE.sub(r"\\\1", text)


def md_escape(text: str) -> str:
    """``text`` with Markdown's special characters escaped (:func:`md_inline`), so it renders literally
    even at the start of a line."""
    out = md_inline(text)
    return "\n".join(
        _LINE_START.sub(lambda m: m.group(1) + _escape_start(m.group(2)), line) for line in out.split("\n")
    )


def _escape_start(token: str) -> str:
    if token[0].isdigit():
        return token[:-1] + "\\" + token[-1]
    return "\\" + token


def cell(value: object) -> str:
    """``value`` as one table cell: escaped, on one line (pipes cannot end the cell)."""
    text = "" if value is None else str(value)
    return md_inline(" ".join(text.split()))


def table(head: tuple[str, ...], rows: list[tuple]) -> list[str]:
    """A Markdown table with header ``head`` and ``rows`` (every cell escaped); no lines when no rows."""
    if not rows:
        return []
    lines = ["| " + " | ".join(cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def blockquote(text: str) -> list[str]:
    """``text`` as a Markdown blockquote, every line prefixed, escaped."""
    return ["> " + line if line else ">" for line in md_escape(text.strip()).split("\n")]


def _claim(att: Attribution, index: Index, report: Report) -> list[str]:
    head = [f"**{md_escape(att.kind)}**"]
    if att.cue is not None:
        head.append(f"cue “{md_escape(att.cue.text)}”")
    told = recipient(att, index, report)
    if told:
        head.append(md_escape(told))
    if att.nested_in:
        head.append(f"inside {md_escape(att.nested_in)}")
    if att.hedges:
        head.append("hedges: " + md_escape(", ".join(att.hedges)))
    lines = [f"- {md_escape(att.id)} · " + " · ".join(head), ""]
    lines += ["  " + line for line in blockquote(att.content.text)]
    items = [describe_time(t) for t in index.items(att.times, "times")]
    items += [describe_quantity(q) for q in index.items(att.quantities, "quantities")]
    items += [describe_place(p) for p in index.items(att.places, "places")]
    if items:
        lines += ["", "  " + "; ".join(md_escape(i) for i in items)]
    return [*lines, ""]


def render_markdown(report: Report) -> str:
    """``report`` as a Markdown brief. Returns the document, ending in a newline."""
    report = safe_report(report)
    art = report.article
    index = Index.of(report)
    out = [f"# {md_escape(art.title or '(untitled article)')}", ""]
    meta = [
        ("Outlet", art.outlet),
        ("Published", art.published),
        ("Authors", ", ".join(art.authors) if art.authors else None),
        ("URL", art.url),
        ("Language", art.language),
    ]
    out += [f"- **{k}:** {md_escape(v)}" for k, v in meta if v]
    out += [f"- **Note:** {md_escape(n)}" for n in art.notes]
    out += [f"- **Warning:** {md_escape(w)}" for w in report.warnings]
    out += [
        f"- **Found:** {len(report.sources)} sources, {len(report.attributions)} claims, "
        f"{len(report.times)} times, {len(report.quantities)} quantities, {len(report.places)} places",
        "",
    ]

    if report.sources:
        out += ["## Sources", ""]
        rows = [
            (
                s.id,
                s.name,
                "⚠ anonymous" if s.anonymous else s.type,
                s.role or "",
                s.affiliation or "",
                s.reason or "",
                "; ".join(
                    d
                    for d in source_details(s)
                    if d not in (s.type, s.role) and not d.startswith(("affiliation", "reason"))
                ),
            )
            for s in report.sources
        ]
        out += table(("id", "name", "type", "role", "affiliation", "reason for anonymity", "details"), rows)

    if not report.attributions:
        out += ["## Claims by reporting chain", "", "No attributed claims found.", ""]
    else:
        out += ["## Claims by reporting chain", ""]
        out += ["Kinds: " + "; ".join(f"**{k}** = {md_escape(v)}" for k, v in KIND_LABELS.items()), ""]
        groups: dict[tuple[str, ...], list[Attribution]] = {}
        for path, att in chain_tree(report).path_claims():
            groups.setdefault(path, []).append(att)
        for path, atts in groups.items():
            names = []
            for sid in path:
                src = index.sources.get(sid)
                mark = "⚠ " if src is not None and src.anonymous else ""
                names.append(mark + md_escape(index.name(sid, report)))
            out += ["### " + " → ".join(names), ""]
            for att in atts:
                out += _claim(att, index, report)

    if report.times:
        out += ["## Times", ""]
        out += table(
            ("text", "value", "until", "type"),
            [(t.text, t.value or "", t.end_value or "", t.type.lower()) for t in report.times],
        )
    if report.quantities:
        out += ["## Quantities", ""]
        rows = [
            (
                q.text,
                number(q.value),
                "" if q.upper is None else number(q.upper),
                q.unit or "",
                q.qualifier or "",
            )
            for q in report.quantities
        ]
        out += table(("text", "value", "upper", "unit", "qualifier"), rows)
    if report.places:
        out += ["## Places", ""]
        rows = [
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
        head = ("text", "place", "country", "kind", "lat, lon", "GeoNames id", "as government", "where")
        out += table(head, rows)
    return "\n".join(out).rstrip("\n") + "\n"
