"""``sayso watch FEED_OR_FILE... [--every 15m] [--db FILE] [--rounds N | --once]``: poll feeds (and any other
input ``sayso ingest`` reads) and ingest new items until stopped.

Each round reads every input again; what was stored before (same item content, same URL) is skipped without
being parsed or fetched (the store remembers it, so a restarted watch skips it too), and an item found not
to be an article is passed over for the rest of the run. A feed that is down, slow (``--timeout``) or
malformed is listed and tried again next round. SIGINT (Ctrl-C) and SIGTERM stop it cleanly: the items in
hand are stored, then it exits.

Exit status: as ``sayso ingest``'s over the whole run (0 nothing failed; 4 some inputs or items failed while
others were stored; ...; 6 database error; 7 no spaCy model); a stop by signal is a normal end.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from . import app
from .ingest import DEFAULT_TIMEOUT_S, Reporter, collect_inputs, exit_status, records_of, summary_line
from .read import check_timeout

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.I)
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds in ``'90'``, ``'30s'``, ``'15m'``, ``'1.5h'`` or ``'1d'``. Raises ValueError otherwise.

    >>> parse_duration("15m"), parse_duration("30s"), parse_duration("2h")
    (900.0, 30.0, 7200.0)
    """
    m = _DURATION_RE.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a duration (e.g. 30s, 15m, 1h)")
    return float(m.group(1)) * _UNITS[(m.group(2) or "s").lower()]


@app.command("watch")
def watch(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="FEED_OR_FILE",
            help="Feed URLs (RSS, Atom), sitemap URLs, or files and folders of any kind 'sayso ingest' reads.",
        ),
    ],
    every: Annotated[
        str, typer.Option("--every", metavar="DURATION", help="Time between two rounds: 30s, 15m, 1h...")
    ] = "15m",
    db: Annotated[Path, typer.Option("--db", help="SQLite database to store into (created if needed).")] = Path(
        "sayso.db"
    ),
    rounds: Annotated[
        int | None, typer.Option("--rounds", min=1, help="Stop after this many rounds (default: run until stopped).")
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="One round, then stop (as --rounds 1).")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Processes analysing articles.")] = 1,
    field: Annotated[
        list[str] | None,
        typer.Option("--field", metavar="FIELD=KEY", help="JSON Lines field names, as for 'sayso ingest'."),
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="Allow URLs on private, loopback and link-local addresses."),
    ] = False,
    fast: Annotated[bool, typer.Option("--fast", help="Rules only, without the neural attribution tagger.")] = False,
    timeout: Annotated[
        float,
        typer.Option("--timeout", metavar="SECONDS", help="Give up fetching a feed or page after this many seconds."),
    ] = DEFAULT_TIMEOUT_S,
) -> None:
    """Poll feeds and files, and ingest new items until stopped (Ctrl-C or SIGTERM).

    Every round reads each input; items stored before are skipped without being fetched or parsed, so only
    new or changed items are analysed. A feed that is down, slow or malformed is listed (one line) and tried
    again next round. Exit status: as for `sayso ingest`, over the whole run.

    Example: `sayso watch https://example.com/feed.xml --every 15m --db news.db`
    """
    from rich.console import Console

    from ..ingestion import Ingester, IngestOptions
    from ..input.jsonl import parse_field_map
    from ..store import Store, write_datasette_metadata

    check_timeout(timeout)
    try:
        interval = parse_duration(every)
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="'--every'") from None
    if interval <= 0:
        raise typer.BadParameter("the interval must be longer than 0 s", param_hint="'--every'")
    try:
        fields = parse_field_map(field)
    except Exception as err:
        raise typer.BadParameter(str(err), param_hint="'--field'") from None
    limit = 1 if once else rounds
    console = Console(stderr=True, highlight=False)
    reporter = Reporter(console)
    stop = threading.Event()
    store = Store(db)
    if not store.postgres:
        write_datasette_metadata(db)
    options = IngestOptions(fast=fast, allow_private=allow_private, timeout=timeout, workers=workers)
    ingester = Ingester(store, options, on_failure=reporter.failure, on_warning=reporter.warning)
    failures: list[tuple[str, Any]] = []
    previous = _stop_on_signals(stop)
    done = 0
    try:
        while not stop.is_set():
            done += 1
            items, missing = collect_inputs(inputs)
            for item, error in missing:
                reporter.failure(item, error)
            failures.extend(missing)
            before = len(ingester.tally.failures), ingester.tally.stored + ingester.tally.replaced
            ingester.ingest(
                records_of(items, [], fields=fields, allow_private=allow_private, timeout=timeout), stop=stop.is_set
            )
            reporter.flush()
            new = ingester.tally.stored + ingester.tally.replaced - before[1]
            if new:
                from ..claims import update_ledger

                update_ledger(store)  # the ledger stays current round by round
            bad = len(ingester.tally.failures) - before[0] + len(missing)
            console.print(f"sayso: round {done}: stored {new} new, failed {bad}", markup=False)
            reporter.listed = 0  # each round lists its own failures
            if limit is not None and done >= limit:
                break
            stop.wait(interval)
    finally:
        _restore_signals(previous)
        ingester.close()
        store.close()
    tally = ingester.tally
    all_failures = failures + tally.failures
    console.print(summary_line(tally, db, len(all_failures)), markup=False, soft_wrap=True)
    if stop.is_set():
        console.print("sayso: watch stopped", markup=False)
    status = exit_status(tally.stored + tally.replaced + tally.unchanged + tally.skipped, all_failures)
    if status:
        sys.stdout.flush()
        raise typer.Exit(status)


def _stop_on_signals(stop: threading.Event) -> dict[int, Any]:
    """Make SIGINT and SIGTERM set ``stop`` (in the main thread only); returns the handlers replaced."""
    previous: dict[int, Any] = {}
    if threading.current_thread() is not threading.main_thread():
        return previous
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, lambda *_: stop.set())
    return previous


def _restore_signals(previous: dict[int, Any]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)
