"""The research site's pages as ``kg serve`` answers them: ``/`` (home), ``/search?q=``,
``/<type>/<slug>`` (``/dataset/cifar-10``), ``/paper/<id>``; each also as JSON (a ``.json``
suffix or ``Accept: application/json``). Every request gets its own read-only connection and
a time limit (SQLite's progress handler interrupts a query past it)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from kg.site import data
from kg.site.render import page_html, page_json

ENTITY_PREFIXES = ("dataset/", "method/", "metric/", "task/")
Page = tuple[HTTPStatus, bytes, str]


class Pages:
    def __init__(self, db: Path, timeout: float = 2.0) -> None:
        self.db = db
        self.timeout = timeout

    def route(self, path: str) -> tuple[Callable[..., dict[str, Any]], tuple[Any, ...]] | None:
        """The page function and arguments for a path (without ``.json`` or ``/`` at the end)."""
        if path in ("", "index"):
            return data.home, ()
        if path == "search":
            return data.search, ()
        if path.startswith("paper/"):
            return data.paper, (path.removeprefix("paper/"),)
        if path.startswith(ENTITY_PREFIXES):
            return data.entity, (path,)
        return None

    def answer(self, raw_path: str, query: str, accept: str | None) -> Page | None:
        """The page for a request, or None when the path is not a page (a static file)."""
        path = raw_path.strip("/")
        as_json = path.endswith(".json") or "application/json" in (accept or "")
        path = path.removesuffix(".json")
        found = self.route(path)
        if found is None:
            return None
        func, args = found
        params = parse_qs(query)
        page_no = _int(params.get("page", ["1"])[0])
        if func is data.search:
            args = (params.get("q", [""])[0][:200], page_no)
        elif func is data.entity:
            args = (*args, page_no)
        db = data.connect(str(self.db))
        deadline = time.monotonic() + self.timeout
        db.set_progress_handler(lambda: int(time.monotonic() > deadline), 100)
        try:
            context = func(db, *args)
        except data.NotFound:
            return HTTPStatus.NOT_FOUND, b"no such page\n", "text/plain; charset=utf-8"
        except sqlite3.OperationalError as err:
            if "interrupted" in str(err):
                message = f"page exceeded the time limit of {self.timeout:g}s\n".encode()
                return HTTPStatus.SERVICE_UNAVAILABLE, message, "text/plain; charset=utf-8"
            raise
        finally:
            db.close()
        if as_json:
            return HTTPStatus.OK, page_json(context).encode(), "application/json; charset=utf-8"
        json_href = f"/{path}.json" if path else "/index.json"
        html = page_html(context, "/", live=True, json_href=json_href)
        return HTTPStatus.OK, html.encode(), "text/html; charset=utf-8"


def _int(text: str) -> int:
    return max(1, min(int(text), 10_000)) if text.isdigit() else 1
