"""The neural attribution tagger: input encoding, decoding, the spaCy component with the shipped model, and
the linking of its spans into attributions."""

from __future__ import annotations

import numpy as np
import pytest

from sayso.reader.encoding import (
    MAX_PIECES,
    TAGS,
    encode_unit,
    load_tokenizer,
    paragraph_units,
    quote_flags,
    viterbi,
)
from sayso.reader.neural import MODEL_DIR, SPANS_KEY, bio_runs


def test_quote_flags_curly_straight_and_ptb():
    words = 'He said , “ I am here , ” and left . " Yes " , she said . `` ok'.split()
    flags = quote_flags(words)
    inside = [w for w, f in zip(words, flags, strict=True) if f]
    assert inside == ["“", "I", "am", "here", ",", "”", '"', "Yes", '"', "``", "ok"]


def test_viterbi_never_starts_or_continues_a_span_illegally():
    rng = np.random.default_rng(0)
    for _ in range(50):
        scores = rng.normal(size=(12, len(TAGS))).astype(np.float32)
        scores[:, TAGS.index("I-content")] += 3  # tempt it to put I- everywhere
        tags = viterbi(scores)
        assert not tags[0].startswith("I-")
        for prev, cur in zip(tags, tags[1:], strict=False):
            if cur.startswith("I-"):
                assert prev in (f"B-{cur[2:]}", cur)


def test_long_units_are_cut_between_words_and_cover_every_word():
    words = ["antidisestablishmentarianism", "said", "the", "minister", "."] * 120
    windows = encode_unit(words, load_tokenizer())
    assert len(windows) > 1
    assert all(len(w.ids) <= MAX_PIECES for w in windows)
    assert sum(len(w.first) for w in windows) == len(words)
    assert [w.word_start for w in windows] == sorted(w.word_start for w in windows)


def test_bio_runs():
    tags = ["B-source", "I-source", "B-cue", "I-content", "I-content", "O", "B-content", "B-content"]
    assert bio_runs(tags) == [(0, 2, "source"), (2, 3, "cue"), (3, 5, "content"), (6, 7, "content"), (7, 8, "content")]


@pytest.fixture(scope="module")
def nlp():
    from sayso.pipeline import load_base_model

    nlp = load_base_model()
    import sayso.reader.neural  # noqa: F401  (registers the factory)

    nlp.add_pipe("sayso_neural_roles")
    return nlp


def test_paragraph_units_skip_whitespace_and_end_at_newlines(nlp):
    doc = nlp.make_doc("One two.\n\nThree four five.\nSix")
    units = paragraph_units(doc)
    assert [[doc[i].text for i in u] for u in units] == [["One", "two", "."], ["Three", "four", "five", "."], ["Six"]]


def test_shipped_model_exists_with_its_training_record():
    assert (MODEL_DIR / "model.onnx").exists()
    assert (MODEL_DIR / "training-record.json").exists()
    assert (MODEL_DIR / "model.onnx").stat().st_size < 40 * 1024 * 1024


def test_component_finds_source_cue_and_content(nlp):
    doc = nlp(
        "The harbour will reopen in May, port director Joan Pell told the Carrow Ledger on Monday.\n"
        "“We have no choice,” she said."
    )
    spans = [(s.label_, s.text) for s in doc.spans[SPANS_KEY]]
    assert ("cue", "told") in spans
    assert ("source", "port director Joan Pell") in spans
    assert ("cue", "said") in spans
    assert ("source", "she") in spans
    assert any(label == "content" and "reopen in May" in text for label, text in spans)
    scores = doc.spans[SPANS_KEY].attrs["scores"]
    assert len(scores) == len(spans) and all(0 < s <= 1 for s in scores)


def test_component_on_empty_and_quote_free_text(nlp):
    assert len(nlp("").spans[SPANS_KEY]) == 0
    doc = nlp("The weather was mild.")
    assert not [s for s in doc.spans[SPANS_KEY] if s.label_ == "cue"]


