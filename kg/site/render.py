"""Pages as HTML (Jinja2, autoescaped: titles and abstracts are untrusted) or JSON."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jinja2

TEMPLATES = {
    "home": "home.html",
    "search": "search.html",
    "entity": "entity.html",
    "paper": "paper.html",
}


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else f"{value:.6g}"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = _number
    return env


def page_html(context: dict[str, Any], root: str, live: bool, json_href: str | None) -> str:
    """The page for a context from ``kg.site.data``; ``root`` prefixes every link (``/`` when
    served, ``../..`` style in the static site), ``live`` when a server answers searches."""
    template = environment().get_template(TEMPLATES[context["page"]])
    index = "" if live else "index.html"  # (file:// shows a folder, not its index.html)
    values = {"q": None, **context, "root": root, "live": live, "json_href": json_href}
    values["index"] = index
    return template.render(**values)


def page_json(context: dict[str, Any]) -> str:
    return json.dumps(context, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
