"""``sayso claims [--db FILE] [--story ID] [--update] [--format tree|json|markdown|html] [-o FILE]``: the claim
ledger.

Per claim of a story: its first report, its origins and how many are independent, the confirmations, denials
and hedged relays, and a timeline of every report. The ledger is read from the store's ``ledger_*`` tables
(:mod:`sayso.ledger`); only stories whose articles changed since it was stored are recomputed first, every
story with ``--update``. Exit status: 0; 3 when the database file does not exist or the story id is unknown;
6 when the file is not a sayso database or cannot be written; 7 when the sentence model is missing.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..render import safe_text
from . import app
from .output import check_output, print_stdout, render_text, write_output, write_stdout


class ClaimsFormat(StrEnum):
    """The formats ``sayso claims`` can write."""

    tree = "tree"
    json = "json"
    markdown = "markdown"
    html = "html"


@app.command("claims")
def claims(
    db: Annotated[
        str,
        typer.Option(
            "--db",
            metavar="FILE|URL",
            help="SQLite database file, or PostgreSQL URL (postgresql://user@host/db), written by `sayso ingest`.",
        ),
    ] = "sayso.db",
    story: Annotated[int | None, typer.Option("--story", help="Only this story (an id from `sayso stories`).")] = None,
    fmt: Annotated[
        ClaimsFormat,
        typer.Option("--format", "-f", help="tree (terminal), json, markdown or html (provenance graph, timeline)."),
    ] = ClaimsFormat.tree,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")] = None,
    min_size: Annotated[
        int, typer.Option("--min-size", min=1, help="Without --story: only stories with this many articles.")
    ] = 2,
    update: Annotated[
        bool, typer.Option("--update", help="Recompute and store the ledger of every story, stale or not.")
    ] = False,
) -> None:
    """Print the claim ledger of one story, or of every story with at least --min-size articles.

    Per claim: its first report, its origins and how many are independent, the confirmations, denials and
    hedged relays, and a timeline of every report. The ledger is stored (tables ledger_claims,
    ledger_members, ledger_origins; views ledger and ledger_timeline): only stale stories are recomputed,
    all of them with --update.

    Example: `sayso claims --db news.db --story 3 --format html -o ledger.html`
    """
    from ..claims import read_ledger, update_ledger
    from ..db import display_name
    from ..errors import InputNotFound
    from ..ledger import current_ledgers
    from ..render.claims import ledger_html, ledger_markdown, ledger_tree
    from ..store import open_existing
    from ..stories import StoryLinker

    check_output(output)  # fail before the slow part
    with open_existing(db) as store:
        linker = StoryLinker(store)
        linker.link_pending()
        summaries = linker.stories(limit=None, min_size=1 if story is not None else min_size, claims=0)
        if story is not None:
            summaries = [s for s in summaries if s.id == story]
            if not summaries:
                shown = display_name(db)
                raise InputNotFound(f"no story {story} in {shown} (see `sayso stories --db {shown}`)")
        if update:
            update_ledger(store, rebuild=True)
            ledgers = [(s.id, s.title, read_ledger(store, s.id)) for s in summaries]
        else:  # stale stories only (articles ingested or re-read since), and only those shown
            ledgers = [
                (s.id, s.title, claims)
                for s, claims in zip(summaries, current_ledgers(store, [s.id for s in summaries]), strict=True)
            ]
    if fmt is ClaimsFormat.json:
        text = json.dumps(
            [{"story": sid, "title": title, "claims": [c.as_dict() for c in cl]} for sid, title, cl in ledgers],
            ensure_ascii=False,
            indent=2,
        )
    elif fmt is ClaimsFormat.markdown:
        text = ledger_markdown(ledgers)
    elif fmt is ClaimsFormat.html:
        text = ledger_html(ledgers)
    else:
        if output is None:
            print_stdout(ledger_tree(ledgers))
            return
        text = render_text(ledger_tree(ledgers), width=120)
    if output is None:
        write_stdout(text if text.endswith("\n") else text + "\n")
    else:
        write_output(output, text)
        typer.echo(safe_text(f"sayso: wrote {output}", newlines=False), err=True)
