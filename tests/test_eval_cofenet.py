"""`sayso eval cofenet-bio` on a BIO file written for these tests."""

from __future__ import annotations

import json

from sayso.cli import main
from sayso.evaluation.cofenet import evaluate_cofenet


def write_bio(path, lines):
    with path.open("w", encoding="utf-8") as fh:
        for i, (tokens, labels) in enumerate(lines):
            fh.write(json.dumps({"tokens": tokens, "labels": labels, "id": f"art{i // 2}"}) + "\n")


LINES = [
    (
        "Mayor Tomas Erdvik said the bridge would reopen in May .".split(),
        ["B-source", "I-source", "I-source", "B-cue"] + ["B-content"] + ["I-content"] * 5 + ["O"],
    ),
    ("The bridge closed in March .".split(), ["O"] * 6),
]


def test_evaluate_by_article_passes_whole_articles(tmp_path):
    path = tmp_path / "tiny.txt"
    write_bio(path, LINES)
    seen = []

    def predict(batch):
        seen.append(len(batch))
        return [labels for _, labels in LINES[: len(batch)]]

    result = evaluate_cofenet(path, predict, by_article=True)
    assert seen == [2]
    assert result["source"]["f1"] == 100.0 and result["content"]["tp"] == 1


def test_cli_rules_on_a_tiny_file(tmp_path, capsys):
    path = tmp_path / "tiny.txt"
    write_bio(path, LINES)
    try:
        main(["eval", "cofenet-bio", "--data", str(path), "--model", "rules", "--json"])
    except SystemExit as exc:
        assert exc.code in (0, None)
    result = json.loads(capsys.readouterr().out)
    assert result["model"] == "fast"  # "rules" is another name for "fast"
    assert result["source"]["f1"] == 100.0 and result["cue"]["f1"] == 100.0 and result["content"]["f1"] == 100.0


def test_cli_missing_file_is_one_line(tmp_path, capsys):
    try:
        main(["eval", "cofenet-bio", "--data", str(tmp_path / "nope.txt")])
    except SystemExit as exc:
        assert exc.code == 3
    assert "not found" in capsys.readouterr().err
