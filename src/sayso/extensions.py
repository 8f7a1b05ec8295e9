"""The Doc extension attributes that sayso's spaCy components read and write.

Every attribute holds plain data only (dicts, lists, str, int, float, bool, None), so a Doc annotated by
sayso can be serialised: ``doc.to_bytes()``, ``DocBin(store_user_data=True)`` and
``nlp.pipe(texts, n_process=2)`` all work. Each component writes the ``model_dump()`` of its items (models
from :mod:`sayso.schema`); the report is built once from the Doc (:mod:`sayso.report`), which turns the
plain values back into models (:func:`get_times`, :func:`get_places`, ...). After a msgpack round-trip
lists may come back as tuples: readers index the dicts and never test for ``list``.

==============================  ======================================  ===================
attribute                       holds (plain data)                      written by
==============================  ======================================  ===================
``doc._.sayso_article``         :class:`~sayso.schema.Article` as dict  caller (:func:`set_article`)
``doc._.sayso_quotes``          :class:`~sayso.quotes.Quote` as dicts   ``sayso_quotes``
``doc._.sayso_times``           :class:`TimeExpression` as dicts        ``sayso_times``
``doc._.sayso_quantities``      :class:`Quantity` as dicts              ``sayso_quantities``
``doc._.sayso_places``          :class:`Place` as dicts                 ``sayso_places``
``doc._.sayso_sources``         :class:`Source` as dicts                ``sayso_attribution``
``doc._.sayso_attributions``    :class:`Attribution` as dicts           ``sayso_attribution``
==============================  ======================================  ===================

``doc._.sayso_article`` converts at the boundary: assigning an :class:`~sayso.schema.Article` (or a dict)
stores its dict, and reading it gives that dict. Values computed once per Doc only to save time (the text,
entity indexes) live in :func:`doc_cache`, outside ``Doc.user_data``, and are never serialised.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel
from spacy.language import Language
from spacy.tokens import Doc

from .schema import Article, Attribution, Place, Quantity, Source, TimeExpression

_LIST_ATTRS = (
    "sayso_quotes",
    "sayso_times",
    "sayso_quantities",
    "sayso_places",
    "sayso_sources",
    "sayso_attributions",
)

#: Where ``doc._.sayso_article`` keeps its dict: the key spaCy itself uses for a plain Doc attribute.
_ARTICLE_KEY = ("._.", "sayso_article", None, None)


def plain(item: Any) -> Any:
    """``item`` as plain data: a pydantic model or a dataclass becomes a dict; anything else is returned."""
    if isinstance(item, BaseModel):
        return item.model_dump()
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return dataclasses.asdict(item)
    return item


def plain_list(items: Iterable[Any]) -> list[Any]:
    """The items as a list of plain values (see :func:`plain`), as the list attributes hold them."""
    return [plain(item) for item in items]


def _get_article(doc: Doc) -> dict | None:
    return doc.user_data.get(_ARTICLE_KEY)


def _set_article(doc: Doc, article: Article | Mapping[str, Any] | None) -> None:
    if article is not None and not isinstance(article, (BaseModel, Mapping)):
        raise TypeError(f"doc._.sayso_article takes an Article, a dict or None, not {type(article).__name__}")
    doc.user_data[_ARTICLE_KEY] = dict(plain(article)) if article is not None else None


def set_article(doc: Doc, article: Article | Mapping[str, Any] | None) -> Doc:
    """Give ``doc`` its article metadata before the pipeline runs (stored as a plain dict); returns ``doc``.

    Same as ``doc._.sayso_article = article``."""
    _set_article(doc, article)
    return doc


def register_extensions() -> None:
    """Register sayso's Doc attributes (idempotent)."""
    if not Doc.has_extension("sayso_article"):
        Doc.set_extension("sayso_article", getter=_get_article, setter=_set_article)
    for name in _LIST_ATTRS:
        if not Doc.has_extension(name):
            # getter-free attributes with a mutable default would be shared between docs, so each
            # component assigns a fresh list; None means "component not run".
            Doc.set_extension(name, default=None)


register_extensions()


def article_data(doc: Doc) -> Mapping[str, Any]:
    """The article metadata the caller set (a dict), or an empty dict."""
    return doc._.sayso_article or {}


def publication_date(doc: Doc) -> str | None:
    """The article's publication date (YYYY-MM-DD) if the caller set ``doc._.sayso_article``."""
    return article_data(doc).get("published")


# -- the plain values as models ---------------------------------------------------------------------


def get_article(doc: Doc) -> Article | None:
    """``doc._.sayso_article`` as an :class:`~sayso.schema.Article`, or None when not set."""
    art = doc._.sayso_article
    return Article.model_validate(art) if art is not None else None


def get_times(doc: Doc) -> list[TimeExpression]:
    """``doc._.sayso_times`` as models (empty when the component did not run)."""
    return [TimeExpression.model_validate(v) for v in doc._.sayso_times or ()]


def get_quantities(doc: Doc) -> list[Quantity]:
    """``doc._.sayso_quantities`` as models."""
    return [Quantity.model_validate(v) for v in doc._.sayso_quantities or ()]


def get_places(doc: Doc) -> list[Place]:
    """``doc._.sayso_places`` as models."""
    return [Place.model_validate(v) for v in doc._.sayso_places or ()]


def get_sources(doc: Doc) -> list[Source]:
    """``doc._.sayso_sources`` as models."""
    return [Source.model_validate(v) for v in doc._.sayso_sources or ()]


def get_attributions(doc: Doc) -> list[Attribution]:
    """``doc._.sayso_attributions`` as models."""
    return [Attribution.model_validate(v) for v in doc._.sayso_attributions or ()]


# -- per-Doc scratch values, never serialised -------------------------------------------------------

_CACHES: weakref.WeakKeyDictionary[Doc, dict[str, Any]] = weakref.WeakKeyDictionary()


def doc_cache(doc: Doc) -> dict[str, Any]:
    """A scratch dict for values computed once per Doc (the text, entity indexes), dropped with the Doc.

    Kept outside ``Doc.user_data`` so that it never reaches ``doc.to_bytes()`` (it may hold Spans)."""
    cache = _CACHES.get(doc)
    if cache is None:
        cache = _CACHES[doc] = {}
    return cache


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (spaCy rebuilds the string from the tokens on every access)."""
    cache = doc_cache(doc)
    text = cache.get("text")
    if text is None:
        text = cache["text"] = doc.text
    return text


# -- what the components need from the pipeline -----------------------------------------------------

#: What sayso's components that read the parse need from the components before them (spaCy ``requires``).
PARSE_REQUIRES = [
    "token.tag",
    "token.lemma",
    "token.dep",
    "token.head",
    "token.is_sent_start",
    "token.ent_type",
    "doc.ents",
    "doc.sents",
]


def require_parse(nlp: Language, name: str) -> None:
    """Refuse to build component ``name`` for a pipeline without a dependency parser and a named-entity
    recogniser before it (``spacy.blank("en")``, say): raises ValueError saying what is needed."""
    assigned = {attr for pipe in nlp.pipe_names for attr in nlp.get_pipe_meta(pipe).assigns}
    missing = [what for attr, what in (("token.dep", "a parser"), ("doc.ents", "NER")) if attr not in assigned]
    if missing:
        have = ", ".join(nlp.pipe_names) or "no components"
        raise ValueError(
            f"{name!r} needs a pipeline with a parser and NER before it (e.g. en_core_web_sm: "
            f"nlp = spacy.load('en_core_web_sm'); nlp.add_pipe({name!r})); this pipeline lacks "
            f"{' and '.join(missing)} (it has: {have})"
        )
