"""``kg view``: write an interactive HTML view of the graph, a neighbourhood, or a CONSTRUCT."""

from __future__ import annotations

from pathlib import Path

import click

from kg.api import build
from kg.cli.options import format_option, inputs_argument
from kg.view import DEFAULT_MAX_NODES, construct_view, find_node, neighbourhood, write_view


@click.command("view")
@inputs_argument
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("view.html"),
    show_default=True,
    help="The HTML file to write.",
)
@format_option
@click.option(
    "--focus", default=None, help="Show only the neighbourhood of this node (name or alias)."
)
@click.option(
    "--depth", type=click.IntRange(min=0), default=2, show_default=True, help="Hops around --focus."
)
@click.option(
    "--construct",
    "construct",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="A file with a SPARQL CONSTRUCT query whose result is the view.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_NODES,
    show_default=True,
    help="Above this many nodes the view starts reduced (results, then low-degree nodes hidden).",
)
@click.option("--title", default=None, help="Page title.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def view_command(
    inputs: tuple[Path, ...],
    out: Path,
    fmt: str | None,
    focus: str | None,
    depth: int,
    construct: Path | None,
    max_nodes: int,
    title: str | None,
    quiet: bool,
) -> None:
    """Write an offline, interactive HTML view of the graph of INPUTS.

    \b
    Examples:
      kg view seeds/ -o graph.html
      kg view seeds/ --focus GSM8K --depth 2 -o gsm8k.html
      kg view seeds/ --construct my.rq -o construct.html
    """
    kg = build(inputs, fmt=fmt)
    graph, notes = kg.graph, []
    if construct is not None:
        query = construct.read_text(encoding="utf-8")
        graph = construct_view(graph, kg.rdf, query, kg.base_iri, source=str(construct))
        notes.append(f"CONSTRUCT view of {construct.name}")
    if focus is not None:
        center = find_node(graph, focus)
        graph = neighbourhood(graph, center, depth)
        kind = graph.nodes[center].get("type", "node")
        notes.append(
            f"Neighbourhood of {graph.nodes[center].get('label', center)} ({kind}), depth {depth}"
        )
    note = "; ".join(notes)
    note += (
        f": {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges." if note else ""
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    write_view(out, graph, kg.corpus, title=title or "kg graph", max_nodes=max_nodes, note=note)
    if not quiet:
        click.echo(
            f"Wrote {out}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges."
        )
