"""Article in, report out: one spaCy parse, then the report built from the Doc."""

from __future__ import annotations

from spacy.language import Language

from .pipeline import load_pipeline
from .report import build_report
from .schema import Article, Report


def analyse_article(article: Article, nlp: Language | None = None) -> Report:
    """Parse ``article.text`` once with the sayso pipeline and build its report."""
    nlp = nlp or load_pipeline()
    doc = nlp.make_doc(article.text)
    doc._.sayso_article = article
    doc = nlp(doc)
    return build_report(doc, article)
