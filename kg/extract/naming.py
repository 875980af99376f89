"""Typing of unseen names, and cues that a paper proposes a name rather than uses it."""

from __future__ import annotations

import re

from kg.model import EntityType

DATASET_HEADS = re.compile(
    r"(bench(mark)?s?|data ?sets?|corpus|corpora|suite|collection|leaderboard|arena)$", re.I
)
METRIC_HEADS = re.compile(
    r"(score|distance|error|rate|accuracy|ratio|metric|divergence|precision|recall|index|"
    r"utilization|throughput|latency|consumption|usage)$",
    re.I,
)
TASK_HEADS = re.compile(
    r"(generation|recognition|classification|detection|segmentation|translation|answering|"
    r"retrieval|synthesis|super-resolution|summari[sz]ation|estimation|forecasting|reasoning|"
    r"prediction|completion|recommendation|assessment|identification|understanding|parsing|"
    r"tagging|tracking|planning|navigation|editing|captioning|comprehension|locali[sz]ation|"
    r"inpainting|restoration|reconstruction|verification|extraction|grounding)$",
    re.I,
)
DATASET_NAME = re.compile(r"(bench|eval|qa|set|puzzles?|hub|-\d+k)$", re.I)
GENERIC = frozenset(
    s.lower()
    for s in [
        "LLM",
        "LLMs",
        "LM",
        "LMs",
        "MLLM",
        "MLLMs",
        "VLM",
        "VLMs",
        "AI",
        "GPU",
        "GPUs",
        "CPU",
        "TPU",
        "DM",
        "DMs",
        "DPM",
        "DPMs",
        "NN",
        "NNs",
        "DNN",
        "DNNs",
        "SOTA",
        "API",
        "APIs",
        "ODE",
        "ODEs",
        "SDE",
        "SDEs",
        "PDE",
        "PDEs",
        "KL",
        "RL",
        "DRL",
        "ML",
        "NLP",
        "CV",
        "IR",
        "AR",
        "NAR",
        "SR",
        "LR",
    ]
)


def type_from_head(phrase: str, default: EntityType | None = None) -> EntityType | None:
    """Guess an entity type from the head (last word) of a noun phrase."""
    head = phrase.strip().split()[-1] if phrase.strip() else ""
    if DATASET_HEADS.search(head):
        return "Dataset"
    if METRIC_HEADS.search(head):
        return "Metric"
    if TASK_HEADS.search(head):
        return "Task"
    return default


FUNCTION_WORDS = frozenset(
    "we our us i it its they their this these those that a an the at in on of for to by with "
    "from as and or but is are here there then also thus however finally first second third "
    "specifically moreover furthermore additionally overall".split()
)
"""Words that open a sentence or an enumerated item ("(1) We propose…", "(2) At inference…")
and are never names, whatever their case."""


def is_generic(name: str) -> bool:
    """Names too generic to be useful nodes (LLMs, GPU, AI...), and function words."""
    low = name.lower()
    return low in GENERIC or low in FUNCTION_WORDS


PROPOSE_VERBS = (
    r"propose[sd]?|present(?:s|ed)?|introduce[sd]?|develop(?:s|ed)?|design(?:s|ed)?|"
    r"release[sd]?|curate[sd]?|construct(?:s|ed)?|contribute[sd]?|build|built|create[sd]?|"
    r"establish(?:es|ed)?|offer(?:s|ed)?|formulate[sd]?|devise[sd]?|unveil(?:s|ed)?"
)


WORD_PART = re.compile(r"[A-Z]?[a-z]+")
NAME_MARK = re.compile(r"[A-Z].*[A-Z]|\d|\$")  # two capitals, a digit or LaTeX


def looks_like_name(text: str) -> bool:
    """A coined name: has an inner capital, a digit, or is an all-caps word (not a plain word)."""
    core = text.strip("'\"")
    if len(core) < 2 or is_generic(core) or not any(c.isalpha() for c in core):
        return False  # (no letter: a number, "$65.0\\%$")
    if ADJECTIVE_SUFFIX.search(core):
        return False
    parts = core.split("-")
    if len(parts) > 1 and all(WORD_PART.fullmatch(p) for p in parts):
        # Inference-Time, Coarse-to-Fine: ordinary hyphenated words; Vending-Bench, Terminal-
        # Bench: a benchmark's name
        return parts[-1] in BENCH_WORDS
    return bool(NAME_MARK.search(core))


