"""`claims report`: the claims as one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from claims.commands.common import (MODEL, PATHS, SINCE, STORE, THRESHOLD, UNTIL, check_output, check_store_use,
                                    check_window, load_store, read_articles, run_analysis, settings_or_exit,
                                    within_window, write_output)


def report(
    paths: Optional[list[str]] = PATHS,
    store: Optional[Path] = STORE,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (report.html) instead of stdout."),
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
    title: Optional[str] = typer.Option(None, "--title", help="Page title (default: Claims in N articles)."),
    threshold: Optional[float] = THRESHOLD,
    model: str = MODEL,
) -> None:
    """Write the claims as one HTML page: cards with mentions, stances, reasons and filters.

    The page holds its styles, script and data: it opens offline, from a file or an e-mail.
    """
    from claims.report import render_report

    check_output(output)
    check_store_use(store, paths, threshold=threshold)
    check_window(since, until)
    if store is not None:
        analysis = load_store(store, since, until)
    else:
        analysis = run_analysis(within_window(read_articles(paths), since, until), settings_or_exit(model, threshold))
    write_output(render_report(analysis, title=title), output)
