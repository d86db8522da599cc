"""`claims speakers`: who is quoted, how often, in which articles."""

from __future__ import annotations

import json
from typing import Optional

import typer

from pathlib import Path

from claims.commands.common import (PATHS, SINCE, STORE, UNTIL, check_store_use, check_window, load_store,
                                    read_articles, within_window)


def speakers(
    paths: Optional[list[str]] = PATHS,
    json_output: bool = typer.Option(False, "--json", "-j", help="Print JSON instead of a table."),
    store: Optional[Path] = STORE,
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
) -> None:
    """List who is quoted how often (direct and indirect speech), and in which articles."""
    from claims.attribution.corpus import attribute_corpus_named
    from claims.attribution.tally import count_speakers, who_is_quoted
    from claims.memo import Memo
    from claims.output.tables import speakers_table

    check_store_use(store, paths)
    check_window(since, until)
    if store is not None:  # the attributions the store keeps: nothing is parsed again
        analysis = load_store(store, since, until)
        articles = analysis.articles
        # The store keeps each sentence's speaker, not how the articles wrote it: the written
        # forms come from the attribution memo, filled by the ingest.
        _, variants = attribute_corpus_named(articles, analysis.sentences, memo=Memo())
        counts = count_speakers(analysis.sentences, [r.attribution for r in analysis.rows], variants)
    else:
        articles = within_window(read_articles(paths), since, until)
        counts = who_is_quoted(articles, memo=Memo())
    rows = [r._asdict() for r in counts]
    if json_output:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    typer.echo(speakers_table(rows, len(articles)), nl=False)
