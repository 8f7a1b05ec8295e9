"""Fetching an article over HTTP(S), safely: timeouts, a size cap, few redirects, public addresses only.

Before each request (the first and every redirect target) the host is resolved and every address it
resolves to is checked: private, loopback, link-local, multicast, reserved and unspecified addresses (IPv4
and IPv6, including IPv4-mapped IPv6) are refused unless ``allow_private`` is set. After connecting, the
address actually connected to is checked again where the transport reports it, which closes most of the
window for DNS rebinding between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

import httpx

from . import __version__
from .errors import BadInput, NetworkError

#: Seconds to wait for a connection and between two reads.
TIMEOUT_S = 10.0
#: Redirects followed before giving up.
MAX_REDIRECTS = 5
USER_AGENT = f"sayso/{__version__}"

#: ``resolver(host, port)`` returns the IP addresses ``host`` resolves to (raises OSError when it cannot).
Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class Fetched:
    """A fetched page: ``url`` is the final URL after redirects, ``content`` the raw bytes,
    ``content_type`` the media type (``'text/html'``) and ``charset`` the declared charset, if any."""

    url: str
    content: bytes
    content_type: str | None
    charset: str | None


def resolve(host: str, port: int) -> list[str]:
    """The IP addresses ``host`` resolves to (an IP literal resolves to itself); raises OSError."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]).split("%")[0] for info in infos})


def address_problem(address: str) -> str | None:
    """Why ``address`` may not be fetched from ('loopback address', ...), or None for a public address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (
        (ip.is_unspecified, "unspecified address"),
        (ip.is_loopback, "loopback address"),
        (ip.is_link_local, "link-local address"),
        (ip.is_multicast, "multicast address"),
        (ip.is_reserved, "reserved address"),
        (ip.is_private, "private address"),
        (not ip.is_global, "non-public address"),
    )
    return next((why for bad, why in checks if bad), None)


def check_url(url: str, *, allow_private: bool = False, resolver: Resolver = resolve) -> None:
    """Raise :class:`NetworkError` unless ``url`` is an http(s) URL whose host resolves only to public
    addresses (any address is fine with ``allow_private``)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise NetworkError(f"refusing to fetch {url}: invalid URL ({err})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise NetworkError(f"refusing to fetch {url}: only http and https URLs are supported")
    host = parts.hostname
    if not host:
        raise NetworkError(f"refusing to fetch {url}: the URL has no host")
    if allow_private:
        return
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        addresses = [str(ipaddress.ip_address(host))]  # an IP literal is checked as it is
    except ValueError:
        addresses = []
    try:
        addresses = addresses or resolver(host, port)
    except (OSError, UnicodeError) as err:
        raise NetworkError(f"cannot fetch {url}: host {host} not found ({_reason(err)})") from None
    if not addresses:
        raise NetworkError(f"cannot fetch {url}: host {host} has no address")
    for address in addresses:
        if why := address_problem(address):
            raise NetworkError(f"refusing to fetch {url}: {why} (use --allow-private to allow)")


def _reason(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return " ".join(text.split())


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    msg = Message()
    msg["content-type"] = header
    charset = msg.get_param("charset")
    return msg.get_content_type(), str(charset) if isinstance(charset, str) else None


def _check_peer(response: httpx.Response, url: str, allow_private: bool) -> None:
    """Check the address actually connected to, where the transport reports it."""
    if allow_private:
        return
    stream = response.extensions.get("network_stream")
    get_extra = getattr(stream, "get_extra_info", None)
    if get_extra is None:
        return
    try:
        peer = get_extra("server_addr")
    except Exception:  # transports differ; the pre-connect check still ran
        return
    if isinstance(peer, tuple) and peer and (why := address_problem(str(peer[0]))):
        raise NetworkError(f"refusing to fetch {url}: {why} (use --allow-private to allow)")


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    max_bytes: int = 10_000_000,
    timeout: float = TIMEOUT_S,
    transport: httpx.BaseTransport | None = None,
    resolver: Resolver = resolve,
) -> Fetched:
    """Download ``url`` and return it as :class:`Fetched`.

    ``allow_private`` permits private and loopback hosts; ``max_bytes`` caps the body (streamed, stopped
    as soon as it is exceeded); ``timeout`` is the connect and read timeout in seconds; ``transport`` and
    ``resolver`` replace the network in tests. Raises :class:`NetworkError` (refused, unreachable, HTTP
    error, too many redirects) or :class:`BadInput` (body larger than ``max_bytes``)."""
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
    }
    client = httpx.Client(
        timeout=httpx.Timeout(timeout),
        headers=headers,
        follow_redirects=False,
        transport=transport,
    )
    current = url
    with client:
        for _ in range(MAX_REDIRECTS + 1):
            check_url(current, allow_private=allow_private, resolver=resolver)
            try:
                with client.stream("GET", current) as response:
                    _check_peer(response, current, allow_private)
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        if not location:
                            raise NetworkError(f"cannot fetch {current}: redirect without a Location")
                        current = str(response.url.join(location))
                        continue
                    if response.status_code >= 400:
                        phrase = response.reason_phrase or ""
                        raise NetworkError(f"cannot fetch {current}: HTTP {response.status_code} {phrase}".rstrip())
                    content = _read_capped(response, current, max_bytes)
                    media, charset = _content_type(response.headers.get("content-type"))
                    return Fetched(url=str(response.url), content=content, content_type=media, charset=charset)
            except httpx.TimeoutException:
                raise NetworkError(f"cannot fetch {current}: timed out after {timeout:g} s") from None
            except httpx.HTTPError as err:
                raise NetworkError(f"cannot fetch {current}: {_reason(err)}") from None
    raise NetworkError(f"cannot fetch {url}: too many redirects (more than {MAX_REDIRECTS})")


def _read_capped(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    """The response body, refusing it as soon as it grows past ``max_bytes``."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise BadInput(f"{url} is too large ({int(declared):,} bytes; the limit is {max_bytes:,})")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise BadInput(f"{url} is too large (more than {max_bytes:,} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)
