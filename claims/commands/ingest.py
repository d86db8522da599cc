"""`claims ingest`: add articles to a store, keeping its claim ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from claims.commands.common import fail, model_help, notices, progress_bar, read_articles, settings_or_exit


def ingest(
    paths: list[str] = typer.Argument(..., help="Files (.txt, .jsonl), folders, or - for stdin."),
    store: Path = typer.Option(..., "--store", help="The store folder (created when missing)."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help=model_help() + " Only for a new store."),
    threshold: Optional[float] = typer.Option(None, "--threshold", "-t", help="Pair score needed to link two "
                                              "sentences (default: calibrated). Only for a new store."),
    min_articles: Optional[int] = typer.Option(None, "--min-articles", "-a", help="Articles a group must span "
                                               "(default 2). Only for a new store."),
    json_output: bool = typer.Option(False, "--json", "-j", help="Print the report as JSON."),
    engine: str = typer.Option("local", "--engine", help="local (this process) or ray (Ray Data tasks and "
                               "encoder actors, per-cell neighbour search; see the README's deployment note)."),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster address for --engine ray "
                                          "(default: start a local Ray on this machine's cores)."),
) -> None:
    """Add articles to a store: new ids are added, changed texts replaced, the same text skipped.

    The claims of the whole store are grouped again; each keeps its id, new ones get new
    ids, and two claims that new articles join are reported as merged (both ids recorded).
    """
    from claims.models import DEFAULT_MODEL
    from claims.engines import ENGINES
    from claims.engines.ray_engine import RayEngineError
    from claims.store import Store, StoreError

    if engine not in ENGINES:
        raise fail(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if address and engine != "ray":
        raise fail("--address is for --engine ray")
    settings = None
    if model is not None or threshold is not None or min_articles is not None:
        settings = settings_or_exit(model or DEFAULT_MODEL, threshold, 2 if min_articles is None else min_articles)
    articles = read_articles(paths)
    try:
        with Store.open(store, create=True) as opened, notices(), progress_bar("encoding sentences") as start:
            report = opened.ingest(articles, settings=settings, progress=start, engine=engine, address=address)
    except (StoreError, ValueError, RayEngineError) as error:
        raise fail(str(error))
    if json_output:
        data = report._asdict()
        data["merges"] = [{"kept": kept, "absorbed": absorbed} for kept, absorbed in report.merges]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(f"store {store}:")
    typer.echo(report.summary(), nl=False)
