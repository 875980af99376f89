"""Merge repeated listings of the same paper into one ``Paper``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from kg.ingest.ids import ARXIV_ID, title_key
from kg.model import Paper


def merge_into(kept: Paper, other: Paper) -> None:
    kept.listings = sorted(set(kept.listings) | set(other.listings))
    if ARXIV_ID.fullmatch(other.id) and not ARXIV_ID.fullmatch(kept.id):
        kept.id = other.id
    if len(other.abstract) > len(kept.abstract):
        kept.abstract = other.abstract
    kept.authors = kept.authors or other.authors
    kept.published = kept.published or other.published
    kept.code_urls = sorted(set(kept.code_urls) | set(other.code_urls))
    kept.project_urls = sorted(set(kept.project_urls) | set(other.project_urls))
    kept.categories = kept.categories or other.categories
    kept.affiliations = {**other.affiliations, **kept.affiliations}
    kept.handles = {**other.handles, **kept.handles}
    for name in METADATA:
        if getattr(kept, name) is None:
            setattr(kept, name, getattr(other, name))
    if other.version is not None and (kept.version or 0) < other.version:
        kept.version, kept.updated = other.version, other.updated or kept.updated
    kept.version = kept.version or other.version
    kept.updated = kept.updated or other.updated
    for name in SIGNALS:  # (counts only grow: the largest is the newest)
        if getattr(other, name) is not None:
            setattr(kept, name, max(getattr(kept, name) or 0, getattr(other, name)))


METADATA = ("doi", "journal_ref", "pdf_url", "comment", "submitter", "thumbnail")
"""Paper metadata a later listing fills in when the first did not give it."""
SIGNALS = ("upvotes", "num_comments")


def merge_papers(papers: Iterable[Paper]) -> list[Paper]:
    """One ``Paper`` per folded title (or arXiv id), remembering every listing.

    The order is the order of first appearance, so output follows the input.
    """
    by_key: dict[str, Paper] = {}
    by_arxiv: dict[str, str] = {}
    for paper in papers:
        key = title_key(paper.title)
        if ARXIV_ID.fullmatch(paper.id):
            key = by_arxiv.setdefault(paper.id, key)
        if key in by_key:
            merge_into(by_key[key], paper)
        else:
            by_key[key] = replace(
                paper,
                listings=sorted(set(paper.listings)),
                authors=list(paper.authors),
                code_urls=sorted(set(paper.code_urls)),
                project_urls=sorted(set(paper.project_urls)),
                categories=list(paper.categories),
                affiliations=dict(paper.affiliations),
                handles=dict(paper.handles),
            )
    return list(by_key.values())
