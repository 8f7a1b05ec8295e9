"""Places (stub, to be replaced)."""

from spacy.language import Language
from spacy.tokens import Doc


class PlaceTagger:
    def __call__(self, doc: Doc) -> Doc:
        doc._.sayso_places = []
        return doc


@Language.factory("sayso_places")
def make_place_tagger(nlp: Language, name: str) -> PlaceTagger:
    return PlaceTagger()
