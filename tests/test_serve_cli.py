"""``sayso serve`` as a real process on loopback, its refusals, and ``sayso bench --serve`` (the shape of its report
and that every request succeeded; no timing assertions)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner
from web_helpers import free_port

from sayso.bench_serve import build_store, run_serve_bench
from sayso.cli import _register, app, main
from sayso.errors import BadInput
from sayso.store import Store

SRC = Path(__file__).resolve().parents[1] / "src"


def test_serve_answers_as_a_process(web_db, tmp_path):
    db = tmp_path / "copy.db"
    with Store(web_db) as store:
        store.connection.execute("VACUUM INTO ?", (str(db),))
    port = free_port()
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}", "SAYSO_TOKEN": "tok"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sayso", "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/articles?limit=1", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, (
                    proc.stderr.read() if proc.poll() is not None else "timeout"
                )
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["total"] == 15
        # the token came from SAYSO_TOKEN: a write without it is refused, a wrong one too
        assert httpx.post(f"http://127.0.0.1:{port}/api/articles", json={"text": "x"}).status_code == 401
        headers = {"Authorization": "Bearer nope"}
        assert (
            httpx.post(f"http://127.0.0.1:{port}/api/articles", json={"text": "x"}, headers=headers).status_code == 403
        )
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert f"serving {db} at http://127.0.0.1:{port}/ (writes need the token)" in err


def test_serve_refuses_a_port_in_use(tmp_path, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(SystemExit) as done:
            main(["serve", "--db", str(tmp_path / "x.db"), "--port", str(port)])
    assert done.value.code == 2 and "cannot listen on 127.0.0.1" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()  # refused before the database was created


def test_serve_refuses_an_empty_token(tmp_path, capsys):
    with pytest.raises(SystemExit) as done:
        main(["serve", "--db", str(tmp_path / "x.db"), "--token", " "])
    assert done.value.code == 2 and "the token is empty" in capsys.readouterr().err


def test_build_store_stores_distinct_articles(tmp_path):
    ids = build_store(tmp_path / "b.db", 60)
    assert len(ids) == len(set(ids)) == 60
    with Store(tmp_path / "b.db") as store:
        assert store.connection.execute("SELECT COUNT(*) FROM story_articles").fetchone()[0] == 60


def test_bench_serve_reports_every_route():
    result = run_serve_bench(40, requests=5)
    assert result["articles"] == 40 and result["requests"] == 5
    assert set(result["routes"]) == {"article page", "article API"}
    for r in result["routes"].values():
        assert r["errors"] == 0 and r["requests_per_s"] > 0 and 0 < r["p50_ms"] <= r["p95_ms"] <= r["max_ms"]
    with pytest.raises(BadInput):
        run_serve_bench(0)


def test_bench_serve_cli_json():
    _register()
    out = CliRunner().invoke(app, ["bench", "--serve", "--articles", "20", "--requests", "3", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["routes"]["article page"]["path"] == "/articles/{id}"
