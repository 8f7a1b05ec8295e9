"""Projecting attributions onto given tokens (the CofeNet protocol) on sentences written for these tests."""

from __future__ import annotations

import pytest

from sayso.evaluation.bio import label_units, spaces_for
from sayso.pipeline import load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_spaces_for_reads_naturally():
    tokens = ["``", "We", "'re", "ready", ",", "''", "she", "said", "."]
    spaces = spaces_for(tokens)
    text = "".join(t + (" " if s else "") for t, s in zip(tokens, spaces, strict=True))
    assert text == "``We're ready,'' she said."


def test_labels_follow_the_given_tokens(nlp):
    units = [
        "Mayor Tomas Erdvik said the bridge would reopen in May .".split(),
        "`` We waited four years , '' the union leader Ana Brisk told reporters .".split(),
    ]
    labels = label_units(units, nlp)
    assert [len(x) for x in labels] == [len(u) for u in units]
    first = dict(zip(units[0], labels[0], strict=True))
    assert labels[0][:3] == ["B-source", "I-source", "I-source"]
    assert first["said"] == "B-cue"
    assert labels[0][4] == "B-content" and labels[0][-1] == "O"
    second = labels[1]
    # CofeNet's convention: a quoted content carries its quote marks and the comma before the closing mark
    assert second[:7] == ["B-content"] + ["I-content"] * 6
    assert second[units[1].index("told")] == "B-cue"


def test_no_attribution_gives_only_o(nlp):
    units = [["The", "bridge", "reopened", "in", "May", "."]]
    assert label_units(units, nlp) == [["O"] * 6]
