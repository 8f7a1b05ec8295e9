"""sayso: who claims what, on whose say-so.

Python API::

    from sayso import read
    report = read("article.txt")          # path, URL, or '-' for stdin
    for att in report.attributions:
        print(att.source, att.kind, att.content.text)
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "analyse", "read"]


def analyse(article, nlp=None):
    """Run the pipeline on an :class:`~sayso.schema.Article` and return its :class:`~sayso.schema.Report`."""
    from .analysis import analyse_article

    return analyse_article(article, nlp=nlp)


def read(source: str, *, allow_private: bool = False, nlp=None):
    """Load ``source`` (path, URL or '-') and return its :class:`~sayso.schema.Report`."""
    from .analysis import analyse_article
    from .loading import load

    return analyse_article(load(source, allow_private=allow_private), nlp=nlp)
