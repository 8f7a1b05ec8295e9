"""Rendering a :class:`~sayso.schema.Report` for people: a terminal tree, one self-contained HTML page,
a Markdown brief, or JSON.

The renderers share what this module holds: the reporting chains arranged as a tree rooted at the
article's outlet (:func:`chain_tree`), look-ups by id (:class:`Index`) and one-line descriptions of
sources, times, quantities and places.

>>> from sayso.render import render
>>> text = render(report, "markdown")  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel

from ..schema import Attribution, Place, Quantity, Report, Source, TimeExpression

Format = Literal["tree", "json", "html", "markdown"]
FORMATS: tuple[str, ...] = ("tree", "json", "html", "markdown")

#: Content texts longer than this are trimmed in the tree and the side panels.
TRIM = 200

#: Short human explanations of the attribution kinds (used in legends).
KIND_LABELS = {
    "direct": "direct quote",
    "indirect": "reported speech",
    "mixed": "partial quote",
    "according_to": "'according to' / 'as X reports'",
    "hedged": "hedged, no named source",
    "belief": "belief or plan (not a claim)",
    "topic": "speech act with no stated content (not a claim)",
    "act": "act or event, no speech word (not a claim)",
}

#: The id used for the root when the report holds no source marked as the article's outlet.
ROOT_ID = "__article__"


def render(report: Report, fmt: str, *, width: int = 100) -> str:
    """Render ``report`` as text.

    ``fmt`` is one of :data:`FORMATS`; ``width`` is the line width of the plain-text tree. Returns the
    whole output (the tree without colour). Raises ``ValueError`` for an unknown format."""
    if fmt == "tree":
        from .tree import render_tree_text

        return render_tree_text(report, width=width)
    if fmt == "json":
        from .jsonout import render_json

        return render_json(report)
    if fmt == "html":
        from .html import render_html

        return render_html(report)
    if fmt == "markdown":
        from .markdown import render_markdown

        return render_markdown(report)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def trim(text: str, limit: int = TRIM) -> str:
    """``text`` on one line (runs of whitespace made single spaces), cut to at most ``limit``
    characters at a word boundary with an ellipsis when longer."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


#: Terminal escape sequences: OSC (titles, OSC 8 hyperlinks, clipboard), DCS/SOS/PM/APC strings, each
#: with its terminator; CSI (cursor moves, screen clears, colours); the other two- and three-character
#: ESC sequences. An unterminated string sequence loses only its introducer (the text after it stays).
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b[ -/]*[0-~]?"
)
#: Control characters left after the sequences are gone: C0 except tab and newline, DEL, C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_text(text: str, *, newlines: bool = True) -> str:
    """``text`` made safe to show on a terminal or in Markdown: terminal escape sequences removed (colours,
    screen clears, window titles, OSC 8 hyperlinks), carriage returns made newlines, every other C0/C1
    control character removed. Tabs and newlines stay, unless ``newlines`` is False: then they become
    spaces (for one-line messages)."""
    if not text:
        return text
    out = _ESCAPE_SEQUENCE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    out = _CONTROL.sub("", out)
    if not newlines:
        out = out.replace("\n", " ").replace("\t", " ")
    return out


def safe_report(report: Report) -> Report:
    """A copy of ``report`` with :func:`safe_text` applied to every string in it (titles, names, contents,
    notes, warnings…), for renderers that write to a terminal or Markdown. Offsets are left as they are,
    so they may no longer point into the cleaned article text: use the copy only for display."""
    return _cleaned(report)


def _cleaned(value):
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_cleaned(v) for v in value)
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: _cleaned(getattr(value, name)) for name in type(value).model_fields})
    return value


@dataclass
class Index:
    """The report's items by id, so renderers can follow the ids attributions hold."""

    sources: dict[str, Source]
    attributions: dict[str, Attribution]
    times: dict[str, TimeExpression]
    quantities: dict[str, Quantity]
    places: dict[str, Place]
    root: Source | None

    @classmethod
    def of(cls, report: Report) -> Index:
        """Index ``report``; ``root`` is the source marked ``is_article_outlet`` (or None)."""
        root = next((s for s in report.sources if s.is_article_outlet), None)
        return cls(
            sources={s.id: s for s in report.sources},
            attributions={a.id: a for a in report.attributions},
            times={t.id: t for t in report.times},
            quantities={q.id: q for q in report.quantities},
            places={p.id: p for p in report.places},
            root=root,
        )

    @property
    def root_id(self) -> str:
        """The id of the chains' root: the article's outlet, or :data:`ROOT_ID`."""
        return self.root.id if self.root else ROOT_ID

    def name(self, source_id: str | None, report: Report | None = None) -> str:
        """The display name of ``source_id``: the source's name, the article's outlet for the root,
        'unattributed' for None, or the bare id when the report does not hold it."""
        if source_id is None:
            return "unattributed"
        if source_id in self.sources:
            return self.sources[source_id].name
        if source_id == ROOT_ID:
            return (report.article.outlet if report else None) or "the article"
        return source_id

    def items(self, ids: Iterable[str], kind: str) -> list:
        """The items of ``kind`` ('times', 'quantities' or 'places') with these ids, skipping unknown ids."""
        table = getattr(self, kind)
        return [table[i] for i in ids if i in table]


