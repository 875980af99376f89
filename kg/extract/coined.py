"""Names no curated list holds, found by their form and typed by their suffix, head word or
context.

* A coined token (``StepMix``, ``MLM-U``, ``EFAGen``, ``PutnamBench``, ``F1@3``: an inner
  capital, a digit or all capitals) is a candidate; so is a Title Case phrase inside an
  abstract sentence whose head word says what it is (``Thompson Sampling``, ``Gated
  Recurrent Units``).
* Its type comes from its form first (``…Bench``, ``…Eval``, ``…QA`` -> Dataset; ``…Score``,
  ``…BLEU``, ``…FID``, ``@k`` -> Metric; ``…Attention``, ``…Sampler``, ``…Net`` -> Method),
  then from its context (``X dataset``, ``on X and Y`` after an evaluation word -> Dataset),
  else it is a Method: in abstracts, coined names are mostly models and methods.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from kg.extract.naming import (
    BUILT_ON_NAME,
    DATA_SUFFIX,
    MODEL_SUFFIX,
    is_generic,
    looks_like_name,
)

METRIC_FORM = re.compile(
    r"(?:@(?:\d+|k|K)|BLEU|ROUGE(?:-\w+)?|Score|FID|IoU|AUC|PSNR|SSIM|LPIPS|CIDEr|METEOR|MRR|"
    r"NDCG|WER|CER|BPD|PPL|TPOT|TTFT|FVD|KID|mAP|Acc)$"
)
DATASET_FORM = re.compile(r"(?:Bench|Benchmark|Eval|QA|Arena|Gym|Corpus|Bank|Suite|DB|\d[kK])$")
METHOD_FORM = re.compile(
    r"(?:Net|Former|former|GPT|LM|BERT|GAN|VAE|Diffusion|Attention|Sampler|Solver|Agent|"
    r"Prover|Coder|Searcher|Planner|Tuning|Distill|Flow|Mixer|Mamba|Llama|Qwen)$"
)
# Heads of specific techniques ("Thompson Sampling", "Annealing Reflow"), not of families
# ("Large Language Models", "Convolutional Neural Networks", "Markov Decision Process").
METHOD_HEADS = frozenset(
    """attention sampling sampler search decoding distillation optimization optimisation
    optimizer estimation units actor critic autoencoder solver reflow merger merging
    regularization normalization prompting tuning adapter guidance matching backtracking
    recording maximization minimization descent boosting clustering forest regression
    quantization pruning scheduler agent verifier router translator module engine system""".split()
)
# "the dataset named X", "benchmarks, X", "datasets (X and Y)", "datasets, namely X".
DATA_BEFORE = re.compile(
    r"\b(?:datasets?|benchmarks?|corpus|corpora|suites?)\s*(?:\w+\s+)?(?:named|called|dubbed|"
    r"termed|namely|such\s+as|including|like)?\s*[,:(]?\s*(?:(?:namely|such\s+as|including)\s+)?$",
    re.I,
)
# "20,000 samples from Fakeddit", "protein-ligand complexes from PDBBind": data drawn from X.
DRAWN_FROM = re.compile(
    r"\b(?:samples|examples|instances|images|questions|problems|sentences|documents|"
    r"complexes|pairs|videos|clips|data|records|conversations|dialogues|posts|tweets|"
    r"articles|reviews|scenes|trajectories|tasks)\s+(?:[\w-]+\s+){0,2}?(?:from|of)\s+(?:the\s+)?$",
    re.I,
)
# "X and Y datasets", "X, Y, and Z benchmarks": a list that ends in a data noun.
LIST_THEN_DATA = re.compile(
    r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:[^\s,;()]+\s?){1,3}?(?:,\s*)?"
    r"(?:and\s+\S+\s+)?(?:datasets|benchmarks|corpora)\b",
    re.I,
)
DATA_NEXT = re.compile(
    r"\s*(?:\w+\s+)?(?:datasets?|benchmarks?|corpus|corpora|suite|leaderboard|test\s+sets?|"
    r"splits?|environments?|tasks?\s+suite)\b", re.I
)
EVALUATION = re.compile(
    r"\b(?:experiments?|evaluat\w*|results?|benchmarks?|test(?:ed|s)?|datasets?|achiev\w*|"
    r"accuracy|scores?|outperform\w*|state-of-the-art|SOTA|performance|(?:pre-?|fine-?)?train\w*|fine-?tun\w*)\b",
    re.I,
)
LIST_ON = re.compile(
    r"(?:\b(?:on|across|over)|\b(?:datasets?|benchmarks?|corpora|suites?)\s+(?:such as|like|"
    r"including)|\b(?:experiments?|evaluated|tested|results)\s+(?:\w+\s+){0,2}in)\s+(?:the\s+)?$",
    re.I,
)
# "X, a novel adversarial dataset": an apposition that says what X is.
# The words of a noun phrase before its head: no preposition or verb (so "a framework for
# dataset distillation" is no dataset), a bracketed acronym allowed ("a Visual Question
# Answering (VQA) dataset").
MODIFIERS = (
    r"(?:(?!(?:for|of|on|with|to|in|from|that|which|and|or|by|via|using|is|are)\b)[\w-]+\s+"
    r"|\([^()\s]{1,15}\)\s+)"
)
# "X, a new benchmark for ...", "X is a popular dataset", a title's "X: A Visual Question
# Answering Dataset for ...".
APPOSED_DATA = re.compile(
    rf"(?:[,:]|\s+(?:is|are|was|were|remains))\s+(?:a|an|the)\s+{MODIFIERS}{{0,5}}?(?:dataset|benchmark|corpus|suite|collection|"
    r"testbed|leaderboard)\b",
    re.I,
)
LIST_JOINT = re.compile(r"^(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
# Words that can be names: with a capital or a digit (most words are neither, and are
# skipped at the regex engine's speed).
CANDIDATE = re.compile(
    r"(?<![^\s,;:()\[\]{}\"])(?=[^\s,;:()\[\]{}\"]*[A-Z0-9])[^\s,;:()\[\]{}\"]+"
)
TRAILING = ".,;:!?'\"*"
# Not models or data: organisations, hardware, formats, units, numerals.
NOT_NAMES = frozenset(
    s.lower()
    for s in """OpenAI DeepMind GitHub HuggingFace arXiv YouTube LaTeX NVIDIA A100 H100 H800 A800
    V100 RTX GPU GPUs TPU TPUs CPU CPUs 2D 3D 4D 4K 8K 1080p 720p RGB RGB-D HD FP16 FP32 FP8
    BF16 INT8 INT4 W4A16 W8A8 JSON YAML HTML SQL URL URLs API APIs SOTA ID IDs IoT AR VR XR
    US UK EU USA II III IV VI VII VIII IX XI XII OOD IID LTL CoRR ICLR ICML NeurIPS CVPR ICCV
    ECCV ACL EMNLP NAACL AAAI IJCAI KDD PhD MSc COVID-19 I/O O(1) Python C++ Java JavaScript
    TypeScript Rust Go Lean Coq Isabelle English Chinese Arabic Russian EASY MEDIUM HARD EXPERT
    DATE STEM TRUE FALSE NONE NULL NOTE NaN TODO README""".split()
)
# The type of a coined name with no evidence of its own (a label of its own, so that the
# paper's other mentions of the name can outvote it: see assemble).
DEFAULT = "METHOD?"
# The mark of a type given by a name's form alone (``HonestVQA``): a proposal that says what
# the name is ("HonestVQA, a calibration framework") overrides it.
FORM = "!"
TITLE_WORD = re.compile(r"[A-Z][\w*'-]*")


def _candidates(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Words of ``text[start:end]`` with a capital or a digit, without surrounding
    punctuation; ``Name(ABBR)`` gives ``Name`` and ``ABBR``."""
    for match in CANDIDATE.finditer(text, start, end):
        s, e = match.span()
        dash = text.find("--", s, e)  # (LaTeX's dash joins no words: "MLLMs--such as")
        e = dash if dash >= 0 else e
        while s < e and text[s] in "`*":
            s += 1
        while e > s and text[e - 1] in TRAILING:
            e -= 1
        if text[s:e].endswith("'s"):
            e -= 2
        if e > s:
            yield s, e


