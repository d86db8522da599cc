"""`claims speakers`: who is quoted, how often, in which articles."""

from __future__ import annotations

import json
from typing import Optional

import typer

from claims.commands.common import PATHS, read_articles


def speakers(
    paths: Optional[list[str]] = PATHS,
    json_output: bool = typer.Option(False, "--json", "-j", help="Print JSON instead of a table."),
) -> None:
    """List who is quoted how often (direct and indirect speech), and in which articles."""
    from claims.attribution.tally import who_is_quoted
    from claims.output.tables import speakers_table

    articles = read_articles(paths)
    rows = [r._asdict() for r in who_is_quoted(articles)]
    if json_output:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    typer.echo(speakers_table(rows, len(articles)), nl=False)
