"""`claims similar`: the sentences nearest to a text."""

from __future__ import annotations

from typing import Optional

import typer

from claims.commands.common import MODEL_HELP, fail, progress_bar, read_articles


def similar(
    text: str = typer.Argument(..., help="The text to look for."),
    paths: Optional[list[str]] = typer.Argument(None, help="Files, folders, or - for stdin. Default: seeds/."),
    top: int = typer.Option(5, "--top", "-k", min=1, help="How many sentences to list."),
    model: str = typer.Option("e5-small", "--model", "-m", help=MODEL_HELP),
) -> None:
    """List the sentences of the corpus nearest to TEXT, with cosine scores."""
    from rich.console import Console
    from rich.table import Table

    from claims.output import plain
    from claims.pipeline import analyze

    if not text.strip():
        raise fail("TEXT is empty")
    articles = read_articles(paths)
    try:
        with progress_bar("encoding sentences") as start:
            analysis = analyze(articles, model=model, attribution=False, stance=False, guard=False,
                               scoring="cosine", progress=start)
    except ValueError as error:
        raise fail(str(error))
    table = Table(title=f"nearest sentences ({analysis.encoder.name})")
    for name in ("rank", "score", "article", "sentence"):
        table.add_column(name, overflow="fold")
    for rank, (sentence, score) in enumerate(analysis.similar(text, top), 1):
        table.add_row(str(rank), f"{score:.3f}", plain(sentence.article), plain(sentence.text))
    Console(width=160).print(table)
