"""Fetching URLs: refusals of private addresses, redirects, size cap and errors, without any external network
(``httpx.MockTransport`` with a stub resolver, and a local ``http.server`` on 127.0.0.1)."""

from __future__ import annotations

import http.server
import socket
import threading
from pathlib import Path

import httpx
import pytest

from sayso import __version__
from sayso.errors import BadInput, NetworkError
from sayso.fetch import address_problem, check_url, fetch
from sayso.loading import load

FIXTURES = Path(__file__).parent / "fixtures" / "input"
PUBLIC_IP = "93.184.215.14"
PAGE = (FIXTURES / "article.html").read_bytes()


def public_resolver(host: str, port: int) -> list[str]:
    return {"loopy.example": ["127.0.0.1"], "mixed.example": [PUBLIC_IP, "10.0.0.7"]}.get(host, [PUBLIC_IP])


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.5", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
        ("100.64.0.1", "non-public"),
    ],
)
def test_address_problems(address, why):
    assert address_problem(address) == f"{why} address"


def test_public_addresses_pass():
    assert address_problem(PUBLIC_IP) is None
    assert address_problem("2606:2800:220:1:248:1893:25c8:1946") is None


def test_refusal_messages():
    with pytest.raises(NetworkError) as info:
        check_url("http://127.0.0.1/")
    assert str(info.value) == "refusing to fetch http://127.0.0.1/: loopback address (use --allow-private to allow)"
    with pytest.raises(NetworkError, match="private address"):
        check_url("http://[fd12::5]:8080/feed")
    with pytest.raises(NetworkError, match="loopback address"):
        check_url("http://localhost/")  # resolved with the real resolver (/etc/hosts)
    with pytest.raises(NetworkError, match="private address"):
        check_url("https://mixed.example/", resolver=public_resolver)  # any bad address refuses the host
    with pytest.raises(NetworkError, match="only http and https"):
        check_url("ftp://files.example/a.txt")
    with pytest.raises(NetworkError, match="only http and https"):
        load("file:///etc/passwd")
    check_url("http://127.0.0.1/", allow_private=True)


def test_load_refuses_loopback_url():
    with pytest.raises(NetworkError, match="loopback address"):
        load("http://127.0.0.1:9/story")


def mock(handler) -> httpx.MockTransport:
    return httpx.MockTransport(handler)


def test_fetch_with_mock_transport():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"content-type": "text/html; charset=utf-8"}, content=PAGE)

    got = fetch("https://ledger.example/story", transport=mock(handler), resolver=public_resolver)
    assert got.content == PAGE and got.content_type == "text/html" and got.charset == "utf-8"
    assert got.url == "https://ledger.example/story"
    assert seen[0].headers["user-agent"] == f"sayso/{__version__}"


def test_redirects_are_followed_and_checked():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"location": "/new"})
        if request.url.path == "/new":
            return httpx.Response(200, text="hello")
        if request.url.path == "/sneaky":
            return httpx.Response(302, headers={"location": "http://169.254.169.254/latest/meta-data/"})
        if request.url.path == "/to-loopy":
            return httpx.Response(302, headers={"location": "http://loopy.example/admin"})
        return httpx.Response(302, headers={"location": request.url.path + "x"})  # endless

    transport = mock(handler)
    got = fetch("https://ledger.example/old", transport=transport, resolver=public_resolver)
    assert got.url == "https://ledger.example/new" and got.content == b"hello"
    with pytest.raises(NetworkError, match="refusing to fetch http://169.254.169.254/.*link-local"):
        fetch("https://ledger.example/sneaky", transport=transport, resolver=public_resolver)
    with pytest.raises(NetworkError, match="loopback address"):
        fetch("https://ledger.example/to-loopy", transport=transport, resolver=public_resolver)
    with pytest.raises(NetworkError, match="too many redirects"):
        fetch("https://ledger.example/loop", transport=transport, resolver=public_resolver)


def test_http_errors_and_size_cap():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/gone":
            return httpx.Response(404)
        if request.url.path == "/big-declared":
            return httpx.Response(200, headers={"content-length": "999999"}, content=b"x" * 10)
        chunks = (b"y" * 1000 for _ in range(100))  # streamed, no length
        return httpx.Response(200, content=chunks)

    transport = mock(handler)
    with pytest.raises(NetworkError) as info:
        fetch("https://ledger.example/gone", transport=transport, resolver=public_resolver)
    assert str(info.value) == "cannot fetch https://ledger.example/gone: HTTP 404 Not Found"
    with pytest.raises(BadInput, match="too large"):
        fetch(
            "https://ledger.example/big-declared",
            transport=transport,
            resolver=public_resolver,
            max_bytes=5000,
        )
    with pytest.raises(BadInput, match="more than 5,000 bytes"):
        fetch("https://ledger.example/stream", transport=transport, resolver=public_resolver, max_bytes=5000)


def test_dns_failure():
    def no_dns(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(NetworkError, match="host nowhere.example not found"):
        fetch("https://nowhere.example/", resolver=no_dns)


def test_transport_errors():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/slow":
            raise httpx.ReadTimeout("timed out", request=request)
        raise httpx.ConnectError("connection refused", request=request)

    transport = mock(handler)
    with pytest.raises(NetworkError, match="timed out after 10 s"):
        fetch("https://ledger.example/slow", transport=transport, resolver=public_resolver)
    with pytest.raises(NetworkError, match="connection refused"):
        fetch("https://ledger.example/down", transport=transport, resolver=public_resolver)


# --- a real server on 127.0.0.1 ---------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path == "/story":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/story")
            self.end_headers()
        else:
            self.send_error(500)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_local_server(server):
    got = fetch(f"{server}/moved", allow_private=True)
    assert got.url == f"{server}/story" and got.content == PAGE
    with pytest.raises(NetworkError, match="HTTP 500"):
        fetch(f"{server}/broken", allow_private=True)
    with pytest.raises(NetworkError, match="loopback address"):
        fetch(f"{server}/story")


def test_load_url_from_local_server(server):
    article = load(f"{server}/story", allow_private=True)
    assert article.outlet == "The Pellham Ledger"
    assert article.input == f"{server}/story"
    assert article.text.startswith("The Pellham valley council")


def test_connection_refused():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(NetworkError, match=f"cannot fetch http://127.0.0.1:{port}/"):
        fetch(f"http://127.0.0.1:{port}/", allow_private=True)


def test_connected_address_is_checked_too(server):
    # The resolver says 'public' but the connection lands on 127.0.0.1 (as with DNS rebinding).
    port = server.rsplit(":", 1)[1]
    with pytest.raises(NetworkError, match="loopback address"):
        fetch(f"http://localhost:{port}/story", resolver=lambda host, port: [PUBLIC_IP])
