"""``sayso ingest PATH... [--db FILE] [--allow-private]``: read articles, analyse them, store the reports,
and link each into its story (:mod:`sayso.stories`: copies onto their original, related articles together).

Exit status (see :mod:`sayso.errors`):

* 0 — every input stored (or already stored, unchanged);
* 4 — some inputs failed (each listed on stderr, one line) while the others were stored;
* when every input failed: that failure's own status (3 not found, 4 unusable, 5 network) if they all
  agree, else 4;
* 6 — the database cannot be opened or written (ingesting stops; what was stored stays stored);
* 7 — no spaCy model installed.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ..errors import BadInput, InputNotFound, MissingResource, SaysoError
from ..schema import Report
from ..store import SaveResult, Store
from ..stories import StoryLinker
from . import app

#: File suffixes picked up when walking a folder.
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class _RateColumn(ProgressColumn):
    """Articles per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("?/s" if speed is None else f"{speed:.1f}/s", style="progress.data.speed")


def collect_inputs(paths: list[str]) -> tuple[list[str], list[tuple[str, SaysoError]]]:
    """Expand ``paths`` (files, folders walked recursively for .txt/.md/.html/.htm, URLs, '-') into the
    inputs to read, in order and without duplicates.

    Returns (inputs, failures): a missing path or an empty folder is a failure, not an input."""
    inputs: list[str] = []
    failures: list[tuple[str, SaysoError]] = []
    seen: set[str] = set()

    def add(item: str, key: str) -> None:
        if key not in seen:
            seen.add(key)
            inputs.append(item)

    for raw in paths:
        if raw == "-" or _URL_RE.match(raw):
            add(raw, raw)
            continue
        path = Path(raw).expanduser()
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES and p.is_file() and not p.name.startswith(".")
            )
            if not files:
                failures.append((raw, BadInput(f"no .txt, .md or .html files in folder {raw}")))
            for p in files:
                add(str(p), str(p.resolve()))
        elif path.exists():
            add(raw, str(path.resolve()))
        else:
            failures.append((raw, InputNotFound(f"no such file: {raw}")))
    return inputs, failures


def _load_nlp():
    from ..pipeline import ModelNotFound, load_pipeline

    try:
        return load_pipeline()
    except ModelNotFound as err:
        raise MissingResource(str(err)) from None


def _report_failure(console: Console, item: str, error: SaysoError) -> None:
    """Print one line for a failed input (the message names the input unless it says nothing of it)."""
    line = " ".join(error.message.split())
    text = line if item in line else f"{item}: {line}"
    console.print(f"sayso: failed: {text}", markup=False, soft_wrap=True)


def _link(linker: StoryLinker, result: SaveResult, report: Report, console: Console, item: str) -> None:
    """Link a just-saved article into its story (again, when its extraction was replaced). A StoreError
    stops the run like any store failure; a bug in linking only warns: the article stays stored."""
    try:
        linker.link(result.article_id, report, refresh=result.status == "replaced")
    except SaysoError:
        raise
    except Exception as error:
        console.print(f"sayso: warning: {item}: not linked into a story: {type(error).__name__}: {error}", markup=False)


def _exit_status(stored: int, failures: list[tuple[str, SaysoError]]) -> int:
    if not failures:
        return 0
    if stored:
        return 4
    codes = {err.exit_code for _, err in failures}
    return codes.pop() if len(codes) == 1 else 4


@app.command("ingest")
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, folders (walked for .txt, .md, .html, .htm), http(s) URLs, or '-' for stdin."),
    ],
    db: Annotated[Path, typer.Option("--db", help="SQLite database to store into (created if needed).")] = Path(
        "sayso.db"
    ),
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="Allow URLs on private, loopback and link-local addresses."),
    ] = False,
) -> None:
    """Read articles, analyse them and store their reports in an SQLite database.

    Bad inputs are listed (one line each) and skipped. Exit status: 0 all stored; 4 some failed while the
    others were stored; when all failed, their own status (3 not found, 4 unusable, 5 network); 6 database
    error."""
    from ..analysis import analyse_article
    from ..loading import load

    err_console = Console(stderr=True, highlight=False)
    inputs, failures = collect_inputs(paths)
    for item, error in failures:
        _report_failure(err_console, item, error)
    counts: Counter[str] = Counter()
    if inputs:
        store = Store(db)
        linker = StoryLinker(store)
        try:
            nlp = _load_nlp()
            progress = Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                _RateColumn(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=err_console,
                disable=len(inputs) < 2,
                transient=False,
            )
            with progress:
                task = progress.add_task("ingesting", total=len(inputs))
                for item in inputs:
                    try:
                        article = load(item, allow_private=allow_private)
                        report = analyse_article(article, nlp)
                        result = store.save_report(report)
                        counts[result.status] += 1
                        _link(linker, result, report, progress.console, item)
                    except SaysoError as error:
                        if error.exit_code == 6:  # the store itself failed: stop, keep what is stored
                            raise
                        failures.append((item, error))
                        _report_failure(progress.console, item, error)
                    except Exception as error:  # a bug on one article must not stop the whole run
                        failure = SaysoError(f"internal error: {type(error).__name__}: {error}")
                        failures.append((item, failure))
                        _report_failure(progress.console, item, failure)
                    progress.advance(task)
        finally:
            store.close()
    stored = counts["stored"] + counts["replaced"]
    replaced = f" ({counts['replaced']} replaced)" if counts["replaced"] else ""
    summary = f"stored {stored}{replaced}, unchanged {counts['unchanged']}, failed {len(failures)}"
    err_console.print(
        f"sayso: {summary} into {db}",
        markup=False,
        soft_wrap=True,
    )
    status = _exit_status(stored + counts["unchanged"], failures)
    if status:
        sys.stdout.flush()
        raise typer.Exit(status)
