"""The Doc extension attributes that sayso's spaCy components read and write.

Each component writes typed items (models from :mod:`sayso.schema`) to one attribute;
the report is built once from the Doc (:mod:`sayso.report`).

========================  ======================================  ===================
attribute                 holds                                   written by
========================  ======================================  ===================
``doc._.sayso_article``   :class:`~sayso.schema.Article` (meta)   caller / pipeline
``doc._.sayso_quotes``    list of (start, end) quote char spans   ``sayso_quotes``
``doc._.sayso_times``     list of :class:`TimeExpression`         ``sayso_times``
``doc._.sayso_quantities``list of :class:`Quantity`               ``sayso_quantities``
``doc._.sayso_places``    list of :class:`Place`                  ``sayso_places``
``doc._.sayso_sources``   list of :class:`Source`                 ``sayso_attribution``
``doc._.sayso_attributions`` list of :class:`Attribution`         ``sayso_attribution``
========================  ======================================  ===================
"""

from __future__ import annotations

from spacy.tokens import Doc

_LIST_ATTRS = (
    "sayso_quotes",
    "sayso_times",
    "sayso_quantities",
    "sayso_places",
    "sayso_sources",
    "sayso_attributions",
)


def register_extensions() -> None:
    """Register sayso's Doc attributes (idempotent)."""
    if not Doc.has_extension("sayso_article"):
        Doc.set_extension("sayso_article", default=None)
    for name in _LIST_ATTRS:
        if not Doc.has_extension(name):
            # getter-free attributes with a mutable default would be shared between docs, so each
            # component assigns a fresh list; None means "component not run".
            Doc.set_extension(name, default=None)


def publication_date(doc: Doc) -> str | None:
    """The article's publication date (YYYY-MM-DD) if the caller set ``doc._.sayso_article``."""
    art = doc._.sayso_article
    return getattr(art, "published", None) if art is not None else None


register_extensions()


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (spaCy rebuilds the string from the tokens on every access)."""
    text = doc.user_data.get("sayso_text")
    if text is None:
        text = doc.text
        doc.user_data["sayso_text"] = text
    return text
