"""The ``sayso serve`` application: HTML pages and a JSON API over a sayso store (FastAPI, run by uvicorn).

>>> from sayso.web.app import create_app
>>> app = create_app("news.db", token="s3cret")  # doctest: +SKIP

Pages are rendered on the server from Jinja2 templates (every string escaped) and work without JavaScript; one
small script (``static/app.js``) highlights a claim's pieces on hover. Nothing is loaded from another site, and
every response carries a Content-Security-Policy that allows only the app's own stylesheet, script and images
(no inline script or style). Reading needs nothing; every write (``POST /api/articles``, the form on the home
page) needs the token given to :func:`create_app`; without one the app is read-only. Request bodies are
limited to ``max_body`` bytes, and a URL to read is fetched under the same private-address rules as the
command line. Every response has an ETag (a hash of its body, answered with 304 when it matches
``If-None-Match``) and ``Cache-Control: no-cache``; errors are JSON ``{"status", "message"}`` under ``/api/``
and an HTML page elsewhere.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from ..errors import BadInput, InputNotFound, MissingResource, NetworkError, SaysoError, StoreError

HERE = Path(__file__).parent
#: Largest request body accepted, in bytes (an article's text pasted in the form or the API).
MAX_BODY = 5_000_000
#: Every response's Content-Security-Policy: the app's own files only, no inline script or style.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
#: Stories whose ledgers are kept computed (a ledger takes a while: claims are compared by MiniLM).
LEDGER_CACHE = 32
#: HTTP status of each kind of sayso error raised while answering.
ERROR_STATUS = {InputNotFound: 404, BadInput: 400, NetworkError: 502, StoreError: 503, MissingResource: 503}


class AppState:
    """What the app's routes share: the database path, the write token, one store connection per thread,
    the write lock, the analysis pipeline (loaded on the first write) and a cache of computed ledgers."""

    def __init__(self, db: str | Path, token: str | None, *, allow_private: bool, fast: bool, max_body: int) -> None:
        from ..store import Store
        from ..stories import StoryLinker

        self.db = Path(db)
        self.token = token or None
        self.allow_private = allow_private
        self.fast = fast
        self.max_body = max_body
        self.write_lock = threading.Lock()
        self._local = threading.local()
        self._ledgers: OrderedDict[tuple, Any] = OrderedDict()
        self._ledger_lock = threading.Lock()
        with Store(self.db) as store:  # created and migrated once, before serving; stories linked
            StoryLinker(store).link_pending()
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def store(self):
        """This thread's connection to the store (SQLite connections stay in the thread that opened them)."""
        from ..store import Store

        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.db)
        return store

    def stamp(self) -> tuple:
        """Changes whenever the database is written: sizes and times of the file and its write-ahead log."""
        out: list[int] = []
        for path in (self.db, self.db.with_name(self.db.name + "-wal")):
            try:
                st = path.stat()
                out += [st.st_mtime_ns, st.st_size]
            except OSError:
                out += [0, 0]
        return tuple(out)

    def ledger(self, story_id: int) -> list:
        """The claim ledger of ``story_id`` (:func:`sayso.ledgers.story_ledger`), computed once per state of
        the database."""
        from ..ledgers import story_ledger

        key = (story_id, self.stamp())
        with self._ledger_lock:
            if key in self._ledgers:
                self._ledgers.move_to_end(key)
                return self._ledgers[key]
        ledger = story_ledger(self.store(), story_id)
        with self._ledger_lock:
            self._ledgers[key] = ledger
            while len(self._ledgers) > LEDGER_CACHE:
                self._ledgers.popitem(last=False)
        return ledger

    def check_token(self, given: str | None) -> None:
        """Refuse a write: 403 when the app has no token (read-only) or ``given`` is wrong, 401 when none is
        given."""
        if self.token is None:
            raise HTTPException(403, "this server is read-only: start `sayso serve` with --token to allow writes")
        if not given:
            raise HTTPException(401, "writing needs the token: send the header 'Authorization: Bearer TOKEN'")
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            raise HTTPException(403, "wrong token")

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        """The HTML page ``template`` rendered with ``context``, sent with an ETag."""
        page = self.templates.get_template(template).render(request=request, writable=self.token is not None, **context)
        return send(request, page.encode("utf-8"), "text/html; charset=utf-8", status=status)


def state_of(request: Request) -> AppState:
    """The :class:`AppState` of the app answering ``request``."""
    return request.app.state.sayso


