"""`claims speakers`: who is quoted, how often, in which articles."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Optional

import typer

from claims.commands.common import read_articles


def speaker_table(articles, attributions_by_article) -> list[dict]:
    """One row per speaker: sentences by quote type, and the articles they appear in."""
    counts: dict[str, Counter] = defaultdict(Counter)
    where: dict[str, dict[str, None]] = defaultdict(dict)
    for article in articles:
        for who in attributions_by_article[article.id]:
            if who.speaker:
                counts[who.speaker][who.quote] += 1
                where[who.speaker][article.id] = None
    rows = [{"speaker": name, "sentences": sum(c.values()), "direct": c["direct"],
             "indirect": c["indirect"], "articles": list(where[name])} for name, c in counts.items()]
    return sorted(rows, key=lambda r: (-r["sentences"], r["speaker"]))


def speakers(
    paths: Optional[list[str]] = typer.Argument(None, help="Files, folders, or - for stdin. Default: seeds/."),
    json_output: bool = typer.Option(False, "--json", "-j", help="Print JSON instead of a table."),
) -> None:
    """List who is quoted how often (direct and indirect speech), and in which articles."""
    import json

    from claims.attribution import attribute
    from claims.sentences import split_sentences

    articles = read_articles(paths)
    by_article = {a.id: attribute(a, list(split_sentences(a))) for a in articles}
    rows = speaker_table(articles, by_article)
    if json_output:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} speakers in {len(articles)} articles")
    for name in ("speaker", "sentences", "direct", "indirect", "articles"):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(r["speaker"], str(r["sentences"]), str(r["direct"]), str(r["indirect"]),
                      ", ".join(r["articles"]))
    Console(width=160).print(table)