def test_default_pipeline_takes_neural_boundaries():
    from sayso import analyse

    report = analyse(
        "Ministers will meet on Friday.\n"
        "“We are ready to talk, but not at any price,” Foreign Minister Ana Ruiz said on Tuesday, adding that "
        "the talks could last a week."
    )
    said = [a for a in report.attributions if a.cue and a.cue.text == "said"]
    assert said, [a.cue for a in report.attributions]
    names = {s.id: s.name for s in report.sources}
    assert "Ana Ruiz" in names[said[0].source]
    assert "ready to talk" in said[0].content.text


def _with_roles(nlp, text, roles):
    """A parsed doc whose ``sayso_roles`` are the given (label, substring) spans."""
    from spacy.tokens import SpanGroup

    doc = nlp(text)
    spans = []
    for label, sub in roles:
        start = text.index(sub)
        spans.append(doc.char_span(start, start + len(sub), label=label, alignment_mode="expand"))
    doc.spans[SPANS_KEY] = SpanGroup(doc, name=SPANS_KEY, spans=spans)
    return doc


def test_linking_joins_a_quote_interrupted_by_its_cue(nlp):
    from sayso.quotes import find_quotes
    from sayso.reader.linking import neural_attributions

    text = "“The bridge is safe,” the minister said last month. “It will reopen in May.”\nOther news followed."
    doc = _with_roles(
        nlp,
        text,
        [
            ("content", "The bridge is safe,"),
            ("source", "the minister"),
            ("cue", "said"),
            ("content", "It will reopen in May."),
        ],
    )
    (raw,) = neural_attributions(doc, find_quotes(text))
    assert [text[a:b] for a, b in raw.parts] == ["The bridge is safe", "It will reopen in May"]
    assert doc[raw.source_tokens[0] : raw.source_tokens[1]].text == "the minister"
    assert text[raw.cue[0] : raw.cue[1]] == "said"


def test_linking_leaves_a_distant_content_to_nobody(nlp):
    from sayso.quotes import find_quotes
    from sayso.reader.linking import neural_attributions

    text = "Officials said the port would close. Fishermen protested for days and blocked the road to town."
    doc = _with_roles(
        nlp,
        text,
        [
            ("source", "Officials"),
            ("cue", "said"),
            ("content", "the port would close"),
            ("content", "blocked the road"),
        ],
    )
    (raw,) = neural_attributions(doc, find_quotes(text))
    assert text[raw.content[0] : raw.content[1]] == "the port would close" and not raw.parts


def test_overlapped_tagging_gives_the_same_spans(nlp):
    """The default pipeline runs the tagger first, on a background thread, and the attribution component waits
    for it: the spans equal those of the tagger run in line, for every doc of a batch."""
    from sayso.pipeline import load_pipeline
    from sayso.reader.neural import finish_roles

    texts = [
        "The minister said the bridge would reopen in May.\n\n“We are ready,” the mayor told reporters.",
        "According to two officials, the port will close. The union denied the report.",
        "No attribution here at all.",
    ]

    def roles(doc):
        return [(s.start, s.end, s.label_) for s in doc.spans["sayso_roles"]]

    inline = [roles(doc) for doc in [nlp(t) for t in texts]]
    full = load_pipeline()
    assert full.pipe_names[0] == "sayso_neural_roles"
    piped = [roles(doc) for doc in list(full.pipe(texts, batch_size=2))]
    assert piped == inline
    # without the attribution component the spans are written when asked for
    with full.select_pipes(disable=["sayso_attribution"]):
        doc = full(texts[0])
    assert roles(finish_roles(doc)) == inline[0]


def test_linking_drops_the_attribution_tail_after_a_quote(nlp):
    # "him as saying" is the tail of "the agency quoted him as saying", not a second fragment of the quote
    from sayso.quotes import find_quotes
    from sayso.reader.linking import neural_attributions

    text = "“We kept our word, but patience has limits,” the agency quoted him as saying.\nMore news."
    doc = _with_roles(
        nlp,
        text,
        [
            ("content", "We kept our word, but patience has limits,"),
            ("source", "the agency"),
            ("cue", "quoted"),
            ("content", "him as saying"),
        ],
    )
    (raw,) = neural_attributions(doc, find_quotes(text))
    assert text[raw.content[0] : raw.content[1]] == "We kept our word, but patience has limits"
    assert not raw.parts and raw.kind == "direct"


