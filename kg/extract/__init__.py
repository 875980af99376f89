"""Extract stage: spaCy pipeline + rules turn each ``Paper`` into an ``Extraction``."""

from kg.extract.accel import COMPILED  # (first: decides whether the rules load compiled)
from kg.extract.assemble import extract_paper, extract_papers
from kg.extract.pipeline import load_nlp

__all__ = ["COMPILED", "extract_paper", "extract_papers", "load_nlp"]
