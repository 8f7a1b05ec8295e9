"""Scoring sayso against annotated data sets.

* :mod:`sayso.evaluation.brat` reads brat standoff annotations;
* :mod:`sayso.evaluation.polnear` scores attributions against PolNeAR (``sayso eval polnear``).
"""

from __future__ import annotations

from .polnear import evaluate_polnear

__all__ = ["evaluate_polnear"]
