"""brat standoff: per article a ``.txt`` (its text, which every offset points into) and a ``.ann``, in the
PolNeAR layout sayso's own reader (:mod:`sayso.evaluation.brat`) reads: text-bound ``Source``, ``Cue`` and
``Content`` annotations joined by an ``Attribution`` (or ``Attribution-no-source``) event whose trigger is the
cue, plus ``Time``, ``Quantity`` and ``Place`` annotations; ``annotation.conf`` declares them for brat.

A span that runs over a line break is written as fragments that stop at it (brat cannot show a fragment across
lines); a content split by its cue (``content_parts``) is a discontinuous annotation.
"""

from __future__ import annotations

from ..schema import Report, Span

#: brat's configuration for the exported annotations.
ANNOTATION_CONF = """[entities]
Source
Cue
Content
Time
Quantity
Place

[relations]

[events]
Attribution\tSource?:Source, Cue?:Cue, Content+:Content
Attribution-no-source\tCue?:Cue, Content+:Content

[attributes]
"""


def fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (start, end) fragments brat gets for ``spans`` of ``text``: each span cut at its line breaks, empty
    pieces dropped, in order."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        start, end = max(0, start), min(len(text), end)
        pos = start
        while pos < end:
            stop = text.find("\n", pos, end)
            stop = end if stop < 0 else stop
            if stop > pos:
                out.append((pos, stop))
            pos = stop + 1
    return sorted(set(out))


def _content_spans(parts: list[Span], content: Span) -> list[tuple[int, int]]:
    return [(p.start, p.end) for p in parts] if parts else [(content.start, content.end)]


class _Ann:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []
        self.t = 0
        self.e = 0

    def textbound(self, label: str, frags: list[tuple[int, int]]) -> str | None:
        if not frags:
            return None
        self.t += 1
        spec = ";".join(f"{a} {b}" for a, b in frags)
        shown = " ".join(self.text[a:b] for a, b in frags).replace("\t", " ").replace("\r", " ")
        self.lines.append(f"T{self.t}\t{label} {spec}\t{shown}")
        return f"T{self.t}"

    def event(self, label: str, trigger: str, args: list[tuple[str, str]]) -> None:
        self.e += 1
        rest = "".join(f" {role}:{tid}" for role, tid in args)
        self.lines.append(f"E{self.e}\t{label}:{trigger}{rest}")


def report_ann(report: Report) -> str:
    """The ``.ann`` text of ``report``: one event per attribution (with its Source, Cue and Content
    annotations), then its times, quantities and places (those in the body text, not in photo captions)."""
    text = report.article.text
    ann = _Ann(text)
    for att in report.attributions:
        args: list[tuple[str, str]] = []
        source = (
            ann.textbound("Source", fragments(text, [(att.source_span.start, att.source_span.end)]))
            if (att.source_span is not None)
            else None
        )
        cue_frags = fragments(text, [(att.cue.start, att.cue.end)]) if att.cue is not None else []
        cue = ann.textbound("Cue", cue_frags)
        content_frags = fragments(text, _content_spans(att.content_parts, att.content))
        content = ann.textbound("Content", content_frags)
        if content is None:
            continue  # nothing to annotate (an empty content)
        label = "Attribution" if att.source is not None else "Attribution-no-source"
        trigger = ann.textbound(label, cue_frags or content_frags[:1])
        if source is not None:
            args.append(("Source", source))
        if cue is not None:
            args.append(("Cue", cue))
        args.append(("Content", content))
        ann.event(label, trigger or "", args)
    for label, items in (("Time", report.times), ("Quantity", report.quantities), ("Place", report.places)):
        for item in items:
            if getattr(item, "caption", None) is not None:
                continue  # offsets point into a photo caption, not the text
            ann.textbound(label, fragments(text, [(item.start, item.end)]))
    return "".join(line + "\n" for line in ann.lines)


def brat_files(store, ids: list[int]) -> dict[str, str]:
    """``article-ID.txt`` and ``article-ID.ann`` for each article of ``ids`` in ``store``, and
    ``annotation.conf``: file name -> text."""
    files = {"annotation.conf": ANNOTATION_CONF}
    for article_id in ids:
        report = store.report(article_id)
        files[f"article-{article_id}.txt"] = report.article.text
        files[f"article-{article_id}.ann"] = report_ann(report)
    return files
