"""sayso: who claims what, on whose say-so.

Python API::

    from sayso import read
    report = read("article.txt")          # a path (str or Path), an http(s) URL, or '-' for stdin
    for att in report.attributions:
        print(att.source, att.kind, att.content.text)

    from sayso import analyse
    report = analyse("The minister said on Monday that taxes would rise.")   # a plain text, or an Article
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

    from .schema import Article, Report

__version__ = "0.1.0"

__all__ = ["__version__", "analyse", "read"]


def analyse(article: Article | str, nlp: Language | None = None) -> Report:
    """Run the pipeline on ``article`` and return its Report.

    ``article``: an Article (as :func:`sayso.loading.load` returns), or a plain string taken as the article's
    body text as it is (report offsets point into it; use :func:`read` to parse a title, date and layout).
    ``nlp``: a pipeline from :func:`sayso.pipeline.load_pipeline` (default: the standard one)."""
    from .analysis import analyse_article
    from .schema import Article

    if isinstance(article, str):
        article = Article(text=article)
    return analyse_article(article, nlp=nlp)


def read(source: str | os.PathLike[str], *, allow_private: bool = False, nlp: Language | None = None) -> Report:
    """Load ``source`` and return its Report.

    ``source``: a file path (str or Path), an http(s) URL, or '-' for stdin (a Path is always a file, even one
    named '-'). ``allow_private``: let a URL point at a private or loopback address. ``nlp``: as for
    :func:`analyse`. Raises the errors of :mod:`sayso.errors` (missing file, unusable input, network)."""
    from .analysis import analyse_article
    from .loading import load

    if isinstance(source, os.PathLike):
        source = os.fspath(source)
        if source == "-":  # a file named '-', not stdin
            source = "./-"
    return analyse_article(load(source, allow_private=allow_private), nlp=nlp)
