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

from ..db import display_name
from ..errors import BadInput, InputNotFound, MissingResource, SaysoError
from ..render import safe_text
from ..schema import Report
from ..store import SaveResult, Store, input_hash, write_datasette_metadata
from ..stories import StoryLinker
from . import ArticleInputs, app
from .read import DEFAULT_TIMEOUT_S, check_timeout

#: File suffixes picked up when walking a folder.
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
#: The largest input read (what :func:`sayso.loading.load` accepts).
MAX_BYTES = 10_000_000
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class _RateColumn(ProgressColumn):
    """Articles per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("?/s" if speed is None else f"{speed:.1f}/s", style="progress.data.speed")


def collect_inputs(paths: list[str]) -> tuple[list[str], list[tuple[str, SaysoError]]]:
    """Expand ``paths`` (files, folders walked recursively for .txt/.md/.html/.htm, URLs, '-') into the
    inputs to read, in order and without duplicates.

    Returns (inputs, failures): a missing path, a symbolic-link loop, an empty folder, and a FIFO, device or
    socket (in a folder too: they are never opened, see :func:`~sayso.loading.path_problem`) are failures,
    not inputs."""
    from ..loading import path_problem

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
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and not p.is_dir()
            )
            files = []
            for p in found:  # a FIFO, device, socket, broken link or link loop named *.txt: a failure
                problem = path_problem(p)
                if problem is None:
                    files.append(p)
                elif not isinstance(problem, InputNotFound) or p.is_symlink():
                    failures.append((str(p), problem))
            if not found:
                failures.append((raw, BadInput(f"no .txt, .md or .html files in folder {raw}")))
            for p in files:
                add(str(p), str(p.resolve()))
        elif path.exists():
            add(raw, str(path.resolve()))
        elif problem := path_problem(path):  # a symbolic-link loop is not 'no such file'
            failures.append((raw, problem))
        else:
            failures.append((raw, InputNotFound(f"no such file: {raw}")))
    return inputs, failures


def _load_nlp(fast: bool = False):
    from ..pipeline import ModelNotFound, load_pipeline

    try:
        return load_pipeline(fast=fast)
    except ModelNotFound as err:
        raise MissingResource(str(err)) from None


def _report_failure(console: Console, item: str, error: SaysoError) -> None:
    """Print one line for a failed input (the message names the input unless it says nothing of it),
    cleaned of terminal escape sequences and control characters (a file name may hold them)."""
    line = " ".join(safe_text(error.message, newlines=False).split())
    item = safe_text(item, newlines=False)
    text = line if item in line else f"{item}: {line}"
    console.print(f"sayso: failed: {text}", markup=False, soft_wrap=True)


def _input_digest(item: str, mode: str) -> str | None:
    """:func:`~sayso.store.input_hash` of the file ``item`` (None for a URL or stdin: those are read again
    every time). Raises InputNotFound or BadInput like loading it would."""
    if item == "-" or _URL_RE.match(item):
        return None
    from ..loading import HTML_SUFFIXES, read_path

    path = Path(item).expanduser()
    return input_hash(read_path(path, MAX_BYTES), html=path.suffix.lower() in HTML_SUFFIXES, mode=mode)


def _link(linker: StoryLinker, result: SaveResult, report: Report, console: Console, item: str) -> None:
    """Link a just-saved article into its story (again, when its extraction was replaced). A StoreError
    stops the run like any store failure; a bug in linking only warns: the article stays stored."""
    try:
        linker.link(result.article_id, report, refresh=result.status == "replaced")
    except SaysoError:
        raise
    except Exception as error:
        line = f"sayso: warning: {item}: not linked into a story: {type(error).__name__}: {error}"
        console.print(safe_text(line, newlines=False), markup=False)


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
        list[ArticleInputs],
        typer.Argument(
            parser=str,
            metavar="INPUT",
            help="Files, folders (walked for .txt, .md, .html, .htm), http(s) URLs, or '-' for stdin.",
        ),
    ],
    db: Annotated[
        str,
        typer.Option(
            "--db",
            metavar="FILE|URL",
            help="SQLite database file, or PostgreSQL URL (postgresql://user@host/db), to store into "
            "(created if needed).",
        ),
    ] = "sayso.db",
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="Allow URLs on private, loopback and link-local addresses."),
    ] = False,
    fast: Annotated[
        bool,
        typer.Option("--fast", help="Rules only, without the neural attribution tagger: quicker, less accurate."),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Read every file again, even one stored before and unchanged since."),
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="Give up fetching a URL after this many seconds in all (the URL counts as failed).",
        ),
    ] = DEFAULT_TIMEOUT_S,
) -> None:
    """Read articles, analyse them and store their reports in an SQLite database.

    Bad inputs are listed (one line each) and skipped. Exit status: 0 all stored; 4 some failed while the
    others were stored; when all failed, their own status (3 not found, 4 unusable, 5 network); 6 database
    error.

    A file stored before, unchanged since (same bytes, same sayso version), is skipped without being parsed
    again (unless --force).

    Example: `sayso ingest articles/ https://example.com/story.html --db news.db`
    """
    from ..loading import load

    check_timeout(timeout)
    err_console = Console(stderr=True, highlight=False)
    inputs, failures = collect_inputs(paths)
    for item, error in failures:
        _report_failure(err_console, item, error)
    counts: Counter[str] = Counter()
    if inputs:
        store = Store(db)
        if not store.postgres:
            write_datasette_metadata(db)
        linker = StoryLinker(store)
        mode = "fast" if fast else ""
        nlp = None  # loaded for the first file that is not skipped
        try:
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
                        digest = _input_digest(item, mode)
                        if digest is not None and not force and store.article_for_input(digest) is not None:
                            counts["skipped"] += 1  # stored and linked from these very bytes: nothing to do
                            progress.advance(task)
                            continue
                        if nlp is None:
                            nlp = _load_nlp(fast)
                        from ..analysis import analyse_article

                        article = load(item, allow_private=allow_private, timeout=timeout)
                        report = analyse_article(article, nlp)
                        result = store.save_report(report, input_hash=digest)
                        counts[result.status] += 1
                        _link(linker, result, report, progress.console, item)
                    except SaysoError as error:
                        if error.exit_code == 6:  # the store itself failed: stop, keep what is stored
                            raise
                        if nlp is None and isinstance(error, MissingResource):  # no model: nothing can be read
                            raise
                        failures.append((item, error))
                        _report_failure(progress.console, item, error)
                    except Exception as error:  # a bug on one article must not stop the whole run
                        failure = SaysoError(f"internal error: {type(error).__name__}: {error}")
                        failures.append((item, failure))
                        _report_failure(progress.console, item, failure)
                    progress.advance(task)
            from ..claims import update_ledger

            update_ledger(store)  # the claim ledger of every story this run changed (sayso.ledger)
        finally:
            store.close()
    stored = counts["stored"] + counts["replaced"]
    replaced = f" ({counts['replaced']} replaced)" if counts["replaced"] else ""
    unchanged = counts["unchanged"] + counts["skipped"]
    summary = f"stored {stored}{replaced}, unchanged {unchanged}, failed {len(failures)}"
    skipped = f"; skipped {counts['skipped']} unchanged files without parsing them" if counts["skipped"] else ""
    err_console.print(
        safe_text(f"sayso: {summary} into {display_name(db)}{skipped}", newlines=False),
        markup=False,
        soft_wrap=True,
    )
    status = _exit_status(stored + unchanged, failures)
    if status:
        sys.stdout.flush()
        raise typer.Exit(status)
