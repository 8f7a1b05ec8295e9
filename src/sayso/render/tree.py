"""The terminal view of a report: a header, the reporting chains as a Rich tree rooted at the article's
outlet, and summary tables of times, quantities and places.

Every article string goes into Rich as :class:`rich.text.Text`, never as markup, so brackets in the
article ('[the intention to]') are shown as they are.
"""

from __future__ import annotations

import io
from collections import OrderedDict

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..schema import Attribution, Report
from . import (
    ChainNode,
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
    trim,
)

KIND_STYLE = {
    "direct": "bold green",
    "indirect": "cyan",
    "mixed": "bold cyan",
    "according_to": "blue",
    "hedged": "yellow",
    "belief": "dim",
    "topic": "dim",
    "act": "dim",
}
ANON_STYLE = "bold red"


def header(report: Report) -> Text:
    """Title, outlet, date, URL, authors, notes and warnings of ``report`` as one Text block."""
    art = report.article
    out = Text()
    out.append(art.title or "(untitled article)", style="bold")
    out.append("\n")
    meta = [m for m in (art.outlet, art.published) if m]
    if art.authors:
        meta.append("by " + ", ".join(art.authors))
    if meta:
        out.append(" · ".join(meta), style="dim")
        out.append("\n")
    if art.url:
        out.append(art.url, style="dim underline")
        out.append("\n")
    for note in art.notes:
        out.append("Note: ", style="italic")
        out.append(note + "\n", style="italic")
    for warning in report.warnings:
        out.append("Warning: ", style="bold yellow")
        out.append(warning + "\n")
    counts = (
        f"{len(report.sources)} sources · {len(report.attributions)} claims · {len(report.times)} times · "
        f"{len(report.quantities)} quantities · {len(report.places)} places"
    )
    out.append(counts, style="dim")
    return out


def source_label(node: ChainNode, index: Index, report: Report) -> Text:
    """The label of a chain node: the source's name, an anonymity marker and its details."""
    src = node.source
    out = Text()
    if src is not None and src.anonymous:
        name = index.name(node.source_id, report)
        out.append("⚠ " if name.lower().startswith("anonymous") else "⚠ anonymous ", style=ANON_STYLE)
        out.append(name, style="red")
    else:
        out.append(index.name(node.source_id, report), style="bold")
    details = source_details(src)
    if details:
        out.append("  (" + "; ".join(details) + ")", style="dim")
    return out


def claim_label(att: Attribution, index: Index, report: Report) -> Text:
    """One claim: kind, cue, recipient, nesting, then the content (trimmed) and its items inline."""
    out = Text()
    out.append(f"{att.id} ", style="dim")
    out.append(f"[{att.kind}]", style=KIND_STYLE.get(att.kind, ""))
    told = recipient(att, index, report)
    if att.cue is not None:
        out.append(" ")
        cue = trim(att.cue.text, 60)
        if told and cue.lower() == "told":  # 'told → told X' says it twice
            cue, told = told, None
        out.append(cue, style="italic magenta")
    if told:
        out.append(f" → {told}", style="magenta")
    if att.nested_in:
        out.append(f"  (inside {att.nested_in})", style="dim")
    if att.hedges:
        out.append("  hedges: " + ", ".join(att.hedges), style="yellow")
    out.append("\n“" + trim(att.content.text) + "”")
    items = claim_items(att, index)
    if items.plain:
        out.append("\n")
        out.append_text(items)
    return out


def claim_items(att: Attribution, index: Index) -> Text:
    """The times, quantities and places inside a claim's content, on one line."""
    out = Text()
    parts: list[tuple[str, str, str]] = []
    for t in index.items(att.times, "times"):
        parts.append(("⏱ ", describe_time(t), "green"))
    for q in index.items(att.quantities, "quantities"):
        parts.append(("# ", describe_quantity(q), "magenta"))
    for p in index.items(att.places, "places"):
        parts.append(("⌖ ", describe_place(p), "blue"))
    for i, (mark, desc, style) in enumerate(parts):
        if i:
            out.append("  ")
        out.append(mark + desc, style=style)
    return out


