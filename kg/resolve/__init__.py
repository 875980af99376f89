"""Resolve stage: normalise names and merge them into canonical entities across papers."""

from kg.resolve.entities import resolve
from kg.resolve.normalize import name_key, slug

__all__ = ["name_key", "resolve", "slug"]
