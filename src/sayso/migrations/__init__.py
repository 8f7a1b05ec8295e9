"""The store's schema migrations, applied in order by :class:`sayso.store.Store`.

Each migration is a module ``mNNNN_name.py`` in this package defining ``SQL`` (one or more statements);
its number is its version. Migrations are only ever added, never edited once released: a change to the
schema is a new module with the next number.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass

_NAME_RE = re.compile(r"^m(\d{4})_(\w+)$")


@dataclass(frozen=True)
class Migration:
    """One schema step: ``version`` (1, 2, ...), ``name`` and the ``sql`` that applies it;
    ``foreign_keys_off``: the step rebuilds a table, so the store runs it with foreign-key enforcement off
    (else dropping the old table would cascade) and checks every foreign key afterwards."""

    version: int
    name: str
    sql: str
    foreign_keys_off: bool = False


def all_migrations() -> list[Migration]:
    """Every migration in this package, in version order (numbers must run 1, 2, 3, ... without gaps)."""
    found: list[Migration] = []
    for info in pkgutil.iter_modules(__path__):
        m = _NAME_RE.match(info.name)
        if not m:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append(
            Migration(int(m.group(1)), m.group(2), module.SQL, bool(getattr(module, "FOREIGN_KEYS_OFF", False)))
        )
    found.sort(key=lambda mig: mig.version)
    if [mig.version for mig in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration numbers must run 1..n without gaps: {[m.version for m in found]}")
    return found