def form_type(name: str) -> str | None:
    """The type a name's form says (``PutnamBench``, ``GeoBench-VLM`` -> DATASET), or None."""
    core = name.split("/")[-1]
    if any(DATASET_FORM.search(part) for part in core.split("-")[:-1] if len(part) > 4):
        return "DATASET"  # ("GeoBench-VLM": a benchmark of VLMs)
    if METRIC_FORM.search(core):
        return "METRIC"
    if DATASET_FORM.search(core) and not core.isdigit():
        return "DATASET"
    if METHOD_FORM.search(core):
        return "METHOD"
    return None


def _is_data_context(text: str, start: int, end: int, sentence: tuple[int, int]) -> bool:
    """``X dataset``; ``experiments on X``, ``on X, Y and Z`` in an evaluation sentence."""
    if MODELS_NEXT.match(text, end, sentence[1]):
        return False  # "on the Llama2-7B model"
    window = max(sentence[0], start - 40)
    if DATA_NEXT.match(text, end) or DATA_BEFORE.search(text, window, start):
        return True
    if DRAWN_FROM.search(text, window, start):
        return True
    if LIST_THEN_DATA.match(text, end, min(sentence[1], end + 60)):
        return True
    if APPOSED_DATA.match(text, end, min(sentence[1], end + 60)):
        return True
    before = text[max(sentence[0], start - 30) : start]
    if NUMBER_ON.search(before):
        return True  # "11.00% on BeyondAIME", "75.7 mAP@200 on Sketchy"
    return bool(LIST_ON.search(before) and EVALUATION.search(text, sentence[0], sentence[1]))


