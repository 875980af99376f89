"""Name normalisation: the keys under which spelling variants meet."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

LATEX = re.compile(r"\$|\\mathrm|\\text|[{}^_]")
SEPARATORS = re.compile(r"[\s\-_–—./'’]+")


@lru_cache(maxsize=1 << 16)  # (names repeat: the resolver keys every mention)
def name_key(name: str) -> str:
    """Fold case, accents, spaces, hyphens and LaTeX: CIFAR-10 = CIFAR10, GSM-8K = GSM8K,
    ImageNet-64x64 = ImageNet 64×64. Digits and letters are kept, so ImageNet 64x64 and
    ImageNet 256x256 stay apart."""
    text = unicodedata.normalize("NFKC", name).replace("×", "x")
    text = LATEX.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return SEPARATORS.sub("", text)


def slug(name: str) -> str:
    """A readable, IRI-safe identifier part."""
    text = unicodedata.normalize("NFKD", name.replace("×", "x"))
    text = "".join(c for c in text if c.isascii())
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "x"
