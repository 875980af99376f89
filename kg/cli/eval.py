"""``kg eval``: score extraction against a hand-annotated gold set or a shared NER corpus."""

from __future__ import annotations

import json
from pathlib import Path

import click
import spacy

from kg.errors import KgError
from kg.evaluate.annotations import read_gold, read_predictions
from kg.evaluate.scorer import Counts, Report, score
from kg.evaluate.spans import CORPORA, load_corpus, predicted_spans, span_scores
from kg.extract import load_nlp
from kg.extract.pipeline import model_path


def _table(counts: dict[str, Counts]) -> str:
    lines = [f"{'field':<16}{'gold':>6}{'pred':>6}{'tp':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    for name, c in counts.items():
        lines.append(
            f"{name:<16}{c.gold:>6}{c.pred:>6}{c.tp:>6}"
            f"{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}"
        )
    return "\n".join(lines)


def _as_json(counts: dict[str, Counts]) -> dict[str, dict[str, float]]:
    return {
        name: {
            "gold": c.gold,
            "pred": c.pred,
            "tp": c.tp,
            "precision": round(c.precision, 4),
            "recall": round(c.recall, 4),
            "f1": round(c.f1, 4),
        }
        for name, c in counts.items()
    }


def _diff_text(report: Report) -> str:
    out = []
    for d in report.diffs:
        if not d.missed and not d.spurious:
            continue
        out.append(f"== {d.id}  {d.title}" + ("" if d.found else "  (not in predictions)"))
        for label, items in (("-", d.missed), ("+", d.spurious)):
            for name, values in items.items():
                for value in values:
                    out.append(f"  {label} {name}: {value}")
    return "\n".join(out)


@click.command("eval")
@click.argument("gold", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--pred",
    type=click.Path(path_type=Path),
    help="papers.jsonl (or a folder holding it) to score. Default: a fresh build of --inputs.",
)
@click.option(
    "--inputs",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Listings to build when --pred is not given (repeatable). Default: seeds/.",
)
@click.option("--fast", is_flag=True, help="Rules only: leave the statistical NER out.")
@click.option(
    "--corpus",
    metavar="NAME|PATH",
    help="Score exact NER spans on a shared corpus instead of a gold file: "
    f"{', '.join(sorted(CORPORA))}, or the path of a SciERC/SciREX JSON lines or TDMSci "
    "CoNLL file (a held-out split, for one).",
)
@click.option(
    "--corpus-path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The corpus file (default: under $KG_SHARED_DATA).",
)
@click.option(
    "--model-only",
    is_flag=True,
    help="With --corpus: score the shipped statistical NER alone, without rules or filters.",
)
@click.option("--diff", is_flag=True, help="Also print what each paper missed (-) and added (+).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_command(
    gold: Path | None,
    pred: Path | None,
    inputs: tuple[Path, ...],
    fast: bool,
    corpus: str | None,
    corpus_path: Path | None,
    model_only: bool,
    diff: bool,
    as_json: bool,
) -> None:
    """Print precision, recall and F1 per field of GOLD (see tests/data/README.md).

    Examples: kg eval tests/data/seed_dev.jsonl --pred exports/papers.jsonl --diff;
    kg eval tests/data/seed_dev.jsonl --fast; kg eval --corpus scierc-dev [--model-only]
    """
    if corpus is not None:
        texts, types = load_corpus(corpus, corpus_path)
        if model_only:
            path = model_path()
            if path is None:
                raise KgError("no statistical model is installed in kg/extract/model/")
            nlp = spacy.load(path)
        else:
            nlp = load_nlp(model=not fast)
        counts = span_scores(texts, predicted_spans(nlp, texts), types)
        click.echo(json.dumps(_as_json(counts), indent=2) if as_json else _table(counts))
        return
    if gold is None:
        raise click.UsageError("give a GOLD file or --corpus NAME")
    gold_papers = read_gold(gold)
    if pred is not None:
        predictions = read_predictions(pred)
    else:
        from kg.evaluate.predict import predict

        sources = inputs or (Path("seeds"),)
        if not all(p.exists() for p in sources):
            raise KgError("seeds/ not found: pass --inputs or --pred")
        predictions = predict(sources, fast=fast)
    report = score(gold_papers, predictions)
    absent = [d.id for d in report.diffs if not d.found]
    if as_json:
        click.echo(json.dumps({"scores": _as_json(report.counts), "absent": absent}, indent=2))
    else:
        click.echo(_table(report.counts))
        if absent:
            click.echo(f"{len(absent)} gold papers are not in the predictions.", err=True)
    if diff:
        click.echo(_diff_text(report))
