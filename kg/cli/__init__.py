"""The ``kg`` command line: a thin layer over the library (one module per command)."""

from __future__ import annotations

import sys

import click

from kg.cli.build import add_command, build_command
from kg.cli.eval import eval_command
from kg.cli.push import push_group
from kg.cli.push_sparql import sparql_command  # noqa: F401  (adds `kg push sparql`)
from kg.cli.query import query_command
from kg.cli.serve import serve_command
from kg.cli.site import site_command
from kg.cli.view import view_command
from kg.errors import KgError

COMMANDS = [
    add_command,
    build_command,
    eval_command,
    push_group,
    query_command,
    serve_command,
    site_command,
    view_command,
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def cli() -> None:
    """kg: a knowledge graph of machine-learning research.

    Read paper listings (Hugging Face Daily Papers dumps, HF Papers API JSON/JSONL, CSV,
    arXiv Atom), extract methods, datasets, metrics, tasks, results and code links, and
    export a graph you can browse (HTML), query (SPARQL) and load (Neo4j, Gephi).
    """


for command in COMMANDS:
    cli.add_command(command)


def main() -> None:
    """Console-script entry point: user errors exit 2 with a one-line message."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except KgError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(2)
