"""Build the spaCy pipeline from ``config.cfg`` and the curated pattern files."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language

from kg.extract import components  # noqa: F401  (registers the kg_* factories)
from kg.extract.gazetteer import PATTERN_DIR, ruler_patterns

CONFIG = Path(__file__).parent / "config.cfg"


@cache
def load_nlp(config: Path = CONFIG, pattern_dir: Path = PATTERN_DIR) -> Language:
    """The extraction pipeline: tokenizer, sentencizer, curated entity ruler, kg components."""
    nlp = spacy.blank("en")
    cfg = spacy.util.load_config(config)
    for name in cfg["nlp"]["pipeline"]:
        settings = dict(cfg["components"][name])
        factory = settings.pop("factory")
        nlp.add_pipe(factory, name=name, config=settings)
    ruler = nlp.get_pipe("entity_ruler")
    ruler.add_patterns(ruler_patterns(nlp.tokenizer, pattern_dir))  # type: ignore[attr-defined]
    return nlp
