"""Write the JSON Schema of a sayso report to ``schema/report.schema.json``.

Run from anywhere after changing :mod:`sayso.schema`::

    .venv/bin/python scripts/write_schema.py            # writes the file
    .venv/bin/python scripts/write_schema.py --check    # exit status 1 when the file is out of date

``tests/test_schema.py`` fails when the checked-in file differs from what this script writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sayso.schema import json_schema

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "report.schema.json"


def schema_text() -> str:
    """The schema file's exact contents: :func:`sayso.schema.json_schema` as JSON with sorted keys,
    indent 2, non-ASCII kept, and a trailing newline."""
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the schema file, or with ``--check`` compare it. ``argv`` defaults to the command line.
    Returns the exit status: 0, or 1 when ``--check`` finds the file missing or different."""
    args = sys.argv[1:] if argv is None else argv
    text = schema_text()
    if "--check" in args:
        current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else None
        if current != text:
            print(f"{SCHEMA_PATH} is out of date: run scripts/write_schema.py", file=sys.stderr)
            return 1
        return 0
    SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
