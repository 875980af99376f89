"""Keep the statistical NER's guesses that name something, in the project's sense.

The model is trained on SciERC, TDMSci and SciREX, whose annotators also mark generic
phrases ("iterative process", "foundation model", "vision"). A knowledge graph wants named
methods and datasets, real metrics and specific tasks, so a guess is kept when it:

* is a Method or Dataset whose words are all capitalised and one of which looks like a
  name (inner capital, digit, acronym), and is not hardware or a generic family;
* is a Metric that looks like a name or ends in a metric head (``score``, ``rate``...);
* is a Task of at most five words ending in a task head (``generation``, ``reasoning``...);

and has no brackets or clause punctuation, no dangling conjunction and no leading
determiner, and is neither a number with a unit ("1B", "32.8%") nor a hyper-parameter
("learning rate").
"""

from __future__ import annotations

import re

from kg.extract.naming import METRIC_HEADS, TASK_HEADS, is_generic, looks_like_name

CAMEL = re.compile(r"[a-z]+[A-Z]")
HARDWARE = re.compile(r"\b(?:[AHV]100|H800|A800|RTX|GPU|TPU|CPU|NVIDIA)\b", re.I)
DANGLING = re.compile(r"^(?:the|a|an|our|this|these|its|their)\s|\s(?:and|or|of|for|to)$", re.I)
# "1B", "32.8\\%", "4K": a number with a unit is a quantity, never a name.
QUANTITY = re.compile(r"[\d.,]+\s*(?:\\?%|[BMKbmk]|x|×)?")
# "321B-parameter VLM", "7B model": a size, then what it sizes.
SIZE = re.compile(r"[\d.]+\s*[BMK]?[- ](?:parameters?|params?)\b|[\d.]+[BMK]\b", re.I)
# Settings, not measures of quality: the model reads "learning rate" as a Metric.
HYPERPARAMETERS = frozenset({"learning rate", "batch size", "weight decay", "dropout rate"})
TASK_EXTRA_HEADS = re.compile(
    r"(solving|modell?ing|planning|cloning|editing|inpainting|completion|understanding|"
    r"alignment|proving|captioning|parsing|tagging|labeling|extraction|search|tracking|"
    r"navigation|manipulation|prediction|transfer)$",
    re.I,
)


def keep_guess(text: str) -> bool:
    """Whether a guess of a head trained on the project's own conventions names something:
    only the checks no convention disputes (brackets, clause punctuation, dangling words,
    generic families, numbers, sizes, settings)."""
    return not (
        not text
        or any(c in text for c in "()[]{}:;,")
        or DANGLING.search(text)
        or is_generic(text)
        or QUANTITY.fullmatch(text)
        or SIZE.match(text)
        or text.lower() in HYPERPARAMETERS
    )


def keep_model_entity(text: str, label: str) -> bool:
    """Whether a model-found span of type ``label`` (``METHOD``...) is worth a node."""
    if not text or any(c in text for c in "()[]{}:;,") or DANGLING.search(text) or is_generic(text):
        return False
    if QUANTITY.fullmatch(text) or text.lower() in HYPERPARAMETERS or SIZE.match(text):
        return False
    words = text.split()
    head = words[-1]
    if label in ("METHOD", "DATASET"):
        # Every word capitalised (or a number), one of them a name on its own: "SX-Bench",
        # "Diffusion GAN"; not "Fast Solver" (a title fragment) nor "MCL model".
        return (
            len(words) <= 6
            and not HARDWARE.search(text)
            and all(w[:1].isupper() or w[:1].isdigit() or CAMEL.match(w) for w in words)
            and any(looks_like_name(w) for w in words)
        )
    if label == "METRIC":
        return looks_like_name(text) or bool(METRIC_HEADS.search(head))
    if label == "TASK":
        return (
            len(words) <= 5
            and len(words) + text.count("-") >= 2
            and text[:1].islower()
            and bool(TASK_HEADS.search(head) or TASK_EXTRA_HEADS.search(head))
        )
    return False
