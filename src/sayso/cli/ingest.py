"""``sayso ingest INPUT... [--urls FILE] [--db FILE] [--workers N]``: read articles from files, folders, web
archives, feeds, JSON Lines dumps, sitemaps and URLs, analyse them and store the reports, linking each into
its story (:mod:`sayso.stories`: copies onto their original, related articles together).

Exit status (see :mod:`sayso.errors`):

* 0 — every input and record stored (or already stored, unchanged);
* 4 — some inputs or records were bad (each listed on stderr, one line, the first
  :data:`MAX_LISTED`) while the others were stored;
* when every input failed: that failure's own status (3 not found, 4 unusable, 5 network) if they all
  agree, else 4;
* 6 — the database cannot be opened or written (ingesting stops; what was stored stays stored);
* 7 — no spaCy model installed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import BadInput, InputNotFound, SaysoError
from . import ArticleInputs, app
from .read import DEFAULT_TIMEOUT_S, check_timeout

#: Bad inputs and records listed one per line; the rest are counted in the summary.
MAX_LISTED = 20
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def collect_inputs(paths: list[str]) -> tuple[list[str], list[tuple[str, SaysoError]]]:
    """Expand ``paths`` (files, folders walked recursively for the kinds sayso reads — .txt, .md, .html,
    .warc(.gz), .jsonl, .ndjson, .xml, .rss, .atom —, URLs, '-') into the inputs to read, in order and
    without duplicates.

    Returns (inputs, failures): a missing path, a symbolic-link loop, an empty folder, and a FIFO, device or
    socket (in a folder too: they are never opened, see :func:`~sayso.loading.path_problem`) are failures,
    not inputs."""
    from ..input.detect import ALL_SUFFIXES, suffix_of
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
                if suffix_of(p.name) in ALL_SUFFIXES and not p.name.startswith(".") and not p.is_dir()
            )
            files = []
            for p in found:  # a FIFO, device, socket, broken link or link loop named *.txt: a failure
                problem = path_problem(p)
                if problem is None:
                    files.append(p)
                elif not isinstance(problem, InputNotFound) or p.is_symlink():
                    failures.append((str(p), problem))
            if not found:
                failures.append((raw, BadInput(f"no articles, archives, dumps or feeds in folder {raw}")))
            for p in files:
                add(str(p), str(p.resolve()))
        elif path.exists():
            add(raw, str(path.resolve()))
        elif problem := path_problem(path):  # a symbolic-link loop is not 'no such file'
            failures.append((raw, problem))
        else:
            failures.append((raw, InputNotFound(f"no such file: {raw}")))
    return inputs, failures


def failure_line(item: str, error: SaysoError) -> str:
    """The one line printed for a failed input or bad record (the message names the input unless it says
    nothing of it), cleaned of terminal escape sequences and control characters (a file name may hold them)."""
    from ..render import safe_text

    line = " ".join(safe_text(error.message, newlines=False).split())
    item = safe_text(item, newlines=False)
    text = line if item in line else f"{item}: {line}"
    return f"sayso: failed: {text}"


def exit_status(written: int, failures: list[tuple[str, SaysoError]]) -> int:
    """The exit status of a run that stored or found unchanged ``written`` articles with ``failures``."""
    if not failures:
        return 0
    if written:
        return 4
    codes = {err.exit_code for _, err in failures}
    return codes.pop() if len(codes) == 1 else 4


def input_size(item: str) -> int:
    """The size in bytes of the file ``item`` (0 for a URL, stdin, or what cannot be read)."""
    if item == "-" or _URL_RE.match(item):
        return 0
    try:
        return Path(item).expanduser().stat().st_size
    except OSError:
        return 0


def records_of(
    items: list[str], url_lists: list[str], *, fields: dict[str, str] | None, allow_private: bool, timeout: float
) -> Iterator[Any]:
    """Every record of ``items`` and then of the URL lists ``url_lists``, streamed, each record's
    ``position`` counted in bytes from the start of the first input (for progress)."""
    from ..input import bad_record, read_records
    from ..input.urls import read_url_list
    from ..loading import path_problem

    base = 0
    for item in items:
        size = input_size(item)
        for record in read_records(item, fields=fields, allow_private=allow_private, timeout=timeout):
            record.position = base + min(record.position, size)
            yield record
        base += size
    for listed in url_lists:
        path = Path(listed).expanduser()
        problem = path_problem(path)
        if problem is not None:
            if isinstance(problem, InputNotFound):
                problem = InputNotFound(f"no such URL list: {listed}")
            yield bad_record(listed, problem.message, error=problem)
            continue
        size = input_size(listed)
        for record in read_url_list(path):
            record.position = base + min(record.position, size)
            yield record
        base += size


class Reporter:
    """Prints failures (the first :data:`MAX_LISTED`, then counts them) and warnings to ``console``."""

    def __init__(self, console: Any) -> None:
        self.console = console
        self.listed = 0
        self.unlisted = 0

    def failure(self, item: str, error: SaysoError) -> None:
        if self.listed < MAX_LISTED:
            self.listed += 1
            self.console.print(failure_line(item, error), markup=False, soft_wrap=True)
        else:
            self.unlisted += 1

    def warning(self, line: str) -> None:
        from ..render import safe_text

        self.console.print(safe_text(f"sayso: warning: {line}", newlines=False), markup=False)

    def flush(self) -> None:
        if self.unlisted:
            self.console.print(f"sayso: ... and {self.unlisted} more failures, not listed", markup=False)
            self.unlisted = 0


def make_progress(console: Any, total: int | None, disable: bool) -> Any:
    """A Rich progress bar over ``total`` input bytes, with articles per second, elapsed time and ETA."""
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Records finished and records per second."""

        def render(self, task: Task) -> Text:
            done = int(task.fields.get("records", 0))
            elapsed = task.finished_time if task.finished else task.elapsed
            rate = f"{done / elapsed:.1f}/s" if elapsed else "?/s"
            return Text(f"{done:,} records {rate}", style="progress.data.speed")

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        disable=disable,
        transient=False,
    )


