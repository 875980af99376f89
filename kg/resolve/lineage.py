"""Paper-to-paper lineage inside a corpus: paper B uses a method or dataset that paper A
proposed, so ``B buildsOn A``, with the entity as the reason and B's sentence as evidence.

A link needs A to come first when both papers have listing dates of the same kind (ISO
dates, or a daily dump's ``Sep 17`` with no year); when either date is missing or they
cannot be compared, the proposing cue alone decides. A paper that proposes the entity
itself builds on no one for it."""

from __future__ import annotations

from collections.abc import Callable

from kg.model import BuildsOn, Entity, EntityType, Evidence, Extraction, Paper

LINEAGE_TYPES: tuple[EntityType, ...] = ("Method", "Dataset")
"""The entity types a paper can build on another for."""
MAX_EARLIER = 3
"""Per entity, the earliest papers that proposed it are the ones built on (dated first, then
by id): a name many papers claim links to its first proposers, not to all of them."""
MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
YEARLESS = "0000-"


def date_key(day: str) -> str:
    """A sortable form of a listing date: ISO dates as they are, a daily dump's ``Sep 17``
    (no year) as ``0000-09-17``."""
    parts = day.split()
    if len(parts) == 2 and parts[0][:3] in MONTHS and parts[1].isdigit():
        return f"0000-{MONTHS[parts[0][:3]]:02d}-{int(parts[1]):02d}"
    return day


def first_day(paper: Paper) -> str | None:
    """The sort key of a paper's first listing date (its publication date if no listing has
    one), or None."""
    days = [date_key(li.date) for li in paper.listings if li.date]
    if days:
        return min(days)
    return date_key(paper.published) if paper.published else None


def came_before(a: str | None, b: str | None) -> bool:
    """Whether day ``a`` may precede day ``b``: strictly earlier when both are known and of
    the same kind, else True (nothing says otherwise)."""
    if a is None or b is None or a.startswith(YEARLESS) != b.startswith(YEARLESS):
        return True
    return a < b


def builds_on(
    x: Extraction, entity: Callable[[EntityType, str], Entity], days: dict[str, str | None]
) -> list[BuildsOn]:
    """The earlier papers a resolved extraction builds on: for each method or dataset it
    uses but does not propose, the first ``MAX_EARLIER`` papers that proposed it
    (``Entity.proposed_by``) and came before it (``days``: first day per proposing paper)."""
    pid = x.paper.id
    mine = {(m.type, m.name) for m in x.mentions if m.proposed}
    day = first_day(x.paper)
    found: dict[tuple[str, EntityType, str], Evidence] = {}
    for m in x.mentions:
        if m.proposed or m.type not in LINEAGE_TYPES or (m.type, m.name) in mine:
            continue
        before = [
            (days.get(earlier) is None, days.get(earlier) or "", earlier)
            for earlier in entity(m.type, m.text).proposed_by
            if earlier != pid and came_before(days.get(earlier), day)
        ]
        for _, _, earlier in sorted(before)[:MAX_EARLIER]:
            found.setdefault((earlier, m.type, m.name), m.evidence)
    return [BuildsOn(a, kind, name, found[(a, kind, name)]) for a, kind, name in sorted(found)]