@dataclass
class ChainNode:
    """One source in the tree of reporting chains: its own claims, and the sources it relays beneath."""

    source_id: str
    source: Source | None
    claims: list[Attribution] = field(default_factory=list)
    children: dict[str, ChainNode] = field(default_factory=dict)

    def walk(self, depth: int = 0) -> Iterable[tuple[int, ChainNode]]:
        """This node and every node beneath it, depth first, with their depth (root 0)."""
        yield depth, self
        for child in self.children.values():
            yield from child.walk(depth + 1)

    def path_claims(self, path: tuple[str, ...] = ()) -> Iterable[tuple[tuple[str, ...], Attribution]]:
        """Each claim beneath this node with the chain of source ids leading to it (this node first)."""
        here = (*path, self.source_id)
        for claim in self.claims:
            yield here, claim
        for child in self.children.values():
            yield from child.path_claims(here)


def full_chain(att: Attribution, root_id: str) -> list[str]:
    """The chain of ``att`` from the article's outlet to its source.

    Uses ``att.chain`` when set, else builds it from ``via`` and ``source``; the root is prepended when
    the chain does not start with it. Returns a list of source ids starting with ``root_id``."""
    chain = list(att.chain)
    if not chain:
        chain = [*att.via, *([att.source] if att.source else [])]
    if not chain or chain[0] != root_id:
        chain = [root_id, *chain]
    return chain


def chain_tree(report: Report) -> ChainNode:
    """The report's reporting chains as one tree rooted at the article's outlet.

    Each attribution is filed under the node at the end of its chain (its source); relays are the nodes
    on the way. A sourceless (hedged) claim whose chain is just the outlet sits on the root."""
    index = Index.of(report)
    root = ChainNode(index.root_id, index.root)
    for att in report.attributions:
        node = root
        for sid in full_chain(att, root.source_id)[1:]:
            if sid not in node.children:
                node.children[sid] = ChainNode(sid, index.sources.get(sid))
            node = node.children[sid]
        node.claims.append(att)
    return root


def source_details(source: Source | None) -> list[str]:
    """The facts about ``source`` worth showing beside its name, as 'label: value' strings (type, role,
    descriptor, affiliation, closeness, number, reason); empty for an unknown source."""
    if source is None:
        return []
    out: list[str] = []
    if source.is_article_outlet:
        out.append("the article's outlet")
    elif not source.anonymous:
        out.append(source.type)
    if source.role:
        out.append(source.role)
    if source.anonymous:
        if source.descriptor and source.descriptor.lower() != source.name.lower():
            out.append(f"described as “{source.descriptor}”")
        if source.affiliation:
            out.append(f"affiliation: {source.affiliation}")
        if source.closeness:
            out.append(f"closeness: {source.closeness}")
        if source.number:
            out.append(f"number: {source.number}")
        if source.reason:
            out.append(f"reason for anonymity: {source.reason}")
    elif source.affiliation:
        out.append(f"affiliation: {source.affiliation}")
    return out


def describe_time(t: TimeExpression) -> str:
    """'text = value' for a time, with the range end and type where they add something."""
    value = t.value or "?"
    if t.end_value:
        value += f" … {t.end_value}"
    kind = f" ({t.type.lower()})" if t.type != "DATE" else ""
    return f"{t.text} = {value}{kind}"


def number(value: float) -> str:
    """``value`` without a trailing '.0' and with thousands separators ('300,000', '2.5')."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1000 else f"{value:g}"


def describe_quantity(q: Quantity) -> str:
    """'text = value unit' for a quantity, with its upper bound and qualifier when present."""
    value = number(q.value)
    if q.upper is not None:
        value += f"–{number(q.upper)}"
    unit = f" {q.unit}" if q.unit else ""
    qual = f" ({q.qualifier.replace('_', ' ')})" if q.qualifier else ""
    return f"{q.text} = {value}{unit}{qual}"


def describe_place(p: Place) -> str:
    """'name, COUNTRY' for a place, noting a metonymic use ('as government')."""
    out = p.name + (f", {p.country}" if p.country else "")
    if p.metonymy:
        out += " (as government)"
    return out


def coordinates(p: Place) -> str:
    """'lat, lon' with four decimals, or '' when the place has no coordinates."""
    if p.lat is None or p.lon is None:
        return ""
    return f"{p.lat:.4f}, {p.lon:.4f}"


def recipient(att: Attribution, index: Index, report: Report) -> str | None:
    """'told NAME' for an attribution with a recipient, else None."""
    return f"told {index.name(att.to, report)}" if att.to else None
