"""Article in, report out: one spaCy parse, then the report built from the Doc."""

from __future__ import annotations

from spacy.language import Language

from .pipeline import load_pipeline
from .report import build_report
from .schema import Article, Place, Report

#: Components needed to find places in a photo caption (no attribution: captions quote nobody).
CAPTION_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "sayso_places")


def caption_places(article: Article, nlp: Language, first_id: int) -> list[Place]:
    """Places named in the article's photo captions ("Mobilized servicemen in eastern Ukraine's Donetsk
    region."), with ``caption`` set to the caption's index and offsets into that caption's text."""
    if not article.captions or "sayso_places" not in nlp.pipe_names:
        return []
    disable = [name for name in nlp.pipe_names if name not in CAPTION_COMPONENTS]
    out: list[Place] = []
    texts = [c.text for c in article.captions]
    for index, cdoc in enumerate(nlp.pipe(texts, disable=disable)):
        for place in cdoc._.sayso_places or []:
            out.append(place.model_copy(update={"id": f"p{first_id + len(out)}", "caption": index}))
    return out


def analyse_article(article: Article, nlp: Language | None = None) -> Report:
    """Parse ``article.text`` once with the sayso pipeline and build its report (plus the places named in
    photo captions, parsed separately since captions are kept apart from the body)."""
    nlp = nlp or load_pipeline()
    doc = nlp.make_doc(article.text)
    doc._.sayso_article = article
    doc = nlp(doc)
    report = build_report(doc, article)
    report.places.extend(caption_places(article, nlp, len(report.places) + 1))
    return report
