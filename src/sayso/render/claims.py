"""Rendering the claim ledger (:mod:`sayso.claims`) as a Rich tree, Markdown or a self-contained HTML page.

The HTML page draws, per claim, the provenance graph (origins on the left, the reports that trace back to them
on the right, denials in red, copies dashed) and a timeline of the reports; it loads nothing from the network
and escapes every string that comes from an article.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from ..claims import Claim, ClaimReport
from . import safe_text

STANCE_COLOURS = {"asserts": "#1b7837", "relays": "#2166ac", "denies": "#b2182b", "mentions": "#777777"}


def _who(r: ClaimReport) -> str:
    speaker = r.speaker or "(no source)"
    via = "".join(f" ← {v}" for v in reversed(r.via))
    return f"{r.outlet or '?'}{via} ← {speaker}" if r.speaker != r.outlet else f"{r.outlet or '?'}"


def _label(r: ClaimReport) -> str:
    copy = " (copy)" if r.copy_of is not None else ""
    return f"{r.published or '?'} {r.article}{copy}: {r.stance}"


# ------------------------------------------------------------------------------------------------ tree


def ledger_tree(stories: Sequence[tuple[int, str | None, Sequence[Claim]]]):
    """A Rich renderable for the ledgers of ``stories`` ((story id, title, claims) each); every string is
    a :class:`rich.text.Text` (no markup parsed) cleaned by :func:`~sayso.render.safe_text`."""
    from rich.text import Text
    from rich.tree import Tree

    def line(text: str, style: str = "") -> Text:
        return Text(safe_text(text), style=style)

    root = Tree(line("claim ledger", style="bold"))
    for story_id, title, claims in stories:
        st = root.add(line(f"story {story_id}: {title or '(untitled)'}", style="bold"))
        if not claims:
            st.add(line("no claims", style="dim"))
        for c in claims:
            node = st.add(Text.assemble((safe_text(f"{c.id} "), "bold"), safe_text(f"“{c.statement}”")))
            fr = c.first_report
            node.add(line(f"first report: {fr.published or '?'} {fr.article} ({_who(fr)})"))
            o = node.add(line(f"independent origins: {c.independent_origins}", style="bold"))
            for label in c.origins.values():
                o.add(line(label))
            for name, reps in (
                ("confirmations", c.confirmations),
                ("denials", c.denials),
                ("hedged relays", c.hedged_relays),
            ):
                if reps:
                    n = node.add(line(f"{name}: {len(reps)}"))
                    for r in reps:
                        n.add(line(f"{r.published or '?'} {r.article}: {_who(r)} — “{r.content}”"))
            tl = node.add(line("timeline"))
            for r in c.timeline:
                tl.add(line(_label(r) + f" — {_who(r)}", style=STANCE_COLOURS.get(r.stance, "")))
    return root


# ------------------------------------------------------------------------------------------------ markdown


def _md(text: str | None) -> str:
    """An article string for a Markdown line or table cell: cleaned (:func:`~sayso.render.safe_text`),
    on one line, with ``<``, ``>``, ``&`` as entities and the other Markdown specials escaped."""
    from .markdown import cell

    return cell(safe_text(text or ""))


def ledger_markdown(stories: Sequence[tuple[int, str | None, Sequence[Claim]]]) -> str:
    """The ledgers of ``stories`` as Markdown: per claim its first report, origins, counts and a timeline."""
    lines = ["# Claim ledger", ""]
    for story_id, title, claims in stories:
        lines += [f"## Story {story_id}: {_md(title) or '(untitled)'}", ""]
        for c in claims:
            fr = c.first_report
            lines += [
                f"### {_md(c.id)}: “{_md(c.statement)}”",
                "",
                f"- **First report:** {_md(fr.published or '?')} — {_md(fr.article)} ({_md(_who(fr))})",
                f"- **Independent origins:** {c.independent_origins} — "
                + "; ".join(_md(v) for v in c.origins.values()),
                f"- **Confirmations:** {len(c.confirmations)} · **Denials:** {len(c.denials)} · "
                f"**Hedged relays:** {len(c.hedged_relays)}",
                "",
                "| date | article | stance | chain | content |",
                "|---|---|---|---|---|",
            ]
            for r in c.timeline:
                copy = " (copy)" if r.copy_of is not None else ""
                cells = [_md(r.published or "?"), _md(r.article) + copy, _md(r.stance), _md(_who(r)), _md(r.content)]
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------------ html


def _e(text: object) -> str:
    return html.escape(str(text) if text is not None else "", quote=True)


def _day(value: str | None) -> int | None:
    try:
        return date.fromisoformat((value or "")[:10]).toordinal()
    except ValueError:
        return None


def _denier(r: ClaimReport) -> str:
    """The node a denial hangs from: its speaker's origin key (spelling variants meet), else its name."""
    return "deny:" + (r.origins[0] if r.origins else str(r.speaker))


