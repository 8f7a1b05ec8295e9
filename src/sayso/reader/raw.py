"""The attribution before sources are merged: the one type the attribution finder, the neural linking and the
chain builder share (kept apart so that none of them imports another just for it)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawAttribution:
    """An attribution before sources are merged: spans are character offsets into ``doc.text``.

    ``source_tokens`` is the (start, end) token range of the source mention, ``inherit_from`` another raw
    attribution whose source this one shares ("..., claiming that", "and suggested"), ``nested_in`` the
    attribution this one is reported inside ("X reported, citing sources ...")."""

    content: tuple[int, int]
    cue: tuple[int, int] | None
    kind: str
    source_tokens: tuple[int, int] | None = None
    recipient_tokens: tuple[int, int] | None = None
    relay_tokens: tuple[int, int] | None = None
    inherit_from: RawAttribution | None = None
    nested_in: RawAttribution | None = None
    cue_token: int | None = None
    hedges: list[str] = field(default_factory=list)
    continuation: bool = False
    parts: list[tuple[int, int]] = field(default_factory=list)
