"""`claims compare`: the claims two articles share, and where they differ."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from claims.commands.common import MODEL, THRESHOLD, fail, notices, progress_bar, read_articles


def compare(
    article_a: str = typer.Argument(..., help="First article: a file, or an id (or id prefix) among --corpus."),
    article_b: str = typer.Argument(..., help="Second article: a file, or an id (or id prefix) among --corpus."),
    corpus: Optional[Path] = typer.Option(None, "--corpus", "-c", help="Folder to find ids in (default: seeds/)."),
    threshold: Optional[float] = THRESHOLD,
    model: str = MODEL,
    json_output: bool = typer.Option(False, "--json", "-j", help="Print JSON instead of a table."),
) -> None:
    """List the claims articles A and B share, with speakers, stances and differing figures.

    Groups are found in the whole corpus the articles come from, then the two articles'
    share is listed.
    """
    from claims.ingest import find_article
    from claims.settings import resolve_settings

    try:
        settings = resolve_settings(model, threshold)
    except ValueError as error:
        raise fail(str(error))
    chosen, pool = [], None
    for ref in (article_a, article_b):
        if Path(ref).is_file():
            chosen.append(read_articles([ref])[0])
            continue
        pool = pool or read_articles([str(corpus)] if corpus else None)
        try:
            chosen.append(find_article(pool, ref))
        except ValueError as error:
            raise fail(f"{error}, and it is no file")
    a, b = chosen
    if a.id == b.id:
        raise fail("A and B are the same article")
    corpus_articles = list(pool or [])
    corpus_articles += [x for x in (a, b) if x.id not in {c.id for c in corpus_articles}]

    from claims.comparison import compare_articles, shared_claim_as_dict
    from claims.output.tables import shared_claims_table
    from claims.pipeline import analyze

    try:
        with notices(), progress_bar("encoding sentences") as start:
            analysis = analyze(corpus_articles, settings=settings, progress=start)
    except ValueError as error:
        raise fail(str(error))
    shared = compare_articles(a.id, b.id, analysis.groups)
    if json_output:
        typer.echo(json.dumps([shared_claim_as_dict(c) for c in shared], ensure_ascii=False, indent=2))
        return
    typer.echo(shared_claims_table(a.id, b.id, shared), nl=False)
