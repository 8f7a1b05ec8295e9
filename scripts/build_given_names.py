"""Build sayso's given-name gender lexicon, ``src/sayso/data/names/given_names.tsv``, from a PyPI package.

Recipe (deterministic)::

    pip download nomquamgender==0.1.4 --no-deps -d /tmp/nqg        # build-time only, never imported
    python scripts/build_given_names.py --wheel /tmp/nqg/nomquamgender-0.1.4-py3-none-any.whl

Input: ``nomquamgender/name_data.json`` of nomquamgender 0.1.4 (MIT, Ian Van Buskirk et al. 2022): per
lower-case name, the number of sources, the count of people and p(gf), the share of people with that name
gendered female across its sources.

Output: one line per name ``name<TAB>f|m``: names written only with letters, apostrophes and hyphens, borne
by at least ``--min-count`` people, whose p(gf) is at least 0.9 (``f``) or at most 0.1 (``m``). Names in
between are left out: a pronoun is never resolved on a guess. Used by :mod:`sayso.names` for "he"/"she"
agreement; a person's gender is otherwise taken from the text ("Mr", "Ms", "her husband").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "sayso" / "data" / "names" / "given_names.tsv"
NAME_RE = re.compile(r"[a-z][a-z'-]+")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", required=True, help="nomquamgender 0.1.4 wheel")
    ap.add_argument("--min-count", type=int, default=200)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    with zipfile.ZipFile(args.wheel) as zf:
        data = json.loads(zf.read("nomquamgender/name_data.json"))
    rows: list[tuple[str, str]] = []
    for name, (_sources, count, pgf, *_rest) in sorted(data.items()):
        if not NAME_RE.fullmatch(name) or count < args.min_count:
            continue
        if pgf >= 0.9:
            rows.append((name, "f"))
        elif pgf <= 0.1:
            rows.append((name, "m"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        fh.write("# given name -> f|m, from nomquamgender 0.1.4 (MIT); see scripts/build_given_names.py\n")
        for name, gender in rows:
            fh.write(f"{name}\t{gender}\n")
    print(f"wrote {len(rows)} names to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
