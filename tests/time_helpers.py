"""Shared helpers for the time-rule tests: a pipeline with only the time component, and a tagging helper."""

from __future__ import annotations

from spacy.language import Language

from sayso.extensions import get_times
from sayso.pipeline import _register_factories, load_base_model
from sayso.schema import Article

#: The publication date the time tests anchor on, a Monday.
DCT = "2000-04-03"


def time_pipeline() -> Language:
    """The English model with the time component only."""
    _register_factories()
    model = load_base_model()
    model.add_pipe("sayso_times")
    return model


def times_of(nlp: Language, text: str, published: str = DCT) -> dict[str, tuple[str, str | None]]:
    """Tag ``text`` published on ``published`` and map each expression's text to (type, value)."""
    doc = nlp.make_doc(text)
    doc._.sayso_article = Article(text=text, published=published)
    doc = nlp(doc)
    return {t.text: (t.type, t.value) for t in get_times(doc)}
