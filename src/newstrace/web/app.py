"""The FastAPI app: JSON API under ``/api/``, server-rendered pages elsewhere, one error shape.

Every error, whatever raised it (an unknown route, a bad parameter, a missing record, a bug),
answers ``{"error": {"status": N, "message": "..."}}``, or the same status and message as an
HTML page for a browser asking for a page; never a traceback. The app only reads the store.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from newstrace import __version__
from newstrace.store import Store
from newstrace.web import api, pages
from newstrace.web.views import NotFound

logger = logging.getLogger(__name__)

# Pages carry no scripts at all; styles and images only from this server. A stray script in
# article text that escaping somehow missed would still not run.
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def create_app(store: Store, allowed_hosts: Iterable[str] | None = None) -> FastAPI:
    """The app over an open ``store``. ``allowed_hosts`` are the Host header names served
    (others get 400), so a web page elsewhere cannot read a loopback server through DNS
    rebinding; None serves any (in-process tests)."""
    app = FastAPI(
        title="newstrace",
        version=__version__,
        docs_url=None,  # the interactive docs load scripts from a CDN: nothing runs remotely
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.store = store
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), "static")
    hosts = None if allowed_hosts is None else {_bare_host(host) for host in allowed_hosts}

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if hosts is not None and _bare_host(request.headers.get("host", "")) not in hosts:
            return error_response(request, 400, "unknown Host header")
        response = await call_next(request)
        response.headers.update(_SECURITY_HEADERS)
        return response

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_response(request, exc.status_code, _http_message(request, exc))

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(request, 400, _validation_message(exc))

    async def not_found(request: Request, exc: Exception) -> Response:
        return error_response(request, 404, str(exc))

    async def crashed(request: Request, exc: Exception) -> Response:
        logger.exception("error serving %s", request.url.path, exc_info=exc)
        return error_response(request, 500, "internal error; the server log has the details")

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(Exception, crashed)
    return app


def error_response(request: Request, status: int, message: str) -> Response:
    """The one error shape: JSON for the API and for scripts, an HTML page for browsers."""
    accept = request.headers.get("accept", "")
    if not request.url.path.startswith("/api") and "text/html" in accept:
        return pages.error_page(request, status, message)
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)


def _http_message(request: Request, exc: HTTPException) -> str:
    """Starlette's routing errors say only "Not Found"; say what was not found, or why."""
    if exc.status_code == 404 and exc.detail == "Not Found":
        return f"no such page: {request.url.path}"
    if exc.status_code == 405:
        return f"{request.method} is not allowed: this server only reads (GET)"
    return str(exc.detail)


def _validation_message(exc: RequestValidationError) -> str:
    """``min_confidence: Input should be less than or equal to 1`` for each bad parameter."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _bare_host(host: str) -> str:
    """``127.0.0.1:8000`` -> ``127.0.0.1``; ``[::1]:8000`` -> ``::1``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def serve(store: Store, host: str, port: int) -> None:
    """Run the app with Uvicorn until interrupted; only ``host`` and loopback names are
    accepted in the Host header (any name when bound to every interface)."""
    import uvicorn

    # Bound to every interface, the server is reached under names it cannot know.
    every = host.strip("[]") in ("0.0.0.0", "::")
    app = create_app(store, allowed_hosts=None if every else {host, *LOOPBACK_HOSTS})
    uvicorn.run(app, host=host, port=port, server_header=False, log_level="info")
