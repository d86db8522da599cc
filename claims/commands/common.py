"""What every command shares: options, reading inputs, notices, progress, timings, writing output.

A command parses its options, calls one public function of the package that returns data,
and renders it with :mod:`claims.output`; nothing else lives in the command.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence

import typer

from claims.models import DEFAULT_MODEL, available_models
from claims.records import Article

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "seeds"
PROGRESS_MIN = 200  # below this many sentences encoding takes a few seconds: no bar


def model_help() -> str:
    """``--model`` help, from the model registry."""
    return ("Model: " + ", ".join(available_models()) +
            ", or a sentence-transformers folder installed on this machine "
            f"(default {DEFAULT_MODEL}).")


PATHS = typer.Argument(None, help="Files (.txt, .jsonl), folders, or - for stdin. Default: seeds/.")
MODEL = typer.Option(DEFAULT_MODEL, "--model", "-m", help=model_help())
THRESHOLD = typer.Option(None, "--threshold", "-t", help="Pair score needed to link two sentences, on the "
                         "pair score's scale (default: calibrated for the model).")
VERBOSE = typer.Option(False, "--verbose", "-v", help="Print the time of each stage on stderr.")


def warn(message: str) -> None:
    """One line on stderr."""
    typer.echo(f"claims: {message}", err=True)


def fail(message: str, code: int = 1) -> "typer.Exit":
    """Print one error line on stderr and return the exit to raise."""
    typer.echo(f"claims: error: {message}", err=True)
    return typer.Exit(code)


@contextlib.contextmanager
def notices() -> Iterator[None]:
    """Show the package's warnings (fallbacks, estimates) as one ``claims: warning:`` line each."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for w in caught:
                warn(f"warning: {w.message}")


def read_articles(paths: Optional[list[str]]) -> list[Article]:
    """Articles from ``paths`` ("-" is standard input; none: the demo corpus), sorted by id.

    Sorting makes rows and group ids independent of the order paths are given. Each
    unreadable input is one warning line; no article at all is an error exit.
    """
    from claims.ingest.corpus import load_articles

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
    return sorted(loaded.articles, key=lambda a: a.id)


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


def print_timings(timings: Sequence, total: float) -> None:
    """Stage timings on stderr (``--verbose``)."""
    for stage, seconds in timings:
        warn(f"{stage:<10} {seconds:7.2f} s")
    warn(f"{'total':<10} {total:7.2f} s")


def check_output(output: Optional[Path]) -> None:
    """Refuse an output path that cannot be written, before any work is done."""
    if output is None:
        return
    output = Path(output)
    if output.is_dir():
        raise fail(f"{output}: is a folder; give a file name")
    if not output.parent.is_dir():
        raise fail(f"{output}: folder {output.parent} does not exist")


def write_output(text: str, output: Optional[Path]) -> None:
    """Print ``text``, or write it atomically to ``output`` (keeping an existing file's mode)."""
    if output is None:
        sys.stdout.write(text)
        return
    output = Path(output)
    check_output(output)
    mode = stat.S_IMODE(output.stat().st_mode) if output.exists() else None
    _remove_stale_temporaries(output)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.{os.getpid()}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        if mode is None:  # a new file gets the usual mode, not mkstemp's 0600
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, output)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _remove_stale_temporaries(output: Path) -> None:
    """Remove the temporary files that killed runs left beside ``output`` (their writer is dead)."""
    from embeddings.paths import pid_alive

    for leftover in output.parent.glob(f".{glob.escape(output.name)}.*.tmp"):
        pid = leftover.name[len(output.name) + 2:].split("-", 1)[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            with contextlib.suppress(OSError):
                leftover.unlink()


STORE = typer.Option(None, "--store", help="Read this store (made by `claims ingest`) instead of analysing "
                     "files again; its settings apply.")
SINCE = typer.Option(None, "--since", metavar="DATE", help="Only articles dated on or after DATE "
                     "(YYYY-MM-DD, YYYY-MM or YYYY; undated articles are left out).")
UNTIL = typer.Option(None, "--until", metavar="DATE", help="Only articles dated on or before DATE "
                     "(YYYY-MM-DD, YYYY-MM or YYYY; undated articles are left out).")


def check_window(since: Optional[str], until: Optional[str]):
    """The :class:`claims.store.window.Window` of ``--since`` / ``--until``, or an error exit."""
    from claims.store.window import Window

    try:
        return Window.parse(since, until)
    except ValueError as error:
        raise fail(str(error))


def check_store_use(store: Optional[Path], paths: Optional[list[str]], **ignored) -> None:
    """Refuse PATHS, or analysis options, given together with ``--store``."""
    if store is None:
        return
    if paths:
        raise fail("give PATHS or --store, not both")
    for option, value in ignored.items():
        if value is not None:
            raise fail(f"--{option.replace('_', '-')}: a store keeps the settings it was built with; "
                       f"leave it out with --store")


def load_store(store: Path, since: Optional[str], until: Optional[str]):
    """The stored corpus as an Analysis (within the window), or an error exit."""
    from claims.store import Store, StoreError

    window = check_window(since, until)
    try:
        with Store.open(store) as opened:
            analysis = opened.load(window.since, window.until)
    except StoreError as error:
        raise fail(str(error))
    if not analysis.articles:
        raise fail(f"no article of {store} is dated from {window}")
    return analysis


def within_window(articles: list[Article], since: Optional[str], until: Optional[str]) -> list[Article]:
    """The articles dated inside ``--since`` / ``--until`` (all without them), or an error exit."""
    window = check_window(since, until)
    if window.open:
        return articles
    kept = [a for a in articles if window.holds(a.date)]
    if not kept:
        raise fail(f"no article is dated from {window}")
    return kept


def settings_or_exit(model: str, threshold: Optional[float], *args, **kwargs):
    """:func:`claims.settings.resolve_settings`, a bad option being an error exit, not a traceback."""
    from claims.settings import resolve_settings

    try:
        return resolve_settings(model, threshold, *args, **kwargs)
    except ValueError as error:
        raise fail(str(error))


def run_analysis(articles: Sequence[Article], settings):
    """``claims.pipeline.analyze`` with a progress bar and the run's notices; bad input is an error exit."""
    from claims.pipeline import analyze

    try:
        with notices(), progress_bar("encoding sentences") as start:
            return analyze(articles, settings=settings, progress=start)
    except ValueError as error:
        raise fail(str(error))
