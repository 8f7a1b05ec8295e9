"""Reading brat standoff annotations (``.ann``) as used by PolNeAR.

Only what attribution scoring needs is kept:

* text-bound annotations ``T1<TAB>Label start end[;start end...]<TAB>text``, including discontinuous
  spans (fragments may be listed in any order; they are kept sorted);
* events ``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1``, whose trigger is ``Attribution`` or
  ``Attribution-no-source`` and whose arguments may be numbered (``Content2:T9``).

Annotator notes (``#`` lines), relations and attributes are ignored; ``Discuss`` and ``Discard`` spans are
read as text-bound annotations but never form attributions. Lines that do not parse (PolNeAR has three span
texts containing a newline, whose continuation lines break the tab format) are skipped, never fatal: the
offsets on the ``T`` line itself are still valid, and the span text is always taken from the ``.txt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

#: Event trigger labels that mark an attribution.
ATTRIBUTION_TRIGGERS = ("Attribution", "Attribution-no-source")

#: The roles an attribution event links.
ROLES = ("source", "cue", "content")

Fragments = tuple[tuple[int, int], ...]

_TEXTBOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_EVENT = re.compile(r"^(E\d+)\t(.*)$")


@dataclass(frozen=True)
class TextBound:
    """One text-bound annotation.

    ``fragments`` are sorted (start, end) character offsets into the article text, end exclusive."""

    id: str
    label: str
    fragments: Fragments

    @property
    def start(self) -> int:
        """Offset of the first character of the first fragment."""
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        """Offset after the last character of the last fragment."""
        return self.fragments[-1][1]


@dataclass(frozen=True)
class Event:
    """One brat event: a trigger (``Label:T4``) and its ``(role, textbound id)`` arguments.

    Roles keep brat's spelling, numbering included (``Content2``)."""

    id: str
    label: str
    trigger: str
    args: tuple[tuple[str, str], ...]


@dataclass
class BratDocument:
    """The parsed annotations of one ``.ann`` file."""

    textbounds: dict[str, TextBound] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    skipped_lines: int = 0


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution, as sets of fragments per role (``None`` where the role is absent).

    Several arguments of one role (``Content`` and ``Content2``) are merged into one fragment set."""

    id: str
    source: Fragments | None
    cue: Fragments | None
    content: Fragments | None

    def role(self, name: str) -> Fragments | None:
        """The fragments of role ``name`` (``'source'``, ``'cue'`` or ``'content'``)."""
        return getattr(self, name)


def _parse_fragments(spec: str) -> Fragments:
    frags = []
    for part in spec.split(";"):
        a, b = part.split()
        start, end = int(a), int(b)
        if end < start:
            start, end = end, start
        frags.append((start, end))
    return tuple(sorted(frags))


def parse_ann(content: str) -> BratDocument:
    """Parse the text of a ``.ann`` file.

    ``content``: the whole file as a string. Returns a :class:`BratDocument`; lines that do not parse
    are counted in ``skipped_lines``."""
    doc = BratDocument()
    for line in content.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = _TEXTBOUND.match(line)
        if m:
            tid, label, spec = m.groups()
            doc.textbounds[tid] = TextBound(tid, label, _parse_fragments(spec))
            continue
        m = _EVENT.match(line)
        if m:
            eid, body = m.groups()
            parts = [p.split(":", 1) for p in body.split()]
            if not parts or any(len(p) != 2 for p in parts):
                doc.skipped_lines += 1
                continue
            (label, trigger), rest = parts[0], parts[1:]
            doc.events.append(Event(eid, label, trigger, tuple((r, t) for r, t in rest)))
            continue
        if line[:1] in ("R", "A", "M", "N"):  # relations, attributes, normalisations: not used
            continue
        doc.skipped_lines += 1
    return doc


def _role_of(arg: str) -> str:
    return arg.rstrip("0123456789").lower()


def _merge(frags: list[Fragments]) -> Fragments | None:
    if not frags:
        return None
    return tuple(sorted({f for fs in frags for f in fs}))


def gold_attributions(doc: BratDocument) -> list[GoldAttribution]:
    """The attributions of a parsed ``.ann``: one per ``Attribution``/``Attribution-no-source`` event.

    ``doc``: a :class:`BratDocument`. Arguments pointing at unknown ids are ignored; roles other than
    source, cue and content are ignored. Returns the attributions in file order."""
    out = []
    for ev in doc.events:
        if ev.label not in ATTRIBUTION_TRIGGERS:
            continue
        by_role: dict[str, list[Fragments]] = {r: [] for r in ROLES}
        for arg, tid in ev.args:
            role = _role_of(arg)
            tb = doc.textbounds.get(tid)
            if role in by_role and tb is not None:
                by_role[role].append(tb.fragments)
        source = _merge(by_role["source"]) if ev.label == "Attribution" else None
        out.append(GoldAttribution(ev.id, source, _merge(by_role["cue"]), _merge(by_role["content"])))
    return out


def read_ann(path: str | Path) -> list[GoldAttribution]:
    """Read one ``.ann`` file (UTF-8) and return its attributions (see :func:`gold_attributions`)."""
    return gold_attributions(parse_ann(Path(path).read_text(encoding="utf-8")))


def annotation_files(ann_dir: str | Path) -> dict[str, Path]:
    """One ``.ann`` per article: for each text stem, the first ``<stem>_<annotatorId>.ann`` alphabetically.

    ``ann_dir``: folder of ``.ann`` files. Returns ``{stem: path}``."""
    chosen: dict[str, Path] = {}
    for path in sorted(Path(ann_dir).glob("*.ann")):
        stem = path.stem.rsplit("_", 1)[0] if "_" in path.stem else path.stem
        chosen.setdefault(stem, path)
    return chosen
