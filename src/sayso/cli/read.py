"""``sayso read SOURCE [--format tree|json|html|markdown] [-o FILE] [--allow-private]``.

Reads one article (a path, an http(s) URL, or ``-`` for stdin), analyses it and prints the report.
Only the report goes to stdout (or to ``-o FILE``); warnings and errors go to stderr, so
``sayso read a.txt --format json | jq`` always gets clean JSON.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from . import ArticleInput, app
from .output import check_output, emit, print_stdout

log = logging.getLogger("sayso")

#: Columns of the tree when it is piped or written with -o.
TREE_WIDTH = 100
#: Default of ``--timeout``: seconds a URL's whole fetch may take (as :data:`sayso.fetch.DEFAULT_TIMEOUT_S`,
#: repeated here so that the command line starts without importing httpx).
DEFAULT_TIMEOUT_S = 30.0


class OutputFormat(StrEnum):
    """The formats ``sayso read`` can write."""

    tree = "tree"
    json = "json"
    html = "html"
    markdown = "markdown"


@app.command("read")
def read(
    source: Annotated[
        ArticleInput,
        typer.Argument(
            parser=str, metavar="SOURCE", help="Article to read: a file path, an http(s) URL, or '-' for stdin."
        ),
    ],
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
    fast: Annotated[
        bool,
        typer.Option("--fast", help="Rules only, without the neural attribution tagger: quicker, less accurate."),
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="Give up fetching a URL after this many seconds in all (exit status 5).",
        ),
    ] = DEFAULT_TIMEOUT_S,
    hybrid: Annotated[
        bool, typer.Option("--hybrid", hidden=True, help="Retired: the neural reader is now the default.")
    ] = False,
) -> None:
    """Read one article and show who claims what, on whose say-so.

    Reads a text, Markdown or HTML file, a web page or stdin, finds the sources, what they claim and how,
    and prints the report: a tree on the terminal, or JSON, an HTML page or a Markdown brief. Only the report
    goes to stdout; warnings and errors go to stderr.

    Example: `sayso read article.html --format json -o report.json`
    """
    # Errors from loading propagate as sayso.errors.SaysoError; the entry point turns them into exit statuses.
    from ..analysis import analyse_article
    from ..chunking import spare_processes
    from ..loading import load

    check_output(output)  # fail before the slow part
    check_timeout(timeout)

    if hybrid:
        raise typer.BadParameter(
            "--hybrid was retired: the neural reader is now the default (use --fast for rules only)",
            param_hint="--hybrid",
        )
    from ..pipeline import load_pipeline

    article = load(source, allow_private=allow_private, timeout=timeout)
    # one article: a long one is parsed in pieces on the spare cores
    report = analyse_article(article, nlp=load_pipeline(fast=fast), processes=spare_processes())
    for warning in report.warnings:
        log.warning("%s", warning)
    if output is None and fmt is OutputFormat.tree:
        from ..render.tree import report_view

        print_stdout(report_view(report), piped_width=TREE_WIDTH)  # piped: fixed width, no colour
        return
    from ..render import render

    emit(render(report, fmt.value, width=TREE_WIDTH), output)


def check_timeout(seconds: float) -> None:
    """Refuse a ``--timeout`` that is not a positive number of seconds (usage error, exit status 2)."""
    if not seconds > 0 or seconds == float("inf"):
        raise typer.BadParameter(f"{seconds:g} is not a positive number of seconds", param_hint="'--timeout'")
