"""Run the pipeline over a paper's title and abstract and collect typed facts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract import attrs
from kg.extract.components import add_ents
from kg.extract.ents import ents_of, set_ents
from kg.extract.gazetteer import LABEL_TO_TYPE, curated_types, generic_names
from kg.extract.links import classify, find_links
from kg.extract.naming import is_generic
from kg.extract.pipeline import load_nlp, one_blas_thread
from kg.extract.proposing import derived_spans
from kg.extract.results import tie_numbers
from kg.extract.sentences import sentence_text_at, text_of
from kg.extract.wordforms import glued
from kg.model import (
    Abbreviation,
    EntityType,
    Evidence,
    Extraction,
    Link,
    Mention,
    Paper,
    TextField,
)


def _sentence_lookup(doc: Doc):  # type: ignore[no-untyped-def]
    def sentence_of(start: int, end: int) -> str:
        span = doc.char_span(start, max(end, start + 1), alignment_mode="expand")
        return sentence_text_at(doc, start) if span is not None else text_of(doc)

    return sentence_of


def _coined_names(docs: list[Doc]) -> tuple[dict[str, str], set[str]]:
    """Names a paper defines (proposed names, acronym pairs) with their labels, and which of
    them it proposes."""
    labels: dict[str, str] = {}
    proposed: set[str] = set()
    title_words = {w.strip(TITLE_PUNCTUATION) for w in text_of(docs[0]).split()}
    guesses: dict[str, str] = {}  # (labels given for want of evidence yield to any other)
    for doc in docs:
        text, ents = text_of(doc), ents_of(doc)
        # (a type given for want of evidence, or by a name's form alone, yields)
        guessed = (attrs.get(doc, "guessed") or set()) | (attrs.get(doc, "formed") or set())
        spans = list(attrs.get(doc, "proposed") or [])
        spans += [(a[i], a[i + 1]) for a in attrs.get(doc, "abbreviations") or [] for i in (0, 2)]
        for start, end in spans:
            ent = next((e for e in ents if e.start_char <= start and end <= e.end_char), None)
            if ent is not None and ent.label_ in LABEL_TO_TYPE:
                weak = (ent.start_char, ent.end_char) in guessed
                (guesses if weak else labels).setdefault(text[start:end], ent.label_)
        for start, end in attrs.get(doc, "proposed") or []:
            proposed.add(text[start:end])
        for ls, le, ss, se in attrs.get(doc, "abbreviations") or []:
            # An acronym pair the title names is the paper's own (unless well known).
            if text[ss:se] in title_words and _unknown(ents, (ls, le), (ss, se)):
                proposed.update({text[ls:le], text[ss:se]})
        for ls, le, ss, se in attrs.get(doc, "abbreviations") or []:
            if text[ls:le] in proposed or text[ss:se] in proposed:
                proposed.update({text[ls:le], text[ss:se]})
    for name, label in guesses.items():
        labels.setdefault(name, label)
    roots = {name for name in proposed if name in labels}
    for doc in docs:
        text = text_of(doc)
        for start, end in derived_spans(text, roots):
            name = text[start:end]
            root = max((r for r in roots if name.startswith(r + "-")), key=len)
            labels.setdefault(name, labels[root])
            proposed.add(name)
    return labels, proposed


def _unknown(ents: list[Span], *spans: tuple[int, int]) -> bool:
    """Whether none of ``spans`` overlaps a curated name, and one of them is an entity."""
    curated = [(e.start_char, e.end_char) for e in ents if e.id_]
    if any(s < b and a < e for a, b in spans for s, e in curated):
        return False
    return any((e.start_char, e.end_char) in spans for e in ents if e.label_ in LABEL_TO_TYPE)


LATEX_MARKS = str.maketrans("", "", "${}")
TITLE_PUNCTUATION = ".,;:!?()[]{}\"'"


def _spellings(labels: dict[str, str]) -> dict[str, str]:
    """The coined names and their spellings without LaTeX marks (S$^3$c-Math: S^3c-Math)."""
    return {
        variant: label
        for name, label in labels.items()
        for variant in (name, name.translate(LATEX_MARKS))
    }


def _propagate(doc: Doc, spellings: dict[str, str]) -> None:
    """Add every other whole-word occurrence of the paper's coined names (``_spellings``)
    to ``doc.ents``."""
    text = text_of(doc)
    formed = attrs.get(doc, "formed") or set()
    ents = ents_of(doc)
    # (a name typed by its form alone takes the type the paper gives it where it defines it)
    stale = [
        e
        for e in ents
        if (e.start_char, e.end_char) in formed and spellings.get(e.text, e.label_) != e.label_
    ]
    if stale:
        set_ents(doc, [e for e in ents if e not in stale])
    new: list[Span] = []
    for name, label in spellings.items():
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if not glued(text, start, end):
                span = doc.char_span(start, end, label=label)
                if span is not None:
                    new.append(span)
            start = text.find(name, end)
    add_ents(doc, new)


def _mentions(doc: Doc, field: TextField, proposed: set[str]) -> list[Mention]:
    text, generic = text_of(doc), generic_names()
    from_model = attrs.get(doc, "model_ents") or set()
    guessed = attrs.get(doc, "guessed") or set()
    model_types = attrs.get(doc, "model_types") or {}
    mentions = []
    for ent in ents_of(doc):
        name, label, canonical = text[ent.start_char : ent.end_char], ent.label_, ent.id_
        if label not in LABEL_TO_TYPE or is_generic(name) or canonical in generic:
            continue
        if name.startswith("\\"):
            continue  # (a LaTeX macro standing for a name: "we propose \app, a framework")
        if canonical:
            extractor = "rules:gazetteer"
        elif (ent.start_char, ent.end_char) in from_model:
            extractor = "model"
        elif (ent.start_char, ent.end_char) in guessed:
            extractor = "rules:guess"
            # (a name typed for want of evidence takes the model's type when it has one)
            label = model_types.get((ent.start_char, ent.end_char), label)
        else:
            extractor = "rules"
        sentence = sentence_text_at(doc, ent.start_char)
        evidence = Evidence(field, ent.start_char, ent.end_char, sentence, extractor=extractor)
        # A benchmark that is also its own score (GenEval) is both a Dataset and a Metric.
        for kind in curated_types(canonical) or (LABEL_TO_TYPE[label],):
            mentions.append(Mention(kind, name, evidence, proposed=name in proposed))
    # Coordinated names ("training" and "validation" accuracy): the evidence spans from the
    # name's own modifier to the shared head ("training, validation and test accuracy").
    for name, start, end, label in attrs.get(doc, "expanded") or []:
        sentence = sentence_text_at(doc, start)
        evidence = Evidence(field, start, end, sentence, extractor="rules:coordination")
        mentions.append(Mention(LABEL_TO_TYPE[label], name, evidence))
    return mentions


TYPE_ORDER = {"Dataset": 0, "Metric": 1, "Method": 2, "Task": 3}  # (ties)
VOTE = {"rules:guess": 0.1}  # a type given for want of evidence yields to any evidence


def _one_type_per_name(mentions: list[Mention]) -> None:
    """One type for each name a paper coins (``UniGeo`` in the title and ``the UniGeo
    dataset`` in the abstract): the type most of its typed mentions give. Curated names and
    names built from others (coordinations, derived metrics) keep theirs."""
    votes: dict[str, dict[EntityType, float]] = {}
    for m in mentions:
        if m.evidence.extractor in ("rules", "rules:guess", "model"):
            kinds = votes.setdefault(m.text, {})
            kinds[m.type] = kinds.get(m.type, 0.0) + VOTE.get(m.evidence.extractor, 1.0)
    for m in mentions:
        kinds = votes.get(m.text, {})
        if len(kinds) > 1:
            m.type = min(kinds, key=lambda k: (-kinds[k], TYPE_ORDER[k]))


def _metadata_links(paper: Paper) -> list[Link]:
    links = []
    for url, default in [(u, "code") for u in paper.code_urls] + [
        (u, "project") for u in paper.project_urls
    ]:
        kind_host = classify(url)
        kind, host = kind_host if kind_host else (default, "")
        links.append(Link(url=url.rstrip("/"), kind=kind, host=host))  # type: ignore[arg-type]
    return links


def _build(paper: Paper, title: Doc, abstract: Doc) -> Extraction:
    extraction = Extraction(paper=paper)
    docs: list[tuple[TextField, Doc]] = [("title", title), ("abstract", abstract)]
    labels, proposed = _coined_names([title, abstract])
    spellings = _spellings(labels)
    for field, doc in docs:
        _propagate(doc, spellings)
        extraction.mentions.extend(_mentions(doc, field, proposed))
    _one_type_per_name(extraction.mentions)
    for m in extraction.mentions:
        m.proposed = m.proposed and m.type != "Task"  # (a task is worked on, not proposed)
    proposed_methods = [m.text for m in extraction.mentions if m.proposed and m.type == "Method"]
    main_subject = proposed_methods[0] if proposed_methods else None
    seen_urls: set[str] = set()
    for link in _metadata_links(paper):
        seen_urls.add(link.url)
        extraction.links.append(link)
    for field, doc in docs:
        for link in find_links(text_of(doc), field, _sentence_lookup(doc)):
            if link.url not in seen_urls:
                seen_urls.add(link.url)
                extraction.links.append(link)
        for ls, le, ss, se in attrs.get(doc, "abbreviations") or []:
            sentence = _sentence_lookup(doc)(ls, se)
            extraction.abbreviations.append(
                Abbreviation(
                    text_of(doc)[ss:se], text_of(doc)[ls:le], Evidence(field, ls, se, sentence)
                )
            )
        results, quantities, comparisons = tie_numbers(doc, field, main_subject, proposed)
        extraction.results.extend(results)
        extraction.quantities.extend(quantities)
        for comparison in comparisons:
            if comparison not in extraction.comparisons:
                extraction.comparisons.append(comparison)
    if paper.comment:  # an arXiv comment ("code at https://..."): links only
        comment = paper.comment
        for link in find_links(comment, "comment", lambda start, end: comment):
            if link.url not in seen_urls:
                seen_urls.add(link.url)
                extraction.links.append(link)
    extraction.mentions.extend(_derived_metrics(extraction))
    _keep_typed(extraction)
    return extraction


def _keep_typed(extraction: Extraction) -> None:
    """Results and comparisons name only what the paper's mentions give that type: a name
    the paper settles on as a dataset is no result's subject, a setting no baseline."""
    typed: dict[EntityType, set[str]] = {"Method": set(), "Dataset": set()}
    for m in extraction.mentions:
        if m.type in typed:
            typed[m.type].add(m.text)
    for r in extraction.results:
        if r.subject and r.subject not in typed["Method"]:
            r.subject = None
        if r.dataset and r.dataset not in typed["Dataset"]:
            r.dataset = None
    extraction.comparisons = [
        (a, b) for a, b in extraction.comparisons if {a, b} <= typed["Method"]
    ]


