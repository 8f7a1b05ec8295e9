"""``sayso read SOURCE [--format tree|json|html|markdown] [-o FILE] [--allow-private]``.

Reads one article (a path, an http(s) URL, or ``-`` for stdin), analyses it and prints the report.
Only the report goes to stdout (or to ``-o FILE``); warnings and errors go to stderr, so
``sayso read a.txt --format json | jq`` always gets clean JSON.
"""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from . import app

log = logging.getLogger("sayso")

#: Columns of the tree when it is piped or written with -o.
TREE_WIDTH = 100


class OutputFormat(StrEnum):
    """The formats ``sayso read`` can write."""

    tree = "tree"
    json = "json"
    html = "html"
    markdown = "markdown"


@app.command("read")
def read(
    source: Annotated[str, typer.Argument(help="Article to read: a file path, an http(s) URL, or '-' for stdin.")],
    fmt: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="tree: a readable tree (default); json: the full report; html: one self-contained page; "
            "markdown: a brief.",
        ),
    ] = OutputFormat.tree,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to this file instead of stdout (tree: plain text)."),
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="Let a URL point at a private or loopback address."),
    ] = False,
    hybrid: Annotated[
        bool,
        typer.Option(
            "--hybrid",
            help="Also run the trained role tagger: more sources and cues found, about a quarter slower.",
        ),
    ] = False,
) -> None:
    """Read one article and show who claims what, on whose say-so.

    ``source`` is the article, ``fmt`` the output format, ``output`` the file to write (None: stdout),
    ``allow_private`` whether a URL may point at a private address, ``hybrid`` whether the trained role
    tagger runs before the attribution rules. Returns nothing; errors from loading
    propagate as :class:`~sayso.errors.SaysoError` (the entry point turns them into exit statuses)."""
    from ..analysis import analyse_article
    from ..loading import load

    if output is not None and not output.resolve().parent.is_dir():  # fail before the slow part
        raise typer.BadParameter(f"cannot write {output}: no such folder", param_hint="'-o' / '--output'")

    article = load(source, allow_private=allow_private)
    if hybrid:
        from ..pipeline import load_pipeline

        report = analyse_article(article, nlp=load_pipeline(role_tagger=True))
    else:
        report = analyse_article(article)
    for warning in report.warnings:
        log.warning("%s", warning)
    if output is None and fmt is OutputFormat.tree:
        from rich.console import Console

        from ..render.tree import render_tree

        console = Console()
        if not console.is_terminal:  # piped: a fixed, readable width and no colour
            console = Console(width=TREE_WIDTH, no_color=True)
        render_tree(report, console)
        return
    from ..render import render

    text = render(report, fmt.value, width=TREE_WIDTH)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_output(output, text)


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8. Raises a usage error (exit status 2) naming the path when the
    file cannot be written (missing folder, no permission, a directory)."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        reason = err.strerror or str(err)
        raise typer.BadParameter(f"cannot write {path}: {reason}", param_hint="'-o' / '--output'") from err
