"""PolNeAR → BIO conversion on a hand-made brat fixture, and the CofeNet scorer on a hand-made BIO file."""

from __future__ import annotations

import json

import pytest

from sayso.evaluation.brat import read_ann
from sayso.evaluation.cofenet import evaluate_cofenet, read_bio
from sayso.pipeline import load_base_model
from sayso.training.data import Conversion, bio_tags, convert_split, reference_doc

TEXT = (
    '"The ferry will run again by June," Mayor Ilsa Varga said on Tuesday, "and fares will not rise."\n'
    "The Tallow Gazette reported that the dock had flooded twice.\n"
)


def _offsets(sub: str, start: int = 0) -> tuple[int, int]:
    i = TEXT.index(sub, start)
    return i, i + len(sub)


def _ann() -> str:
    c1 = _offsets('"The ferry will run again by June,"')
    c2 = _offsets('"and fares will not rise."')
    s1 = _offsets("Mayor Ilsa Varga")
    q1 = _offsets("said")
    s2 = _offsets("The Tallow Gazette")
    q2 = _offsets("reported")
    c3 = _offsets("that the dock had flooded twice")
    inner = _offsets("the dock")  # an overlapping, shorter annotation: must lose to the content
    return "\n".join(
        [
            f"T1\tSource {s1[0]} {s1[1]}\tMayor Ilsa Varga",
            f"T2\tCue {q1[0]} {q1[1]}\tsaid",
            f"T3\tContent {c1[0]} {c1[1]};{c2[0]} {c2[1]}\t...",
            f"T4\tAttribution {q1[0]} {q1[1]}\tsaid",
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
            f"T5\tSource {s2[0]} {s2[1]}\tThe Tallow Gazette",
            f"T6\tCue {q2[0]} {q2[1]}\treported",
            f"T7\tContent {c3[0]} {c3[1]}\tthat the dock had flooded twice",
            f"T8\tAttribution {q2[0]} {q2[1]}\treported",
            "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
            f"T9\tSource {inner[0]} {inner[1]}\tthe dock",
            f"T10\tAttribution {q2[0]} {q2[1]}\treported",
            "E3\tAttribution:T10 Source:T9 Cue:T6",
        ]
    )


@pytest.fixture(scope="module")
def nlp():
    return load_base_model()


@pytest.fixture()
def polnear_dir(tmp_path):
    base = tmp_path / "data" / "dev"
    (base / "text").mkdir(parents=True)
    (base / "attributions").mkdir()
    (base / "text" / "art1.txt").write_text(TEXT, encoding="utf-8")
    (base / "attributions" / "art1_2.ann").write_text(_ann(), encoding="utf-8")
    # a second annotator, sorted after the first: must be ignored
    (base / "attributions" / "art1_7.ann").write_text("", encoding="utf-8")
    return tmp_path / "data"


def _runs(doc, tags, role):
    out, cur = [], []
    for tok, tag in zip(doc, tags, strict=True):
        if tag == f"B-{role}":
            if cur:
                out.append(" ".join(cur))
            cur = [tok.text]
        elif tag == f"I-{role}":
            cur.append(tok.text)
        elif cur:
            out.append(" ".join(cur))
            cur = []
    if cur:
        out.append(" ".join(cur))
    return out


def test_bio_tags_fragments_and_overlaps(nlp, polnear_dir):
    atts = read_ann(polnear_dir / "dev" / "attributions" / "art1_2.ann")
    doc = nlp(TEXT)
    stats = Conversion()
    tags = bio_tags(doc, atts, stats)
    assert len(tags) == len(doc)
    assert _runs(doc, tags, "source") == ["Mayor Ilsa Varga", "The Tallow Gazette"]
    assert _runs(doc, tags, "cue") == ["said", "reported"]
    # the discontinuous content gives two runs; the third content keeps "the dock" (inner source dropped)
    assert _runs(doc, tags, "content") == [
        '" The ferry will run again by June , "',
        '" and fares will not rise . "',
        "that the dock had flooded twice",
    ]
    assert stats.dropped >= 1  # the overlapping "the dock" source (the shared cue is deduplicated)
    assert tags[0] == "B-content" and tags[1] == "I-content"


def test_convert_split_uses_first_annotator(nlp, polnear_dir):
    docs, tags, stats = convert_split(nlp, polnear_dir, "dev")
    assert stats.articles == 1 and stats.stems == ["art1"]
    assert any(t != "O" for t in tags[0])
    assert docs[0][0].tag_  # parsed: the features the model reads are present
    ref = reference_doc(docs[0], tags[0])
    assert [t.tag_ for t in ref] == tags[0] and ref.text == docs[0].text


def test_evaluate_cofenet(tmp_path):
    lines = [
        {
            "tokens": ["Ana", "Ruiz", "said", "it", "rained", "."],
            "labels": ["B-source", "I-source", "B-cue", "B-content", "I-content", "O"],
        },
        {"tokens": ["Nothing", "here", "."], "labels": ["O", "O", "O"]},
    ]
    path = tmp_path / "valid.txt"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    assert [t for t, _ in read_bio(path)] == [x["tokens"] for x in lines]

    def predict(batch):
        # source right, cue right, content one token short, one spurious source in line 2
        out = []
        for toks in batch:
            if toks[0] == "Ana":
                out.append(["B-source", "I-source", "B-cue", "B-content", "O", "O"])
            else:
                out.append(["B-source", "O", "O"])
        return out

    s = evaluate_cofenet(path, predict, batch_size=1)
    assert s["lines"] == 2 and s["tokens"] == 9
    assert s["source"] == {"p": 50.0, "r": 100.0, "f1": 66.67, "tp": 1, "pred": 2, "gold": 1}
    assert s["cue"]["f1"] == 100.0
    assert s["content"]["f1"] == 0.0
    with pytest.raises(ValueError):
        evaluate_cofenet(path, lambda batch: [["O"] for _ in batch])
