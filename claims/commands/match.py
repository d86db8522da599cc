"""`claims match`: the claims that recur across articles."""

from __future__ import annotations

import time
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from claims.commands.common import (MODEL, PATHS, SINCE, STORE, THRESHOLD, UNTIL, VERBOSE, check_output,
                                    check_store_use, check_window, load_store, print_timings,
                                    read_articles, run_analysis, settings_or_exit, within_window,
                                    write_output)

Format = Enum("Format", {name: name for name in ("table", "json", "jsonl", "csv")}, type=str)
Scoring = Enum("Scoring", {name: name for name in ("hybrid", "clauses", "clauses-dense", "csls", "cosine", "learned")},
               type=str)


def match(
    paths: Optional[list[str]] = PATHS,
    format: Format = typer.Option("table", "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    threshold: Optional[float] = THRESHOLD,
    model: str = MODEL,
    min_articles: int = typer.Option(2, "--min-articles", "-a", help="Articles a group must span (with --store: keep the claims in at least this many)."),
    speaker: Optional[str] = typer.Option(None, "--speaker", "-s", help="Keep groups where this speaker appears (case-insensitive substring)."),
    disputed: bool = typer.Option(False, "--disputed", "-d", help="Keep groups with opposite stances or differing figures, and the groups giving versions of a disputed fact (see claims disputes)."),
    scoring: Scoring = typer.Option("hybrid", "--scoring", "-S", help="Pair score: hybrid (cosine + TF-IDF), clauses (best pair of clauses), clauses-dense, csls (cosine corrected for hubness), cosine, learned (fitted pair features)."),
    guards: bool = typer.Option(True, "--guards/--no-guards", help="Refuse pairs that disagree on figures, negation or entities."),
    cache: bool = typer.Option(True, "--cache/--no-cache", help="Reuse embeddings from the on-disk cache."),
    explain: bool = typer.Option(False, "--explain", "-e", help="Table: show under each sentence why it is in its group (closest mention of another article, pair score and its parts, shared rare words, entities, figures)."),
    verbose: bool = VERBOSE,
    store: Optional[Path] = STORE,
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
) -> None:
    """Group the sentences of different articles that state the same claim."""
    started = time.perf_counter()
    check_output(output)
    check_store_use(store, paths, threshold=threshold)
    check_window(since, until)
    from claims.output import render

    if store is not None:
        analysis = load_store(store, since, until)
        groups = [g for g in analysis.select(speaker, disputed) if len(g.articles) >= min_articles]
        write_output(render(analysis, format.value, groups, explain=explain), output)
        if verbose:
            print_timings(analysis.timings, time.perf_counter() - started)
        return
    settings = settings_or_exit(model, threshold, min_articles, pair_score_name=scoring.value, guards=guards, cache=cache)
    analysis = run_analysis(within_window(read_articles(paths), since, until), settings)
    text = render(analysis, format.value, analysis.select(speaker, disputed), explain=explain)
    write_output(text, output)
    if verbose:
        print_timings(analysis.timings, time.perf_counter() - started)
