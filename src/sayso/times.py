"""Time expressions (stub, to be replaced)."""

from spacy.language import Language
from spacy.tokens import Doc


class TimeTagger:
    def __call__(self, doc: Doc) -> Doc:
        doc._.sayso_times = []
        return doc


@Language.factory("sayso_times")
def make_time_tagger(nlp: Language, name: str) -> TimeTagger:
    return TimeTagger()
