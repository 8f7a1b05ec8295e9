"""The ``sayso_role_tagger`` component: output format of doc.spans["sayso_roles"] with the shipped model."""

from __future__ import annotations

import pytest

from sayso.role_tagger import MODEL_DIR, SPANS_KEY, bio_runs

pytestmark = pytest.mark.skipif(
    not (MODEL_DIR / "config.cfg").exists(), reason="no trained role model shipped in sayso/data/models"
)

TEXTS = [
    "The harbour will reopen in May, port director Joan Pell told the Carrow Ledger on Monday. "
    '"We have no choice," she said.',
    "Residents of Elmsby say the new bus line is too slow, according to a survey by the Orrin Institute.",
    "The weather was mild.",
]


@pytest.fixture(scope="module")
def nlp():
    from sayso.pipeline import load_base_model

    nlp = load_base_model()
    import sayso.role_tagger  # noqa: F401  (registers the factory)

    nlp.add_pipe("sayso_role_tagger")
    return nlp


def test_bio_runs():
    tags = ["B-source", "I-source", "B-cue", "I-content", "I-content", "O", "B-content", "B-content"]
    assert bio_runs(tags) == [
        (0, 2, "source"),
        (2, 3, "cue"),
        (3, 5, "content"),
        (6, 7, "content"),
        (7, 8, "content"),
    ]
    assert bio_runs([]) == []
    assert bio_runs(["O", "I-cue"]) == [(1, 2, "cue")]


def test_output_format(nlp):
    docs = list(nlp.pipe(TEXTS))
    for doc in docs:
        group = doc.spans[SPANS_KEY]
        assert {s.label_ for s in group} <= {"source", "cue", "content"}
        assert len(group.attrs["scores"]) == len(group)
        assert all(0.0 <= p <= 1.0 for p in group.attrs["scores"])
        ends = [(s.start, s.end) for s in group]
        assert ends == sorted(ends)
        assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:], strict=False))  # never overlapping
    # the parser's tags are untouched: no BIO tag leaks into token.tag_
    assert all("-" not in t.tag_ or t.tag_ in ("-LRB-", "-RRB-") for d in docs for t in d)


def test_finds_obvious_roles(nlp):
    doc = nlp(TEXTS[0])
    found = {(s.text, s.label_) for s in doc.spans[SPANS_KEY]}
    assert ("told", "cue") in found or ("said", "cue") in found
    assert any(lab == "source" and "Joan Pell" in text for text, lab in found)
    assert any(lab == "content" and "harbour" in text for text, lab in found)
    assert not nlp("The weather was mild.").spans[SPANS_KEY]


def test_empty_doc(nlp):
    doc = nlp("")
    assert len(doc.spans[SPANS_KEY]) == 0
