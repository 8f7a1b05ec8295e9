"""``sayso bench``: corpus loading and the shape of the throughput report (no timing assertions)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sayso.bench import (
    example_text,
    generate_news,
    load_corpus,
    parse_size,
    peak_rss_mb,
    run_bench,
    run_scaling_bench,
)
from sayso.cli import _register, app
from sayso.errors import BadInput, InputNotFound
from sayso.pipeline import load_base_model, load_pipeline

KEYS = {
    "articles_per_s",
    "words_per_s",
    "bare_articles_per_s",
    "bare_words_per_s",
    "ratio",
    "articles",
    "words",
    "peak_rss_mb",
}

SHORT = (
    "Harbour officials in Quillby said on Monday that the ferry service would resume next week.\n\n"
    '"The new pier is ready," said Ansel Morrow, a spokesman for the port authority.\n'
)


@pytest.fixture(scope="module")
def models():
    """The full pipeline and a separate bare model, loaded once for the module."""
    return load_pipeline(), load_base_model()


def test_default_corpus_is_the_bundled_example():
    (text,) = load_corpus(None)
    assert text == example_text() and len(text.split()) > 100


def test_corpus_folder_reads_txt_files_sorted(tmp_path):
    (tmp_path / "b.txt").write_text("Second article text.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First article text.", encoding="utf-8")
    (tmp_path / "blank.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    assert load_corpus(tmp_path) == ["First article text.", "Second article text."]


def test_corpus_errors(tmp_path):
    with pytest.raises(InputNotFound):
        load_corpus(tmp_path / "missing")
    with pytest.raises(BadInput):
        load_corpus(tmp_path)


def test_run_bench_reports_both_pipelines(models):
    nlp, bare = models
    r = run_bench([SHORT, SHORT], nlp=nlp, bare=bare, min_seconds=0)
    assert KEYS <= set(r)
    assert r["articles"] == 2 and r["words"] == 2 * len(SHORT.split())
    assert r["passes"] == 1 and r["bare_passes"] == 1
    for key in ("articles_per_s", "words_per_s", "bare_articles_per_s", "bare_words_per_s", "ratio"):
        assert r[key] > 0
    assert r["words_per_s"] == pytest.approx(r["articles_per_s"] * r["words"] / r["articles"], rel=0.01)
    assert r["peak_rss_mb"] == pytest.approx(peak_rss_mb(), rel=0.5) and r["peak_rss_mb"] > 50


def test_run_bench_refuses_an_empty_corpus(models):
    with pytest.raises(BadInput):
        run_bench([], nlp=models[0], bare=models[1])


def test_cli_json(models, tmp_path):
    (tmp_path / "one.txt").write_text(SHORT, encoding="utf-8")
    _register()
    result = CliRunner().invoke(app, ["bench", "--corpus", str(tmp_path), "--min-seconds", "0", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert KEYS <= set(out) and out["articles"] == 1


def test_cli_table(models, tmp_path):
    (tmp_path / "one.txt").write_text(SHORT, encoding="utf-8")
    _register()
    result = CliRunner().invoke(app, ["bench", "--corpus", str(tmp_path), "--min-seconds", "0"])
    assert result.exit_code == 0, result.output
    assert "sayso (full)" in result.stdout and "spaCy (bare)" in result.stdout and "ratio" in result.stdout


# -- scaling: time and memory against article length -------------------------------------------------

SCALING_KEYS = {"bytes", "chars", "seconds", "cpu_seconds", "seconds_per_mb", "cpu_seconds_per_mb", "attributions"}


def test_generated_news_is_deterministic_and_bounded():
    text = generate_news(5_000, seed=1)
    assert text == generate_news(5_000, seed=1) != generate_news(5_000, seed=2)
    assert 4_000 < len(text.encode("utf-8")) <= 5_000
    assert "“" in text and "said" in text and "\n\n" in text and any(ch.isdigit() for ch in text)
    assert generate_news(10, seed=1).count("\n\n") == 0  # at least one paragraph, even when it is longer


def test_parse_size():
    assert [parse_size(s) for s in ("10k", "100K", "1m", "10MB", "1.5M", "2500")] == [
        10_000,
        100_000,
        1_000_000,
        10_000_000,
        1_500_000,
        2_500,
    ]
    for bad in ("", "ten", "0", "-5k", "1g"):
        with pytest.raises(BadInput):
            parse_size(bad)


def test_run_scaling_bench_shape(models):
    r = run_scaling_bench([3_000, 6_000], nlp=models[0], rss=False)
    assert [row["bytes"] <= size for row, size in zip(r["sizes"], (3_000, 6_000), strict=True)] == [True, True]
    assert all(SCALING_KEYS <= set(row) and row["seconds_per_mb"] > 0 for row in r["sizes"])
    assert r["seconds_per_mb_ratio"] >= 1.0 and r["peak_rss_mb_max"] is None


def test_cli_scaling_json(models):
    _register()
    result = CliRunner().invoke(app, ["bench", "--scaling", "--sizes", "2k,4k", "--fast", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [row["bytes"] <= 4_000 for row in out["sizes"]] == [True, True] and out["fast"] is True
    for row in out["sizes"]:
        assert SCALING_KEYS <= set(row) and row["peak_rss_mb"] >= row["base_rss_mb"] > 50
    assert out["peak_rss_mb_max"] == max(row["peak_rss_mb"] for row in out["sizes"])


def test_cli_scaling_refuses_bad_sizes():
    _register()
    result = CliRunner().invoke(app, ["bench", "--scaling", "--sizes", "10x"])
    assert result.exit_code == 2
