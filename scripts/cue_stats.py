"""How often each lemma is annotated as an attribution cue in PolNeAR's training split.

Prints ``lemma POS cue_count total rate`` for lemmas seen as a cue at least three times; the verb lists in
``src/sayso/cues.py`` were drawn from this table (rate >= 1/3) and completed by hand.

    python scripts/cue_stats.py --data ../shared/data/polnear/data > cue_stats.txt
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

from sayso.evaluation.brat import annotation_files, read_ann
from sayso.pipeline import load_base_model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data/polnear/data", help="PolNeAR data folder")
    parser.add_argument("--split", default="train")
    args = parser.parse_args()
    base = Path(args.data) / args.split
    nlp = load_base_model()
    stems, texts, cue_chars = [], [], []
    for stem, ann in sorted(annotation_files(base / "attributions").items()):
        text_path = base / "text" / f"{stem}.txt"
        if not text_path.exists():
            continue
        chars: set[int] = set()
        for gold in read_ann(ann):
            if gold.cue:
                for start, end in gold.cue:
                    chars.update(range(start, end))
        stems.append(stem)
        texts.append(text_path.read_text(encoding="utf-8"))
        cue_chars.append(chars)
    total: collections.Counter = collections.Counter()
    cue: collections.Counter = collections.Counter()
    for doc, chars in zip(nlp.pipe(texts, batch_size=20), cue_chars, strict=True):
        for tok in doc:
            if tok.is_punct or tok.is_space:
                continue
            key = (tok.lemma_.lower(), tok.pos_)
            total[key] += 1
            if tok.idx in chars:
                cue[key] += 1
    rows = sorted(((k, cue[k], total[k]) for k in total if cue[k] >= 3), key=lambda r: -r[1])
    for (lemma, pos), hits, n in rows:
        print(f"{lemma}\t{pos}\t{hits}\t{n}\t{hits / n:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
