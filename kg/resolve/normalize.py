"""Name normalisation: the keys under which spelling variants meet."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

LATEX = re.compile(r"\$|\\mathrm|\\text|[{}^_]")
SEPARATORS = re.compile(r"[\s\-_–—./'’]+")


ACRONYM_PLURAL = re.compile(r"[A-Z][A-Z0-9]+s")
LAST_WORD = re.compile(r"(\w+)$")


def singular(word: str) -> str:
    """The singular of a plural last word: GANs, accuracies, reasoning lengths, processes
    (plain words of four letters or more, and acronyms; "Focus" and "ResNets" of one letter
    case each stay as they are unless they are plain)."""
    if ACRONYM_PLURAL.fullmatch(word):
        return word[:-1]
    if len(word) <= 3 or not (word.islower() or (word[0].isupper() and word[1:].islower())):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


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


def slug(name: str) -> str:
    """A readable, IRI-safe identifier part."""
    text = unicodedata.normalize("NFKD", name.replace("×", "x"))
    text = "".join(c for c in text if c.isascii())
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "x"
