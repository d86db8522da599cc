"""`claims report`: the claims as one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from claims.commands.common import (MODEL, PATHS, THRESHOLD, check_output, fail, notices, read_articles,
                                    run_analysis, write_output)


def report(
    paths: Optional[list[str]] = PATHS,
    store: Optional[Path] = typer.Option(None, "--store", help="Read the claims of this store instead of analysing PATHS."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (report.html) instead of stdout."),
    since: Optional[str] = typer.Option(None, "--since", help="With --store: articles dated on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="With --store: articles dated on or before this date."),
    title: Optional[str] = typer.Option(None, "--title", help="Page title (default: Claims in N articles)."),
    threshold: Optional[float] = THRESHOLD,
    model: str = MODEL,
) -> None:
    """Write the claims as one HTML page: cards with mentions, stances, reasons and filters.

    The page holds its styles, script and data: it opens offline, from a file or an e-mail.
    """
    from claims.report import render_report

    check_output(output)
    if store is not None:
        if paths:
            raise fail("give PATHS or --store, not both")
        analysis = load_store(store, since, until)
    else:
        if since or until:
            raise fail("--since and --until need --store")
        analysis = analyze_paths(paths, model, threshold)
    write_output(render_report(analysis, title=title), output)


def load_store(path: Path, since: Optional[str], until: Optional[str]):
    """The analysis kept in the store at ``path`` (error exit when there is none)."""
    from claims.store import Store, StoreError

    try:
        with notices():
            return Store.open(path, create=False).load(since=since, until=until)
    except (StoreError, ValueError) as error:
        raise fail(str(error))


def analyze_paths(paths: Optional[list[str]], model: str, threshold: Optional[float]):
    """Analyse the articles at ``paths`` as ``claims match`` does."""
    from claims.settings import resolve_settings

    try:
        settings = resolve_settings(model, threshold)
    except ValueError as error:
        raise fail(str(error))
    return run_analysis(read_articles(paths), settings)
