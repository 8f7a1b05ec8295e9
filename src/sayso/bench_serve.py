"""``sayso bench --serve``: how fast ``sayso serve`` answers, with a store of generated articles.

The articles of ``sayso bench --linking`` (:func:`sayso.bench.generate_articles`) are stored and linked into a
fresh database (not timed); the web app is started by uvicorn in a child process on a free loopback port, and a
bounded loop of sequential requests (one keep-alive connection, after a warm-up) fetches random articles' page
(``/articles/{id}``) and report (``/api/articles/{id}``). Per route: requests per second and the p50, p95 and
largest latency, measured by the client (so they include the loopback round trip).
"""

from __future__ import annotations

import random
import socket
import tempfile
import time
from pathlib import Path
from typing import Any

from .errors import BadInput

#: The routes timed: a name and the path with ``{id}`` for an article id.
ROUTES = (("article page", "/articles/{id}"), ("article API", "/api/articles/{id}"))
#: Requests per route before timing starts.
WARM_UP = 20
#: Seconds to wait for the server to answer its first request.
START_TIMEOUT_S = 60.0


def build_store(path: str | Path, n: int, seed: int = 0, batch: int = 200) -> list[int]:
    """Store ``n`` distinct generated articles (:func:`sayso.bench.generate_articles` with ``seed``; a generated
    article that repeats an earlier one is skipped) at ``path`` and link them into stories, at most ``batch``
    per transaction. Returns the stored article ids."""
    from .bench import generate_articles
    from .store import Store, content_hash
    from .stories import StoryLinker

    ids: list[int] = []
    seen: set[str] = set()
    with Store(path) as store:
        linker = StoryLinker(store)
        pending: list[Any] = []

        def flush() -> None:
            results = store.save_reports([item.report for item in pending])
            linker.link_many([(r.article_id, item.report) for r, item in zip(results, pending, strict=True)])
            ids.extend(r.article_id for r in results)
            pending.clear()

        for item in generate_articles(2 * n + 10, seed):
            key = content_hash(item.report.article)
            if key in seen:
                continue
            seen.add(key)
            pending.append(item)
            if len(pending) >= batch or len(seen) >= n:
                flush()
            if len(seen) >= n:
                break
    return ids


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: str, port: int) -> None:
    """The child process: serve ``db`` on 127.0.0.1:``port`` until terminated."""
    import uvicorn

    from .web.app import create_app

    uvicorn.run(create_app(db), host="127.0.0.1", port=port, log_level="error", access_log=False)


def _percentile(values: list[float], q: float) -> float:
    """The ``q``-quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 1))))
    return ordered[rank - 1]


def run_serve_bench(n: int = 1000, requests: int = 500, seed: int = 0) -> dict[str, Any]:
    """Time ``requests`` requests per route of :data:`ROUTES` against ``sayso serve`` over ``n`` generated
    articles (see the module's docstring).

    Returns ``articles``, ``requests`` and ``routes``: per route name its ``path``, ``requests_per_s``,
    ``p50_ms``, ``p95_ms``, ``max_ms`` and ``errors`` (answers other than 200). Raises BadInput for ``n`` or
    ``requests`` below 1 and RuntimeError when the server does not start."""
    import multiprocessing

    import httpx

    if n < 1 or requests < 1:
        raise BadInput("--serve needs at least 1 article and 1 request")
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="sayso-serve-") as tmp:
        db = str(Path(tmp) / "serve.db")
        ids = build_store(db, n, seed)
        port = _free_port()
        proc = multiprocessing.get_context("spawn").Process(target=_serve, args=(db, port), daemon=True)
        proc.start()
        try:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=30.0) as client:
                deadline = time.monotonic() + START_TIMEOUT_S
                while True:
                    try:
                        if client.get("/api/articles?limit=1").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if time.monotonic() > deadline or not proc.is_alive():
                        raise RuntimeError("the server did not start")
                    time.sleep(0.1)
                routes: dict[str, Any] = {}
                for name, path in ROUTES:
                    for _ in range(WARM_UP):
                        client.get(path.format(id=rng.choice(ids)))
                    latencies, errors = [], 0
                    started = time.perf_counter()
                    for _ in range(requests):
                        url = path.format(id=rng.choice(ids))
                        t0 = time.perf_counter()
                        response = client.get(url)
                        latencies.append(time.perf_counter() - t0)
                        errors += response.status_code != 200
                    elapsed = time.perf_counter() - started
                    routes[name] = {
                        "path": path,
                        "requests_per_s": round(requests / elapsed, 1),
                        "p50_ms": round(1000 * _percentile(latencies, 0.50), 2),
                        "p95_ms": round(1000 * _percentile(latencies, 0.95), 2),
                        "max_ms": round(1000 * max(latencies), 2),
                        "errors": errors,
                    }
        finally:
            proc.terminate()
            proc.join(10)
    return {"articles": len(ids), "requests": requests, "routes": routes}
