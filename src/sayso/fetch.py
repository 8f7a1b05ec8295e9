"""Fetching an article over HTTP(S), safely: timeouts, a size cap, few redirects, public addresses only.

Before each request (the first and every redirect target) the host is resolved and every address it
resolves to is checked: private, loopback, link-local, multicast, reserved and unspecified addresses (IPv4
and IPv6, including IPv4-mapped IPv6) are refused unless ``allow_private`` is set. Link-local addresses and
cloud metadata services (169.254.0.0/16, fe80::/10, fd00:ec2::254, 100.100.100.200,
metadata.google.internal…) are refused even with ``allow_private``. After connecting, the address actually
connected to is checked again where the transport reports it, which closes most of the window for DNS
rebinding between the check and the connection.

A whole fetch (every redirect and the whole body) has a deadline, :data:`DEFAULT_TIMEOUT_S` unless given
(``--timeout``), so a server that trickles one byte at a time cannot keep sayso waiting forever.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

import httpx

from . import __version__
from .errors import BadInput, NetworkError

#: Seconds to wait for a connection and between two reads.
TIMEOUT_S = 10.0
#: Seconds a whole fetch (redirects and body) may take, unless the caller sets another deadline.
DEFAULT_TIMEOUT_S = 30.0
#: Redirects followed before giving up.
MAX_REDIRECTS = 5
USER_AGENT = f"sayso/{__version__}"

#: ``resolver(host, port)`` returns the IP addresses ``host`` resolves to (raises OSError when it cannot).
Resolver = Callable[[str, int], list[str]]

#: Host names of cloud metadata services, refused even with ``allow_private``.
METADATA_HOSTS = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.tencentyun.com",
    }
)
#: Cloud metadata addresses outside the link-local ranges (AWS over IPv6, Alibaba Cloud).
METADATA_NETWORKS = (ipaddress.ip_network("fd00:ec2::254/128"), ipaddress.ip_network("100.100.100.200/32"))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


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


def never_fetched(address: str) -> str | None:
    """Why ``address`` is refused even with ``allow_private`` (a link-local or cloud metadata address, also
    inside IPv4-mapped, 6to4 or NAT64 IPv6 addresses), or None."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    forms: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        forms += [v4 for v4 in (ip.ipv4_mapped, ip.sixtofour) if v4 is not None]
        if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
            forms.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    for form in forms:
        if any(form in net for net in METADATA_NETWORKS):
            return "cloud metadata address (refused even with --allow-private)"
        if form.is_link_local:
            return "link-local address, where cloud metadata services live (refused even with --allow-private)"
    return None


