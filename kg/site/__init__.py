"""The research site: pages per dataset (leaderboards), method, metric, task and paper, and
search, read from ``site.db`` and served by ``kg serve`` or written by ``kg site``."""

from kg.site.data import NotFound, connect
from kg.site.render import page_html, page_json
from kg.site.static import write_site

__all__ = ["NotFound", "connect", "page_html", "page_json", "write_site"]
