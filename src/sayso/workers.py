"""Analysing records: in this process, or in a pool of worker processes that each load the pipeline once.

The main process reads the inputs and owns the store (one writer); workers only turn records into reports:
extraction (or fetching) and the spaCy parse. Records travel in batches, at most a few batches per worker in
flight, so memory stays bounded however large the input. Each article is parsed on its own (``nlp(doc)``, as
:func:`~sayso.analysis.analyse_article` does), so its report does not depend on which batch or worker it
landed in.

Worker processes are started with ``spawn`` (never ``fork``: the main process runs threads), ignore SIGINT
(the main process stops them) and exit by themselves when the main process dies, even by ``kill -9``.
BLAS and OpenMP libraries get one thread per worker unless ``OMP_NUM_THREADS`` and the like say otherwise;
the neural reader's onnxruntime uses ``SAYSO_THREADS`` threads (default 1), and a neural tagger that would
overlap its work with the parse on a second thread tags in line in a worker (:func:`one_core`): with one
worker per core, the processes are the parallelism.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

from .errors import MissingResource, SaysoError
from .input.record import Record, record_article
from .schema import Report

#: What a worker gives back for one record: its report, or why it could not be read.
Outcome = Report | SaysoError
#: Environment variables that limit the threads of numeric libraries inside each worker.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")

_state: dict[str, Any] = {}


def _load(fast: bool) -> Any:
    from .pipeline import ModelNotFound, load_pipeline

    try:
        return load_pipeline(fast=fast)
    except ModelNotFound as err:
        raise MissingResource(str(err)) from None


def analyse_records(
    batch: list[Record], nlp: Any, *, allow_private: bool = False, timeout: float | None = 30.0
) -> list[Outcome]:
    """The outcome of each record of ``batch``, in order: its report (extracted or fetched with
    ``allow_private`` and ``timeout``, then analysed with ``nlp``), or the SaysoError saying why not. A bug
    on one record is an 'internal error' outcome, not an exception."""
    from .analysis import analyse_article

    out: list[Outcome] = []
    for record in batch:
        try:
            article = record_article(record, allow_private=allow_private, timeout=timeout)
            out.append(analyse_article(article, nlp))
        except SaysoError as err:
            out.append(err)
        except Exception as err:  # one article must not stop the others
            out.append(SaysoError(f"{record.input}: internal error: {type(err).__name__}: {err}"))
    return out


def _watch_parent(parent: int) -> None:
    """Exit this worker as soon as its parent process is gone (e.g. killed with SIGKILL)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def one_core(nlp: Any) -> Any:
    """``nlp`` set to keep to one core, as a worker among others should: a neural tagger that overlaps its
    work with the parse on a second thread (``overlap``) is told to tag in line instead (the same spans; the
    cores are the workers'). Returns ``nlp``."""
    if "sayso_neural_roles" in getattr(nlp, "pipe_names", ()):
        tagger = nlp.get_pipe("sayso_neural_roles")
        if getattr(tagger, "overlap", False):
            tagger.overlap = False
    return nlp


def _init_worker(fast: bool, allow_private: bool, timeout: float | None, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="sayso-parent-watch").start()
    _state.update(fast=fast, allow_private=allow_private, timeout=timeout)
    try:
        _state["nlp"] = one_core(_load(fast))
    except MissingResource as err:
        _state["error"] = err


def _worker_batch(batch: list[Record]) -> list[Outcome]:
    if "error" in _state:
        return [_state["error"] for _ in batch]
    return analyse_records(batch, _state["nlp"], allow_private=_state["allow_private"], timeout=_state["timeout"])


def _worker_ready(seconds: float) -> int:
    """Wait ``seconds`` (so that each of several calls lands on another worker) and return the pid."""
    time.sleep(seconds)
    return os.getpid()


def _worker_stats(seconds: float) -> tuple[int, float, float]:
    """(pid, peak resident memory in MiB, CPU seconds used) of this worker, after waiting ``seconds``."""
    from .bench import own_peak_rss_mb

    time.sleep(seconds)
    return os.getpid(), own_peak_rss_mb(), time.process_time()


