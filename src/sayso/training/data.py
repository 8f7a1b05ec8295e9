"""PolNeAR (brat standoff) → token-level BIO role tags over spaCy tokens, for training the role tagger.

Each article ``{split}/text/<stem>.txt`` is read with its first ``.ann`` alphabetically (one annotator per
article, :func:`sayso.evaluation.brat.annotation_files`) and parsed with the base English model, so the
parser's TAG / DEP / ENT_TYPE features are on the tokens the model reads.

Tags: ``B-source I-source B-cue I-cue B-content I-content O`` (:data:`TAGS`).

* **Fragments.** Every fragment of a role span is tagged on its own: a discontinuous content
  (``"A," she said, "B."``) becomes two ``content`` runs, each starting with ``B-``. A fragment covers the
  tokens its characters touch (whitespace trimmed first, ``alignment_mode="expand"``).
* **Overlaps.** A token holds one tag. Fragments are placed longest first (by token count; ties by
  position); a fragment any of whose tokens is already tagged is dropped whole. So the outermost,
  longest annotation wins, e.g. a content that encloses another attribution's source or cue keeps its
  span and the inner roles are not tagged (PolNeAR's guidelines annotate only the outermost attribution
  anyway, so this is rare). A dropped fragment is counted in :attr:`Conversion.dropped`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..evaluation.brat import ROLES, GoldAttribution, annotation_files, read_ann
from ..reader.neural import bio_runs  # noqa: F401  (re-exported: BIO tags -> spans)

#: The tag set, in a fixed order.
TAGS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")


@dataclass
class Conversion:
    """Counts from converting a set of articles."""

    articles: int = 0
    fragments: int = 0
    dropped: int = 0
    misaligned: int = 0
    stems: list[str] = field(default_factory=list)


def bio_tags(doc: Doc, attributions: Iterable[GoldAttribution], stats: Conversion | None = None) -> list[str]:
    """BIO role tags for the tokens of ``doc`` (see the module docstring for the rules).

    ``doc``: the parsed article text; ``attributions``: its gold attributions (character offsets into
    ``doc.text``); ``stats``: optional counters to update. Returns one tag per token."""
    text = doc.text
    spans: list[tuple[int, int, str]] = []  # token start, token end (exclusive), role
    for att in attributions:
        for role in ROLES:
            for start, end in att.role(role) or ():
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                if start >= end:
                    continue
                span = doc.char_span(start, end, alignment_mode="expand")
                if stats is not None:
                    stats.fragments += 1
                if span is None or len(span) == 0:
                    if stats is not None:
                        stats.misaligned += 1
                    continue
                spans.append((span.start, span.end, role))
    tags = ["O"] * len(doc)
    for start, end, role in sorted(set(spans), key=lambda s: (-(s[1] - s[0]), s[0], s[2])):
        if any(t != "O" for t in tags[start:end]):
            if stats is not None:
                stats.dropped += 1
            continue
        tags[start] = f"B-{role}"
        for i in range(start + 1, end):
            tags[i] = f"I-{role}"
    return tags


def iter_articles(data_dir: str | Path, split: str) -> Iterator[tuple[str, str, list[GoldAttribution]]]:
    """``(stem, text, attributions)`` for each article of a PolNeAR split that has an ``.ann`` file.

    ``data_dir``: PolNeAR's ``data`` folder; ``split``: ``train`` or ``dev``."""
    base = Path(data_dir) / split
    anns = annotation_files(base / "attributions")
    for stem in sorted(anns):
        txt = base / "text" / f"{stem}.txt"
        if txt.exists():
            yield stem, txt.read_text(encoding="utf-8"), read_ann(anns[stem])


def convert_split(
    nlp: Language, data_dir: str | Path, split: str, limit: int | None = None, batch_size: int = 16
) -> tuple[list[Doc], list[list[str]], Conversion]:
    """Parse and tag one PolNeAR split.

    ``nlp``: the base English pipeline (:func:`sayso.pipeline.load_base_model`); ``data_dir``: PolNeAR's
    ``data`` folder; ``split``: ``train`` or ``dev``; ``limit``: only the first N articles.
    Returns the parsed docs, their BIO tags (one list per doc) and conversion counts."""
    stats = Conversion()
    items = list(iter_articles(data_dir, split))[:limit]
    docs = list(nlp.pipe((text for _, text, _ in items), batch_size=batch_size))
    tags = []
    for (stem, _, atts), doc in zip(items, docs, strict=True):
        tags.append(bio_tags(doc, atts, stats))
        stats.articles += 1
        stats.stems.append(stem)
    return docs, tags, stats


def reference_doc(doc: Doc, tags: list[str]) -> Doc:
    """A copy of ``doc``'s words whose ``tag_`` holds the BIO role tags (the training reference)."""
    return Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc], tags=tags)
