"""People's names: the gender a given name or a title implies, for pronoun agreement ("she said" is never
resolved to a man). The lexicon (``data/names/given_names.tsv``, built by ``scripts/build_given_names.py``
from nomquamgender, MIT) lists only names borne by one gender at least nine times in ten; anything else is
unknown, and an unknown gender agrees with every pronoun."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Literal

Gender = Literal["f", "m"]

#: Titles and forms of address that state a gender.
TITLE_GENDER: dict[str, Gender] = {
    "mr": "m", "mister": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m", "father": "m", "brother": "m",
    "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "madame": "f", "dame": "f", "lady": "f", "queen": "f",
    "princess": "f", "sister": "f", "mother": "f",
}  # fmt: skip

#: Pronouns and the gender they need (None: any).
PRONOUN_GENDER: dict[str, Gender] = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@cache
def given_names() -> dict[str, Gender]:
    """The lexicon: lower-case given name → ``"f"`` or ``"m"``."""
    out: dict[str, Gender] = {}
    text = files("sayso").joinpath("data/names/given_names.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        name, gender = line.split("\t", 1)
        if gender in ("f", "m"):
            out[name] = gender  # type: ignore[assignment]
    return out


#: Surname particles ("James Van Der Beek", "Ursula von der Leyen") and name suffixes: never a given name.
PARTICLES = frozenset("van der den de da di du la le von bin al el del dos ter".split())
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def name_gender(name: str) -> Gender | None:
    """The gender a person's name implies: a gendered title ("Ms. Ruiz", "Sir Keir") or else the given name
    just before the surname ("Stephanie Grisham", "White House Press Secretary Stephanie Grisham" → f; middle
    initials and surname particles skipped); None when neither tells."""
    words = [w.lower().strip(".'’") for w in _WORD_RE.findall(name)]
    for w in words:
        if w in TITLE_GENDER:
            return TITLE_GENDER[w]
    while words and words[-1] in SUFFIXES:
        words.pop()
    if len(words) < 2:
        return None
    words.pop()  # the surname
    while words and words[-1] in PARTICLES:
        words.pop()
    lexicon = given_names()
    looked = 0
    for w in reversed(words):
        if len(w) == 1:
            continue  # a middle initial
        g = lexicon.get(w.replace("’", "'"))
        if g is not None:
            return g
        looked += 1
        if looked == 2:
            break
    return None


def agrees(pronoun: str, gender: Gender | None) -> bool:
    """Whether ``pronoun`` can refer to someone of ``gender`` (unknown agrees with everything)."""
    need = PRONOUN_GENDER.get(pronoun.lower())
    return need is None or gender is None or need == gender