# A number (with its unit or metric) reported on X: X is evaluation data.
NUMBER_ON = re.compile(r"\d(?:\.\d+)?\s?(?:%|\\%)?\s+(?:[\w@-]+\s+)?on\s+(?:the\s+)?$")


HARDWARE = re.compile(r"^(?:[AHVLTPB]\d{2,4}|RTX|INT\d|FP\d|W\d+A\d+)", re.I)
# "LLM-generated", "MCTS-Boosted": an adjective built on a name, not a name.
BUILT_ON = re.compile(r"-(?:[A-Za-z]+ed|[a-z]+ing|based|aware|free|like|style|level|wise|only)$")
SHORT_CAPS = re.compile(r"[A-Z]{1,3}s?")
# "v2", "P2", "R1" (a part of a name), "sub-2B", "L0-L4": no names of their own.
FRAGMENT = re.compile(r"[A-Za-z]\d{1,2}|[a-z]+-\d.*|[A-Z]\d+-[A-Z]\d+")


# "PASCAL-5$^i$", "Med-R$^3$": a LaTeX superscript is part of a name ("CO$_2$" is a formula).
LATEX_SCRIPT = re.compile(r"(?<=\w)\$\^\{?[\w*]{1,4}\}?\$")


def _name_ok(name: str) -> bool:
    """A coined token worth a node: not generic, no organisation, hardware, URL, path or
    formula, no adjective built on a name, and no bare acronym of three letters or fewer
    (those are names only where the text defines them: see ``abbreviations``)."""
    return (
        looks_like_name(name)
        and not is_generic(name)
        and name.lower() not in NOT_NAMES
        and not name[0].isdigit()
        and not any(c in LATEX_SCRIPT.sub("", name) for c in "\\/_$~{}=<>|")
        and "http" not in name
        and not name.endswith((".io", ".com", ".org"))
        and not HARDWARE.match(name)
        and not BUILT_ON.search(name)
        and not SHORT_CAPS.fullmatch(name)
        and not FRAGMENT.fullmatch(name)
        and any(c.isalpha() for c in name)
    )


