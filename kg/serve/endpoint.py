"""A read-only SPARQL 1.1 Protocol endpoint over the exported graph, plus the HTML view.

``GET /sparql?query=...`` and ``POST /sparql`` (form-encoded or ``application/sparql-query``)
answer SELECT/ASK in SPARQL JSON, XML, CSV or TSV and CONSTRUCT/DESCRIBE in Turtle,
N-Triples, JSON-LD or RDF/XML by content negotiation. Updates (including ``LOAD``) and
``SERVICE`` federation are refused with 403; malformed queries get 400 with the parser's
message; a query past the time limit gets 503; SELECT answers stop at the result limit
(``X-KG-Truncated: true``). With a ``site.db`` the research site's pages are served
(``kg.serve.pages``: ``/`` is its home); otherwise ``/`` serves ``graph.html``. The
ontology, shapes and JSON-LD context are at ``/ontology.ttl``, ``/shapes.ttl`` and
``/context.jsonld``.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import rdflib
from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from kg.query import Answer, SparqlError, render, run
from kg.serve.negotiate import choose
from kg.serve.pages import Pages

PACKAGE = Path(__file__).resolve().parent.parent
PUBLISHED = {
    "/ontology.ttl": (PACKAGE / "ontology.ttl", "text/turtle"),
    "/shapes.ttl": (PACKAGE / "shapes.ttl", "text/turtle"),
    "/context.jsonld": (PACKAGE / "context.jsonld", "application/ld+json"),
    "/site.css": (PACKAGE / "site" / "static" / "site.css", "text/css; charset=utf-8"),
    "/site.js": (PACKAGE / "site" / "static" / "site.js", "text/javascript; charset=utf-8"),
}
MAX_BODY = 1 << 20
INDEX = (
    b"<!doctype html><title>kg SPARQL endpoint</title><h1>kg SPARQL endpoint</h1>"
    b"<p>No graph.html here. SPARQL: <code>/sparql?query=...</code>; vocabularies: "
    b'<a href="/ontology.ttl">ontology</a>, <a href="/shapes.ttl">shapes</a>, '
    b'<a href="/context.jsonld">JSON-LD context</a>.</p>'
)


class Refused(Exception):
    """A request the endpoint answers with an error status and a one-line message."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Endpoint:
    """The query side: checks a query, runs it under the limits, and negotiates the format."""

    graph: rdflib.Graph
    timeout: float = 10.0
    max_results: int = 10_000
    workers: int = 2

    def __post_init__(self) -> None:
        self.pool = concurrent.futures.ThreadPoolExecutor(self.workers, "kg-sparql")

    def check(self, text: str) -> None:
        """Refuse updates, LOAD and SERVICE; report syntax errors with the parser's message."""
        try:
            tree = parseQuery(text)
        except ParseException as err:
            try:
                parseUpdate(text)
            except ParseException:
                raise Refused(HTTPStatus.BAD_REQUEST, f"malformed query: {err}") from err
            raise Refused(
                HTTPStatus.FORBIDDEN,
                "updates (INSERT, DELETE, LOAD, ...) are not allowed: read-only",
            ) from err
        if _has_service(tree):
            raise Refused(HTTPStatus.FORBIDDEN, "SERVICE (federated query) is not allowed here")

    def answer(self, text: str) -> Answer:
        self.check(text)
        deadline = time.monotonic() + self.timeout
        future = self.pool.submit(run, self.graph, text, self.max_results, deadline)
        try:
            return future.result(timeout=self.timeout)
        except (concurrent.futures.TimeoutError, TimeoutError) as err:
            raise Refused(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"query exceeded the time limit of {self.timeout:g}s",
            ) from err
        except SparqlError as err:
            raise Refused(HTTPStatus.BAD_REQUEST, str(err)) from err

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _has_service(node: Any) -> bool:
    if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
        return True
    if isinstance(node, dict):
        return any(_has_service(v) for v in node.values())
    if isinstance(node, list | tuple | ParseResults):
        return any(_has_service(v) for v in node)
    return False


