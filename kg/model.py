"""Plain dataclasses that flow between the pipeline stages.

ingest -> ``Paper``; extract -> ``Extraction`` (mentions, results, quantities, links);
resolve -> ``ResolvedCorpus`` (canonical ``Entity`` objects shared across papers);
graph -> networkx; export -> files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["Method", "Dataset", "Metric", "Task"]
ENTITY_TYPES: tuple[EntityType, ...] = ("Method", "Dataset", "Metric", "Task")
TextField = Literal["title", "abstract", "comment"]


@dataclass(frozen=True, order=True)
class Listing:
    """One appearance of a paper in an input file (a daily listing, an API dump...)."""

    source: str
    date: str | None = None
    line: int | None = None


@dataclass
class Paper:
    """A unique paper, with every listing that mentioned it."""

    id: str
    title: str
    abstract: str
    listings: list[Listing] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    # URLs given as metadata by the source (e.g. the HF API's githubRepo / projectPage).
    code_urls: list[str] = field(default_factory=list)
    project_urls: list[str] = field(default_factory=list)
    # arXiv metadata (Atom feeds, CSV columns): categories with the primary one first.
    categories: list[str] = field(default_factory=list)
    doi: str | None = None
    journal_ref: str | None = None
    version: int | None = None
    updated: str | None = None
    pdf_url: str | None = None
    comment: str | None = None
    # Hugging Face daily-papers signals.
    upvotes: int | None = None
    num_comments: int | None = None
    submitter: str | None = None
    thumbnail: str | None = None
    # Per author name: affiliation (arXiv Atom) and Hugging Face user handle.
    affiliations: dict[str, str] = field(default_factory=dict)
    handles: dict[str, str] = field(default_factory=dict)

    def text(self, which: TextField) -> str:
        if which == "comment":
            return self.comment or ""
        return self.title if which == "title" else self.abstract


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: a text field, character offsets into it, and its sentence."""

    field: TextField
    start: int
    end: int
    sentence: str
    extractor: str = "rules"


@dataclass
class Mention:
    """A named entity mentioned in a paper's text."""

    type: EntityType
    text: str
    evidence: Evidence
    proposed: bool = False
    # Filled by the resolve stage.
    name: str = ""
    aliases: list[str] = field(default_factory=list)


@dataclass
class Result:
    """A reported number tied to what it measures."""

    value: float
    unit: str | None
    evidence: Evidence
    subject: str | None = None
    dataset: str | None = None
    metric: str | None = None
    # Character span of the number itself within the field.
    text: str = ""
    # True when the value is a change (a gain or a reduction: "improves accuracy by 3%"),
    # not a level ("reaches 81.2% accuracy"); speed-ups are ratios, not changes.
    delta: bool = False


@dataclass
class Quantity:
    """A number that is not a result: model sizes, frame counts, data sizes, speed-ups..."""

    value: float
    unit: str | None
    what: str
    evidence: Evidence
    text: str = ""


LinkKind = Literal["code", "project", "dataset", "model"]


@dataclass
class Link:
    """A code repository, project page, or Hugging Face dataset or model URL, cleaned."""

    url: str
    kind: LinkKind
    host: str
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Abbreviation:
    """An acronym definition such as ``Direct Preference Optimization (DPO)``."""

    short: str
    long: str
    evidence: Evidence


@dataclass(frozen=True, order=True)
class BuildsOn:
    """A paper this one builds on: it proposed ``name`` (a method or dataset) that this one
    uses; ``evidence`` is where this paper uses it."""

    paper: str
    type: EntityType
    name: str
    evidence: Evidence = field(compare=False)


@dataclass
class Extraction:
    """Everything extracted from one paper."""

    paper: Paper
    mentions: list[Mention] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    abbreviations: list[Abbreviation] = field(default_factory=list)
    comparisons: list[tuple[str, str]] = field(default_factory=list)  # (winner, baseline)
    # Filled by the resolve stage: earlier papers of the corpus this one builds on.
    builds_on: list[BuildsOn] = field(default_factory=list)

    @property
    def code_urls(self) -> list[str]:
        return sorted({link.url for link in self.links if link.kind == "code"})

    @property
    def project_urls(self) -> list[str]:
        return sorted({link.url for link in self.links if link.kind == "project"})

    @property
    def dataset_urls(self) -> list[str]:
        return sorted({link.url for link in self.links if link.kind == "dataset"})

    @property
    def model_urls(self) -> list[str]:
        return sorted({link.url for link in self.links if link.kind == "model"})


@dataclass
class Entity:
    """A canonical entity shared by all the papers that mention it."""

    id: str
    type: EntityType
    name: str
    aliases: list[str] = field(default_factory=list)
    papers: list[str] = field(default_factory=list)
    proposed_by: list[str] = field(default_factory=list)  # papers that propose it


@dataclass
class ResolvedCorpus:
    """The output of the resolve stage: extractions with canonical names, plus the entities."""

    extractions: list[Extraction]
    entities: dict[str, Entity]
    listings_read: int = 0

    @property
    def papers(self) -> list[Paper]:
        return [x.paper for x in self.extractions]
