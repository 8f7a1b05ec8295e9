"""The JSON rendering of a report: the schema's own serialisation, as ``sayso read --format json``
prints it."""

from __future__ import annotations

from ..schema import Report


def render_json(report: Report) -> str:
    """``report`` as indented JSON (the format ``schema/report.schema.json`` describes), ending in a
    newline."""
    return report.model_dump_json(indent=2) + "\n"
