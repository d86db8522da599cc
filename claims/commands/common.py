"""What every command shares: reading inputs, reporting problems, progress, writing output."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterator, Optional

import typer

from claims.ingest.corpus import load_articles
from claims.records import Article

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "seeds"
PROGRESS_MIN = 200  # below this many sentences encoding takes a few seconds: no bar

MODEL_HELP = ("Encoder: e5-small (default), e5-small-int8 (fast), use, minilm (English), "
              "or a sentence-transformers name / local folder installed on this machine.")


def warn(message: str) -> None:
    """One line on stderr."""
    typer.echo(f"claims: {message}", err=True)


def fail(message: str, code: int = 1) -> "typer.Exit":
    """Print one error line on stderr and return the exit to raise."""
    typer.echo(f"claims: error: {message}", err=True)
    return typer.Exit(code)


def read_articles(paths: Optional[list[str]]) -> list[Article]:
    """Articles from ``paths`` ("-" is standard input; none: the demo corpus).

    Each unreadable input is one warning line; no article at all is an error exit.
    """
    if not paths:
        paths = [str(DEFAULT_CORPUS)]
    stdin = sys.stdin if "-" in paths else None
    loaded = load_articles(paths, stdin=stdin)
    for problem in loaded.problems:
        if problem.reason.startswith("warning:"):
            warn(f"warning: {problem.path}: {problem.reason[len('warning:'):].strip()}")
        else:
            warn(f"skipped {problem.path}: {problem.reason}")
    if not loaded.articles:
        raise fail("no article to read in " + ", ".join(paths))
    return loaded.articles


@contextlib.contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int], Callable[[int], None]]]:
    """A factory ``start(total) -> advance(n)`` drawing a bar on stderr for long work."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    started = False

    def start(total: int) -> Callable[[int], None]:
        nonlocal started
        if total < PROGRESS_MIN:
            return lambda n: None
        if not started:
            progress.start()
            started = True
        task = progress.add_task(description, total=total)
        return lambda n: progress.advance(task, n)

    try:
        yield start
    finally:
        if started:
            progress.stop()


def write_output(text: str, output: Optional[Path]) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output is None:
        sys.stdout.write(text)
        return
    output = Path(output)
    if output.parent and not output.parent.exists():
        raise fail(f"{output}: folder {output.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, output)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
