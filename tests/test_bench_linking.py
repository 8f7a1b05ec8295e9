"""``sayso bench --linking N``: the generated articles and the shape of the linking report (no timing
assertions)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from sayso.bench import generate_articles, run_linking_bench, run_linking_benches
from sayso.cli import _register, app
from sayso.errors import BadInput
from sayso.stories import canonical_url

KEYS = {
    "articles",
    "seconds",
    "ms_per_article",
    "save_ms_per_article",
    "link_ms_per_article",
    "last10_ms_per_article",
    "cpu_ms_per_article",
    "stories_true",
    "stories_found",
    "copies_true",
    "copies_found",
    "pair_precision",
    "pair_recall",
    "copy_precision",
    "copy_recall",
    "db_mb",
    "peak_rss_mb",
}


def test_generated_articles_are_reproducible_stories_with_copies():
    items = list(generate_articles(400, seed=7))
    assert len(items) == 400
    assert [i.report.article.url for i in items] == [i.report.article.url for i in generate_articles(400, seed=7)]
    assert sorted(i.index for i in items) == list(range(400))
    assert [i.index for i in items] != list(range(400))  # arrival order is shuffled
    sizes = Counter(i.story for i in items)
    assert 1 < sum(sizes.values()) / len(sizes) < 8
    by_index = {i.index: i for i in items}
    copies = [i for i in items if i.copy_of is not None]
    assert 0.15 < len(copies) / len(items) < 0.45
    for item in copies:
        original = by_index[item.copy_of]
        assert original.story == item.story and original.copy_of is None
        same_url = canonical_url(item.report.article.url) == canonical_url(original.report.article.url)
        assert same_url or original.report.article.text in item.report.article.text
    for item in items:  # every offset points into the text
        art = item.report.article
        for att in item.report.attributions:
            assert art.text[att.content.start : att.content.end] == att.content.text
        for place in item.report.places:
            assert art.text[place.start : place.end] == place.text


@pytest.mark.parametrize("batch", [1, 50])
def test_linking_bench_finds_the_generated_stories_and_copies(batch, tmp_path):
    r = run_linking_bench(300, folder=tmp_path, batch=batch)
    assert set(r) == KEYS and r["articles"] == 300
    assert r["ms_per_article"] > 0 and r["peak_rss_mb"] > 20
    assert r["pair_recall"] >= 0.95 and r["pair_precision"] >= 0.9
    assert r["copy_recall"] >= 0.95 and r["copy_precision"] >= 0.95
    assert abs(r["stories_found"] - r["stories_true"]) <= 0.05 * r["stories_true"]
    assert list(tmp_path.iterdir()) == []  # the temporary database is gone


def test_linking_bench_refuses_nothing():
    with pytest.raises(BadInput):
        run_linking_bench(0)


def test_each_size_runs_in_its_own_process():
    first, second = run_linking_benches([50, 120])
    assert (first["articles"], second["articles"]) == (50, 120)


def test_cli_linking_json_and_table():
    _register()
    runner = CliRunner()
    result = runner.invoke(app, ["bench", "--linking", "60", "--linking", "90", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [r["articles"] for r in out] == [60, 90] and KEYS <= set(out[0])
    result = runner.invoke(app, ["bench", "--linking", "80", "--batch", "10"])
    assert result.exit_code == 0, result.output
    assert "batches of 10)" in result.stdout and "stories" in result.stdout
    assert runner.invoke(app, ["bench", "--linking", "0"]).exit_code == 2
