"""``sayso export --db FILE --format csv|ndjson|graphml|brat|claimreview [--story N] [-o PATH]``: the store in the
formats other tools read (:mod:`sayso.export`).

csv and ndjson: one row per attribution (source, chain, spans); graphml: the provenance graph of a story's claims
(every story of two or more articles without --story); brat: a ``.txt`` and ``.ann`` per article in the folder
``-o`` names (required); claimreview: schema.org ClaimReview JSON-LD drafts, one per ledger claim. Exit status: 0;
2 for a bad option or an output that cannot be written; 3 when the database or the story does not exist; 6 when
the file is not a sayso database.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from . import app
from .output import check_output, emit


class ExportFormat(StrEnum):
    """The formats ``sayso export`` writes."""

    csv = "csv"
    ndjson = "ndjson"
    graphml = "graphml"
    brat = "brat"
    claimreview = "claimreview"


@app.command("export")
def export_command(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="csv or ndjson: attributions with source, chain and spans; graphml: provenance graph (Gephi); "
            "brat: .txt + .ann per article; claimreview: schema.org ClaimReview JSON-LD drafts.",
        ),
    ],
    db: Annotated[Path, typer.Option("--db", help="SQLite database written by `sayso ingest`.")] = Path("sayso.db"),
    story: Annotated[int | None, typer.Option("--story", min=1, help="Only this story (see `sayso stories`).")] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (default: stdout); for brat, the folder to write into."),
    ] = None,
) -> None:
    """Export attributions, provenance graphs, brat annotations or ClaimReview drafts from a database.

    Example: `sayso export --db news.db --format graphml --story 3 -o story3.graphml`
    """
    from ..errors import UnwritableOutput
    from ..export import export
    from ..render import safe_text
    from ..store import open_existing
    from ..stories import StoryLinker

    if fmt is ExportFormat.brat:
        if output is None:
            raise typer.BadParameter("brat writes a folder of files: give it with -o FOLDER", param_hint="'-o'")
        if output.exists() and not output.is_dir():
            raise UnwritableOutput(f"cannot write {output}: it is a file, not a folder; give a folder for brat")
        check_output(output / "annotation.conf" if output.is_dir() else output)  # a new folder: its parent
    else:
        check_output(output)
    with open_existing(db) as store:
        StoryLinker(store).link_pending()
        result = export(store, fmt.value, story)
    if fmt is ExportFormat.brat:
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise UnwritableOutput(f"cannot create folder {output}: {err.strerror}") from None
        for name, text in result.files.items():
            emit(text, output / name)
        articles = sum(name.endswith(".ann") for name in result.files)
        line = f"sayso: wrote {articles} article(s) as brat files into {output}"
        typer.echo(safe_text(line, newlines=False), err=True)
        return
    emit(result.text, output)
    if output is not None:
        typer.echo(safe_text(f"sayso: wrote {output}", newlines=False), err=True)