def etag_of(body: bytes) -> str:
    """A strong ETag for ``body``: a quoted prefix of its SHA-256."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def send(
    request: Request, body: bytes, media_type: str, *, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """``body`` as a response with an ETag and ``Cache-Control: no-cache``; 304 without a body when the
    request's ``If-None-Match`` holds that ETag (GET and HEAD, status 200 only)."""
    etag = etag_of(body)
    head = {"ETag": etag, "Cache-Control": "no-cache", **(headers or {})}
    wanted = request.headers.get("if-none-match")
    if wanted and status == 200 and request.method in ("GET", "HEAD"):
        tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
        if etag in tags or "*" in tags:
            return Response(status_code=304, headers=head)
    return Response(body, status_code=status, media_type=media_type, headers=head)


def send_json(request: Request, data: Any, *, status: int = 200, indent: int | None = None) -> Response:
    """``data`` (JSON-ready values, or a pydantic model) as a JSON response (see :func:`send`)."""
    if hasattr(data, "model_dump_json"):
        body = data.model_dump_json(indent=indent)
    else:
        body = json.dumps(data, ensure_ascii=False, indent=indent)
    return send(request, body.encode("utf-8"), "application/json", status=status)


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


def _error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    # the security headers here too: a 500 is sent from outside the middleware that adds them
    headers = {**{k.decode(): v.decode() for k, v in SECURITY_HEADERS}, **(headers or {})}
    if _wants_json(request):
        body = json.dumps({"status": status, "message": message}, ensure_ascii=False).encode("utf-8")
        return Response(body, status_code=status, media_type="application/json", headers=headers)
    page = (
        state_of(request)
        .templates.get_template("error.html")
        .render(request=request, status=status, message=message, writable=False)
    )
    return Response(page.encode("utf-8"), status_code=status, media_type="text/html; charset=utf-8", headers=headers)


def _validation_message(err: RequestValidationError) -> str:
    parts = []
    for e in err.errors()[:3]:
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path"))
        parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every HTTP response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send_) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send_)
            return

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names
                ]
            await send_(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """ASGI middleware refusing request bodies over ``max_bytes`` with 413: at once when Content-Length says
    so, else as soon as more has arrived (a chunked body is never read past the limit)."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send_) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send_)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        too_large = f"the request body is larger than {self.max_bytes:,} bytes"
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            status = 413 if length.isdigit() else 400
            message = too_large if status == 413 else "bad Content-Length header"
            body = json.dumps({"status": status, "message": message}).encode()
            await send_(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
                }
            )
            await send_({"type": "http.response.body", "body": body})
            return
        received = 0

        async def limited():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, too_large)
            return message

        await self.app(scope, limited, send_)


def create_app(
    db: str | Path,
    token: str | None = None,
    *,
    allow_private: bool = False,
    fast: bool = False,
    max_body: int = MAX_BODY,
) -> FastAPI:
    """The web app over the store at ``db`` (created when missing; stories linked first).

    ``token``: the bearer token writes need (None: read-only); ``allow_private``: let URLs to read point at
    private or loopback addresses; ``fast``: read new articles with the rules-only pipeline; ``max_body``: the
    largest request body in bytes. Raises StoreError when ``db`` is not a sayso store."""
    from .. import __version__

    app = FastAPI(
        title="sayso",
        version=__version__,
        description="Who claims what, on whose say-so: the articles, sources, stories and claim ledgers of a "
        "sayso store. Reading needs nothing; POST needs 'Authorization: Bearer TOKEN'. Errors are JSON "
        '{"status", "message"}.',
        docs_url=None,  # the interactive docs load scripts from a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.sayso = AppState(db, token, allow_private=allow_private, fast=fast, max_body=max_body)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, err: HTTPException) -> Response:
        message = err.detail if isinstance(err.detail, str) else "request failed"
        if err.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}"
        elif err.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        headers = dict(err.headers or {})
        if err.status_code == 401:
            headers.setdefault("WWW-Authenticate", "Bearer")
        return _error(request, err.status_code, message, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, err: RequestValidationError) -> Response:
        return _error(request, 422, _validation_message(err))

    @app.exception_handler(SaysoError)
    async def _sayso_error(request: Request, err: SaysoError) -> Response:
        status = next((s for kind, s in ERROR_STATUS.items() if isinstance(err, kind)), 500)
        from ..render import safe_text

        return _error(request, status, safe_text(err.message, newlines=False))

    @app.exception_handler(Exception)
    async def _internal(request: Request, err: Exception) -> Response:
        if os.environ.get("SAYSO_DEBUG"):
            raise err
        return _error(request, 500, f"internal error: {type(err).__name__} (please report it)")

    from fastapi.staticfiles import StaticFiles

    from . import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(SecurityHeaders)
    return app
