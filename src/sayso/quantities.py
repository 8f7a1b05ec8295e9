"""Quantities (stub, to be replaced)."""

from spacy.language import Language
from spacy.tokens import Doc


class QuantityTagger:
    def __call__(self, doc: Doc) -> Doc:
        doc._.sayso_quantities = []
        return doc


@Language.factory("sayso_quantities")
def make_quantity_tagger(nlp: Language, name: str) -> QuantityTagger:
    return QuantityTagger()
