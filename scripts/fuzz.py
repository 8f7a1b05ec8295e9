"""Fuzz sayso's readers: run the property tests (``tests/test_fuzz_*.py``) with many random examples, round
after round, until the time is up, then print how many examples ran and which properties failed.

``make fuzz MINUTES=60`` (or ``python scripts/fuzz.py --minutes 60 --examples 5000``). Each round gives every
property ``--examples`` new random examples (the full analysis a tenth as many; see
``tests/fuzz_helpers.py``). A failing example is kept in ``.hypothesis/`` and tried first on the next run;
a property that failed is reported once, with its shrunk example, and left out of the later rounds. Exit
status 1 when something failed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TEST_RE = re.compile(r"^(\S+\.py::\S+):\s*$")
_PHASE_RE = re.compile(r"^\s*- during (\w+) phase")
_COUNT_RE = re.compile(r"- (\d+) passing, (\d+) failing, and (\d+) invalid")
_FAILED_RE = re.compile(r"^FAILED (\S+\.py::\S+)")


def short_id(test: str) -> str:
    """``tests/test_fuzz_x.py::test_y`` (or any path to the file) as ``test_fuzz_x.py::test_y``."""
    path, _, name = test.partition("::")
    return f"{Path(path).name}::{name}"


def parse_statistics(output: str) -> Counter[str]:
    """Examples run per test in pytest's ``--hypothesis-show-statistics`` ``output`` (passing and failing
    examples of the reuse and generate phases; shrinking is not counted)."""
    counts: Counter[str] = Counter()
    test = phase = None
    for line in output.splitlines():
        if m := _TEST_RE.match(line):
            test, phase = short_id(m.group(1)), None
        elif m := _PHASE_RE.match(line):
            phase = m.group(1)
        elif (m := _COUNT_RE.search(line)) and test and phase in ("reuse", "generate"):
            counts[test] += int(m.group(1)) + int(m.group(2))
    return counts


def failure_report(output: str) -> str:
    """The FAILURES section of pytest's ``output`` (the shrunk examples and their tracebacks)."""
    start = output.find("= FAILURES =")
    if start < 0:
        return ""
    end = output.find("= Hypothesis Statistics =", start)
    start = output.rfind("\n", 0, start) + 1
    return output[start : output.rfind("\n", 0, end) if end >= 0 else None].strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to fuzz (default 10)")
    parser.add_argument("--examples", type=int, default=2000, help="examples per property per round")
    parser.add_argument("tests", nargs="*", help="test files (default: tests/test_fuzz_*.py)")
    args = parser.parse_args(argv)
    files = args.tests or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_fuzz_*.py"))
    env = {**os.environ, "SAYSO_FUZZ_EXAMPLES": str(args.examples)}
    started = time.monotonic()
    deadline = started + args.minutes * 60
    examples: Counter[str] = Counter()
    failed: dict[str, str] = {}
    failed_files: set[str] = set()
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        for file in files:
            if time.monotonic() >= deadline:
                break
            if file in failed_files:
                continue
            cmd = [sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider"]
            cmd += ["--hypothesis-show-statistics", file]
            run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
            output = run.stdout + run.stderr
            examples.update(parse_statistics(output))
            new = [short_id(m.group(1)) for line in output.splitlines() if (m := _FAILED_RE.match(line))]
            if run.returncode not in (0, 1) and not new:  # collection error, crash, interrupted
                new = [f"{Path(file).name}::(run, exit {run.returncode})"]
            if new:
                failed_files.add(file)
                for test in new:
                    failed.setdefault(test, failure_report(output) or output[-4000:])
                print(f"round {rounds}: {file}: FAILED {', '.join(new)}", flush=True)
                print(failure_report(output) or output[-4000:], flush=True)
        total = sum(examples.values())
        minutes = (time.monotonic() - started) / 60
        print(f"round {rounds} done: {total:,} examples in {minutes:.1f} min, {len(failed)} failing", flush=True)
    print("\nexamples run per property:")
    for test, n in sorted(examples.items()):
        print(f"  {n:>9,}  {test}{'  FAILED' if test in failed else ''}")
    print(f"total: {sum(examples.values()):,} examples in {rounds} rounds; {len(failed)} failing properties")
    for test in failed:
        print(f"  FAILED {test}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