def provenance_svg(claim: Claim, width: int = 760) -> str:
    """An SVG of ``claim``'s provenance: its origins (left) linked to the reports that trace back to them
    (right, by date), coloured by stance; a copy's link is dashed, a denial's speaker is drawn in red."""
    origins = list(claim.origins.items())
    deniers: dict[str, str] = {}
    for r in claim.denials:
        deniers.setdefault(_denier(r), f"{r.speaker or '(no source)'} (denies)")
    left = origins + list(deniers.items())
    reports = claim.timeline
    row = 26
    height = max(len(left), len(reports)) * row + 30
    xl, xr = 10, width // 2 + 20
    ly = {k: 20 + i * row for i, (k, _) in enumerate(left)}
    parts = [f'<svg class="prov" viewBox="0 0 {width} {height}" role="img" aria-label="provenance graph">']
    for j, r in enumerate(reports):
        y = 20 + j * row
        targets = [k for k in r.origins if k in ly] if r.speaker_stance == "asserts" else [_denier(r)]
        targets = [k for k in targets if k in ly]
        for k in targets:
            dash = ' stroke-dasharray="4 3"' if r.copy_of is not None else ""
            colour = STANCE_COLOURS.get(r.stance, "#777")
            parts.append(
                f'<path d="M{xl + 250},{ly[k] - 4} C{xl + 320},{ly[k] - 4} {xr - 70},{y - 4} {xr - 6},{y - 4}" '
                f'fill="none" stroke="{colour}" stroke-width="1.5"{dash}/>'
            )
        colour = STANCE_COLOURS.get(r.stance, "#777")
        copy = " (copy)" if r.copy_of is not None else ""
        parts.append(
            f'<circle cx="{xr}" cy="{y - 4}" r="4" fill="{colour}"><title>{_e(r.content)}</title></circle>'
            f'<text x="{xr + 8}" y="{y}">{_e(r.published or "?")} {_e(r.outlet or r.article)}{_e(copy)} · '
            f"{_e(r.stance)}</text>"
        )
    for k, label in left:
        colour = STANCE_COLOURS["denies"] if k.startswith("deny:") else "#333"
        parts.append(
            f'<rect x="{xl}" y="{ly[k] - 16}" width="250" height="20" rx="4" fill="#f4f4f4" stroke="{colour}"/>'
            f'<text x="{xl + 6}" y="{ly[k] - 2}" fill="{colour}">{_e(label[:40])}<title>{_e(label)}</title></text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def timeline_svg(claim: Claim, width: int = 760) -> str:
    """An SVG timeline of ``claim``'s reports: one marker per report on a date axis, coloured by stance."""
    days = [d for d in (_day(r.published) for r in claim.timeline) if d is not None]
    if not days:
        return '<p class="muted">no publication dates</p>'
    lo, hi = min(days), max(days)
    span = max(hi - lo, 1)
    height = 70
    parts = [f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" aria-label="timeline">']
    parts.append(f'<line x1="20" y1="40" x2="{width - 20}" y2="40" stroke="#999"/>')
    stack: dict[int, int] = {}
    for r in claim.timeline:
        d = _day(r.published)
        if d is None:
            continue
        x = 20 + (d - lo) / span * (width - 40)
        k = stack.get(d, 0)
        stack[d] = k + 1
        colour = STANCE_COLOURS.get(r.stance, "#777")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{40 - 9 * k}" r="5" fill="{colour}">'
            f"<title>{_e(r.published)} {_e(r.article)}: {_e(r.stance)} — {_e(r.content)}</title></circle>"
        )
    ends = [(lo, "start", date.fromordinal(lo).isoformat())]
    if hi != lo:
        ends.append((hi, "end", date.fromordinal(hi).isoformat()))
    for d, anchor, label in ends:
        x = 20 + (d - lo) / span * (width - 40)
        parts.append(f'<text x="{x:.1f}" y="62" text-anchor="{anchor}">{_e(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:1px solid #ddd}h3{font-size:1.05em}
svg{width:100%;height:auto;font-size:12px}.muted{color:#777}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border:1px solid #ddd;padding:3px 6px;vertical-align:top}
.asserts{color:#1b7837}.relays{color:#2166ac}.denies{color:#b2182b}.mentions{color:#777}
.legend span{margin-right:1em}
"""


def ledger_html(stories: Sequence[tuple[int, str | None, Sequence[Claim]]], title: str = "sayso claim ledger") -> str:
    """A self-contained HTML page with the ledgers of ``stories``: per claim the provenance graph, the
    timeline and a table of every report (all article strings escaped; no network access)."""
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        "<p class='legend'>" + "".join(f"<span class='{s}'>● {s}</span>" for s in STANCE_COLOURS) + "</p>",
    ]
    for story_id, story_title, claims in stories:
        out.append(f"<h2>Story {story_id}: {_e(story_title or '(untitled)')}</h2>")
        if not claims:
            out.append("<p class='muted'>no claims</p>")
        for c in claims:
            fr = c.first_report
            out.append(f"<h3 id='{_e(c.id)}'>{_e(c.id)}: “{_e(c.statement)}”</h3>")
            out.append(
                f"<p>First report: {_e(fr.published or '?')} — {_e(fr.article)} ({_e(_who(fr))}).<br>"
                f"<b>Independent origins: {c.independent_origins}</b> — "
                + "; ".join(_e(v) for v in c.origins.values())
                + f".<br>Confirmations: {len(c.confirmations)} · Denials: {len(c.denials)} · "
                f"Hedged relays: {len(c.hedged_relays)}</p>"
            )
            out.append(provenance_svg(c))
            out.append(timeline_svg(c))
            out.append("<table><tr><th>date</th><th>article</th><th>stance</th><th>chain</th><th>content</th></tr>")
            for r in c.timeline:
                copy = " (copy)" if r.copy_of is not None else ""
                out.append(
                    f"<tr><td>{_e(r.published or '?')}</td><td>{_e(r.article)}{_e(copy)}</td>"
                    f"<td class='{_e(r.stance)}'>{_e(r.stance)}</td><td>{_e(_who(r))}</td><td>{_e(r.content)}</td></tr>"
                )
            out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)
