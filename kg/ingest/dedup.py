"""Merge repeated listings of the same paper into one ``Paper``."""

from __future__ import annotations

from collections.abc import Iterable

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
            by_key[key] = Paper(
                id=paper.id,
                title=paper.title,
                abstract=paper.abstract,
                listings=sorted(set(paper.listings)),
                authors=list(paper.authors),
                published=paper.published,
                code_urls=sorted(set(paper.code_urls)),
                project_urls=sorted(set(paper.project_urls)),
            )
    return list(by_key.values())
