"""Bulk-load N-Triples into a SPARQL 1.1 Graph Store HTTP Protocol endpoint.

The file is streamed in chunks of whole lines (N-Triples lines are independent), each sent
as one ``POST`` (which adds to the graph); with ``replace`` the first chunk is a ``PUT``
(which first empties the graph). Works with Oxigraph (``/store``), Fuseki (``/ds/data``),
GraphDB, Virtuoso (``/sparql-graph-crud``) and any other Graph Store endpoint.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError

CHUNK_BYTES = 8 << 20
CONTENT_TYPE = "application/n-triples"


class PushError(KgError):
    """The endpoint refused the data or could not be reached."""


@dataclass
class SparqlPushStats:
    triples: int = 0
    requests: int = 0
    bytes: int = 0


def graph_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store URL of the default graph, or of the named ``graph``."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"{endpoint}: not an http(s) URL of a Graph Store endpoint")
    query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    joined = f"{parts.query}&{query}" if parts.query else query
    return urllib.parse.urlunsplit(parts._replace(query=joined))


def chunks(path: Path, size: int = CHUNK_BYTES) -> Iterator[tuple[bytes, int]]:
    """Whole-line chunks of about ``size`` bytes, with their triple counts."""
    buffer: list[bytes] = []
    length = count = 0
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            text = line.strip()
            if not text or text.startswith(b"#"):
                continue
            if b"_:" in text and size > 0:
                raise PushError(
                    f"{path}:{number}: blank node; blank nodes cannot be split across "
                    f"requests (use --chunk-bytes 0 to send one request)"
                )
            buffer.append(line if line.endswith(b"\n") else line + b"\n")
            length += len(buffer[-1])
            count += 1
            if size > 0 and length >= size:
                yield b"".join(buffer), count
                buffer, length, count = [], 0, 0
    if buffer:
        yield b"".join(buffer), count


def push_ntriples(
    path: Path,
    endpoint: str,
    graph: str | None = None,
    replace: bool = False,
    auth: tuple[str, str] | None = None,
    chunk_bytes: int = CHUNK_BYTES,
    timeout: float = 300.0,
) -> SparqlPushStats:
    """Send ``path`` to ``endpoint`` chunk by chunk; returns what was sent."""
    if not path.is_file():
        raise PushError(f"{path}: no such N-Triples file")
    url = graph_url(endpoint, graph)
    headers = {"Content-Type": CONTENT_TYPE}
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    stats = SparqlPushStats()
    for body, count in chunks(path, chunk_bytes):
        method = "PUT" if replace and stats.requests == 0 else "POST"
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError as err:
            detail = err.read()[:300].decode("utf-8", "replace").strip()
            raise PushError(
                f"{url}: {method} of triples {stats.triples + 1}-{stats.triples + count} "
                f"from {path} refused: HTTP {err.code} {err.reason}: {detail}"
            ) from err
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise PushError(f"{url}: cannot reach the endpoint: {reason}") from err
        stats.triples += count
        stats.requests += 1
        stats.bytes += len(body)
    if stats.requests == 0:
        raise PushError(f"{path}: no triples to push")
    return stats
