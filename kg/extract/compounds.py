"""Noun compounds named by their head word: ``grounding accuracy``, ``decoding throughput``,
``text-to-sound generation``, ``step localization``.

A compound is a head word from a closed list (metric heads, task heads) with up to three
modifier words before it: plain words, hyphenated words or acronyms, but no determiner,
preposition, verb, adverb or evaluative adjective (``high accuracy`` is the metric
``accuracy``). Coordinated modifiers are expanded: ``training, validation and test
accuracy`` names three metrics, ``DNA and RNA sequence generation`` two tasks (but ``reasoning
and code generation`` is ``reasoning`` and ``code generation``: a head word is a name of its
own, not a modifier).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from kg.extract.naming import ADJECTIVE_SUFFIX, singular

#: Heads that name a metric on their own ("accuracy", "latency").
STRONG_METRIC_HEADS = (
    "accuracy", "accuracies", "perplexity", "latency", "throughput", "regret",
)  # (speed-ups are the one metric "speedup", however they are written: see quantities)
#: Heads that name a metric only with a modifier ("alignment score", "inference time").
WEAK_METRIC_HEADS = (
    "score", "rate", "rates", "error", "efficiency", "time", "speed",
    "cost", "costs", "memory", "usage", "consumption", "footprint", "length", "return",
    "reward", "coverage", "budget", "hours", "correlation", "ratio",
)
#: Settings, not measures: compounds with a metric head that are no metric.
NOT_METRICS = frozenset(
    {"learning rate", "sampling rate", "dropout rate", "frame rate", "mask ratio",
     "masking ratio", "context length", "sequence length", "step size", "real time",
     "compression rate", "reward", "return", "error", "errors", "time", "score", "scores"}
)
#: What may follow a metric compound's head: the end of its noun phrase.
METRIC_FOLLOWERS = frozenset(
    """of on in at by for to from with and or than compared over across while when which that
    is are was were be has have had can could drops dropped improves improved increases
    increased decreases decreased rises rose reaches reached remains remained goes went
    gains gained falls fell jumps per under within without as via between among vs versus
    respectively relative score scores gap gains improvement improvements reduction
    reductions drop boost increase decrease using measured evaluated computed reported""".split()
)
TASK_HEADS = (
    "generation", "recognition", "classification", "detection", "segmentation", "translation",
    "answering", "retrieval", "synthesis", "summarization", "summarisation", "estimation",
    "forecasting", "reasoning", "captioning", "comprehension", "localization",
    "localisation", "inpainting", "outpainting", "editing", "planning", "navigation",
    "manipulation", "recommendation", "completion", "parsing", "tagging", "tracking",
    "understanding", "induction", "prediction", "proving", "grounding", "restoration",
    "super-resolution", "denoising", "deblurring", "reconstruction", "modeling", "modelling",
    "adaptation", "simulation", "verification", "extraction",
)
HEADS = {
    "METRIC": (*STRONG_METRIC_HEADS, *WEAK_METRIC_HEADS),
    "TASK": TASK_HEADS,
}
HEAD_SETS = {kind: frozenset(heads) for kind, heads in HEADS.items()}
ALL_HEADS = frozenset(h for heads in HEADS.values() for h in heads)
#: Words that are never part of a compound's name (it starts after them).
STOP = frozenset(
    """a an the this that these those its their our his her my your each every any all both
    some many most more less few several such other same own new novel first second third
    of in on at by for to from with without via into onto over under than as and or nor but
    vs versus per across between among within up down out off during before after through
    like beyond until upon toward towards around about against along behind besides despite
    except inside outside since throughout unlike whether desired exceptional mode model models
    percent balance further network method methods approach is are was were be been being
    has have had do does did can could may might will would should must also not no only just
    very much well even still yet while whereas where when which who whom whose what how why
    then thus so if because although though we they it one two three four five six seven
    eight nine ten high higher highest low lower lowest good better best great greater
    greatest strong stronger strongest superior inferior improved improving improve improves
    enhanced enhancing enhance enhances increased increasing increase increases reduced
    reducing reduce reduces decreased decreasing decrease decreases boosted boosting boost
    boosts achieved achieving achieve achieves attained attaining attain attains reached
    reaching reach reaches obtained obtaining obtain obtains yielded yielding yield yields
    delivering deliver delivers maintaining maintain maintains preserving preserve preserves
    retaining retain retains sacrificing sacrifice matching match matches surpassing surpass
    surpasses exceeding exceed exceeds outperforming outperform outperforms showing show
    shows demonstrating demonstrate demonstrates offering offer offers providing provide
    provides ensuring ensure ensures enabling enable enables allowing allow allows lowering
    lower lowers raising raise raises cutting cut cuts minimizing minimize minimizes
    maximizing maximize maximizes measuring measure measures evaluating evaluate evaluates
    comparable competitive significant substantial remarkable impressive notable considerable
    excellent optimal suboptimal promising state-of-the-art sota top overall average mean
    total final reported similar different various additional extra minimal maximal minimum
    maximum fast faster slow slower efficient effective robust accurate large larger small
    smaller huge massive extensive limited poor key main major minor critical crucial
    important essential general generic specific particular certain diverse multiple single
    simple complex challenging difficult hard easy existing prior previous current recent
    traditional conventional standard typical popular proposed resulting corresponding
    respective relative absolute theoretical empirical practical human-level expert-level
    near-optimal sub-optimal strong-performing high-quality low-quality better-quality
    x times hundred thousand million billion trillion""".split()
)
#: What a task acts on: the modifiers a task compound may have ("music inpainting",
#: "molecule generation"), besides "X-to-Y" forms ("text-to-sound generation").
TASK_OBJECTS = frozenset(
    """text image images video videos speech audio music sound code program programs motion
    molecule molecular protein proteins dna rna graph graphs table tables layout layouts scene
    scenes 3d shape shapes mesh point cloud language sentence sentiment document documents query
    question questions dialogue dialog conversation story poem caption instruction instructions
    recipe recipes handwriting handwritten face faces pose poses object objects action actions
    event events entity entities relation relations keyphrase summary math mathematical theorem
    proof plan trajectory time-series series sequence sequences token tokens character word
    depth view novel-view avatar human hand robot robotic speaker emotion intent topic visual
    multimodal cross-modal cross-lingual multilingual machine neural semantic instance panoptic
    named open-domain open-vocabulary zero-shot few-shot one-shot long-form long-context
    long-horizon chart diagram map maze route sql api tool web gui app software bug vulnerability
    medical clinical legal financial chemical material materials crystal weather traffic
    recommendation product news review reviews image-text video-text text-video audio-visual
    spoken lip gesture facial body scene-text optical""".split()
)
#: Gerunds that name a thing ("decoding throughput", "training time"); other -ing words
#: before a head are verbs ("improving accuracy", "identifying errors").
GERUNDS = frozenset(
    """training pretraining pre-training fine-tuning finetuning sampling decoding reasoning
    grounding ranking reranking re-ranking planning matching editing parsing coding modeling
    modelling clustering labeling labelling tagging routing rendering encoding prefilling
    scheduling searching captioning processing computing serving thinking scoring filtering
    denoising solving answering prompting learning tracking forecasting streaming indexing
    caching tokenizing testing validation""".split()
)
VERB_ENDINGS = re.compile(r"(?:ed|ize|izes|ise|ises|ates|ifies)$")
MODIFIER = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*")
WORD_BEFORE = re.compile(r"(\S+)\s+$")
JOINT = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
WORD_END = re.compile(r"([A-Za-z0-9][\w/-]*)$")
# A word (with inner hyphens): heads are looked up among these, one scan a text.
WORD = re.compile(r"(?<![\w-])[A-Za-z][a-z-]*[a-z](?![\w@-])")
#: Task heads in Title Case ("Music Similarity Retrieval"), and every head word.
CAPITAL_HEADS = frozenset(h.capitalize() for h in TASK_HEADS)
HEAD_WORDS = ALL_HEADS | CAPITAL_HEADS


def head_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of every word of ``text`` that is a head of some kind."""
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text) if m.group() in HEAD_WORDS]


