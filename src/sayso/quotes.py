"""Quotes (stub, to be replaced)."""

from spacy.language import Language
from spacy.tokens import Doc


class QuoteFinder:
    def __call__(self, doc: Doc) -> Doc:
        doc._.sayso_quotes = []
        return doc


@Language.factory("sayso_quotes")
def make_quote_finder(nlp: Language, name: str) -> QuoteFinder:
    return QuoteFinder()
