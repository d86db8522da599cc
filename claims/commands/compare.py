"""`claims compare`: the claims two articles share, and where they differ."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from claims.commands.common import (MODEL, SINCE, STORE, THRESHOLD, UNTIL, check_store_use, check_window,
                                    fail, load_store, read_articles, run_analysis, settings_or_exit,
                                    within_window)


def compare(
    article_a: str = typer.Argument(..., help="First article: a file, or an id (or id prefix) among --corpus or --store."),
    article_b: str = typer.Argument(..., help="Second article: a file, or an id (or id prefix) among --corpus or --store."),
    corpus: Optional[Path] = typer.Option(None, "--corpus", "-c", help="Folder to find ids in (default: seeds/)."),
    threshold: Optional[float] = THRESHOLD,
    model: str = MODEL,
    json_output: bool = typer.Option(False, "--json", "-j", help="Print JSON instead of a table."),
    store: Optional[Path] = STORE,
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
) -> None:
    """List the claims articles A and B share, with speakers, stances and differing figures.

    Groups are found in the whole corpus the articles come from, then the two articles'
    share is listed.
    """
    from claims.ingest import find_article
    check_window(since, until)
    if store is not None:
        if corpus is not None:
            raise fail("give --corpus or --store, not both")
        check_store_use(store, None, threshold=threshold)
        _print_shared(*_compare_in_store(store, article_a, article_b, since, until), json_output)
        return
    settings = settings_or_exit(model, threshold)
    chosen, pool = [], None
    for ref in (article_a, article_b):
        if Path(ref).is_file():
            chosen.append(read_articles([ref])[0])
            continue
        pool = pool or within_window(read_articles([str(corpus)] if corpus else None), since, until)
        try:
            chosen.append(find_article(pool, ref))
        except ValueError as error:
            raise fail(f"{error}, and it is no file")
    a, b = chosen
    if a.id == b.id:
        raise fail("A and B are the same article")
    corpus_articles = list(pool or [])
    corpus_articles += [x for x in (a, b) if x.id not in {c.id for c in corpus_articles}]

    from claims.comparison import compare_articles

    analysis = run_analysis(corpus_articles, settings)
    _print_shared(a.id, b.id, compare_articles(a.id, b.id, analysis.groups), json_output)


def _compare_in_store(store: Path, ref_a: str, ref_b: str, since: Optional[str], until: Optional[str]):
    """The ids of A and B among the stored articles (in the window), and the claims they share."""
    from claims.comparison import compare_articles
    from claims.ingest import find_article

    analysis = load_store(store, since, until)
    ids = []
    for ref in (ref_a, ref_b):
        try:
            ids.append(find_article(analysis.articles, ref).id)
        except ValueError as error:
            where = f"{store}" if since is None and until is None else f"{store} within the dates given"
            raise fail(f"{error} among the articles of {where}")
    if ids[0] == ids[1]:
        raise fail("A and B are the same article")
    return ids[0], ids[1], compare_articles(ids[0], ids[1], analysis.groups)


def _print_shared(a_id: str, b_id: str, shared, json_output: bool) -> None:
    from claims.comparison import shared_claim_as_dict
    from claims.output.tables import shared_claims_table

    if json_output:
        typer.echo(json.dumps([shared_claim_as_dict(c) for c in shared], ensure_ascii=False, indent=2))
        return
    typer.echo(shared_claims_table(a_id, b_id, shared), nl=False)