def _key(name: str) -> str:
    return name.lower().replace(" ", "").replace("-", "")


def _derived_metrics(extraction: Extraction) -> list[Mention]:
    """Metrics that results name without the text naming them ("20x faster": speedup; "3.8
    GPU days": training cost), at the number's span: a cost measure a number is reported in
    is a metric of the paper."""
    named = {_key(m.text) for m in extraction.mentions if m.type == "Metric"}
    derived = []
    for result in extraction.results:
        if result.metric is None or _key(result.metric) in named:
            continue
        named.add(_key(result.metric))
        evidence = Evidence(
            result.evidence.field,
            result.evidence.start,
            result.evidence.end,
            result.evidence.sentence,
            extractor="rules:derived",
        )
        derived.append(Mention("Metric", result.metric, evidence))
    return derived


def _made(nlp: Language, batch: list[str]) -> list[Doc]:
    """Docs of (title, abstract) pairs of texts, each knowing which field it is."""
    docs = [nlp.make_doc(text) for text in batch]
    for index, doc in enumerate(docs):
        doc.user_data["kg_field"] = "abstract" if index % 2 else "title"
    return docs


def extract_papers(
    papers: Iterable[Paper], nlp: Language | None = None, batch_size: int = 64
) -> Iterator[Extraction]:
    """Extract every paper, streaming: one ``Extraction`` per ``Paper``, in order."""
    nlp = nlp or load_nlp()
    pending: list[Paper] = []

    def texts() -> Iterator[Doc]:
        # Tokenized a batch at a time: the tokenizer's tables stay in the CPU's caches.
        batch: list[str] = []
        for paper in papers:
            pending.append(paper)
            batch += (paper.title, paper.abstract)
            if len(batch) >= batch_size:
                yield from _made(nlp, batch)
                batch = []
        yield from _made(nlp, batch)

    # The facts are assembled from the entity list the kg components pass along, so the last
    # step, which copies that list to doc.ents for spaCy users, is skipped here.
    skipped = [name for name in ("kg_entities",) if name in nlp.pipe_names]
    docs = nlp.pipe(texts(), batch_size=batch_size, disable=skipped)
    with one_blas_thread():
        for title in docs:
            abstract = next(docs)
            extraction = _build(pending.pop(0), title, abstract)
            # The kg caches on a doc hold spans, which point back at the doc: dropping them
            # lets reference counting free each doc now rather than the cyclic garbage
            # collector later (about 10% of the rules-only time).
            title.user_data.clear()
            abstract.user_data.clear()
            yield extraction


def extract_paper(paper: Paper, nlp: Language | None = None) -> Extraction:
    """Extract one paper."""
    return next(extract_papers([paper], nlp))
