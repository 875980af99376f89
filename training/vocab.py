"""Build ``kg/extract/patterns/public.jsonl``: curated names from real public sources.

Usage (from the repository root; needs the wheel of ``transformers==4.57.1`` in a folder,
e.g. ``pip download --no-deps transformers==4.57.1 -d /tmp/tf``)::

    .venv/bin/python training/vocab.py \
        --transformers-wheel /tmp/tf/transformers-4.57.1-py3-none-any.whl

Sources (the file's first line names them and their licences):

* model families: ``MODEL_NAMES_MAPPING`` of Hugging Face ``transformers`` 4.57.1
  (``models/auto/configuration_auto.py``; Apache-2.0), display names only (no ``...Model``,
  ``...ForCausalLM`` or encoder-decoder wrappers);
* tasks, datasets and metrics: the names TDMSci train annotates at least twice (Hou et al.
  2021, ``IBM/science-result-extractor``; Apache-2.0) and the NLP-TDMS leaderboard knowledge base
  (``kb/*.tsv``, same repository and licence), keeping names that name something: no
  single generic word ("translation", "forums"), nothing a curated list already holds.

Every entry is case-sensitive unless it is a lower-case phrase of two words or more.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.evaluate.corpora import AnnotatedText, read_tdmsci  # noqa: E402
from kg.extract.gazetteer import PATTERN_DIR  # noqa: E402
from kg.extract.naming import is_generic  # noqa: E402
from kg.resolve.normalize import name_key  # noqa: E402

DATA = Path("/work/shared/data")
TARGET = PATTERN_DIR / "public.jsonl"
HEADER = {
    "sources": [
        "Hugging Face transformers 4.57.1, models/auto/configuration_auto.py MODEL_NAMES_MAPPING "
        "(Apache-2.0): model family names",
        "TDMSci train_1500_v2.conll (Hou et al., EACL 2021; github.com/IBM/science-result-"
        "extractor @1c59ff3; Apache-2.0): annotated task, dataset and metric names",
        "NLP-TDMS kb/taskKB.tsv, kb/datasetKB.tsv, kb/evaMatrixKB.tsv (Hou et al., ACL 2019; "
        "same repository; Apache-2.0): leaderboard task, dataset and metric names",
    ],
    "built_by": "training/vocab.py",
}
WRAPPERS = re.compile(r"Model$|For[A-Z]|Encoder|Decoder|decoder|Backbone|Wrapper|_|Text$|Vision")
# Display names that are plain words in running text too.
AMBIGUOUS = frozenset(
    """Bark Janus Marian Mimi Moshi Dia Doge Helium Evolla Blt Arcee Aria CSM DAC GIT LED MMS
    NAT OPT RAG REALM VAN TVP MRA MVP MEGA LUKE Cohere Granite Splinter Nezha Jukebox CPM
    BORT BROS GLM ESM Phi Falcon Informer Pegasus Perceiver Reformer Chameleon Parakeet
    Persimmon UDOP UL2 XGLM XLM dots1 myt5 mamba2 Dia VITS""".split()
)
# Names of these sources that are descriptions, fields or ambiguous letters, not names.
NOT_NAMES = frozenset(
    """Smaller Datasets|Social media|Google Dataset|MD dataset|MSR|POS|PKU|PNT|SUBJ|UWS|
    Number of params|Query Split|Question Split|Temporal awareness|common sense|
    natural language processing|natural language understanding|natural language generation|
    domain adaptation|summarization task|opinion analysis|phrase reduction|case prediction|
    detecting conversations|sentential extraction|token-based classification|
    type-based classification|Accuracy on Average|F1 on Full|Acc ex|TED corpus"""
    .replace("\n", "")
    .split("|")
)
GENERIC_WORDS = frozenset(
    """translation parsing classification segmentation tagging retrieval prediction
    recommendation tokenization paraphrase forums wikipedia twitter errors error inaccuracy
    purity coverage fluency adequacy recall precision accuracy accuracies data corpus""".split()
)


def transformers_names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read("transformers/models/auto/configuration_auto.py").decode()
    start = source.index("MODEL_NAMES_MAPPING = OrderedDict")
    block = source[start : source.index("\n)\n", start)]
    names = {display for _, display in re.findall(r'\(\s*"([^"]+)",\s*"([^"]+)"\s*\)', block)}
    return sorted(n for n in names if not WRAPPERS.search(n) and n not in AMBIGUOUS)


def tdmsci_names(
    texts: list[AnnotatedText] | None = None, min_count: int = 2, max_words: int = 4
) -> dict[str, list[str]]:
    """Names TDMSci train (or ``texts`` of it) annotates at least ``min_count`` times (a
    standard name rather than one sentence's description), of at most ``max_words`` words."""
    counts: dict[str, Counter[str]] = {"Task": Counter(), "Dataset": Counter(), "Metric": Counter()}
    if texts is None:
        texts = list(read_tdmsci(DATA / "tdmsci" / "train_1500_v2.conll"))
    for text in texts:
        for start, end, kind in text.spans:
            counts[kind][" ".join(text.text[start:end].split())] += 1
    return {
        kind: sorted(n for n, k in c.items() if k >= min_count and len(n.split()) <= max_words)
        for kind, c in counts.items()
    }


def tdms_kb() -> dict[str, list[str]]:
    kb = DATA / "nlp-tdms" / "kb"

    def column(name: str) -> list[str]:
        rows = (line.split("\t") for line in (kb / name).read_text().splitlines() if line)
        return [row[1].strip() for row in rows if len(row) > 1]

    tasks = [t.replace("_", " ") for t in column("taskKB.tsv")]
    return {"Task": tasks, "Dataset": column("datasetKB.tsv"), "Metric": column("evaMatrixKB.tsv")}


def names_something(name: str, kind: str) -> bool:
    words = name.split()
    if not words or len(words) > 5 or is_generic(name) or any(c in name for c in "();:/&"):
        return False
    if name in {n.strip() for n in NOT_NAMES} or len(name) <= 2:
        return False
    if name.lower() in GENERIC_WORDS or re.search(r"\b(?:on|of|in) (?:Dev|Test)\b", name):
        return False
    if kind == "Dataset":
        return name[:1].isupper() and not re.fullmatch(r"[A-Z][a-z]+", name)  # not "Scholar"
    if kind == "Task":
        return len(words) >= 2 or name.isupper()
    return True


def build(
    wheel: Path, target: Path, pattern_dir: Path = PATTERN_DIR,
    tdmsci: list[AnnotatedText] | None = None,
) -> int:
    """Write the public vocabulary to ``target`` (names the curated files of
    ``pattern_dir`` other than ``target`` do not hold); returns its size. ``tdmsci``: the
    TDMSci texts to take names from (default all of train)."""
    curated = [p for p in sorted(pattern_dir.glob("*.jsonl")) if p.name != target.name]
    existing = set()
    for path in curated:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line) if line.strip() else {}
            if "label" in record:
                existing.update(name_key(n) for n in (record["name"], *record.get("aliases", [])))
    label = {"Method": "METHOD", "Dataset": "DATASET", "Metric": "METRIC", "Task": "TASK"}
    entries: dict[str, dict[str, object]] = {}

    def add(name: str, kind: str) -> None:
        key = name_key(name)
        if not key or key in existing or key in entries or not names_something(name, kind):
            return
        case_sensitive = not (name.islower() and " " in name)
        entries[key] = {"label": label[kind], "name": name, "aliases": [],
                        "case_sensitive": case_sensitive}

    for name in transformers_names(wheel):
        add(name, "Method")
    for source in (tdms_kb(), tdmsci_names(tdmsci)):
        for kind in ("Dataset", "Metric", "Task"):
            for name in source[kind]:
                add(name, kind)
    lines = [json.dumps(HEADER, ensure_ascii=False)]
    lines += [json.dumps(e, ensure_ascii=False) for e in sorted(
        entries.values(), key=lambda e: (str(e["label"]), str(e["name"]).lower()))]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(entries)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transformers-wheel", type=Path, required=True)
    args = parser.parse_args(argv)
    print(f"{TARGET}: {build(args.transformers_wheel, TARGET)} names")


if __name__ == "__main__":
    main()