def test_linking_ends_a_quotation_before_its_own_source(nlp):
    from sayso.quotes import find_quotes
    from sayso.reader.linking import neural_attributions

    text = "“Safety comes first and we acted at once,” agency director Mira Kolar said on Friday.\nMore news."
    doc = _with_roles(
        nlp,
        text,
        [
            ("content", "Safety comes first and we acted at once,” agency director"),
            ("source", "Mira Kolar"),
            ("cue", "said"),
        ],
    )
    (raw,) = neural_attributions(doc, find_quotes(text))
    assert text[raw.content[0] : raw.content[1]] == "Safety comes first and we acted at once"
    assert raw.kind == "direct"


def test_source_mention_holds_its_whole_relative_clause(nlp):
    from sayso.quotes import find_quotes
    from sayso.reader.linking import neural_attributions

    text = "The official, who was not authorised to speak, said the port would close.\nMore news."
    doc = _with_roles(
        nlp,
        text,
        [("source", "The official, who was not authorised to"), ("cue", "said"), ("content", "the port would close")],
    )
    (raw,) = neural_attributions(doc, find_quotes(text))
    assert doc[raw.source_tokens[0] : raw.source_tokens[1]].text == "The official, who was not authorised to speak"


def test_a_quotation_after_that_is_reported_speech():
    from sayso import analyse

    report = analyse("The minister later told the radio station that “all options are on the table”.")
    (att,) = [a for a in report.attributions if "options" in a.content.text]
    assert att.kind == "mixed"


def test_a_source_that_goes_on_speaking_did_not_tell_itself():
    from sayso import analyse

    report = analyse(
        "The bank is weighing a sale of its card unit, according to two people familiar with the matter.\n\n"
        "The people, who asked not to be identified because the talks are private, said the bank had hired "
        "advisers."
    )
    names = {s.id: s.name for s in report.sources}
    (hired,) = [a for a in report.attributions if "hired advisers" in a.content.text]
    assert "people familiar" in names[hired.source]
    assert hired.to != hired.source


def test_a_conjoined_verb_takes_the_subject_it_shares():
    from sayso import analyse

    report = analyse(
        "Vietnam is one of the region’s most vocal critics of the claims and has accused Beijing of encroaching "
        "into its waters."
    )
    names = {s.id: s.name for s in report.sources}
    (accused,) = [a for a in report.attributions if a.cue and "accused" in a.cue.text]
    assert names[accused.source] == "Vietnam"


def test_a_relative_clause_speaks_for_its_antecedent():
    from sayso import analyse

    report = analyse(
        "Both companies have come under fire from activist tech workers who have demanded they stop supplying "
        "technology to oil and gas companies."
    )
    names = {s.id: s.name for s in report.sources}
    (demanded,) = [a for a in report.attributions if a.cue and "demanded" in a.cue.text]
    assert names[demanded.source] == "activist tech workers"


def test_units_are_tagged_in_blocks(nlp, monkeypatch):
    # a long text's paragraphs are encoded a block at a time: one result per paragraph, in order, all the same
    import sayso.reader.neural as neural

    text = "\n".join(f"The minister said the bridge {i} would reopen in May." for i in range(7))
    doc = nlp.make_doc(text)
    units = [[doc[i].text for i in u] for u in neural.paragraph_units(doc)]
    run = neural.onnx_logits()
    whole = neural.tag_units(run, units)
    monkeypatch.setattr(neural, "BLOCK_UNITS", 3)
    blocks = neural.tag_units(run, units)
    assert len(blocks[0]) == len(units) == 7
    assert [len(t) for t in blocks[0]] == [len(u) for u in units]
    assert blocks[0] == whole[0]
