"""Crash safety with workers: ``kill -9`` during a 2-worker ingest, then the same command again, stores every
article exactly once, with the story links of a clean run; the workers do not outlive their parent."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from ingest_helpers import write_jsonl

SRC = Path(__file__).resolve().parents[1] / "src"
ARTICLES = 120


def command(dump: Path, db: Path, workers: int = 2) -> list[str]:
    return [sys.executable, "-m", "sayso", "ingest", str(dump), "--db", str(db), "--workers", str(workers), "--fast"]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "100"}


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:  # not created yet, or being migrated
        return 0


def children(pid: int) -> list[int]:
    """The pids of the processes whose parent is ``pid`` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Everything stored, but the times rows were written at."""
    queries = {
        "articles": "SELECT id, url, title, published, input, text, input_hash, report_hash, content_hash "
        "FROM articles ORDER BY id",
        "inputs": "SELECT input_hash, article_id FROM _article_inputs ORDER BY 1",
        "attributions": "SELECT * FROM attributions ORDER BY id",
        "sources": "SELECT * FROM sources ORDER BY id",
        "stories": "SELECT article_id, story_id, original_id, dup_group, duplicate_via, canonical_url, features "
        "FROM story_articles ORDER BY article_id",
        "groups": "SELECT * FROM _story_groups ORDER BY id",
    }
    with sqlite3.connect(db) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in queries.items()}


def test_kill_9_during_a_two_worker_ingest_loses_and_duplicates_nothing(tmp_path):
    dump = tmp_path / "news.jsonl"
    write_jsonl(dump, ARTICLES)
    clean_db, crashed_db = tmp_path / "clean.db", tmp_path / "crashed.db"
    clean = subprocess.run(command(dump, clean_db), env=env(), capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stderr
    expected = snapshot(clean_db)
    assert len(expected["articles"]) == ARTICLES

    rng = random.Random(20251204)
    threshold = rng.randint(4, ARTICLES // 3)  # a random point after some articles are stored
    proc = subprocess.Popen(
        command(dump, crashed_db),
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while stored(crashed_db) < threshold:
            assert proc.poll() is None, "the ingest ended before it could be killed"
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.05)
        time.sleep(rng.uniform(0, 0.2))
        workers = children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)  # the main process only, as `kill -9 PID` would
        proc.wait(timeout=30)
        gone_by = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < gone_by:
            time.sleep(0.1)
        assert not any(alive(w) for w in workers), "worker processes outlived their killed parent"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    partial = stored(crashed_db)
    assert threshold <= partial < ARTICLES, "killed too late to test anything"

    again = subprocess.run(command(dump, crashed_db), env=env(), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert snapshot(crashed_db) == expected  # nothing lost, nothing twice, the same stories


def test_two_workers_store_what_one_does(tmp_path):
    dump = tmp_path / "news.jsonl"
    write_jsonl(dump, 24)
    snapshots = []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        run = subprocess.run(command(dump, db, workers), env=env(), capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        snapshots.append(snapshot(db))
    assert len(snapshots[0]["articles"]) == 24 and snapshots[0] == snapshots[1]