def coined_entities(
    text: str,
    taken: list[tuple[int, int, str]],
    sentence_bounds: list[tuple[int, int]],
    title: bool,
) -> list[tuple[int, int, str]]:
    """(start, end, label) of names no earlier component found. ``taken``: the entities so
    far, as (start, end, label); ``title``: the text is a title (Title Case everywhere:
    phrases are not names there). A label ending in ``?`` is a default, for want of
    evidence; one ending in ``!`` (``FORM``) comes from the name's form alone."""
    found: list[tuple[int, int, str]] = []

    spans = sorted(taken)
    starts = [a for a, _, _ in spans]

    def label_at(s: int, e: int) -> str | None:
        # (entities do not overlap: the one that starts last before e is the candidate)
        i = bisect_left(starts, e) - 1
        if i >= 0 and spans[i][1] > s:
            return spans[i][2]
        for a, b, label in found[-3:]:  # (found in order: only the last ones can overlap)
            if a < e and s < b:
                return label
        return None

    for bounds in sentence_bounds:
        data_list = False  # inside "on A, B and C" of an evaluation sentence
        previous_end = -1
        first = True  # (the sentence's first candidate may be its first word)
        for s, e in _candidates(text, *bounds):
            built = BUILT_ON_NAME.search(text, s, e)
            if built is not None and built.end() == e and built.start() > s:
                e = built.start()  # ("LuxASR-based segmentation": the name is LuxASR)
            name = text[s:e]
            at_start = first and not text[bounds[0] : s].strip()
            first = False
            # (a list goes on only across ", " / " and ": any other word between breaks it;
            # "On ARC-AGI-2, GPT-5 Pro scores": the comma ends a leading phrase, no list)
            joined = previous_end < 0 or LIST_JOINT.match(text[previous_end:s]) is not None
            if not joined or (data_list and _leading_comma(text, bounds[0], previous_end, s, e)):
                data_list = False
            previous_end = e
            known = label_at(s, e)
            if known is not None:
                data_list = known.rstrip("?!") == "DATASET"
                continue
            plain = name.isalpha() and name.istitle()  # ("The", "Barkle": no coined name)
            if at_start and plain:
                continue
            if not plain and _name_ok(name):
                kind = form_type(name)
                by_form = kind is not None
                if kind is None and (data_list or _is_data_context(text, s, e, bounds)):
                    kind = "DATASET"
                data_list = kind == "DATASET" or data_list
                # ("DeepSeek R1-7B", "Qwen2.5 7B Instruct"; "MultiWOZ 2.2", "CLPsych 2026")
                suffix = MODEL_SUFFIX if kind in (None, "METHOD") else DATA_SUFFIX
                variant = suffix.match(text, e, bounds[1]) if kind != "METRIC" else None
                e = variant.end() if variant else e
                previous_end = e
                found.append((s, e, f"{kind}{FORM}" if by_form else kind or DEFAULT))
            elif not title and not at_start and _listed_data(text, s, e, bounds, data_list):
                found.append((s, e, "DATASET"))  # "experiments on Foodle, Barkle and Bazzle"
                data_list = True
            elif not title and not at_start and TITLE_WORD.fullmatch(name):
                phrase = _title_phrase(text, s, bounds[1])
                if phrase is not None and label_at(*phrase[:2]) is None:
                    found.append(phrase)
    taken_spans = [(a, b) for a, b, _ in spans] + [(a, b) for a, b, _ in found]
    for match in OWN_KIND.finditer(text):
        a, b = match.span("name")
        free = not any(x < b and a < y for x, y in taken_spans)
        if free and match.group("name").lower() not in NOT_NAMES:
            found.append((a, b, "METHOD"))  # ("Our Guided-Retry strategy", "the best Soloni model")
    return sorted(found)


# A name the text calls its own model or strategy, or the best one.
OWN_KIND = re.compile(
    r"\b(?:[Oo]ur|[Tt]he\s+(?:best|proposed|resulting))\s+(?P<name>[A-Z][\w'-]+)\s+"
    r"(?:model|strategy|method|framework|approach|system|agent|pipeline|algorithm)s?\b"
)
LEADING_ON = re.compile(r"\s*(?:On|For|Across|Over|In)\s+(?:the\s+)?\S+$")
LIST_GOES_ON = re.compile(r"\s*(?:,|and\b|or\b|datasets?\b|benchmarks?\b)")


