"""`claims similar`: the sentences nearest to a text (the corpus is encoded, not grouped)."""

from __future__ import annotations

import json
from typing import Optional

import typer

from claims.commands.common import MODEL, PATHS, fail, notices, progress_bar, read_articles


def similar(
    text: str = typer.Argument(..., help="The text to look for."),
    paths: Optional[list[str]] = PATHS,
    top: int = typer.Option(5, "--top", "-k", min=1, help="How many sentences to list."),
    model: str = MODEL,
    json_output: bool = typer.Option(False, "--json", "-j", help="Print JSON instead of a table."),
) -> None:
    """List the sentences of the corpus nearest to TEXT, with cosine scores."""
    if not text.strip():
        raise fail("TEXT is empty")
    articles = read_articles(paths)
    from claims.output.tables import nearest_table
    from claims.search import similar_sentences

    try:
        with notices(), progress_bar("encoding sentences") as start:
            found = similar_sentences(articles, text, top, model, progress=start)
    except ValueError as error:
        raise fail(str(error))
    if json_output:
        typer.echo(json.dumps([{"rank": rank, "cosine": round(score, 4), "article": s.article, "index": s.index,
                                "text": s.text} for rank, (s, score) in enumerate(found, 1)],
                              ensure_ascii=False, indent=2))
        return
    typer.echo(nearest_table(model, found), nl=False)