def summary_line(tally: Any, db: str | Path, failed: int | None = None) -> str:
    """The closing line: what was stored, unchanged, failed (``failed``, default the tally's failures) and
    skipped."""
    from ..render import safe_text

    stored = tally.stored + tally.replaced
    replaced = f" ({tally.replaced} replaced)" if tally.replaced else ""
    unchanged = tally.unchanged + tally.skipped
    failed = len(tally.failures) if failed is None else failed
    summary = f"stored {stored}{replaced}, unchanged {unchanged}, failed {failed}"
    skipped = f"; skipped {tally.skipped} unchanged inputs without parsing them" if tally.skipped else ""
    from ..db import display_name

    return safe_text(f"sayso: {summary} into {display_name(str(db))}{skipped}", newlines=False)


@app.command("ingest")
def ingest(
    paths: Annotated[
        list[ArticleInputs] | None,
        typer.Argument(
            parser=str,
            metavar="INPUT",
            help="Files (articles, .warc/.warc.gz archives, .jsonl/.ndjson dumps, RSS/Atom feeds, sitemaps), "
            "folders (walked for those), http(s) URLs (a page, a feed or a sitemap), or '-' for stdin.",
        ),
    ] = None,
    urls: Annotated[
        list[Path] | None,
        typer.Option("--urls", metavar="FILE", help="A file of URLs to read, one a line (# comments); repeatable."),
    ] = None,
    db: Annotated[
        str,
        typer.Option(
            "--db",
            metavar="FILE|URL",
            help="SQLite database file, or PostgreSQL URL (postgresql://user@host/db), to store into "
            "(created if needed).",
        ),
    ] = "sayso.db",
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Processes analysing articles (each loads the pipeline once); this one writes the database.",
        ),
    ] = 1,
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--field",
            metavar="FIELD=KEY",
            help="JSON Lines: read sayso's FIELD (text, title, url, published, authors, outlet, language) from "
            "KEY (a.b for nested); repeatable. Default: news-please's maintext, title, url, date_publish, "
            "authors, source_domain.",
        ),
    ] = None,
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
        typer.Option("--force", help="Read every input again, even one stored before and unchanged since."),
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
    """Read articles, analyse them and store their reports in an SQLite or PostgreSQL database.

    Reads article files (text, Markdown, HTML), web archives (WARC, WARC.gz: their HTML pages, with each
    record's URL and date), RSS and Atom feeds (an item's full content when it carries it, else its page,
    fetched), JSON Lines dumps (news-please's fields, or --field), sitemaps and URL lists (--urls). Each
    file's kind is recognised by its name and content.

    Bad inputs and bad records (a truncated archive, broken XML, a page with no article) are listed (one
    line each, the first 20) and skipped. Exit status: 0 all stored; 4 some failed while the others were
    stored; when all failed, their own status (3 not found, 4 unusable, 5 network); 6 database error; 7 no
    spaCy model.

    An input stored before and unchanged since (a file, a page at a URL, or a record in an archive, dump or
    feed: same bytes, same sayso version; a URL listed in a feed, sitemap or --urls file: the same URL) is
    skipped without being parsed again (unless --force).
    With --workers N, N processes analyse while this one writes; killed at any moment, the same command run
    again stores each article once.

    Example: `sayso ingest articles/ crawl.warc.gz news.jsonl https://example.com/feed.xml --workers 2`
    """
    from rich.console import Console

    from ..input.jsonl import parse_field_map

    check_timeout(timeout)
    try:
        fields = parse_field_map(field)
    except BadInput as err:
        raise typer.BadParameter(err.message.split(": ", 1)[-1], param_hint="'--field'") from None
    if not paths and not urls:
        raise typer.BadParameter("give at least one INPUT or --urls FILE", param_hint="'INPUT'")
    err_console = Console(stderr=True, highlight=False)
    reporter = Reporter(err_console)
    inputs, failures = collect_inputs(list(paths or []))
    for item, error in failures:
        reporter.failure(item, error)
    url_lists = [str(u) for u in urls or []]
    tally = run_ingest(
        inputs,
        url_lists,
        db=db,
        fields=fields,
        workers=workers,
        fast=fast,
        force=force,
        allow_private=allow_private,
        timeout=timeout,
        reporter=reporter,
    )
    reporter.flush()
    if tally is None:  # nothing could be read at all
        from ..ingestion import Tally

        tally = Tally()
    all_failures = failures + tally.failures
    err_console.print(summary_line(tally, db, len(all_failures)), markup=False, soft_wrap=True)
    status = exit_status(tally.stored + tally.replaced + tally.unchanged + tally.skipped, all_failures)
    if status:
        sys.stdout.flush()
        raise typer.Exit(status)