def chains(report: Report) -> Tree:
    """The reporting chains as a Rich tree: relays with their own claims first, relayed sources beneath."""
    index = Index.of(report)
    root = chain_tree(report)

    def fill(branch: Tree, node: ChainNode) -> None:
        for att in node.claims:
            branch.add(claim_label(att, index, report))
        for child in node.children.values():
            fill(branch.add(source_label(child, index, report), guide_style="dim"), child)

    tree = Tree(source_label(root, index, report), guide_style="dim")
    fill(tree, root)
    if not report.attributions:
        tree.add(Text("no attributed claims found", style="dim italic"))
    return tree


#: Most rows a summary table shows (a list of thousands of numbers is read in the JSON, not on a terminal:
#: Rich takes about a millisecond per row).
MAX_TABLE_ROWS = 500


def _more_rows(table: Table, total: int) -> None:
    """Close ``table`` with a line saying how many of ``total`` rows were left out, if any were."""
    if total > MAX_TABLE_ROWS:
        table.add_row(Text(f"… {total - MAX_TABLE_ROWS:,} more (--format json lists all)", style="dim italic"))


def summary_tables(report: Report) -> list[Table]:
    """Tables of the report's times, quantities and places (places merged by name); only non-empty ones, each
    of at most :data:`MAX_TABLE_ROWS` rows."""
    tables: list[Table] = []
    if report.times:
        table = Table("text", "value", "type", title="Times", box=box.SIMPLE, title_justify="left")
        for t in report.times[:MAX_TABLE_ROWS]:
            value = (t.value or "?") + (f" … {t.end_value}" if t.end_value else "")
            table.add_row(Text(t.text), Text(value), Text(t.type.lower()))
        _more_rows(table, len(report.times))
        tables.append(table)
    if report.quantities:
        table = Table("text", "value", "unit", "qualifier", title="Quantities", box=box.SIMPLE)
        table.title_justify = "left"
        for q in report.quantities[:MAX_TABLE_ROWS]:
            value = number(q.value) + (f"–{number(q.upper)}" if q.upper is not None else "")
            table.add_row(Text(q.text), Text(value), Text(q.unit or ""), Text(q.qualifier or ""))
        _more_rows(table, len(report.quantities))
        tables.append(table)
    if report.places:
        merged: OrderedDict[tuple, list] = OrderedDict()
        for p in report.places:
            merged.setdefault((p.name, p.country, p.feature, coordinates(p), p.geonameid), []).append(p)
        table = Table("place", "country", "kind", "lat, lon", "GeoNames", "mentions", title="Places", box=box.SIMPLE)
        table.title_justify = "left"
        for (name, country, feature, coords, geonameid), mentions in list(merged.items())[:MAX_TABLE_ROWS]:
            metonymic = sum(p.metonymy for p in mentions)
            count = str(len(mentions)) + (f" ({metonymic} as government)" if metonymic else "")
            cells = (name, country or "", feature or "", coords, str(geonameid or ""), count)
            table.add_row(*(Text(c) for c in cells))
        _more_rows(table, len(merged))
        tables.append(table)
    return tables


def report_view(report: Report) -> RenderableType:
    """The whole terminal view of ``report`` as one Rich renderable (article strings cleaned of terminal
    escape sequences and control characters, :func:`~sayso.render.safe_text`)."""
    report = safe_report(report)
    parts: list[RenderableType] = [header(report), Text(""), chains(report)]
    for table in summary_tables(report):
        parts.extend([Text(""), table])
    return Group(*parts)


def render_tree(report: Report, console: Console) -> None:
    """Print the terminal view of ``report`` on ``console`` (colour only where the console has it)."""
    console.print(report_view(report))


def render_tree_text(report: Report, width: int = 100) -> str:
    """The terminal view of ``report`` as plain text (no colour, no control codes), ``width`` columns."""
    buf = io.StringIO()
    console = Console(file=buf, width=width, no_color=True, force_terminal=False, color_system=None)
    render_tree(report, console)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"