@dataclass(frozen=True)
class Compound:
    """A compound's span (modifiers and head) and the names it stands for: one, or one per
    coordinated modifier; each name is (name, start, end), with the span of its own
    modifier for coordinated names."""

    start: int
    end: int
    head: str
    names: tuple[tuple[str, int, int], ...]

    @property
    def modified(self) -> bool:
        return self.start < self.end - len(self.head)


def modifier_ok(word: str, kind: str) -> bool:
    """A word that can modify a head of ``kind`` (another head of that kind cannot: it is
    a name of its own; "reasoning accuracy" is a metric, "reasoning generation" no task)."""
    low = word.lower()
    if kind == "TASK":
        return low in TASK_OBJECTS or "-to-" in low or (word.isupper() and len(word) > 1)
    if kind == "TASK_CONTEXT":  # (where the text says it is a task: any plain modifier)
        if low in CONTEXT_WORDS:
            return False
        kind = "TASK"
    return (
        bool(MODIFIER.fullmatch(word))
        and low not in STOP
        and low not in HEAD_SETS[kind]
        and not (low.endswith("ly") and len(low) > 4)
        and not (low.endswith("ing") and low not in GERUNDS)
        and not (VERB_ENDINGS.search(low) and not word.isupper())
    )


def _word_before(text: str, pos: int, floor: int) -> tuple[int, int] | None:
    match = WORD_BEFORE.search(text, max(floor, pos - 40), pos)
    if match is None or match.end() != pos:
        return None
    return match.start(1), match.end(1)


