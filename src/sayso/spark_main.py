"""The file ``spark-submit`` runs for ``sayso spark`` on a cluster: the same options as ``sayso spark``.

``spark-submit [spark options] .../site-packages/sayso/spark_main.py --input URI --output URI [--fast]``
(see the README's "Archives with Spark"); the Spark session is the one ``spark-submit`` configured.
"""

from __future__ import annotations

import os
import sys

# Run as a file, this folder comes first on sys.path, where sayso's own modules (numbers.py, ...) would hide
# the standard library's: drop it (sayso is imported as the installed package).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]


def run(argv: list[str] | None = None) -> None:
    """Run ``sayso spark`` with ``argv`` (default: this process's arguments)."""
    from sayso.cli import main

    main(["spark", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    run()