def serialize(answer: Answer, accept: str | None, short: str | None) -> tuple[bytes, str]:
    """The answer's body and Content-Type, as negotiated."""
    graph = answer.kind not in ("SELECT", "ASK")
    chosen = choose(accept, short, graph)
    if chosen is None:
        raise Refused(HTTPStatus.NOT_ACCEPTABLE, "no acceptable result format (see Accept)")
    name, media = chosen
    if graph:
        assert answer.graph is not None
        body = answer.graph.serialize(format=name, encoding="utf-8")
        return body, f"{media}; charset=utf-8"
    if answer.kind == "ASK" and name == "tsv":
        name, media = "sparql-csv", "text/csv"
    return render(answer, name).encode("utf-8"), f"{media}; charset=utf-8"


class Handler(SimpleHTTPRequestHandler):
    """Static files of the exports folder, the published vocabularies, and ``/sparql``."""

    endpoint: Endpoint
    pages: Pages | None = None
    server_version = "kg-sparql/1.0"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        try:
            page = self._page(url.path, url.query)
        except Exception as err:  # a page's own error: report, keep serving
            self._error(Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"page failed: {err}"))
            return
        if url.path == "/sparql":
            self._sparql(parse_qs(url.query), None)
        elif page is not None:
            self._send(*page)
        elif url.path in PUBLISHED:
            path, media = PUBLISHED[url.path]
            self._send(HTTPStatus.OK, path.read_bytes(), media)
        else:
            if url.path == "/":
                if not (Path(self.directory) / "graph.html").is_file():
                    self._send(HTTPStatus.OK, INDEX, "text/html; charset=utf-8")
                    return
                self.path = "/graph.html"
            super().do_GET()

    def _page(self, path: str, query: str) -> tuple[HTTPStatus, bytes, str] | None:
        if self.pages is None or path == "/sparql":
            return None
        return self.pages.answer(path, query, self.headers.get("Accept"))

    def do_HEAD(self) -> None:
        if urlsplit(self.path).path == "/sparql":
            self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"use GET or POST", "text/plain")
        else:
            super().do_HEAD()

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sparql":
            self._send(HTTPStatus.NOT_FOUND, b"POST queries to /sparql", "text/plain")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"query too large", "text/plain")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query)
        if ctype == "application/sparql-query":
            self._sparql(params, body)
        elif ctype == "application/sparql-update":
            self._error(Refused(HTTPStatus.FORBIDDEN, "updates are not allowed: read-only"))
        elif ctype == "application/x-www-form-urlencoded":
            params.update(parse_qs(body, keep_blank_values=True))
            self._sparql(params, None)
        else:
            self._error(Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"unsupported {ctype!r}"))

    def list_directory(self, path: Any) -> None:
        self.send_error(HTTPStatus.NOT_FOUND, "no listing")
        return None

    def _sparql(self, params: dict[str, list[str]], body: str | None) -> None:
        try:
            if "update" in params:
                raise Refused(HTTPStatus.FORBIDDEN, "updates are not allowed: read-only")
            queries = params.get("query", []) if body is None else [body]
            if len(queries) != 1 or not queries[0].strip():
                raise Refused(HTTPStatus.BAD_REQUEST, "give exactly one 'query'")
            answer = self.endpoint.answer(queries[0])
            short = next(iter(params.get("format") or params.get("output") or []), None)
            data, media = serialize(answer, self.headers.get("Accept"), short)
        except Refused as err:
            self._error(err)
            return
        except Exception as err:  # the engine's own errors: report, keep serving
            self._error(Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {err}"))
            return
        extra = {"X-KG-Truncated": "true"} if answer.truncated else {}
        self._send(HTTPStatus.OK, data, media, extra)

    def _error(self, err: Refused) -> None:
        self._send(err.status, f"{err}\n".encode(), "text/plain; charset=utf-8")

    def _send(
        self, status: HTTPStatus, data: bytes, media: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Vary", "Accept")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def make_server(
    exports: Path, endpoint: Endpoint, host: str = "127.0.0.1", port: int = 8000
) -> ThreadingHTTPServer:
    """A threaded HTTP server (not yet serving) for ``exports`` and ``endpoint``."""
    site = exports / "site.db"
    pages = Pages(site) if site.is_file() else None
    handler = type("BoundHandler", (Handler,), {"endpoint": endpoint, "pages": pages})
    server = ThreadingHTTPServer((host, port), partial(handler, directory=str(exports)))
    server.daemon_threads = True
    return server


def serve_in_thread(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="kg-serve", daemon=True)
    thread.start()
    return thread