def _modifiers(text: str, head_start: int, floor: int, kind: str) -> list[tuple[int, int]]:
    """The modifier words right before a head, left to right (at most three)."""
    words: list[tuple[int, int]] = []
    pos = head_start
    while len(words) < 3:
        span = _word_before(text, pos, floor)
        if span is None or not modifier_ok(text[span[0] : span[1]], kind):
            break
        words.insert(0, span)
        pos = span[0]
    return words


def _coordinated(text: str, first: int, floor: int, kind: str) -> list[tuple[int, int]]:
    """Modifiers coordinated with the one at ``first``: ``training, validation and``."""
    found: list[tuple[int, int]] = []
    pos = first
    while len(found) < 4:
        joint = JOINT.search(text, max(floor, pos - 8), pos)
        if joint is None:
            break
        word = WORD_END.search(text, max(floor, joint.start() - 40), joint.start())
        # (a head word ends a name of its own: "time and step localization" is no coordination)
        if word is None or not modifier_ok(word.group(1), kind):
            break
        if word.group(1).lower() in ALL_HEADS:
            break
        found.insert(0, word.span(1))
        pos = word.start(1)
    return found


NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")


def _ends_phrase(text: str, end: int) -> bool:
    """Whether a metric head at ``end`` ends its noun phrase ("accuracy on", "latency.")
    rather than modifying a later noun ("reward models", "score function")."""
    match = NEXT_WORD.match(text, end)
    if match is None:
        return True
    return match.group(1).lower() in METRIC_FOLLOWERS or match.group(1)[0].isupper()


#: Words that say which tasks, not what they act on ("downstream tasks").
CONTEXT_WORDS = frozenset("benchmark benchmarks downstream public target auxiliary related".split())
TASK_AFTER = re.compile(r"\s+(?:tasks?|problems?)\b")
TASK_LIST = re.compile(
    r"\btasks?\s*(?:such\s+as|like|including|includ(?:e|es)|of|:|\(|,\s*(?:e\.g\.|namely))"
    r"[^.;:()]*$",
    re.I,
)


def in_task_context(text: str, start: int, end: int) -> bool:
    """Whether the text says the phrase ending in a task head at ``[start, end)`` is a task:
    "the X retrieval task", "tasks such as A, B and X generation"."""
    return TASK_AFTER.match(text, end) is not None or (
        TASK_LIST.search(text, max(0, start - 160), start) is not None
    )


# "for Music Similarity Retrieval", "Cross-Domain Recommendation (CDR)": a Title Case
# phrase ending in a task head names a task (one to three capitalised modifiers).
TITLE_MODIFIERS = re.compile(
    r"(?<![\w-])(?:(?:[A-Z][a-z0-9]*|[0-9][A-Z])(?:-[A-Za-z0-9]+)*\s+){1,3}$"
)


def _title_case_tasks(text: str, floor: int, heads: list[tuple[int, int, str]]) -> list[Compound]:
    """Title Case task compounds at ``heads`` (capitalised task heads)."""
    out = []
    for head_start, head_end, head in heads:
        if head_start < floor:
            continue
        before = TITLE_MODIFIERS.search(text, max(floor, head_start - 80), head_start)
        if before is None:
            continue
        words = list(re.finditer(r"\S+", before.group()))
        keep = 0  # (the longest run of modifiers right before the head that may modify it)
        for word in reversed(words):
            low = word.group().lower()
            if low in STOP or ADJECTIVE_SUFFIX.search(low) or low in ALL_HEADS:
                break
            if low.endswith("ed"):  # ("Advanced Theorem Proving", "Unified Understanding")
                break
            keep += 1
        while keep and words[-keep].group().lower().endswith("ing"):
            keep -= 1  # (a title's verb: "Learning Math Reasoning", "Mastering ...")
        if keep:
            start = before.start() + words[-keep].start()
            names = ((text[start:head_end], start, head_end),)
            out.append(Compound(start, head_end, head, names))
    return out