def run_ingest(
    inputs: list[str],
    url_lists: list[str],
    *,
    db: str,
    fields: dict[str, str] | None,
    workers: int,
    fast: bool,
    force: bool,
    allow_private: bool,
    timeout: float,
    reporter: Reporter,
) -> Any:
    """Ingest ``inputs`` and ``url_lists`` into the store at ``db`` with a progress bar; returns the Tally
    (None when there was nothing to read). Raises StoreError, MissingResource."""
    from ..ingestion import Ingester, IngestOptions
    from ..store import Store, write_datasette_metadata

    if not inputs and not url_lists:
        return None
    store = Store(db)
    if not store.postgres:
        write_datasette_metadata(db)
    options = IngestOptions(fast=fast, force=force, allow_private=allow_private, timeout=timeout, workers=workers)
    total = sum(input_size(i) for i in [*inputs, *url_lists]) or None
    single_page = len(inputs) + len(url_lists) < 2 and all(_is_plain_page(i) for i in inputs)
    progress = make_progress(reporter.console, total, disable=single_page)
    with progress:
        task = progress.add_task("ingesting", total=total, records=0)

        def done(record: Any) -> None:
            progress.update(task, completed=record.position, records=ingester.tally.done)

        reporter.console = progress.console
        ingester = Ingester(store, options, on_failure=reporter.failure, on_done=done, on_warning=reporter.warning)
        try:
            ingester.ingest(records_of(inputs, url_lists, fields=fields, allow_private=allow_private, timeout=timeout))
            if total:
                progress.update(task, completed=total)
            from ..claims import update_ledger

            update_ledger(store)  # the claim ledger of every story this run changed (sayso.ledger)
        finally:
            ingester.close()
            store.close()
    return ingester.tally


def _is_plain_page(item: str) -> bool:
    from ..input.detect import PAGE_SUFFIXES, suffix_of

    return item == "-" or (not _URL_RE.match(item) and suffix_of(item) in PAGE_SUFFIXES)
