"""Article in, report out: one spaCy parse, then the report built from the Doc."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from .chunking import PIECE_CHARS, parse
from .extensions import doc_cache, get_places
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
    if max(map(len, texts)) > min(PIECE_CHARS, nlp.max_length):  # a page's whole text in a caption
        cdocs: Iterable[Doc] = (parse(nlp, text, disable=disable) for text in texts)
    else:
        cdocs = nlp.pipe(texts, disable=disable)
    for index, cdoc in enumerate(cdocs):
        for place in get_places(cdoc):
            out.append(place.model_copy(update={"id": f"p{first_id + len(out)}", "caption": index}))
        doc_cache(cdoc).clear()  # (Spans in it would keep the Doc alive)
    return out


def analyse_article(
    article: Article, nlp: Language | None = None, *, piece_chars: int | None = None, processes: int = 1
) -> Report:
    """Parse ``article.text`` once with the sayso pipeline and build its report (plus the places named in
    photo captions, parsed separately since captions are kept apart from the body).

    A text longer than ``piece_chars`` (default :data:`sayso.chunking.PIECE_CHARS`) is parsed in pieces
    joined into one Doc before sayso's components run (:func:`sayso.chunking.parse`): offsets and ids are
    the whole article's either way. ``processes``: how many processes may parse the pieces of a long text
    at once (forked copies of this one; see :func:`sayso.chunking.parse`)."""
    nlp = nlp or load_pipeline()
    doc = parse(nlp, article.text, article, limit=piece_chars, processes=processes)
    # The report needs only what the components wrote (plain data in ``doc.user_data``): it is built from
    # an empty Doc holding that, so that a long article's tokens and look-up tables are freed first.
    values = Doc(doc.vocab, words=[])
    values.user_data.update(doc.user_data)
    doc_cache(doc).clear()  # its Spans refer back to the Doc: they would keep it alive
    del doc
    report = build_report(values, article)
    report.places.extend(caption_places(article, nlp, len(report.places) + 1))
    return report
