"""`claims disputes`: what the articles disagree on, fact by fact, most contested first."""

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

DisputeFormat = Enum("DisputeFormat", {name: name for name in ("table", "json", "csv")}, type=str)


def disputes(
    paths: Optional[list[str]] = PATHS,
    format: DisputeFormat = typer.Option("table", "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    threshold: Optional[float] = THRESHOLD,
    model: str = MODEL,
    cache: bool = typer.Option(True, "--cache/--no-cache", help="Reuse embeddings from the on-disk cache."),
    verbose: bool = VERBOSE,
    store: Optional[Path] = STORE,
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
) -> None:
    """List the disputed facts: different values for one figure (updates over time, disagreements
    between sources, qualifiers), opposite stances on one claim, the same words from different speakers."""
    started = time.perf_counter()
    check_output(output)
    check_store_use(store, paths, threshold=threshold)
    check_window(since, until)
    from claims.output.disputes import disputes_csv, disputes_json, disputes_table

    if store is not None:
        analysis = load_store(store, since, until)
    else:
        settings = settings_or_exit(model, threshold, 2, cache=cache)
        analysis = run_analysis(within_window(read_articles(paths), since, until), settings)
    facts = analysis.disputes()
    if format.value == "json":
        text = disputes_json(facts)
    elif format.value == "csv":
        text = disputes_csv(facts)
    else:
        text = disputes_table(facts, len(analysis.facts))
    write_output(text, output)
    if verbose:
        print_timings(analysis.timings, time.perf_counter() - started)