def find_compounds(
    text: str, kind: str, floor: int = 0, heads: list[tuple[int, int, str]] | None = None
) -> list[Compound]:
    """Compounds of ``kind`` (``METRIC`` or ``TASK``) in ``text`` (from ``floor``);
    ``heads``: ``head_words(text)``, when the caller has them."""
    out = []
    kind_heads = HEAD_SETS[kind]
    heads = heads if heads is not None else head_words(text)
    for head_start, head_end, word in heads:
        if head_start < floor or word not in kind_heads:
            continue
        if kind == "METRIC" and not _ends_phrase(text, head_end):
            continue
        modifiers = _modifiers(text, head_start, floor, kind)
        if kind == "TASK" and in_task_context(text, head_start, head_end):
            loose = _modifiers(text, head_start, floor, "TASK_CONTEXT")
            modifiers = loose if len(loose) > len(modifiers) else modifiers
        head = text[head_start:head_end]
        rest = text[modifiers[1][0] : head_end] if len(modifiers) > 1 else head
        others = _coordinated(text, modifiers[0][0], floor, kind) if modifiers else []
        if others:
            leftmost = modifiers[0]
            # (built names take the singular: "training and test accuracies")
            tail = rest if len(modifiers) > 1 else head
            tail = tail[: len(tail) - len(head)] + singular(head)
            names = [(f"{text[s:e]} {tail}", s, e) for s, e in others]
            names.append((text[leftmost[0] : head_end], leftmost[0], head_end))
            out.append(Compound(others[0][0], head_end, head, tuple(names)))
        else:
            start = modifiers[0][0] if modifiers else head_start
            out.append(Compound(start, head_end, head, ((text[start:head_end], start, head_end),)))
    if kind == "TASK":
        out += _title_case_tasks(text, floor, [h for h in heads if h[2] in CAPITAL_HEADS])
    return out


Entity = tuple[int, int, str]  # (start, end, label)


DIGIT = re.compile(r"\d")


def _kept(compound: Compound, kind: str, name: str, sentence: str) -> bool:
    """Task compounds need a modifier; metric compounds a strong head, or a modifier and a
    number in their sentence (a cost measure a number is reported in)."""
    if kind == "TASK":
        return compound.modified
    if name.lower() in NOT_METRICS:
        return False
    if compound.head.lower() in STRONG_METRIC_HEADS:
        return True
    if compound.modified and name[:1].isupper() and not sentence.lstrip().startswith(name):
        return True  # a name made a metric: "Brier score", "CLAP score" (not "Training cost")
    return compound.modified and DIGIT.search(sentence) is not None


def compound_entities(
    text: str,
    ents: list[Entity],
    sentence_starts: list[int],
    heads: list[tuple[int, int, str]] | None = None,
) -> tuple[list[Entity], list[Entity], list[tuple[str, int, int, str]]]:
    """The compound metrics and tasks of ``text`` given its entities so far: spans to add,
    entities they replace (a curated ``accuracy`` inside ``grounding accuracy``), and the
    coordinated names that are not a span of the text (``training accuracy`` in ``training
    and test accuracy``), as (name, start, end, label) with the span of their modifier."""
    add: list[Entity] = []
    replaced: list[Entity] = []
    expanded: list[tuple[str, int, int, str]] = []
    heads = head_words(text) if heads is None else heads
    for kind in ("METRIC", "TASK"):
        for compound in find_compounds(text, kind, heads=heads):
            head_start = compound.end - len(compound.head)
            overlapping = [e for e in ents if e[0] < compound.end and compound.start < e[1]]
            # (a task in a metric's modifiers is part of its name: "segmentation accuracy")
            other = [
                e
                for e in overlapping
                if e[2] != kind and not (kind == "METRIC" and e[2] == "TASK" and e[1] <= head_start)
            ]
            if any(e[1] > head_start for e in other):
                continue  # the head is part of another name ("Score Distillation")
            if any(e[0] <= compound.start and compound.end <= e[1] for e in overlapping):
                continue  # a known name already covers it
            if any(e[2] == kind and e[1] <= head_start for e in overlapping):
                continue  # "FID scores" is FID
            names = compound.names
            if other:  # modifiers up to the end of a name of another kind ("GSM8K accuracy")
                start = max(e[1] for e in other)
                start += len(text[start:head_start]) - len(text[start:head_start].lstrip())
                names = ((text[start:compound.end], start, compound.end),)
            last = names[-1]  # (the contiguous one: "test accuracy")
            span_start = last[1]
            at = bisect_right(sentence_starts, head_start) - 1
            stop = sentence_starts[at + 1] if at + 1 < len(sentence_starts) else len(text)
            sentence = text[sentence_starts[max(at, 0)] : stop]
            if not _kept(compound, kind, last[0], sentence) or span_start >= compound.end:
                continue
            replaced += [e for e in overlapping if e[2] == kind or e not in other]
            add.append((span_start, compound.end, kind))
            # (evidence: from the name's own modifier to the shared head)
            expanded += [(name, s, compound.end, kind) for name, s, _ in names[:-1]]
    return add, replaced, expanded
