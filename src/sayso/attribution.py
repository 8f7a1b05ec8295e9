"""Attribution (stub, to be replaced)."""

from spacy.language import Language
from spacy.tokens import Doc


class AttributionFinder:
    def __call__(self, doc: Doc) -> Doc:
        doc._.sayso_attributions = []
        return doc


@Language.factory("sayso_attribution")
def make_attribution_finder(nlp: Language, name: str) -> AttributionFinder:
    return AttributionFinder()
