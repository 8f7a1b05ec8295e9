"""``sayso watch``: polls feeds, stores new items once, survives feeds that are down, slow or malformed, and
stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from ingest_helpers import invented_article, rss_feed, write_rss
from typer.testing import CliRunner

from sayso.cli import _register, app
from sayso.cli.watch import parse_duration

_register()
SRC = Path(__file__).resolve().parents[1] / "src"


def articles_in(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT title FROM articles ORDER BY id")]


def test_parse_duration():
    assert [parse_duration(s) for s in ("15m", "30s", "1.5h", "90", "1d")] == [900, 30, 5400, 90, 86400]
    with pytest.raises(ValueError):
        parse_duration("soon")


def test_watch_once_stores_new_items_only(tmp_path):
    feed, db = tmp_path / "herald.xml", tmp_path / "w.db"
    write_rss(feed, 4)
    runner = CliRunner()
    first = runner.invoke(app, ["watch", str(feed), "--once", "--db", str(db), "--fast"])
    assert first.exit_code == 0, first.output
    assert "round 1: stored 4 new, failed 0" in first.stderr
    write_rss(feed, 6)  # the feed grows by two items
    second = runner.invoke(app, ["watch", str(feed), "--once", "--db", str(db), "--fast"])
    assert second.exit_code == 0, second.output
    assert "round 1: stored 2 new, failed 0" in second.stderr and "skipped 4" in second.stderr
    assert articles_in(db) == [invented_article(i)["title"] for i in range(6)]


class FeedServer:
    """/feed grows by two items at every request; /down answers 503, /broken is not XML, /slow never answers
    in time."""

    def __init__(self) -> None:
        self.polls = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/feed":
                    outer.polls += 1
                    body = rss_feed([invented_article(i) for i in range(2 * outer.polls)]).encode()
                    ctype = "application/rss+xml"
                elif self.path == "/broken":
                    body, ctype = b"<rss><channel><item><title>Half", "application/rss+xml"
                elif self.path == "/slow":
                    time.sleep(4)
                    body, ctype = b"<rss/>", "application/rss+xml"
                else:
                    self.send_error(503)
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_watch_survives_feeds_down_slow_and_malformed(tmp_path):
    server = FeedServer()
    db = tmp_path / "w.db"
    try:
        urls = [f"{server.base}/{p}" for p in ("down", "broken", "slow", "feed")]
        result = CliRunner().invoke(
            app,
            ["watch", *urls, "--rounds", "2", "--every", "1s", "--timeout", "1", "--allow-private"]
            + ["--db", str(db), "--fast"],
        )
    finally:
        server.close()
    assert result.exit_code == 4, result.output  # some feeds failed while the good one was stored
    lines = result.stderr.splitlines()
    # each round: the feed that is down, the slow one, and the broken one (its cut item and its bad XML)
    assert "sayso: round 1: stored 2 new, failed 4" in lines
    assert "sayso: round 2: stored 2 new, failed 4" in lines
    assert sum("HTTP 503" in line for line in lines) == 2
    assert sum("within 1 s" in line for line in lines) == 2
    assert sum("/broken is malformed XML" in line for line in lines if line.startswith("sayso: failed:")) == 2
    assert articles_in(db) == [invented_article(i)["title"] for i in range(4)]


def test_watch_stops_cleanly_on_sigterm(tmp_path):
    feed, db = tmp_path / "herald.xml", tmp_path / "w.db"
    write_rss(feed, 3)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sayso", "watch", str(feed), "--every", "1h", "--db", str(db), "--fast"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        seen = ""
        while "round 1" not in seen:
            line = proc.stderr.readline()
            assert line, f"watch ended early: {seen}"
            seen += line
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, seen + rest
    assert "watch stopped" in rest and "Traceback" not in rest
    assert len(articles_in(db)) == 3
