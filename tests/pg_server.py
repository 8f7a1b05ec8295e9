"""A throwaway PostgreSQL server for the tests (and the store benchmark): a cluster made with ``initdb`` in a
temporary folder, started with ``pg_ctl`` on a free port, listening only on a Unix socket in that folder,
stopped and removed at the end. As root (``initdb`` refuses root) the server runs as the ``postgres`` user
(else ``nobody``) through ``runuser``.

:func:`why_not` says why no server can be had here (None when one can): the tests skip with that reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _binary(name: str) -> str | None:
    """``name`` (initdb, pg_ctl) on the PATH, else in Debian's /usr/lib/postgresql/VERSION/bin (newest)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]), reverse=True
    )
    return candidates[0] if candidates else None


def _run_as() -> tuple[list[str], pwd.struct_passwd | None] | str:
    """The command prefix that runs the server as a user other than root, and that user; or why not."""
    if os.geteuid() != 0:
        return [], None
    runuser = shutil.which("runuser")
    if runuser is None:
        return "running as root and runuser is missing (initdb refuses to run as root)"
    for name in ("postgres", "nobody"):
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            continue
        return [runuser, "-u", name, "--"], user
    return "running as root with no 'postgres' or 'nobody' user to run the server as"


def why_not() -> str | None:
    """Why no throwaway PostgreSQL server can be started here, or None."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    if _binary("initdb") is None or _binary("pg_ctl") is None:
        return "no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql package"
    prefix = _run_as()
    return prefix if isinstance(prefix, str) else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary folder (see the module docstring): :meth:`start`, :meth:`url`,
    :meth:`create_database`, :meth:`stop`. ``fsync``: False (the default) makes the tests quicker; the
    benchmark keeps PostgreSQL's default (on)."""

    def __init__(self, fsync: bool = False) -> None:
        self.fsync = fsync
        self.folder: Path | None = None
        self.port = 0
        self.started = False

    def start(self) -> ThrowawayPostgres:
        """Make and start the cluster. Raises RuntimeError (with the server's own words) when it fails."""
        reason = why_not()
        if reason:
            raise RuntimeError(reason)
        prefix, user = _run_as()  # type: ignore[misc]
        self.folder = Path(tempfile.mkdtemp(prefix="sayso-pg-"))
        if user is not None:
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        data, log = self.folder / "data", self.folder / "server.log"
        self.port = _free_port()
        initdb = [*prefix, _binary("initdb"), "-D", str(data), "-U", "sayso", "-A", "trust", "-E", "UTF8"]
        self._run([*initdb, "--locale=C", "--no-sync"])
        options = f"-p {self.port} -k {self.folder} -c listen_addresses='' -c max_connections=40"
        if not self.fsync:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run([*prefix, _binary("pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"])
        self.started = True
        return self

    def _run(self, command: list) -> None:
        done = subprocess.run(
            [str(c) for c in command], capture_output=True, text=True, timeout=120, check=False, cwd=self.folder
        )
        if done.returncode != 0:
            log = self.folder / "server.log" if self.folder else None
            tail = log.read_text(errors="replace")[-800:] if log and log.exists() else ""
            name = next(Path(str(c)).name for c in command if Path(str(c)).name in ("initdb", "pg_ctl"))
            raise RuntimeError(f"{name} failed: {done.stderr[-800:]} {tail}")

    def url(self, database: str = "postgres") -> str:
        """A ``postgresql://`` URL of ``database`` on this server (over its Unix socket)."""
        return f"postgresql://sayso@/{database}?host={self.folder}&port={self.port}"

    def create_database(self, name: str) -> str:
        """Create the empty database ``name`` (letters, digits, '_'); returns its URL."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (immediately) and remove its folder."""
        if self.folder is None:
            return
        if self.started:
            prefix, _ = _run_as()  # type: ignore[misc]
            subprocess.run(
                [*prefix, _binary("pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                timeout=60,
                check=False,
            )
            self.started = False
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None