def check_url(url: str, *, allow_private: bool = False, resolver: Resolver = resolve) -> None:
    """Raise :class:`NetworkError` unless ``url`` is an http(s) URL whose host resolves only to public
    addresses (any address but link-local and cloud metadata ones is fine with ``allow_private``)."""
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
    if host.rstrip(".").lower() in METADATA_HOSTS:
        raise NetworkError(
            f"refusing to fetch {url}: {host} is a cloud metadata service (refused even with --allow-private)"
        )
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
        if why := never_fetched(address):
            raise NetworkError(f"refusing to fetch {url}: {why}")
    if allow_private:
        return
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
    stream = response.extensions.get("network_stream")
    get_extra = getattr(stream, "get_extra_info", None)
    if get_extra is None:
        return
    try:
        peer = get_extra("server_addr")
    except Exception:  # transports differ; the pre-connect check still ran
        return
    if not (isinstance(peer, tuple) and peer):
        return
    if why := never_fetched(str(peer[0])):
        raise NetworkError(f"refusing to fetch {url}: {why}")
    if not allow_private and (why := address_problem(str(peer[0]))):
        raise NetworkError(f"refusing to fetch {url}: {why} (use --allow-private to allow)")


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    max_bytes: int = 10_000_000,
    timeout: float = TIMEOUT_S,
    deadline: float | None = DEFAULT_TIMEOUT_S,
    transport: httpx.BaseTransport | None = None,
    resolver: Resolver = resolve,
) -> Fetched:
    """Download ``url`` and return it as :class:`Fetched`.

    ``allow_private`` permits private and loopback hosts; ``max_bytes`` caps the body (streamed, stopped
    as soon as it is exceeded); ``timeout`` is the connect and read timeout in seconds; ``deadline`` the
    seconds the whole fetch may take, name resolution, redirects and body included (None: no deadline);
    ``transport`` and ``resolver`` replace the network in tests. Raises :class:`NetworkError` (refused,
    unreachable, HTTP error, too many redirects, past the deadline) or :class:`BadInput` (body larger than
    ``max_bytes``)."""
    if deadline is None:
        return _fetch(url, allow_private, max_bytes, timeout, None, threading.Event(), transport, resolver)
    # The fetch runs in a worker thread so that the deadline holds whatever the server (or DNS) does; past
    # it the worker is told to stop and left to end at its next read (it is a daemon: it never delays exit).
    cancelled = threading.Event()
    outcome: list[tuple[bool, object]] = []

    def work() -> None:
        try:
            fetched = _fetch(url, allow_private, max_bytes, timeout, deadline, cancelled, transport, resolver)
            outcome.append((True, fetched))
        except BaseException as err:  # handed to the caller's thread
            outcome.append((False, err))

    worker = threading.Thread(target=work, name="sayso-fetch", daemon=True)
    worker.start()
    worker.join(deadline)
    if not outcome:
        cancelled.set()
        raise _past_deadline(url, deadline)
    ok, value = outcome[0]
    if ok:
        return value  # type: ignore[return-value]
    raise value  # type: ignore[misc]


def _past_deadline(url: str, deadline: float) -> NetworkError:
    return NetworkError(
        f"cannot fetch {url}: no complete answer within {deadline:g} s (raise --timeout to wait longer)"
    )


def _fetch(
    url: str,
    allow_private: bool,
    max_bytes: int,
    timeout: float,
    deadline: float | None,
    cancelled: threading.Event,
    transport: httpx.BaseTransport | None,
    resolver: Resolver,
) -> Fetched:
    """:func:`fetch` itself, in the calling thread; ``cancelled`` tells it to stop at its next step."""
    ends = None if deadline is None else time.monotonic() + deadline
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

    def step_timeout() -> float:
        """The connect/read timeout for the next request: ``timeout``, or less when the deadline is near."""
        if cancelled.is_set():
            raise NetworkError(f"cannot fetch {url}: cancelled")
        if ends is None or deadline is None:
            return timeout
        left = ends - time.monotonic()
        if left <= 0:
            raise _past_deadline(url, deadline)
        return min(timeout, left)

    current = url
    with client:
        for _ in range(MAX_REDIRECTS + 1):
            check_url(current, allow_private=allow_private, resolver=resolver)
            wait = step_timeout()
            try:
                with client.stream("GET", current, timeout=httpx.Timeout(wait)) as response:
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
                    content = _read_capped(response, current, max_bytes, step_timeout)
                    media, charset = _content_type(response.headers.get("content-type"))
                    return Fetched(url=str(response.url), content=content, content_type=media, charset=charset)
            except httpx.TimeoutException:
                if deadline is not None and wait < timeout:  # cut short by the deadline
                    raise _past_deadline(current, deadline) from None
                raise NetworkError(
                    f"cannot fetch {current}: timed out after {timeout:g} s (the server did not answer; try later)"
                ) from None
            except httpx.HTTPError as err:
                raise NetworkError(f"cannot fetch {current}: {_reason(err)}") from None
    raise NetworkError(f"cannot fetch {url}: too many redirects (more than {MAX_REDIRECTS})")


def _read_capped(
    response: httpx.Response, url: str, max_bytes: int, still_in_time: Callable[[], float] | None = None
) -> bytes:
    """The response body, refusing it as soon as it grows past ``max_bytes``; ``still_in_time`` is called
    after every chunk and raises once the fetch's deadline has passed."""
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
        if still_in_time is not None:
            still_in_time()
    return b"".join(chunks)
