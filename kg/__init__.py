"""kg: turn listings of machine-learning papers into a knowledge graph.

>>> import kg
>>> graph = kg.build(["seeds/"])          # doctest: +SKIP
>>> graph.results().head()                 # doctest: +SKIP
"""

from kg.api import KnowledgeGraph, add_exports, build, build_exports
from kg.errors import InputError, KgError

__all__ = [
    "InputError",
    "KgError",
    "KnowledgeGraph",
    "add_exports",
    "build",
    "build_exports",
]
__version__ = "0.1.0"
