"""``sayso stories [--db FILE] [--format table|json] [--limit N] [--min-size N]``: the stories in a store.

Articles not linked yet (stored before stories existed) are linked first. Exit status: 0; 3 when the
database file does not exist; 6 when it is not a sayso database or cannot be read or written.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from . import app
from .output import print_stdout, write_stdout


class StoriesFormat(StrEnum):
    """The formats ``sayso stories`` can write."""

    table = "table"
    json = "json"


@app.command("stories")
def stories(
    db: Annotated[
        str,
        typer.Option(
            "--db",
            metavar="FILE|URL",
            help="SQLite database file, or PostgreSQL URL (postgresql://user@host/db), written by `sayso ingest`.",
        ),
    ] = "sayso.db",
    fmt: Annotated[
        StoriesFormat,
        typer.Option("--format", "-f", help="table: one row per story; json: a list of stories."),
    ] = StoriesFormat.table,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Show at most this many stories (0: all).")] = 20,
    min_size: Annotated[int, typer.Option("--min-size", min=1, help="Only stories with this many articles.")] = 1,
) -> None:
    """List the stories in a database written by `sayso ingest`, largest first.

    Per story: its size (originals + copies), dates, outlets and the claims most repeated across its original
    articles (syndicated copies are not counted twice).

    Example: `sayso stories --db news.db --min-size 2`
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..db import display_name
    from ..render import safe_text
    from ..store import open_existing
    from ..stories import StoryLinker

    with open_existing(db) as store:
        linker = StoryLinker(store)
        linked = linker.link_pending()
        summaries = linker.stories(limit=limit or None, min_size=min_size)
    err = Console(stderr=True, highlight=False)
    if linked:
        err.print(f"sayso: linked {linked} article(s) not linked before", markup=False)
    if fmt is StoriesFormat.json:
        write_stdout(json.dumps([s.as_dict() for s in summaries], ensure_ascii=False, indent=2) + "\n")
        return
    if not summaries:
        err.print(safe_text(f"sayso: no stories in {display_name(db)}", newlines=False), markup=False)
        return
    table = Table(title=Text(safe_text(f"stories in {display_name(db)}", newlines=False)), show_lines=True)
    table.add_column("id", justify="right")
    table.add_column("size", justify="right", no_wrap=True)
    table.add_column("dates", no_wrap=True)
    table.add_column("outlets", max_width=16)
    table.add_column("story: title, top claims", min_width=28, ratio=1)
    for s in summaries:
        size = f"{s.articles}" + (f"\n{s.originals} orig.\n{s.copies} cop." if s.copies else "")
        dates = (s.first or "?") if s.first == s.last else f"{s.first or '?'}\n{s.last or '?'}"
        outlets = ", ".join(s.outlets[:3]) + (f" +{len(s.outlets) - 3}" if len(s.outlets) > 3 else "")
        claims = "\n".join(
            f"• {c.source or '(no source)'}: “{_short(c.content)}”" + (f" ×{c.articles}" if c.articles > 1 else "")
            for c in s.top_claims
        )
        story = (s.title or "(untitled)") + (f"\n{claims}" if claims else "")
        # Text, never markup: '[/]' or '[link=…]' in a title is shown as it is; escape codes are removed
        table.add_row(*(Text(safe_text(cell)) for cell in (str(s.id), size, dates, outlets, story)))
    print_stdout(table)


def _short(text: str, width: int = 70) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
