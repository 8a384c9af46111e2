"""URL inputs against a local HTTP server: SSRF refusals, redirects, limits, network errors."""

from __future__ import annotations

import io
import ipaddress
import socket
import threading
import urllib.request
from collections.abc import Iterator
from http.client import HTTPMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newstrace.ingest import IngestOptions, read_inputs
from newstrace.ingest import url as url_module
from newstrace.ingest.decode import BadInput
from newstrace.ingest.url import CheckedRedirectHandler, check_url, is_forbidden
from newstrace.model import Article, InputFailure

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
GOOD = str(FIXTURES / "no_header.txt")
ALLOW = IngestOptions(allow_private=True, timeout=5)
PAGE = (
    b"<html><head><title>Tollis ferry returns</title></head><body><article>"
    b"<h1>Tollis ferry returns</h1>"
    b"<p>The Tollis ferry made its first crossing of the year on Sunday morning.</p>"
    b"<p>\"The sea was kind to us,\" said captain Idris Mawle as the boat docked at noon.</p>"
    b"<p>Ferries will now run twice a day until the end of October.</p>"
    b"</article></body></html>"
)
ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/article.html": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE),
    "/plain.txt": (200, {"Content-Type": "text/plain; charset=windows-1252"},
                   "Title: Café news\n\n“Zoë reopened the café,” said Anaël.".encode("cp1252")),
    "/feed.xml": (200, {"Content-Type": "application/rss+xml"},
                  (FIXTURES / "feed.rss").read_bytes()),
    "/photo": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n\x00\x00"),
    "/big": (200, {"Content-Type": "text/plain"}, b"word " * 1000),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/hop/"):
            hops = int(self.path.rsplit("/", 1)[1])
            status, headers, body = ((302, {"Location": f"/hop/{hops - 1}"}, b"") if hops
                                     else ROUTES["/article.html"])
        elif self.path == "/streamed":  # no Content-Length: the body ends when the server closes
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"word " * 1000)
            return
        else:
            status, headers, body = ROUTES.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: test output stays readable."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def run(*inputs: str, options: IngestOptions | None = None) -> list[Article | InputFailure]:
    return list(read_inputs(inputs, options))


def fails_alone(url: str, options: IngestOptions | None = None) -> str:
    """Fetch ``url`` beside a good file; return the URL's failure reason."""
    results = run(url, GOOD, options=options)
    assert len(results) == 2, results
    failure, good = results
    assert isinstance(failure, InputFailure) and failure.source == url, failure
    assert isinstance(good, Article) and good.id == GOOD
    return failure.reason


def test_private_address_refused_by_default(server: str) -> None:
    reason = fails_alone(f"{server}/article.html")
    assert reason == "refused private address 127.0.0.1 (use --allow-private)"


def test_localhost_name_refused() -> None:
    with pytest.raises(BadInput, match="refused private address"):
        check_url("http://localhost:8080/", allow_private=False)


def test_allowed_private_address_is_fetched(server: str) -> None:
    url = f"{server}/article.html"
    (article,) = run(url, options=ALLOW)
    assert isinstance(article, Article)
    assert article.id == url and article.source == url and article.url == url
    assert article.format == "url" and article.title == "Tollis ferry returns"
    assert article.raw_text.startswith("The Tollis ferry made its first crossing")


def test_text_plain_uses_the_declared_charset(server: str) -> None:
    (article,) = run(f"{server}/plain.txt", options=ALLOW)
    assert isinstance(article, Article)
    assert article.title == "Café news" and article.raw_text == "“Zoë reopened the café,” said Anaël."
    assert article.url == f"{server}/plain.txt"


def test_feed_url(server: str) -> None:
    results = run(f"{server}/feed.xml", options=ALLOW)
    assert [item.format for item in results if isinstance(item, Article)] == ["feed", "feed"]
    assert {item.source for item in results} == {f"{server}/feed.xml"}


