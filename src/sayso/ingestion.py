"""Ingesting a stream of records into a store: skip what is stored already, analyse the rest (in worker
processes when asked), write every report from this one process, and link each article into its story.

Records are handled in order, in batches: a batch's reports are saved in one transaction, then linked in
another, before the next batch's. A record whose input hash (:meth:`Record.digest
<sayso.input.record.Record.digest>`) belongs to an article that is stored and linked is skipped before it
is parsed, so re-reading unchanged inputs costs a hash and one index look-up per record, and the pipeline is
loaded only once a record needs it. Killed at any moment (even ``kill -9``), a run leaves every batch either
wholly saved or not at all, and an article saved but not linked is read again and linked by the next run:
running the same command again loses and duplicates nothing, in the order a clean run would have used.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import BadInput, MissingResource, SaysoError
from .input.record import Record
from .schema import Report
from .store import SaveResult, Store
from .workers import Outcome, make_analyser

#: Records sent to a worker at once (and saved in one transaction).
BATCH_SIZE = 8
#: Batches in flight per worker (bounds memory: at most this many batches wait to be written).
BATCHES_PER_WORKER = 2


@dataclass
class IngestOptions:
    """How to ingest: ``fast`` (rules only), ``force`` (read even unchanged records again), ``allow_private``
    and ``timeout`` (for what is fetched), ``workers`` (processes analysing; 1: this one), ``batch_size``."""

    fast: bool = False
    force: bool = False
    allow_private: bool = False
    timeout: float | None = 30.0
    workers: int = 1
    batch_size: int = BATCH_SIZE

    @property
    def mode(self) -> str:
        """The analysis mode hashed into every input hash ('fast' or '')."""
        return "fast" if self.fast else ""


@dataclass
class Tally:
    """What a run did: articles ``stored`` (new), ``replaced`` (re-read, extraction changed), ``unchanged``
    (re-read, same), ``skipped`` (unchanged input, not parsed), and the ``failures`` ((input, error): bad
    records and inputs)."""

    stored: int = 0
    replaced: int = 0
    unchanged: int = 0
    skipped: int = 0
    failures: list[tuple[str, SaysoError]] = field(default_factory=list)

    @property
    def done(self) -> int:
        """Records finished: articles written or skipped, and failures."""
        return self.stored + self.replaced + self.unchanged + self.skipped + len(self.failures)


class Ingester:
    """Ingests records into ``store`` with ``options`` (see :class:`IngestOptions`).

    ``on_failure(input, error)`` is called for each bad record as it is found; ``on_done(record)`` after each
    record is finished (written, skipped or failed); ``on_warning(line)`` for an article stored but not linked
    (a bug in linking). Call :meth:`ingest` once or several times (``sayso watch``: once a round), then
    :meth:`close`. Raises StoreError (the database failed: what was written stays written) and MissingResource
    (no spaCy model)."""

    def __init__(
        self,
        store: Store,
        options: IngestOptions,
        *,
        on_failure: Callable[[str, SaysoError], None] | None = None,
        on_done: Callable[[Record], None] | None = None,
        on_warning: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.options = options
        self.tally = Tally()
        self.analyser = make_analyser(
            options.workers, fast=options.fast, allow_private=options.allow_private, timeout=options.timeout
        )
        self._on_failure = on_failure or (lambda item, error: None)
        self._on_done = on_done or (lambda record: None)
        self._on_warning = on_warning or (lambda line: None)
        self._linker: Any = None
        #: Input hashes of records found not to be articles (BadInput): passed over in later rounds.
        self.known_bad: set[str] = set()

    def close(self) -> None:
        """Stop the workers."""
        self.analyser.close()

    # --- the run -----------------------------------------------------------------------------------

    def ingest(self, records: Iterable[Record], stop: Callable[[], bool] | None = None) -> Tally:
        """Ingest ``records`` (streamed: read as they are needed). ``stop``: when it returns True, no further
        record is read; those in flight are finished and written. Returns the running :class:`Tally`."""
        batch: list[tuple[Record, str | None]] = []
        in_flight: deque[tuple[list[tuple[Record, str | None]], Any]] = deque()
        pending: set[str] = set()
        limit = max(1, self.analyser.workers * BATCHES_PER_WORKER)
        try:
            for record in records:
                if record.kind == "bad":
                    self._fail(record, record.error or BadInput(f"{record.input}: unreadable"))
                    continue
                digest = record.digest(self.options.mode)
                if digest is not None and self._skip(digest, pending):
                    self.tally.skipped += 1
                    self._on_done(record)
                else:
                    if digest is not None:
                        pending.add(digest)
                    batch.append((record, digest))
                    if len(batch) >= self.options.batch_size:
                        in_flight.append((batch, self.analyser.submit([r for r, _ in batch])))
                        batch = []
                        while len(in_flight) >= limit:
                            self._finish(*in_flight.popleft(), pending)
                if stop is not None and stop():
                    break
            if batch:
                in_flight.append((batch, self.analyser.submit([r for r, _ in batch])))
            while in_flight:
                self._finish(*in_flight.popleft(), pending)
        finally:
            for _, future in in_flight:
                future.cancel()
        return self.tally

    def _skip(self, digest: str, pending: set[str]) -> bool:
        if self.options.force:
            return digest in pending
        return digest in pending or digest in self.known_bad or self.store.article_for_input(digest) is not None

    def _fail(self, record: Record, error: SaysoError, digest: str | None = None) -> None:
        if isinstance(error, BadInput) and digest is not None:
            self.known_bad.add(digest)
        self.tally.failures.append((record.input, error))
        self._on_failure(record.input, error)
        self._on_done(record)

    def _outcomes(self, batch: list[tuple[Record, str | None]], future: Any) -> list[Outcome]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return list(future.result())
        except BrokenProcessPool:
            restart = getattr(self.analyser, "restart", None)
            if restart is not None:
                restart()
            died = SaysoError("a worker process died while reading it (out of memory?); it was not stored")
            return [died for _ in batch]

    def _finish(self, batch: list[tuple[Record, str | None]], future: Any, pending: set[str]) -> None:
        """Write the outcomes of ``batch`` (its Future ``future``): save the reports in one transaction,
        link them into stories, count the failures. Their input hashes leave ``pending`` (the store knows
        them now), so that it holds only those in flight, however long the input."""
        outcomes = self._outcomes(batch, future)
        good: list[tuple[Record, str | None, Report]] = []
        for (record, digest), outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, Report):
                good.append((record, digest, outcome))
            elif isinstance(outcome, MissingResource):
                raise outcome
            else:
                self._fail(record, outcome, digest)
        if good:
            results = self.store.save_reports([r for _, _, r in good], [d for _, d, _ in good])
            for result in results:
                setattr(self.tally, result.status, getattr(self.tally, result.status) + 1)
            self._link([(res, rep, rec.input) for (rec, _, rep), res in zip(good, results, strict=True)])
            for record, _, _ in good:
                self._on_done(record)
        pending.difference_update(d for _, d in batch if d is not None)

    def _link(self, saved: list[tuple[SaveResult, Report, str]]) -> None:
        """Link just-saved articles into their stories, in order (a replaced one again). A StoreError stops the
        run; a bug in linking only warns: the articles stay stored (and are read again next time)."""
        if self._linker is None:
            from .stories import StoryLinker

            self._linker = StoryLinker(self.store)
        start = 0
        while start < len(saved):
            refresh = saved[start][0].status == "replaced"
            end = start
            while end < len(saved) and (saved[end][0].status == "replaced") == refresh:
                end += 1
            group = saved[start:end]
            try:
                self._linker.link_many([(res.article_id, rep) for res, rep, _ in group], refresh=refresh)
            except SaysoError:
                raise
            except Exception:
                for res, rep, item in group:  # one at a time, to name the article that fails
                    try:
                        self._linker.link(res.article_id, rep, refresh=refresh)
                    except SaysoError:
                        raise
                    except Exception as error:
                        self._on_warning(f"{item}: not linked into a story: {type(error).__name__}: {error}")
            start = end
