"""Name normalisation: the keys under which spelling variants meet."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from kg.extract.naming import singular

LATEX = re.compile(r"\$|\\mathrm|\\text|[{}^_]")
SEPARATORS = re.compile(r"[\s\-_–—./'’]+")
LAST_WORD = re.compile(r"(\w+)$")


@lru_cache(maxsize=1 << 16)  # (names repeat: the resolver keys every mention)
def name_key(name: str) -> str:
    """Fold case, accents, spaces, hyphens, LaTeX and a plural last word: CIFAR-10 =
    CIFAR10, GSM-8K = GSM8K, ImageNet-64x64 = ImageNet 64×64, accuracies = accuracy, GANs =
    GAN. Digits and letters are kept, so ImageNet 64x64 and ImageNet 256x256 stay apart."""
    text = LAST_WORD.sub(lambda m: singular(m.group(1)), name.strip())
    text = unicodedata.normalize("NFKC", text).replace("×", "x")
    text = LATEX.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return SEPARATORS.sub("", text)


def person_key(name: str) -> str:
    """An author's id part: the slug, with a short hash of the name when the slug lost
    letters (names in other scripts would otherwise collide)."""
    key = slug(name)
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if c.isalnum())
    if not folded.isascii() or key == "x":
        key += "-" + hashlib.sha1(name.encode()).hexdigest()[:8]
    return key


def slug(name: str) -> str:
    """A readable, IRI-safe identifier part."""
    text = unicodedata.normalize("NFKD", name.replace("×", "x"))
    text = "".join(c for c in text if c.isascii())
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "x"
