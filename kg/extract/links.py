"""Code-repository, project-page and Hugging Face dataset/model URLs, cleaned of the junk
found in real abstracts."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from kg.extract.scan import occurrences
from kg.model import Evidence, Link, TextField

URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'{}|\\^`]+|\b(?:github|gitlab)\.com/[\w.-]+/[\w.-]+[^\s<>\"'{}]*",
    re.IGNORECASE,
)
# Every URL the pattern matches holds one of these (checked first: most texts have none).
URL_MARKERS = ("http://", "https://", "www.", "github.com/", "gitlab.com/")
CODE_HOSTS = (
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "huggingface.co",
    "hf.co",
    "codeberg.org",
    "sourceforge.net",
)
TRAILING = ".,;:!?)]}>'\"*~"


def clean_url(raw: str) -> str:
    """Strip trailing punctuation, unbalanced brackets and LaTeX debris from a URL."""
    url = raw
    while True:
        before = url
        url = url.rstrip(TRAILING)
        for opener, closer in (("(", ")"), ("[", "]"), ("{", "}")):
            if url.count(closer) > url.count(opener):
                url = url[: url.rindex(closer)]
        if url == before:
            break
    if url.lower().startswith("www.") or not url.lower().startswith("http"):
        url = "https://" + url
    return url


def classify(url: str) -> tuple[str, str] | None:
    """(kind, host) for a cleaned URL, or None when it is not a useful link."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = host.removeprefix("www.")
    if not host or "." not in host:
        return None
    path = [p for p in parts.path.split("/") if p]
    if host in CODE_HOSTS:
        if host in ("huggingface.co", "hf.co"):
            return _hub_kind(path, host)
        return ("code", host) if len(path) >= 2 else None
    if host in ("arxiv.org", "doi.org", "dx.doi.org"):
        return None
    return "project", host


HUB_PAGES = ("papers", "blog", "docs", "learn", "posts", "login", "join", "pricing", "models")


def _hub_kind(path: list[str], host: str) -> tuple[str, str] | None:
    """A Hugging Face URL: ``datasets/<owner>/<name>`` is a dataset, ``spaces/...`` an app's
    code, ``<owner>/<name>`` a model, ``<owner>`` an organisation's page; site pages none."""
    if not path or path[0] in HUB_PAGES or (path[0] == "datasets" and len(path) < 2):
        return None
    if path[0] == "datasets":
        return "dataset", host
    if path[0] == "spaces":
        return ("code", host) if len(path) >= 3 else None
    return ("model", host) if len(path) >= 2 else ("project", host)


def _normalise(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path
    if host in ("github.com", "gitlab.com", "bitbucket.org") and path.endswith(".git"):
        path = path[:-4]
    return f"https://{host}{path.rstrip('/') if path != '/' else ''}" + (
        f"?{parts.query}" if parts.query else ""
    )


def url_matches(text: str) -> Iterator[re.Match[str]]:
    """``URL.finditer(text)``, tried only where a marker starts: every match starts with one."""
    folded = text.lower()
    if len(folded) != len(text):  # (lower-casing moved offsets: scan everything)
        yield from URL.finditer(text)
        return
    end = 0
    for start in occurrences(folded, URL_MARKERS):
        match = URL.match(text, start) if start >= end else None
        if match:
            end = match.end()
            yield match


def find_links(text: str, field: TextField, sentence_of: Callable[[int, int], str]) -> list[Link]:
    """Every code/project URL in ``text``, once each, with its evidence."""
    links: dict[str, Link] = {}
    for match in url_matches(text):
        # The pattern stops at braces and backslashes, so LaTeX such as \url{...} or the
        # duplicate in https://x{https://x} yields clean candidates (repeats are merged).
        raw = match.group(0)
        url = clean_url(raw)
        kind_host = classify(url)
        if kind_host is None:
            continue
        url = _normalise(url)
        start = match.start()
        end = start + len(raw.rstrip(TRAILING))
        if url not in links:
            kind, host = kind_host
            links[url] = Link(
                url=url,
                kind=kind,  # type: ignore[arg-type]
                host=host,
                evidence=Evidence(field, start, end, sentence_of(start, end)),
            )
    return list(links.values())
