"""Invented news-please style JSONL records for the Spark and store tests (no real people or places)."""

from __future__ import annotations

import json
from pathlib import Path

_PEOPLE = [
    ("Ansel Morrow", "harbour master", "Quillby Port Authority"),
    ("Dorota Fenwick", "mayor", "Kessling Town Council"),
    ("Ivo Marchetti", "spokesman", "Marlow Bay Ferries"),
    ("Lena Okafor", "economist", "Tidewater Institute"),
    ("Rufus Calder", "union leader", "Dockworkers Union of Quillby"),
]
_TOWNS = ["Quillby", "Kessling", "Marlow Bay", "Tidewater", "Oxhollow"]
_TOPICS = [
    ("ferry service", "the ferry service will resume on Monday after three weeks of repairs"),
    ("bridge repairs", "the bridge repairs will cost 4.5 million pounds and take until March"),
    ("pear harvest", "growers picked 12,000 tonnes of pears this autumn, a record"),
    ("port strike", "the strike at the port will go ahead unless wages rise by 6 percent"),
    ("flood defences", "the new flood defences held back the river on Saturday night"),
]


def article_record(i: int) -> dict:
    """The ``i``-th invented article (0 <= i < 25) as a news-please record."""
    name, role, org = _PEOPLE[i % len(_PEOPLE)]
    other, other_role, other_org = _PEOPLE[(i + 2) % len(_PEOPLE)]
    town = _TOWNS[(i // 5) % len(_TOWNS)]
    topic, claim = _TOPICS[i % len(_TOPICS)]
    day = 3 + i % 20
    text = (
        f"{town} residents were told on Tuesday that {claim}.\n\n"
        f"“We have done everything we can to keep people informed,” said {name}, the {role} of the {org}. "
        f"“This is the {['first', 'second', 'third'][i % 3]} time in {2 + i % 7} years that we have had to act.”\n\n"
        f"{other}, {other_role} at the {other_org}, said the plan was {['sound', 'rushed', 'overdue'][i % 3]} "
        f"and warned that costs could rise by {10 + i} percent.\n\n"
        f"According to officials, about {100 + 7 * i} people attended the meeting in {town} on {day} March.\n"
    )
    site = f"{town.lower().replace(' ', '')}-gazette.example"
    return {
        "url": f"https://www.{site}/news/2024/03/{topic.replace(' ', '-')}-{i}",
        "title": f"{town}: {topic.title()} update {i}",
        "date_publish": f"2024-03-{day:02d} 09:30:00",
        "maintext": text,
        "authors": [f"Reporter {i % 4}"],
        "source_domain": site,
        "language": "en",
    }


def write_jsonl(path: Path, n: int = 20) -> list[dict]:
    """Write ``n`` invented records to ``path``, one JSON object a line; returns them."""
    records = [article_record(i) for i in range(n)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return records
