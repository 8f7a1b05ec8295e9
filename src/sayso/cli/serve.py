"""``sayso serve [--db FILE] [--host 127.0.0.1] [--port 8000] [--token TOKEN]``: the web app and JSON API over a
store (:mod:`sayso.web`), run by uvicorn until interrupted.

Exit status: 0 after Ctrl-C; 2 for a bad option (a port out of range, a port already in use); 6 when the database
cannot be opened or is not a sayso store.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from . import app


@app.command("serve")
def serve(
    db: Annotated[Path, typer.Option("--db", help="SQLite database to serve (created if needed).")] = Path("sayso.db"),
    host: Annotated[
        str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on (0.0.0.0: every interface).")
    ] = ("127.0.0.1"),
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            metavar="TOKEN",
            envvar="SAYSO_TOKEN",
            show_envvar=True,
            help="Token that writes need ('Authorization: Bearer TOKEN'); without one the server is read-only.",
        ),
    ] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Let URLs to read point at private or loopback addresses.")
    ] = False,
    fast: Annotated[
        bool, typer.Option("--fast", help="Read new articles with the rules only (quicker, less accurate).")
    ] = False,
    max_body: Annotated[
        int, typer.Option("--max-body", min=1024, metavar="BYTES", help="Largest request body accepted.")
    ] = 5_000_000,
) -> None:
    """Serve the articles, sources, stories and claim ledgers of a database as web pages and a JSON API.

    Pages: / (recent articles, biggest stories, search, a form to read a URL or pasted text), /articles/ID,
    /sources/ID, /stories/ID, /search. API: /api/articles, /api/articles/ID, /api/sources/ID, /api/stories,
    /api/stories/ID/claims, /api/search?q=, /api/export?format=, POST /api/articles; the schema at
    /openapi.json. Everything loads from the server itself (it works offline). Reading needs nothing; writing
    needs the token.

    Example: `sayso serve --db news.db --token "$(openssl rand -hex 16)"`
    """
    import socket

    import uvicorn

    from ..render import safe_text
    from ..web.app import create_app

    if token is not None and not token.strip():
        raise typer.BadParameter("the token is empty", param_hint="'--token'")
    try:  # a port in use: one line, before loading anything
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as err:
        raise typer.BadParameter(f"cannot listen on {host}:{port}: {err.strerror}", param_hint="'--port'") from None
    existed = db.exists()
    web = create_app(db, token, allow_private=allow_private, fast=fast, max_body=max_body)
    shown = f"[{host}]" if ":" in host else host
    mode = "writes need the token" if token else "read-only (no --token)"
    note = "" if existed else f"; created the new database {db}"
    typer.echo(
        safe_text(f"sayso: serving {db} at http://{shown}:{port}/ ({mode}{note}); Ctrl-C stops", newlines=False),
        err=True,
    )
    uvicorn.run(web, host=host, port=port, log_level=os.environ.get("SAYSO_LOG_LEVEL", "warning"), access_log=False)
