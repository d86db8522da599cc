"""`claims match`: the claims that recur across articles."""

from __future__ import annotations

import io
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from claims.commands.common import MODEL_HELP, fail, progress_bar, read_articles, warn, write_output
from claims.output import render_table, write_csv, write_json, write_jsonl


class Scoring(str, Enum):
    hybrid = "hybrid"
    clauses = "clauses"
    csls = "csls"
    cosine = "cosine"


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def match(
    paths: Optional[list[str]] = typer.Argument(None, help="Files (.txt, .jsonl), folders, or - for stdin. Default: seeds/."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    threshold: Optional[float] = typer.Option(None, "--threshold", "-t", help="Similarity needed to link two sentences (default: calibrated per model)."),
    model: str = typer.Option("e5-small", "--model", "-m", help=MODEL_HELP),
    min_articles: int = typer.Option(2, "--min-articles", "-a", min=1, help="Articles a group must span."),
    speaker: Optional[str] = typer.Option(None, "--speaker", "-s", help="Keep groups where this speaker appears (case-insensitive substring)."),
    disputed: bool = typer.Option(False, "--disputed", "-d", help="Keep groups with opposite stances or differing figures."),
    scoring: Scoring = typer.Option(Scoring.hybrid, "--scoring", "-S", help="Pair score: hybrid (cosine + TF-IDF), clauses (best pair of clauses), csls (cosine corrected for hubness), cosine."),
    guards: bool = typer.Option(True, "--guards/--no-guards", help="Refuse pairs that disagree on figures, negation or entities."),
    cache: bool = typer.Option(True, "--cache/--no-cache", help="Reuse embeddings from the on-disk cache."),
) -> None:
    """Group the sentences of different articles that state the same claim."""
    from claims.pipeline import analyze

    articles = read_articles(paths)
    try:
        with progress_bar("encoding sentences") as start:
            analysis = analyze(articles, model=model, threshold=threshold, min_articles=min_articles,
                               scoring=scoring.value, guard=guards, cache=cache, progress=start)
    except ValueError as error:
        raise fail(str(error))
    if analysis.threshold_source == "corpus fallback":
        warn(f"model {model!r} has no calibrated threshold; using {analysis.threshold:.3f} "
             "from this corpus (set --threshold)")
    groups = select_groups(analysis, speaker, disputed)
    buffer = io.StringIO()
    if format is Format.table:
        buffer.write(render_table(analysis, groups))
    elif format is Format.jsonl:
        write_jsonl(analysis, buffer)
    elif format is Format.json:
        write_json(analysis, buffer, groups)
    else:
        write_csv(analysis, buffer, groups)
    write_output(buffer.getvalue(), output)


def select_groups(analysis, speaker: Optional[str], disputed: bool):
    """The groups that pass the --speaker and --disputed filters."""
    groups = analysis.groups
    if speaker:
        wanted = speaker.casefold()
        groups = [g for g in groups
                  if any(wanted in (m.attribution.speaker or "").casefold() for m in g.mentions)]
    if disputed:
        from claims.comparison import is_disputed

        groups = [g for g in groups if g.id in analysis.comparisons and is_disputed(analysis.comparisons[g.id])]
    return groups
