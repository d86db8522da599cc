"""`claims similar`: the sentences nearest to a text (the corpus is encoded, not grouped)."""

from __future__ import annotations

import json
from typing import Optional

import typer

from pathlib import Path

from claims.commands.common import (MODEL, PATHS, SINCE, STORE, UNTIL, check_store_use, check_window, fail,
                                    load_store, notices, progress_bar, read_articles, within_window)


def similar(
    text: str = typer.Argument(..., help="The text to look for."),
    paths: Optional[list[str]] = PATHS,
    top: int = typer.Option(5, "--top", "-k", min=1, help="How many sentences to list."),
    model: str = MODEL,
    json_output: bool = typer.Option(False, "--json", "-j", help="Print JSON instead of a table."),
    store: Optional[Path] = STORE,
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
) -> None:
    """List the sentences of the corpus nearest to TEXT, with cosine scores."""
    if not text.strip():
        raise fail("TEXT is empty")
    check_store_use(store, paths)
    check_window(since, until)
    from claims.output.tables import nearest_table
    from claims.search import similar_sentences

    try:
        if store is not None:
            analysis = load_store(store, since, until)
            model = analysis.settings.model.name
            with notices():
                found = analysis.similar(text, top)
        else:
            articles = within_window(read_articles(paths), since, until)
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
