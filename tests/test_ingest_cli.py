"""``sayso ingest``: folders and files into SQLite, bad files listed and skipped, re-runs change nothing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sayso.cli import _register, app
from sayso.errors import StoreError

FIXTURES = Path(__file__).parent / "fixtures" / "input"
EXAMPLE = Path(__file__).parents[1] / "src" / "sayso" / "data" / "example.txt"
GOOD = ["harbour_layout.txt", "plain_byline.md", "article.html"]

_register()


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    for name in GOOD[:2]:
        shutil.copy(FIXTURES / name, folder / name)
    shutil.copy(FIXTURES / GOOD[2], folder / "sub" / GOOD[2])
    (folder / "sub" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")  # not picked up: wrong suffix
    return folder


def titles(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT title FROM articles ORDER BY title")]


def test_ingest_folder_then_again(runner, corpus, tmp_path):
    db = tmp_path / "s.db"
    result = runner.invoke(app, ["ingest", str(corpus), str(EXAMPLE), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "stored 4, unchanged 0, failed 0" in result.stderr
    assert titles(db) == [
        "Kremlin Planning New Mobilization for Kharkiv Offensive – Vyorstka",
        "Orchard Growers Report Record Pear Harvest",
        "Port Authority Weighs New Ferry Route to Kessling Island – Tidewatch",
        "Valley Council Approves Bridge Repairs",
    ]
    again = runner.invoke(app, ["ingest", str(corpus), str(EXAMPLE), "--db", str(db)])
    assert again.exit_code == 0
    assert "stored 0, unchanged 4, failed 0" in again.stderr
    assert len(titles(db)) == 4


def test_bad_files_are_listed_and_skipped(runner, corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.md").write_bytes(b"\x00\x01\x02\x03" * 10)
    shutil.copy(FIXTURES / "no_article.html", corpus / "sub" / "login.html")
    db = tmp_path / "s.db"
    result = runner.invoke(app, ["ingest", str(corpus), str(tmp_path / "missing.txt"), "--db", str(db)])
    assert result.exit_code == 4
    failed = [line for line in result.stderr.splitlines() if line.startswith("sayso: failed:")]
    assert len(failed) == 4
    assert any("empty.txt is empty" in line for line in failed)
    assert any("binary.md looks like a binary file" in line for line in failed)
    assert any("login.html" in line and "no article text" in line for line in failed)
    assert any("no such file" in line and "missing.txt" in line for line in failed)
    assert "stored 3, unchanged 0, failed 4" in result.stderr
    assert len(titles(db)) == 3


def test_a_failing_run_keeps_what_was_stored(runner, corpus, tmp_path):
    db = tmp_path / "s.db"
    assert runner.invoke(app, ["ingest", str(corpus), "--db", str(db)]).exit_code == 0
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 \x81\x8d\xff\xfe plus more bytes \x90\x9d")
    result = runner.invoke(app, ["ingest", str(bad), "--db", str(db)])
    assert result.exit_code == 4  # the only input failed: its own status (input unusable)
    assert "bad.txt is not valid UTF-8 (byte 0xe9 at offset 3)" in result.stderr
    assert len(titles(db)) == 3


def test_all_missing_gives_not_found_status(runner, tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 3
    assert "failed 1" in result.stderr


def test_database_error_stops(runner, corpus, tmp_path):
    db = tmp_path / "not-a-db.db"
    db.write_text("plain text, not SQLite\n" * 50)
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(db)])
    assert isinstance(result.exception, StoreError)
    assert result.exception.exit_code == 6
