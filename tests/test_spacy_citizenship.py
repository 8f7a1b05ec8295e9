"""sayso's components as good spaCy citizens: serialisable Doc values (``n_process=2``, ``Doc.to_bytes``,
``DocBin``), declared ``assigns``/``requires``, and a clear error on a pipeline that does not parse."""

from __future__ import annotations

from importlib import resources

import pytest
import spacy
import srsly
from spacy.tokens import Doc, DocBin

from sayso.extensions import get_article, set_article
from sayso.pipeline import COMPONENTS, load_pipeline
from sayso.report import build_report
from sayso.schema import Article

EXAMPLE = resources.files("sayso").joinpath("data", "example.txt").read_text(encoding="utf-8")

KHARKIV = (
    "KHARKIV, Ukraine — Officials in Kharkiv said on Tuesday that 1,200 residents had been evacuated since "
    "March 3, and that repairs would cost about $4.5 million.\n\n"
    "“We expect the bridge to reopen by the end of May,” Mayor Ihor Terekhov told reporters in Kyiv. "
    "According to the regional governor, about 30 percent of homes in the Kharkiv region still had no heating."
)
HARBOUR = (
    "Port Aldern council voted 7 to 2 on Monday to sell the old harbour to a developer from Oslo for 12 million "
    "euros, the Harbour Ledger reported.\n\n"
    '"This is the best offer we will get," said Councillor Brin Talvo, adding that 40 jobs would move to '
    "Bergen next year. Residents said the sale was rushed, and two council members told the paper the vote "
    "should have waited until January 2025."
)

ARTICLES = [
    Article(text=EXAMPLE, published="2024-03-22", outlet="The Moscow Times"),
    Article(text=KHARKIV, published="2024-04-09"),
    Article(text=HARBOUR, published="2024-06-10", outlet="The Harbour Ledger", url="https://harbourledger.example/a"),
]

#: The components that read the parse, and what each writes.
PARSE_COMPONENTS = {
    "sayso_times": ["doc._.sayso_times"],
    "sayso_quantities": ["doc._.sayso_quantities"],
    "sayso_places": ["doc._.sayso_places"],
    "sayso_attribution": ["doc._.sayso_sources", "doc._.sayso_attributions"],
}


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def make_docs(nlp) -> list[Doc]:
    return [set_article(nlp.make_doc(art.text), art) for art in ARTICLES]


def report_json(doc: Doc) -> str:
    return build_report(doc).model_dump_json()


@pytest.fixture(scope="module")
def parsed(nlp) -> list[Doc]:
    return list(nlp.pipe(make_docs(nlp)))


@pytest.fixture(scope="module")
def reports(parsed) -> list[str]:
    return [report_json(doc) for doc in parsed]


def _plain(value) -> bool:
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def test_the_texts_exercise_every_component(parsed):
    for doc in parsed:
        report = build_report(doc)
        assert report.attributions and report.times and report.quantities and report.places
        assert doc._.sayso_quotes


def test_doc_values_are_plain_data(parsed):
    for doc in parsed:
        for key, value in doc.user_data.items():
            assert _plain(value), key
        srsly.msgpack_dumps(doc.user_data)  # raises on anything msgpack cannot write


def test_an_article_model_is_stored_as_a_dict(nlp):
    doc = nlp.make_doc(KHARKIV)
    doc._.sayso_article = ARTICLES[1]
    assert isinstance(doc._.sayso_article, dict) and doc._.sayso_article["published"] == "2024-04-09"
    assert get_article(doc) == ARTICLES[1]
    assert set_article(doc, None)._.sayso_article is None and get_article(doc) is None
    with pytest.raises(TypeError):
        doc._.sayso_article = "2024-04-09"


def test_two_processes_give_the_same_reports(nlp, reports):
    assert [report_json(doc) for doc in nlp.pipe(make_docs(nlp), n_process=2, batch_size=1)] == reports
    # plain strings (no article set) too
    texts = [art.text for art in ARTICLES[1:]]
    assert [report_json(d) for d in nlp.pipe(texts, n_process=2)] == [report_json(d) for d in nlp.pipe(texts)]


def test_to_bytes_round_trip_gives_the_same_report(nlp, parsed, reports):
    for doc, expected in zip(parsed, reports, strict=True):
        restored = Doc(nlp.vocab).from_bytes(doc.to_bytes())
        assert report_json(restored) == expected


def test_docbin_round_trip_gives_the_same_report(nlp, parsed, reports):
    docbin = DocBin(store_user_data=True)
    for doc in parsed:
        docbin.add(doc)
    restored = list(DocBin().from_bytes(docbin.to_bytes()).get_docs(nlp.vocab))
    assert [report_json(doc) for doc in restored] == reports


def test_factories_declare_what_they_assign_and_require(nlp):
    assert nlp.get_pipe_meta("sayso_quotes").assigns == ["doc._.sayso_quotes"]
    assert nlp.get_pipe_meta("sayso_quotes").requires == []
    for name, assigns in PARSE_COMPONENTS.items():
        meta = nlp.get_pipe_meta(name)
        assert meta.assigns == assigns
        assert {"token.dep", "token.head", "token.ent_type", "doc.ents"} <= set(meta.requires)
    assert set(COMPONENTS) == {"sayso_quotes", *PARSE_COMPONENTS}
    problems = nlp.analyze_pipes(pretty=False)["problems"]
    assert not any(problems[name] for name in COMPONENTS)


@pytest.mark.parametrize("name", sorted(PARSE_COMPONENTS))
def test_a_pipeline_without_parser_is_refused(name):
    load_pipeline()  # registers the factories
    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match=r"needs a pipeline with a parser and NER .*en_core_web_sm"):
        nlp.add_pipe(name)
    assert name not in nlp.pipe_names


def test_quotes_need_no_parser():
    load_pipeline()
    nlp = spacy.blank("en")
    nlp.add_pipe("sayso_quotes")
    doc = Doc(nlp.vocab).from_bytes(nlp("He said “yes, we will” and left.").to_bytes())
    assert doc._.sayso_quotes == [{"start": 8, "end": 22, "inner_start": 9, "inner_end": 21, "open_ended": False}]