def test_binary_body(server: str) -> None:
    assert fails_alone(f"{server}/photo", ALLOW) == "binary file (not text)"


def test_http_error(server: str) -> None:
    assert fails_alone(f"{server}/nothing-here", ALLOW) == "HTTP 404 Not Found"


def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert fails_alone(f"http://127.0.0.1:{port}/x", ALLOW) == "connection refused"


def test_timeout() -> None:
    with socket.socket() as silent:  # accepts connections (backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/slow"
        options = IngestOptions(allow_private=True, timeout=0.3)
        assert fails_alone(url, options) == "timed out after 0.3s"


def test_unresolvable_host(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    reason = fails_alone("https://no-such-outlet.example/story")
    assert reason == "cannot resolve host 'no-such-outlet.example' ([Errno -2] Name or service not known)"


@pytest.mark.parametrize("path", ["/big", "/streamed"])
def test_body_over_the_size_cap(server: str, path: str) -> None:
    options = IngestOptions(allow_private=True, max_bytes=1000)
    expected = "over the 1000-byte size cap" + (" (5000 bytes)" if path == "/big" else "")
    assert fails_alone(f"{server}{path}", options) == expected


def test_redirects_up_to_the_limit_are_followed(server: str) -> None:
    (article,) = run(f"{server}/hop/5", options=ALLOW)
    assert isinstance(article, Article) and article.id == f"{server}/hop/5"
    assert article.url == f"{server}/hop/0"


def test_too_many_redirects(server: str) -> None:
    assert fails_alone(f"{server}/hop/6", ALLOW) == "too many redirects (more than 5)"
    assert fails_alone(f"{server}/loop", ALLOW) == "too many redirects (more than 5)"


def test_redirect_to_a_private_address_is_refused(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test server stands in for a public host; its redirect target is checked for real."""
    test_server = ipaddress.ip_address("127.0.0.1")
    real = url_module.is_forbidden
    monkeypatch.setattr(url_module, "is_forbidden",
                        lambda address: address != test_server and real(address))
    reason = fails_alone(f"{server}/to-metadata")
    assert reason == ("redirect to http://169.254.169.254/latest/meta-data/: "
                      "refused private address 169.254.169.254 (use --allow-private)")


@pytest.mark.parametrize(("target", "reason"), [
    ("http://10.1.2.3/admin", "refused private address 10.1.2.3"),
    ("http://[::1]:8080/", "refused private address ::1"),
    ("file:///etc/passwd", "unsupported URL scheme 'file'"),
    ("ftp://files.example/a.txt", "unsupported URL scheme 'ftp'"),
])
def test_redirect_handler_checks_each_target(target: str, reason: str) -> None:
    handler = CheckedRedirectHandler(allow_private=False)
    request = urllib.request.Request("https://news.example/a")
    with pytest.raises(BadInput, match=reason):
        handler.redirect_request(request, io.BytesIO(b""), 302, "Found", HTTPMessage(), target)


def test_redirect_handler_allows_private_when_asked() -> None:
    handler = CheckedRedirectHandler(allow_private=True)
    request = urllib.request.Request("http://127.0.0.1/a")
    new = handler.redirect_request(request, io.BytesIO(b""), 302, "Found", HTTPMessage(),
                                   "http://10.1.2.3/b")
    assert new is not None and new.full_url == "http://10.1.2.3/b"


@pytest.mark.parametrize("address", [
    "10.0.0.1", "172.16.5.4", "192.168.1.1", "127.0.0.1", "169.254.169.254", "0.0.0.0",
    "224.0.0.1", "100.64.0.1", "240.0.0.1", "255.255.255.255", "::1", "fe80::1", "fc00::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::", "ff02::1",
])
def test_non_public_addresses_are_forbidden(address: str) -> None:
    assert is_forbidden(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert not is_forbidden(ipaddress.ip_address(address))