def _leading_comma(text: str, start: int, previous_end: int, s: int, e: int) -> bool:
    """The comma before ``text[s:e]`` ends a sentence's leading ``On X,`` (X ending at
    ``previous_end``), and no list goes on after the name."""
    return (
        text[previous_end:s].strip() == ","
        and LEADING_ON.fullmatch(text, start, previous_end) is not None
        and LIST_GOES_ON.match(text, e) is None
    )


PLAIN_CAPITALISED = re.compile(r"[A-Z][a-z]{2,}")
MODELS_NEXT = re.compile(r"\s*(?:\w+\s+){0,3}?(?:models?|LLMs?|backbones?|architectures?)\b")


NEXT_CAPITAL = re.compile(r"\s+[A-Z]")
NAME_ENDS = re.compile(r"\s*(?:[,.;:()]|$)|\s+(?:and|or|to|for|with|in|on|that|which|as)\b")
NEXT_IN_LIST = re.compile(r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?=[A-Z])")


def _listed_data(text: str, s: int, e: int, bounds: tuple[int, int], data_list: bool) -> bool:
    """A plain capitalised word in a list of evaluation data (``experiments on Foodle,
    Barkle and Bazzle``): the list continues one (``data_list``) or starts after ``on`` in
    an evaluation sentence and goes on after it; a list of models (``on Foodle and Barkle
    models``) is no data."""
    name = text[s:e]
    if not PLAIN_CAPITALISED.fullmatch(name) or name.lower() in NOT_NAMES:
        return False
    reported = (  # ("75.7 mAP@200 on Sketchy,": one word, not a Title Case phrase's first)
        NUMBER_ON.search(text, max(bounds[0], s - 30), s) is not None
        or (  # ("samples from Fakeddit,"; not "samples from Bayes nets")
            DRAWN_FROM.search(text, max(bounds[0], s - 40), s) is not None
            and NAME_ENDS.match(text, e, bounds[1]) is not None
        )
    ) and NEXT_CAPITAL.match(text, e, bounds[1]) is None
    if not data_list and not reported and not (
        NEXT_IN_LIST.match(text, e, bounds[1]) and _is_data_context(text, s, e, bounds)
    ):
        return False
    return MODELS_NEXT.match(text, e, bounds[1]) is None


DATASET_PHRASE_HEADS = frozenset(
    """benchmark benchmarks dataset datasets corpus corpora archive suite collection arena
    leaderboard competition challenge database""".split()
)
METRIC_PHRASE_HEADS = frozenset(
    "error rate score distance divergence accuracy precision recall correlation coefficient".split()
)
# A Title Case phrase: capitalised words, with a few short linking words inside.
TITLE_PHRASE = re.compile(
    r"[A-Z][\w*'-]*(?: (?:(?:of|for|with|in|on|via|to|the) )?[A-Z][\w*'-]*){1,5}"
)


def _title_phrase(text: str, start: int, limit: int) -> tuple[int, int, str] | None:
    """A Title Case phrase at ``start`` (not a sentence's first word) whose head names a
    method (``Thompson Sampling``), or None."""
    match = TITLE_PHRASE.match(text, start, limit)
    if match is None:
        return None
    end = match.end()
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    phrase = text[start:end]
    if is_generic(phrase) or phrase.lower() in NOT_NAMES:
        return None
    head = phrase.rsplit(" ", 1)[-1].lower()
    if head in METHOD_HEADS or head.rstrip("s") in METHOD_HEADS:
        return start, end, "METHOD"
    if head in METRIC_PHRASE_HEADS:
        return start, end, "METRIC"  # "Expected Calibration Error"
    if head in DATASET_PHRASE_HEADS:
        return start, end, "DATASET"  # "The Cancer Imaging Archive"
    return None
