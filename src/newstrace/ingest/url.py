"""http(s) URLs, fetched with the standard library and treated as hostile.

A URL from untrusted input must not reach services on private networks (SSRF): every host,
the first and each redirect target, is resolved and refused if any address is not public,
unless the caller allows private addresses. Proxies are not used, so the checked address is
the one connected to; FTP and file URLs have no handler at all.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import IO

from newstrace import __version__
from newstrace.ingest.decode import (
    BadInput,
    charset_of,
    decode_text,
    over_cap,
    read_stream_capped,
    sniff_format,
)
from newstrace.ingest.feed import read_feed
from newstrace.ingest.html import html_to_article
from newstrace.ingest.limits import DEFAULT_EXTRACT_TIMEOUT
from newstrace.ingest.text import text_to_article
from newstrace.model import Article, InputFailure

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
_SCHEMES = ("http", "https")
_HEADERS = {
    "User-Agent": f"newstrace/{__version__}",
    "Accept": "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/xml;q=0.9, text/plain;q=0.8, */*;q=0.5",
}


def check_url(url: str, allow_private: bool) -> None:
    """Refuse non-http(s) URLs and, unless allowed, hosts with any non-public address."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in _SCHEMES:
        raise BadInput(f"unsupported URL scheme '{parts.scheme}' (only http and https)")
    try:
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise BadInput(f"invalid URL ({exc})") from exc
    if not host:
        raise BadInput("URL has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise BadInput(f"cannot resolve host '{host}' ({exc})") from exc
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if is_forbidden(address):
            raise BadInput(f"refused private address {address} (use --allow-private)")


def is_forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Private, loopback, link-local, multicast, reserved, unspecified or otherwise not global."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


class CheckedRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows at most ``MAX_REDIRECTS`` redirects, checking every target like the first URL."""

    max_redirections = MAX_REDIRECTS

    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        # Closed now, so urllib's unbounded read of the redirect body reads nothing.
        fp.close()
        try:
            check_url(newurl, self.allow_private)
        except BadInput as exc:
            raise BadInput(f"redirect to {newurl}: {exc}") from exc
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def read_url(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    allow_private: bool,
    extract_timeout: float | None = DEFAULT_EXTRACT_TIMEOUT,
) -> Iterator[Article | InputFailure]:
    """Fetch one URL and read it by its Content-Type; id and source are the URL as given.
    ``timeout`` bounds the network, ``extract_timeout`` the HTML extraction."""
    try:
        body, content_type, final_url = _fetch(url, max_bytes, timeout, allow_private)
        mime = content_type.split(";")[0].strip().lower()
        if "html" in mime:
            kind = "html"
        elif "rss" in mime or "atom" in mime or "xml" in mime:
            kind = "feed"
        elif mime == "text/plain":
            kind = "txt"
        else:
            kind = sniff_format(body)
        if kind == "feed":
            yield from read_feed(body, url, content_type=content_type)
            return
        if kind not in ("html", "txt"):
            raise BadInput(f"unsupported content type '{mime or 'none'}'")
        text = decode_text(body, charset_of(content_type))
    except BadInput as exc:
        yield InputFailure(url, str(exc))
        return
    if kind == "html":
        yield html_to_article(text, url, url, final_url, fmt="url", timeout=extract_timeout)
        return
    article = text_to_article(text, url, url, fmt="url")
    if isinstance(article, Article) and not article.url:
        article.url = final_url
    yield article


def _fetch(url: str, max_bytes: int, timeout: float, allow_private: bool) -> tuple[bytes, str, str]:
    """(body, Content-Type, final URL) or :class:`BadInput` with a short network reason."""
    check_url(url, allow_private)
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        CheckedRedirectHandler(allow_private),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.UnknownHandler(),
    ):
        opener.add_handler(handler)
    request = urllib.request.Request(url, headers=_HEADERS)
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise over_cap(max_bytes, int(length))
            body = read_stream_capped(response, max_bytes)
            return body, response.headers.get("Content-Type", ""), response.geturl()
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            raise BadInput(f"too many redirects (more than {MAX_REDIRECTS})") from exc
        raise BadInput(f"HTTP {exc.code} {exc.reason}".strip()) from exc
    except urllib.error.URLError as exc:
        raise BadInput(_network_reason(exc.reason, timeout)) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise BadInput(_network_reason(exc, timeout)) from exc


def _network_reason(reason: object, timeout: float) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return f"timed out after {timeout:g}s"
    if isinstance(reason, ConnectionResetError):
        return "connection reset"
    if isinstance(reason, socket.gaierror):
        return f"cannot resolve host ({reason.strerror})"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error ({reason.reason or reason})"
    if isinstance(reason, http.client.IncompleteRead):
        return "connection closed before the whole body arrived"
    if isinstance(reason, http.client.HTTPException):
        return f"bad HTTP response ({type(reason).__name__})"
    return f"network error ({reason})"