class Analyser(Protocol):
    """Turns batches of records into outcomes: :meth:`submit` returns a Future of the batch's outcomes."""

    workers: int

    def submit(self, batch: list[Record]) -> Future[list[Outcome]]: ...

    def warm_up(self) -> None: ...

    def close(self) -> None: ...


class LocalAnalyser:
    """Analyses in this process, the pipeline loaded on the first batch (so that a run whose every record is
    skipped never loads it). ``fast``: rules only; ``allow_private``, ``timeout``: for records fetched."""

    workers = 1

    def __init__(self, *, fast: bool = False, allow_private: bool = False, timeout: float | None = 30.0) -> None:
        self.fast, self.allow_private, self.timeout = fast, allow_private, timeout
        self._nlp: Any = None

    def warm_up(self) -> None:
        """Load the pipeline now. Raises MissingResource when no spaCy model is installed."""
        if self._nlp is None:
            self._nlp = _load(self.fast)

    def submit(self, batch: list[Record]) -> Future[list[Outcome]]:
        """Analyse ``batch`` now; the Future returned is done. Raises MissingResource (no model)."""
        self.warm_up()
        future: Future[list[Outcome]] = Future()
        future.set_result(analyse_records(batch, self._nlp, allow_private=self.allow_private, timeout=self.timeout))
        return future

    def close(self) -> None:
        """Nothing to release."""


class PoolAnalyser:
    """Analyses in ``workers`` worker processes, each loading the pipeline once when it starts (``fast``,
    ``allow_private``, ``timeout``: as for :class:`LocalAnalyser`). Started on the first batch."""

    def __init__(
        self, workers: int, *, fast: bool = False, allow_private: bool = False, timeout: float | None = 30.0
    ) -> None:
        self.workers = workers
        self._args = (fast, allow_private, timeout, os.getpid())
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing

            for name in THREAD_VARIABLES:  # inherited by the spawned workers (this process's libraries are
                os.environ.setdefault(name, "1")  # initialised already)
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=self._args,
            )
        return self._pool

    def warm_up(self) -> None:
        """Start every worker and wait until each has loaded its pipeline."""
        pool = self._executor()
        for future in [pool.submit(_worker_ready, 0.2) for _ in range(self.workers * 2)]:
            future.result()

    def submit(self, batch: list[Record]) -> Future[list[Outcome]]:
        """Send ``batch`` to a worker; the Future's result is its outcomes (it raises BrokenProcessPool when
        a worker died)."""
        return self._executor().submit(_worker_batch, batch)

    def stats(self) -> dict[int, tuple[float, float]]:
        """{pid: (peak resident memory in MiB, CPU seconds used)} of the workers (every worker answers unless
        one is slow to take its turn: callers check that all are there)."""
        if self._pool is None:
            return {}
        seen: dict[int, tuple[float, float]] = {}
        for future in [self._pool.submit(_worker_stats, 0.3) for _ in range(self.workers * 2)]:
            pid, rss, cpu = future.result(timeout=60)
            seen[pid] = (rss, cpu)
        return seen

    def peak_rss_mb(self) -> list[float]:
        """The peak resident memory (MiB) of each worker so far."""
        return sorted(rss for rss, _ in self.stats().values())

    def restart(self) -> None:
        """Replace a broken pool (a worker died) with a fresh one, started on the next batch."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None

    def close(self) -> None:
        """Stop the workers (those busy finish their batch first)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def make_analyser(
    workers: int, *, fast: bool = False, allow_private: bool = False, timeout: float | None = 30.0
) -> LocalAnalyser | PoolAnalyser:
    """A :class:`LocalAnalyser` for one worker, else a :class:`PoolAnalyser` of ``workers`` processes."""
    if workers <= 1:
        return LocalAnalyser(fast=fast, allow_private=allow_private, timeout=timeout)
    return PoolAnalyser(workers, fast=fast, allow_private=allow_private, timeout=timeout)
