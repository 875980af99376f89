"""Build the spaCy pipeline from ``config.cfg`` and the curated pattern files.

``load_nlp(model=True)`` adds the statistical components named in the config's ``[model]``
section (sourced from the model shipped in ``kg/extract/model/``, when present) in front of
the rules; ``load_nlp(model=False)`` is the rules-only fast mode.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from thinc.api import NumpyOps
from threadpoolctl import ThreadpoolController

from kg.extract import components  # noqa: F401  (registers the kg_* factories)
from kg.extract.gazetteer import PATTERN_DIR

CONFIG = Path(__file__).parent / "config.cfg"


class TextKeepingTokenizer:
    """spaCy's tokenizer, also caching the input string on the doc: spaCy's tokenization is
    non-destructive, so the string is ``doc.text``, which spaCy otherwise rebuilds from
    every token on each access (the costliest step of the rules-only pipeline)."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data["kg_text"] = text
        return doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)


def model_path(config: Path = CONFIG) -> Path | None:
    """The shipped statistical model named in the config, or None when it is not installed."""
    cfg = spacy.util.load_config(config)
    path = config.parent / str(cfg.get("model", {}).get("path", "model"))
    return path if (path / "meta.json").exists() else None


def _numpy_matmul(nlp: Language) -> None:
    """Let the statistical layers multiply matrices with numpy's BLAS rather than the BLIS
    that thinc bundles: BLIS picks its slow generic kernel on CPUs it does not know (AMD
    Zen 4, for one), where the NER then spends twice as long in its tok2vec."""
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


@cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()  # (finding the loaded BLAS libraries takes ~0.2 ms)


def one_blas_thread() -> Any:
    """A context in which numpy's BLAS runs one thread. Extraction is per-core work
    (``--jobs`` runs more processes), and BLAS threads would contend with them."""
    return _blas().limit(limits=1, user_api="blas")


@cache
def load_nlp(
    config: Path = CONFIG, pattern_dir: Path = PATTERN_DIR, model: bool = True
) -> Language:
    """The extraction pipeline: tokenizer, sentencizer, [statistical NER], curated
    gazetteer, kg components. ``model=False`` (or no shipped model) gives the rules-only mode."""
    nlp = spacy.blank("en")
    # "FID>100", "k=5": comparison signs split words, so the metric is a token of its own;
    # so does LaTeX's non-breaking space ("evaluation~(NFE)", "Table~1").
    infixes = [
        *(nlp.Defaults.infixes or ()),
        r"(?<=[A-Za-z0-9])[<>≤≥=](?=[A-Za-z0-9]|[-−][0-9])",
        r"(?<=[A-Za-z0-9.)])~\(?(?=[A-Za-z0-9$\\])",
        # "SpeedUpNet(SUN)", "LOGO(Long-context ...)": a bracket glued to a word opens a new one.
        r"(?<=[A-Za-z0-9])\((?=[A-Za-z])",
        # "MLLMs--such as": LaTeX's dashes join no words.
        r"(?<=[A-Za-z0-9])-{2,3}(?=[A-Za-z])",
    ]
    tokenizer: Tokenizer = nlp.tokenizer
    tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    # "on GSM8K.", "on ZorbSet-9K.": a full stop after a digit and a letter ends the
    # sentence; spaCy keeps it on the word (so the curated GSM8K would not match).
    suffixes = [
        *(nlp.Defaults.suffixes or ()),
        r"(?<=[0-9][A-Za-z])\.",
        r"(?<=[0-9][A-Za-z]{2})\.",
        r"''",
    ]
    tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    # "\textbf{X}", "\emph{X}", ``X'': LaTeX markup around a name is no part of it, and a
    # citation key ("\cite{smith2025judging}") is one token that names nothing.
    prefixes = [
        *(nlp.Defaults.prefixes or ()),
        r"\\(?:cite[pt]?|ref|eqref|label|url)\{[^{}\s]*\}",
        r"\\[a-z]+\{",
        r"``",
    ]
    tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    nlp.tokenizer = TextKeepingTokenizer(tokenizer)
    cfg = spacy.util.load_config(config)
    source_path = model_path(config) if model else None
    source = spacy.load(source_path) if source_path is not None else None
    if source is not None:
        _numpy_matmul(source)
    if source is not None and source.vocab.vectors.shape[0]:
        # Static word vectors travel in the model's vocab; sourced components need them.
        nlp.vocab.vectors = source.vocab.vectors
    for name in cfg["nlp"]["pipeline"]:
        if name == "kg_model":
            if source is not None:
                for component in cfg["model"]["components"]:
                    if component in source.pipe_names:
                        nlp.add_pipe(component, source=source)
                nlp.add_pipe("kg_model_ents", config=dict(cfg["components"]["kg_model_ents"]))
            continue
        settings = dict(cfg["components"][name])
        factory = settings.pop("factory")
        if factory == "kg_gazetteer":
            settings["pattern_dir"] = str(pattern_dir)
        nlp.add_pipe(factory, name=name, config=settings)
    return nlp
