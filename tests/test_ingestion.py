"""The ingest engine: records are read as they are needed (memory bounded however long the input), bad
records are counted, repeated records within a run are parsed once; ``sayso bench --ingest`` reports the
keys it documents."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import sayso
import sayso.analysis
import sayso.workers
from sayso.cli import _register, app
from sayso.ingestion import BATCH_SIZE, BATCHES_PER_WORKER, Ingester, IngestOptions
from sayso.input.record import Record, bad_record
from sayso.schema import Article, Report
from sayso.store import Store

_register()


@pytest.fixture
def quick(monkeypatch):
    """The pipeline replaced by an empty analysis (what is tested here is the plumbing around it)."""
    calls = {"analysed": 0}

    def analyse_article(article, nlp=None):
        calls["analysed"] += 1
        return Report(sayso_version=sayso.__version__, article=article)

    monkeypatch.setattr(sayso.analysis, "analyse_article", analyse_article)
    monkeypatch.setattr(sayso.workers, "_load", lambda fast=False: object())
    return calls


def record(i: int) -> Record:
    text = f"Article {i}: the mayor said the bridge would open in spring, officials said on Monday."
    return Record(
        input=f"gen#{i}",
        kind="article",
        article=Article(text=text, url=f"https://example.org/{i}"),
        identity=f"gen\x00{i}".encode(),
    )


def test_records_are_read_as_needed(tmp_path, quick):
    pulled, finished, ahead = [0], [0], []

    def records():
        for i in range(500):
            pulled[0] += 1
            ahead.append(pulled[0] - finished[0])
            yield record(i)

    def done(rec: Record) -> None:
        finished[0] += 1

    with Store(tmp_path / "s.db") as store:
        ingester = Ingester(store, IngestOptions(), on_done=done)
        tally = ingester.ingest(records())
        ingester.close()
    assert tally.stored == 500 and quick["analysed"] == 500
    assert max(ahead) <= BATCH_SIZE * (BATCHES_PER_WORKER + 1)  # never the whole input in memory


def test_bad_and_repeated_records(tmp_path, quick):
    failures = []
    items = [record(1), bad_record("x#2", "x#2: not valid JSON"), record(1), record(3)]
    with Store(tmp_path / "s.db") as store:
        ingester = Ingester(store, IngestOptions(), on_failure=lambda item, err: failures.append((item, err.message)))
        tally = ingester.ingest(items)
        ingester.close()
    assert (tally.stored, tally.skipped, len(tally.failures)) == (2, 1, 1)
    assert failures == [("x#2", "x#2: not valid JSON")]
    assert quick["analysed"] == 2  # the repeated record was not parsed twice


def test_stop_finishes_what_is_in_hand(tmp_path, quick):
    seen = []

    def records():
        for i in range(100):
            seen.append(i)
            yield record(i)

    with Store(tmp_path / "s.db") as store:
        ingester = Ingester(store, IngestOptions())
        tally = ingester.ingest(records(), stop=lambda: len(seen) >= 10)
        ingester.close()
    assert len(seen) == 10 and tally.stored == 10


def test_bench_ingest_reports_its_keys():
    result = CliRunner().invoke(
        app, ["bench", "--ingest", "--articles", "4", "--workers", "1", "--workers", "2", "--fast", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    for key in ("articles_per_s_1", "articles_per_s_2", "speedup", "cpu_bound_speedup", "worker_cpu_seconds_2"):
        assert key in out
    assert out["articles"] == 4 and len(out["worker_peak_rss_mb_2"]) == 2
    assert out["speedup"] == pytest.approx(out["articles_per_s_2"] / out["articles_per_s_1"], rel=0.01)


def test_a_worker_keeps_to_one_core():
    class Tagger:
        overlap = True

    class Pipeline:
        pipe_names = ["sayso_neural_roles", "parser"]
        tagger = Tagger()

        def get_pipe(self, name):
            return self.tagger

    nlp = Pipeline()
    assert sayso.workers.one_core(nlp) is nlp and nlp.tagger.overlap is False
