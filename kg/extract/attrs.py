"""The ``doc._`` attributes the kg components pass along (``doc._.proposed`` ...), read and
written straight from ``doc.user_data``, where spaCy keeps them: each ``doc._`` access builds
a helper object first, which costs more than the lookup (about 12 accesses a doc)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

NAMES = (
    "abbreviations",
    "proposed",
    "numbers",
    "model_ents",
    "expanded",
    "guessed",
    "model_types",
    "formed",
    "domain_terms",
)

for _name in NAMES:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _key(name: str) -> tuple[str, str, None, None]:
    return ("._.", name, None, None)  # spaCy's key for doc._.<name> (spacy.tokens.underscore)


KEYS = {name: _key(name) for name in NAMES}


def get(doc: Doc, name: str) -> Any:
    """``doc._.<name>`` (None when unset)."""
    user_data: dict[Any, Any] = doc.user_data
    return user_data.get(KEYS[name])


def put(doc: Doc, name: str, value: Any) -> None:
    """``doc._.<name> = value``."""
    user_data: dict[Any, Any] = doc.user_data
    user_data[KEYS[name]] = value
