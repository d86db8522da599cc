"""`claims speakers`: who is quoted, how often, in which articles."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Optional

import typer

from claims.commands.common import read_articles


def speaker_table(sentences, attributions) -> list[dict]:
    """One row per speaker: sentences by quote type, and the articles they appear in."""
    counts: dict[str, Counter] = defaultdict(Counter)
    where: dict[str, dict[str, None]] = defaultdict(dict)
    for sentence, who in zip(sentences, attributions):
        if who.speaker:
            counts[who.speaker][who.quote] += 1
            where[who.speaker][sentence.article] = None
    rows = [{"speaker": name, "sentences": sum(c.values()), "direct": c["direct"],
             "indirect": c["indirect"], "articles": list(where[name])} for name, c in counts.items()]
    return sorted(rows, key=lambda r: (-r["sentences"], r["speaker"]))


def speakers(
    paths: Optional[list[str]] = typer.Argument(None, help="Files, folders, or - for stdin. Default: seeds/."),
    json_output: bool = typer.Option(False, "--json", "-j", help="Print JSON instead of a table."),
) -> None:
    """List who is quoted how often (direct and indirect speech), and in which articles."""
    import json

    from claims.pipeline import attribute_corpus
    from claims.ingest.sentences import iter_corpus_sentences

    articles = read_articles(paths)
    sentences = list(iter_corpus_sentences(articles))
    rows = speaker_table(sentences, attribute_corpus(articles, sentences))
    if json_output:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    from claims.output import plain

    table = Table(title=f"{len(rows)} speakers in {len(articles)} articles")
    for name in ("speaker", "sentences", "direct", "indirect", "articles"):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(plain(r["speaker"]), str(r["sentences"]), str(r["direct"]), str(r["indirect"]),
                      plain(", ".join(r["articles"])))
    Console(width=160).print(table)
