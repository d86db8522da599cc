"""`claims compare`: the claims two articles share, and where they differ."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from claims.commands.common import MODEL_HELP, fail, progress_bar, read_articles


def compare(
    article_a: str = typer.Argument(..., help="First article: a file, or an id among --corpus."),
    article_b: str = typer.Argument(..., help="Second article: a file, or an id among --corpus."),
    corpus: Optional[Path] = typer.Option(None, "--corpus", "-c", help="Folder to find ids in (default: seeds/)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", "-t", help="Similarity needed to link two sentences."),
    model: str = typer.Option("e5-small", "--model", "-m", help=MODEL_HELP),
) -> None:
    """List the claims articles A and B share, with speakers, stances and differing figures."""
    from rich.console import Console
    from rich.table import Table

    from claims.output import disagreement_summary, group_records, plain
    from claims.pipeline import analyze

    chosen, pool = [], None
    for ref in (article_a, article_b):
        if Path(ref).is_file():
            chosen.append(read_articles([ref])[0])
        else:
            pool = pool or read_articles([str(corpus)] if corpus else None)
            found = [a for a in pool if a.id == ref or a.id.startswith(ref + "_")]
            if len(found) != 1:
                raise fail(f"{ref}: no such file, and {'no' if not found else 'more than one'} article id matches it")
            chosen.append(found[0])
    a, b = chosen
    if a.id == b.id:
        raise fail("A and B are the same article")
    # Groups are found in the whole corpus the articles come from: CSLS judges a pair
    # against the rest of the corpus, and two articles alone are too little context.
    corpus_articles = list(pool or [])
    corpus_articles += [x for x in (a, b) if x.id not in {c.id for c in corpus_articles}]
    try:
        with progress_bar("encoding sentences") as start:
            analysis = analyze(corpus_articles, model=model, threshold=threshold, progress=start)
    except ValueError as error:
        raise fail(str(error))
    shared = shared_groups(analysis, a.id, b.id)
    table = Table(title=plain(f"claims shared by {a.id} and {b.id}: {len(shared)}"), show_lines=True)
    for name in ("group", "article", "speaker", "stance", "sentence", "score"):
        table.add_column(name, overflow="fold")
    for group in group_records(analysis, shared):
        for n, m in enumerate(group["mentions"]):
            table.add_row(group["id"] if n == 0 else "", plain(m["article"]), plain(m["speaker"] or ""),
                          m["stance"] or "", plain(m["text"]), f"{m['score']:.3f}")
        summary = disagreement_summary(group.get("comparison"))
        if summary:
            table.add_row("", "", "", "", plain(f"differs: {summary}", "yellow"), "")
    Console(width=160).print(table)


def shared_groups(analysis, a_id: str, b_id: str) -> list:
    """Groups with mentions in both articles, keeping only those two articles' mentions."""
    from dataclasses import replace

    out = []
    for group in analysis.groups:
        if a_id in group.articles and b_id in group.articles:
            mentions = tuple(m for m in group.mentions if m.sentence.article in (a_id, b_id))
            out.append(replace(group, mentions=mentions))
    return out
