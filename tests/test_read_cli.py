"""``sayso read``: output formats, -o, exit statuses, and stdout holding only the report.

Most tests run the command in-process on the example article with the analysis replaced by the
hand-built perfect report (so they test the command, not the extractor); the last two run the real
command, pipeline included, in a subprocess."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sayso.cli import main
from sayso.schema import Report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_TXT = ROOT / "src" / "sayso" / "data" / "example.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "reports" / "example.json"
ANSI = re.compile(r"\x1b\[")


@pytest.fixture(scope="module")
def perfect() -> Report:
    return Report.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture
def fake_analysis(monkeypatch, perfect):
    """Replace the pipeline with the hand-built report (plus one warning); records the articles seen."""
    seen = []

    def analyse(article, nlp=None, **options):
        seen.append(article)
        return perfect.model_copy(update={"article": article, "warnings": ["odd layout near paragraph 4"]})

    monkeypatch.setattr("sayso.analysis.analyse_article", analyse)
    return seen


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``sayso ARGV`` in-process; returns (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out, err = capsys.readouterr()
    code = exc.value.code
    return (0 if code is None else code), out, err


def test_json_stdout_is_only_the_report(capsys, caplog, fake_analysis):
    with caplog.at_level(logging.WARNING):
        code, out, err = run(capsys, "read", str(EXAMPLE_TXT), "--format", "json")
    assert code == 0
    report = Report.model_validate_json(out)
    assert report.article.title == "Kremlin Planning New Mobilization for Kharkiv Offensive – Vyorstka"
    assert report.article.input == str(EXAMPLE_TXT)
    assert len(report.attributions) == 19
    assert "odd layout" not in out.split('"warnings"')[0]
    assert any("odd layout near paragraph 4" in r.getMessage() for r in caplog.records)
    assert fake_analysis[0].outlet == "The Moscow Times"


def test_default_tree_to_stdout(capsys, fake_analysis):
    code, out, _ = run(capsys, "read", str(EXAMPLE_TXT))
    assert code == 0
    assert out.startswith("Kremlin Planning New Mobilization")
    assert "⚠ anonymous" in out and "told The Moscow Times" in out
    assert not ANSI.search(out)  # captured stdout is not a terminal


@pytest.mark.parametrize(
    ("fmt", "start", "needle"),
    [
        ("tree", "Kremlin Planning", "⚠ anonymous source close to Russia’s Defense Ministry"),
        ("html", "<!DOCTYPE html>", "Content-Security-Policy"),
        ("markdown", "# Kremlin Planning", "### The Moscow Times → Vyorstka"),
        ("json", "{", '"schema_version": "1"'),
    ],
)
def test_output_file(capsys, tmp_path, fake_analysis, fmt, start, needle):
    target = tmp_path / f"report.{fmt}"
    code, out, _ = run(capsys, "read", str(EXAMPLE_TXT), "--format", fmt, "-o", str(target))
    assert code == 0 and out == ""
    written = target.read_text(encoding="utf-8")
    assert written.startswith(start) and needle in written
    assert not ANSI.search(written)


def test_html_and_markdown_default_to_stdout(capsys, fake_analysis):
    code, out, _ = run(capsys, "read", str(EXAMPLE_TXT), "--format", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    code, out, _ = run(capsys, "read", str(EXAMPLE_TXT), "-f", "markdown")
    assert code == 0 and out.startswith("# Kremlin Planning")


def test_allow_private_reaches_the_loader(capsys, monkeypatch, fake_analysis, perfect):
    calls = []

    def load(source, *, allow_private=False, **_):
        calls.append((source, allow_private))
        return perfect.article

    monkeypatch.setattr("sayso.loading.load", load)
    assert run(capsys, "read", "http://192.168.1.5/a", "--allow-private", "-f", "json")[0] == 0
    assert run(capsys, "read", "http://192.168.1.5/a", "-f", "json")[0] == 0
    assert calls == [("http://192.168.1.5/a", True), ("http://192.168.1.5/a", False)]


def test_missing_input_exits_3(capsys, tmp_path, fake_analysis):
    code, out, err = run(capsys, "read", str(tmp_path / "nope.txt"), "--format", "json")
    assert code == 3 and out == ""
    assert err.startswith("sayso: error:") and "nope.txt" in err
    assert fake_analysis == []


def test_empty_input_exits_4(capsys, tmp_path, fake_analysis):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, out, err = run(capsys, "read", str(empty))
    assert code == 4 and out == "" and "sayso: error:" in err


def test_bad_format_exits_2(capsys, fake_analysis):
    code, out, err = run(capsys, "read", str(EXAMPLE_TXT), "--format", "pdf")
    assert code == 2 and out == ""
    assert "pdf" in err


def test_unwritable_output_exits_2(capsys, tmp_path, fake_analysis):
    code, out, err = run(capsys, "read", str(EXAMPLE_TXT), "-o", str(tmp_path / "no" / "such" / "dir.html"))
    assert code == 2 and out == ""
    assert "cannot write" in err
    assert fake_analysis == []  # refused before the article was analysed
    code, out, err = run(capsys, "read", str(EXAMPLE_TXT), "-o", str(tmp_path))  # a folder, not a file
    assert code == 2 and out == "" and "cannot write" in err


# --- the real command, pipeline included --------------------------------------------------------------


def _sayso(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from sayso.cli import main; main()", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=300,
    )


def test_real_read_json(tmp_path):
    result = _sayso("read", str(EXAMPLE_TXT), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    report = Report.model_validate(data)
    assert report.article.outlet == "The Moscow Times"
    assert report.attributions, "the pipeline found no attributions in the example article"
    text = report.article.text
    for att in report.attributions:
        assert text[att.content.start : att.content.end] == att.content.text


def test_real_read_tree_piped():
    result = _sayso("read", str(EXAMPLE_TXT))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Kremlin Planning New Mobilization")
    assert not ANSI.search(result.stdout)
    assert "The Moscow Times" in result.stdout


def test_hybrid_is_retired_with_one_line(capsys):
    code, out, err = run(capsys, "read", str(EXAMPLE_TXT), "--hybrid")
    assert code == 2 and out == ""
    assert "retired" in err and "--fast" in err


def test_fast_keeps_the_rules_only_pipeline(capsys):
    code, out, _ = run(capsys, "read", str(EXAMPLE_TXT), "--fast", "--format", "json")
    assert code == 0
    report = Report.model_validate_json(out)
    texts = {a.content.text for a in report.attributions}
    assert any("300,000 snouts short" in t for t in texts) and any("pushed aside" in t for t in texts)
