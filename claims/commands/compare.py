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

    from claims.output import disagreement_summary, group_records
    from claims.pipeline import analyze

    ids = []
    pool = None
    for ref in (article_a, article_b):
        if Path(ref).is_file():
            ids.append(read_articles([ref])[0])
        else:
            pool = pool or read_articles([str(corpus)] if corpus else None)
            found = [a for a in pool if a.id == ref or a.id.startswith(ref + "_")]
            if len(found) != 1:
                raise fail(f"{ref}: no such file, and {'no' if not found else 'more than one'} article id matches it")
            ids.append(found[0])
    a, b = ids
    if a.id == b.id:
        raise fail("A and B are the same article")
    try:
        with progress_bar("encoding sentences") as start:
            analysis = analyze([a, b], model=model, threshold=threshold, progress=start)
    except ValueError as error:
        raise fail(str(error))
    table = Table(title=f"claims shared by {a.id} and {b.id}: {len(analysis.groups)}", show_lines=True)
    for name in ("group", "article", "speaker", "stance", "sentence", "score"):
        table.add_column(name, overflow="fold")
    for group in group_records(analysis):
        for n, m in enumerate(group["mentions"]):
            table.add_row(group["id"] if n == 0 else "", m["article"], m["speaker"] or "",
                          m["stance"] or "", m["text"], f"{m['score']:.3f}")
        summary = disagreement_summary(group.get("comparison"))
        if summary:
            table.add_row("", "", "", "", f"[yellow]differs: {summary}[/yellow]", "")
    Console(width=160).print(table)
