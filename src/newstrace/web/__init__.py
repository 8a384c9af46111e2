"""The web front end: a read-only JSON API and server-rendered pages over one ``Store``.

``newstrace serve`` runs it with Uvicorn; ``create_app(store)`` gives the ASGI app itself
(for tests, or another server).
"""

from newstrace.web.app import create_app, serve

__all__ = ["create_app", "serve"]
