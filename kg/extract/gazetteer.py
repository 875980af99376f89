"""Curated names (datasets, metrics, methods, tasks) kept as JSONL data files.

Each line of ``patterns/*.jsonl`` is ``{"label", "name", "aliases", "case_sensitive"?,
"generic"?}``; a line without ``label`` is a header (``public.jsonl`` names its sources and
licences there; ``training/vocab.py`` builds it). They become the phrase patterns of the
``kg_gazetteer`` component and an alias table for the resolve stage. ``generic`` names
(broad families such as GANs or Transformers, paradigms such as reinforcement learning) are
recognised, so that no other rule claims them, but not reported.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract.ents import ents_of, set_ents
from kg.model import EntityType

PATTERN_DIR = Path(__file__).parent / "patterns"
LABEL_TO_TYPE: dict[str, EntityType] = {
    "METHOD": "Method",
    "DATASET": "Dataset",
    "METRIC": "Metric",
    "TASK": "Task",
}
TYPE_TO_LABEL = {v: k for k, v in LABEL_TO_TYPE.items()}


@dataclass(frozen=True)
class KnownName:
    type: EntityType
    name: str
    aliases: tuple[str, ...]
    case_sensitive: bool
    generic: bool = False


@cache
def known_names(pattern_dir: Path = PATTERN_DIR) -> tuple[KnownName, ...]:
    """Every curated name, in file order."""
    names = []
    for path in sorted(pattern_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                if "label" not in rec:
                    continue  # (a header naming the file's sources and licences)
                names.append(
                    KnownName(
                        LABEL_TO_TYPE[rec["label"]],
                        rec["name"],
                        tuple(rec.get("aliases", ())),
                        bool(rec.get("case_sensitive", False)),
                        bool(rec.get("generic", False)),
                    )
                )
    return tuple(names)


@cache
def generic_names(pattern_dir: Path = PATTERN_DIR) -> frozenset[str]:
    """Canonical names of the curated entries marked ``generic``."""
    return frozenset(k.name for k in known_names(pattern_dir) if k.generic)


@cache
def _types_by_name(pattern_dir: Path) -> dict[str, tuple[EntityType, ...]]:
    types: dict[str, set[EntityType]] = {}
    for known in known_names(pattern_dir):
        types.setdefault(known.name, set()).add(known.type)
    return {name: tuple(sorted(kinds)) for name, kinds in types.items()}


def curated_types(name: str, pattern_dir: Path = PATTERN_DIR) -> tuple[EntityType, ...]:
    """The types a curated canonical name has (two for a benchmark that is also a score)."""
    return _types_by_name(pattern_dir).get(name, ())


def _fold(name: str) -> str:
    return re.sub(r"[\s\-]+", "", name.casefold())


@cache
def _forms_by_name(pattern_dir: Path) -> dict[str, frozenset[str]]:
    forms: dict[str, set[str]] = {}
    for known in known_names(pattern_dir):
        forms.setdefault(known.name, set()).update(map(_fold, (known.name, *known.aliases)))
    return {name: frozenset(f) for name, f in forms.items()}


def curated_meaning(name: str, phrase: str, pattern_dir: Path = PATTERN_DIR) -> bool:
    """Whether ``phrase`` is one of the curated spellings of the canonical ``name`` (up to
    case, spaces and hyphens)."""
    return _fold(phrase) in _forms_by_name(pattern_dir).get(name, frozenset())


def is_case_insensitive(alias: str, forced_sensitive: bool) -> bool:
    """Lower-case phrases and plain capitalised words match in any case; acronyms do not."""
    if forced_sensitive:
        return False
    if alias == alias.lower():
        return any(c.isalpha() for c in alias) and len(alias) > 3
    return alias[0].isupper() and alias[1:] == alias[1:].lower() and len(alias) > 4


WORDS = re.compile(r"[A-Za-z]+(?:[ -][A-Za-z]+)+")


def spellings(alias: str) -> tuple[str, ...]:
    """A curated alias and its other spelling of three or more words joined by hyphens or
    spaces ("Chain-of-Thought": "Chain of Thought"; "Tree of Thoughts": "Tree-of-Thoughts"),
    for phrases of letters only and no "to" ("text-to-image" stays as written)."""
    if not WORDS.fullmatch(alias) or ("-" in alias and " " in alias):
        return (alias,)
    parts = re.split(r"[ -]", alias)
    if "to" in parts or len(parts) < 3:  # ("inference time" is no "inference-time scaling")
        return (alias,)
    return alias, alias.replace("-", " ") if "-" in alias else alias.replace(" ", "-")


@Language.factory("kg_gazetteer", default_config={"pattern_dir": str(PATTERN_DIR)})
def make_gazetteer(nlp: Language, name: str, pattern_dir: str) -> Any:
    """Curated names as entities (``id_`` = canonical name), found with two phrase
    matchers (exact case for acronyms, lower case for phrases). They overwrite overlapping
    entities set earlier (the statistical model's guesses)."""
    matchers = {
        "ORTH": PhraseMatcher(nlp.vocab, attr="ORTH"),
        "LOWER": PhraseMatcher(nlp.vocab, attr="LOWER"),
    }
    strings = nlp.vocab.strings
    # match id (the hash of "LABEL\tcanonical") -> hashes of the label and canonical name
    keys: dict[int, tuple[int, int]] = {}
    for known in known_names(Path(pattern_dir)):
        label = TYPE_TO_LABEL[known.type]
        key = f"{label}\t{known.name}"
        keys[strings.add(key)] = (strings.add(label), strings.add(known.name))
        for alias in {v for a in (known.name, *known.aliases) for v in spellings(a)}:
            attr = "LOWER" if is_case_insensitive(alias, known.case_sensitive) else "ORTH"
            matchers[attr].add(key, [nlp.make_doc(alias.lower() if attr == "LOWER" else alias)])

    def component(doc: Doc) -> Doc:
        found = []
        for matcher in matchers.values():
            for match_id, start, end in matcher(doc):
                label, canonical = keys[match_id]
                found.append(Span(doc, start, end, label=label, span_id=canonical))
        curated = filter_spans(found)
        taken = {i for span in curated for i in range(span.start, span.end)}
        kept = [e for e in ents_of(doc) if not any(i in taken for i in range(e.start, e.end))]
        set_ents(doc, sorted(kept + curated, key=lambda span: span.start))
        return doc

    return component
