"""Language resources as data: where the packaged files live, and the one way to read them.

Every word list, lexicon and table of the package is a UTF-8 file in ``claims/data/``;
blank lines and lines starting with "#" (headers, comments) are skipped everywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, Optional, Union

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PathLike = Union[str, Path]


def data_path(name: PathLike) -> Path:
    """The packaged data file named by a bare string ("negation_fr.tsv"); a ``Path`` or a
    string with a folder stays as is (a user's file, relative to the working directory)."""
    path = Path(name)
    if isinstance(name, Path) or path.is_absolute() or path.parent != Path("."):
        return path
    return DATA_DIR / path


def read_lines(name: PathLike) -> Iterator[tuple[int, str]]:
    """(line number, line) of a data file, skipping blank and "#" lines; trailing newline removed."""
    path = data_path(name)
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.strip() and not raw.startswith("#"):
            yield lineno, raw


def read_tsv(name: PathLike, n_columns: Optional[int] = None) -> Iterator[tuple[int, list[str]]]:
    """(line number, columns) of a tab-separated data file.

    Args:
        name: a file of ``claims/data`` or any path.
        n_columns: when given, a line with another number of columns is a ``ValueError``
            naming the file and line.
    """
    for lineno, raw in read_lines(name):
        columns = raw.split("\t")
        if n_columns is not None and len(columns) != n_columns:
            raise ValueError(f"{data_path(name)}:{lineno}: expected {n_columns} tab-separated columns")
        yield lineno, columns