BENCH_WORDS = frozenset({"Bench", "Benchmark", "Eval", "Arena", "Gym"})
BUILT_ON_NAME = re.compile(r"-(?:based|style|guided|driven|like|aware|powered|inspired)\b")
"""What follows a name in an adjective built on it (``BERT-based``, ``MCTS-guided``)."""
ADJECTIVE_SUFFIX = re.compile(
    r"-(?:based|aware|free|like|style|level|wise|guided|driven|specific|only|oriented|"
    r"conditioned|augmented|enhanced|tuned|trained|scale|step|shot|time)$",
    re.I,
)


ACRONYM_PLURAL = re.compile(r"[A-Z][A-Z0-9]+s")


def singular(word: str) -> str:
    """The singular of a plural word: acronyms (GANs, LLMs) and plain lower-case or
    capitalised words of four letters or more (accuracies, lengths, processes); any other
    word as it is (DiTs, ResNets, Focus)."""
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


# A model's version, size or variant after its family name (not a number of a unit).
# A split of a name glued to it ("FID-5k", "COCO-2017").
SPLIT_SUFFIX = re.compile(r"(?:[ -](?:(?:19|20)\d\d|\d+[kK]|\d+\s?[x×]\s?\d+))+(?![\w-])")
# A dataset's split, resolution, year, version or variant word ("MS COCO 2017-5k", "ImageNet
# 512x512", "MultiWOZ 2.2", "BFCL v3", "SWE-bench Lite", "TREC DL 2019"), not a number
# reported on it ("CIFAR-10 2.1%").
DATA_SUFFIX = re.compile(
    r"(?:[ -](?:(?:19|20)\d\d|\d+[kK]|\d+\s?[x×]\s?\d+)|"
    r" (?:v\d+(?:\.\d+)*|\d\.\d{1,2}|Hard|Pro|Lite|Verified|Mini|Full|Plus|Auto|DL))+"
    r"(?![\w%-]|\.\d|\s*(?:\\?%|x\b|×|points?\b|pp\b))"
)
MODEL_SUFFIX = re.compile(
    r"(?:[ -](?:\d+(?:\.\d+)?(?:[BbMmKkTt](?![\w]))?(?!\s*(?:times|x|×|%|points?|percent|steps|"
    r"epochs|GPUs?|layers|tokens|billion|million|k\b))|[vV]\d+(?:\.\d+)*|[A-Z]\d+(?:-\d+(?:\.\d+)?[BbMm])?|"
    r"(?:Pro|Flash|Opus|Sonnet|Haiku|Mini|mini|Ultra|Nano|Turbo|Instruct|Chat|Base|Lite|Max|Plus|"
    r"XL|XXL|Reasoning|Thinking|Preview|Omni|Coder)(?![\w-])))+"
)


TECHNIQUE_WORDS = re.compile(
    r"(?:ing|tion|sion|ment|ism|ization|isation|(?:en|de)?coder|optimizer|classifier|planner|"
    r"solver|sampler|estimator|detector|predictor|generator|selector|router|verifier|"
    r"retriever|tokenizer|adapter|learner|scheduler|filter|model|network|net|attention|"
    r"embedding|loss|transformer|algorithm|method|framework|policy|kernel|protocol|search|"
    r"graph)s?$"
)
HEAD_ENDS = re.compile(r" (?:of|for|with|in|on|via|by|from|to) ")


def domain_default(long_form: str) -> EntityType | None:
    """The type of an acronym's long form that no head word types: a method, unless it is
    all lower case and its head names no technique (a domain term: "non-small cell lung
    cancer", "unmanned aerial vehicle", "key-value"; "end-to-end training of quantization
    parameters" is headed by "training")."""
    head = HEAD_ENDS.split(long_form, maxsplit=1)[0].rsplit(" ", 1)[-1].lower()
    if long_form.islower() and not TECHNIQUE_WORDS.search(head):
        return None
    return "Method"
