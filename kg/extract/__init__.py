"""Extract stage: spaCy pipeline + rules turn each ``Paper`` into an ``Extraction``."""

from kg.extract.assemble import extract_paper, extract_papers
from kg.extract.pipeline import load_nlp

__all__ = ["extract_paper", "extract_papers", "load_nlp"]
