"""Write N generated news-like articles as a news-please style JSON Lines dump, for measuring ``sayso
ingest`` at scale (``sayso bench --ingest`` times it in one process; this file lets the real command line,
streaming reader included, be timed with ``/usr/bin/time``).

Usage::

    python scripts/make_news_jsonl.py 10000 /tmp/news-10k.jsonl --bytes 800
    /usr/bin/time -v sayso ingest /tmp/news-10k.jsonl --db /tmp/news.db --workers 2 --fast

Each line has ``url``, ``title``, ``date_publish``, ``maintext`` (:func:`sayso.bench.generate_news` of about
``--bytes`` bytes, seed = line number), ``authors`` and ``source_domain``; written as a stream.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from sayso.bench import generate_news


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="articles to write")
    parser.add_argument("out", type=Path, help="the .jsonl file to write")
    parser.add_argument("--bytes", type=int, default=3000, help="about this many bytes of text per article")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first article")
    args = parser.parse_args()
    start = dt.date(2024, 1, 1)
    with open(args.out, "w", encoding="utf-8") as fh:
        for i in range(args.n):
            text = generate_news(args.bytes, args.seed + i)
            day = start + dt.timedelta(days=i // 300)
            record = {
                "url": f"https://news.example-{i % 40}.org/{day.isoformat()}/story-{args.seed + i}",
                "title": " ".join(text.split()[:8]),
                "date_publish": f"{day.isoformat()} 08:00:00",
                "maintext": text,
                "authors": [],
                "source_domain": f"example-{i % 40}.org",
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
