"""Read articles from files, folders, JSONL or standard input, with their metadata.

Texts are kept exactly as decoded (offsets must hold); metadata the texts carry, such as a
leading ``date 2023-06`` token or a trailing ``/ATS`` mark, is read from the patterns of
``claims/data/boilerplate.txt`` through :class:`TextMarks`, which :mod:`claims.ingest.sentences`
shares so both stages agree on what is not a sentence.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Mapping, NamedTuple, Optional, Sequence, TextIO

from claims.french.resources import data_path, read_lines
from claims.ingest.decoding import DecodeError, decode_text
from claims.records import Article

BOILERPLATE_PATH = data_path("boilerplate.txt")

# Terminal punctuation or closing quote/bracket after which a trailing agency mark may stand.
_BEFORE_TRAIL = r"(?:^|(?<=[\s.!?…»”’'\"\)\]]))"


class InputProblem(NamedTuple):
    """Something wrong (or worth a warning) with one input; ``reason`` is one readable line."""

    path: str
    reason: str


class LoadResult(NamedTuple):
    """Articles read, in input order, and the problems met on the way."""

    articles: list[Article]
    problems: list[InputProblem]


class TextMarks:
    """Patterns of text that is metadata or boilerplate rather than sentences.

    Args:
        path: A boilerplate file (format described at its top); the packaged one by default.
    """

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else BOILERPLATE_PATH
        sections = _read_sections(self.path)
        unknown = set(sections) - {"agencies", "date", "line", "lead", "trail"}
        if unknown:
            raise ValueError(f"{self.path}: unknown sections {sorted(unknown)}")
        self.agencies = tuple(sections.get("agencies", ()))
        # Longest names first so "Keystone-ATS" wins over "ATS".
        agency_re = "(?:" + "|".join(
            re.escape(a) for a in sorted(self.agencies, key=len, reverse=True)) + ")"
        self._canonical = {a.lower(): a for a in self.agencies}

        def compile_all(name: str, wrap: str = "{}") -> list[re.Pattern]:
            return [re.compile(wrap.format(p.replace("{AGENCY}", agency_re)), re.IGNORECASE)
                    for p in sections.get(name, ())]

        self._date = compile_all("date")
        self._line = compile_all("line")
        self._lead = compile_all("lead")
        # A trailing mark stands alone at the end, after a boundary, optionally before a period.
        self._trail = [re.compile(_BEFORE_TRAIL + r"\s*(?:" + p.pattern + r")\s*\.?\s*$",
                                  re.IGNORECASE) for p in compile_all("trail")]

    def leading_date(self, text: str) -> tuple[Optional[str], int]:
        """Return the leading date token's value and the offset just after it (0 if none)."""
        for pattern in self._date:
            match = pattern.match(text)
            if match:
                return match.groupdict().get("date"), match.end()
        return None, 0

    def is_boilerplate_line(self, line: str) -> bool:
        """Tell whether a whole line (e.g. "À lire aussi", a photo credit) is not a sentence."""
        line = line.strip()
        return any(p.search(line) for p in self._line)

    def lead(self, block: str) -> tuple[int, Optional[str]]:
        """Return how many leading characters of ``block`` are stray tokens, and any agency."""
        skipped, source = 0, None
        while True:
            rest = block[skipped:]
            match = next((m for m in (p.match(rest) for p in self._lead) if m and m.end()), None)
            if match is None:
                return skipped, source
            source = source or self._source(match)
            skipped += match.end()

    def trail(self, block: str) -> tuple[int, Optional[str]]:
        """Return where trailing agency marks start in ``block`` (its length if none), and the agency."""
        end, source = len(block), None
        while True:
            rest = block[:end]
            match = next((m for m in (p.search(rest) for p in self._trail) if m), None)
            if match is None or match.start() == end:
                return end, source
            source = self._source(match) or source
            end = match.start()

    def source_of(self, text: str) -> Optional[str]:
        """Return the agency named by a mark on the last line (or in the dateline) of ``text``."""
        _, source = self.trail(text.rstrip().rsplit("\n", 1)[-1].strip())
        if source is None:
            _, body = self.leading_date(text)
            _, source = self.lead(text[body:].lstrip())
        return source

    def _source(self, match: re.Match) -> Optional[str]:
        raw = match.groupdict().get("source")
        if not raw:
            return None
        names = [n.strip() for n in raw.split("/")]
        return "/".join(self._canonical.get(n.lower(), n) for n in names)


def _read_sections(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for lineno, raw in read_lines(path):
        line = raw.strip()
        if line.startswith("#"):  # an indented comment is a comment here too
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), [])
        elif current is None:
            raise ValueError(f"{path}:{lineno}: entry before any [section]")
        else:
            current.append(line)
    return sections


@lru_cache(maxsize=None)
def default_marks() -> TextMarks:
    """The packaged :class:`TextMarks`, compiled once."""
    return TextMarks()


STDIN_NAME = "<stdin>"
# spaCy refuses texts over 1,000,000 characters (E088), and no news article comes near it:
# a larger one is refused by itself, with its name and the limit, and the others are read.
MAX_ARTICLE_CHARS = 1_000_000
ARTICLE_SUFFIXES = (".txt", ".jsonl")
_JSONL_OPTIONAL = ("title", "date", "source", "url")


def make_article(id: str, text: str, *, title: Optional[str] = None, date: Optional[str] = None,
                 source: Optional[str] = None, url: Optional[str] = None,
                 path: Optional[str] = None, marks: Optional[TextMarks] = None) -> Article:
    """Build an :class:`Article`, filling date, source and title from marks in the text.

    Given values win over what the text carries. The title is the first line when it has no
    final punctuation (a headline).
    """
    marks = marks or default_marks()
    text_date, body = marks.leading_date(text)
    return Article(id=id, text=text, title=title or _headline(text[body:], marks),
                   date=date or text_date, source=source or marks.source_of(text),
                   url=url, path=path)


def _headline(body: str, marks: TextMarks) -> Optional[str]:
    first = body.strip().split("\n", 1)
    line = first[0].strip()
    if (len(first) < 2 or not line or len(line) > 200 or marks.is_boilerplate_line(line)
            or line[-1] in ".!?…:;,"):
        return None
    return line


def articles_from_texts(texts: Mapping[str, str] | Sequence[str]) -> list[Article]:
    """Build articles from texts in memory: ids are the mapping keys, or "doc0", "doc1", …."""
    if isinstance(texts, (str, bytes)):
        raise TypeError("texts must be a sequence or mapping of strings, not a single string")
    items = texts.items() if isinstance(texts, Mapping) else (
        (f"doc{i}", t) for i, t in enumerate(texts))
    articles = []
    for id, text in items:
        if not isinstance(text, str):
            raise TypeError(f"text of {id!r} must be a str, not {type(text).__name__}")
        articles.append(make_article(str(id), text))
    return articles


def load_articles(paths: Sequence[str | Path] | None = None, *,
                  stdin: TextIO | None = None) -> LoadResult:
    """Read articles from files, folders and standard input ("-").

    Folders give their ``*.txt`` and ``*.jsonl`` files (not sub-folders, not hidden files),
    sorted by name. A ``.jsonl`` file holds one article per line; any other file is one
    article whose id is the file stem. Standard input is one article with id "stdin", or
    JSONL when its first line is a JSON object. ``paths=None`` reads standard input.

    Args:
        paths: Files, folders or "-".
        stdin: Stream read for "-"; ``sys.stdin`` by default.

    Returns:
        The articles in input order and the problems met; a problem whose reason starts with
        "warning:" did not stop its input from being read.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    articles: list[Article] = []
    problems: list[InputProblem] = []
    seen: dict[str, str] = {}
    for item in ["-"] if paths is None else paths:
        for article in _read_input(str(item), stdin, problems):
            if article.id in seen:
                problems.append(InputProblem(article.path or article.id,
                                             f"duplicate article id {article.id!r} (first read "
                                             f"from {seen[article.id]}); skipped"))
                continue
            seen[article.id] = article.path or article.id
            articles.append(article)
    return LoadResult(articles, problems)


def _read_input(item: str, stdin: TextIO | None,
                problems: list[InputProblem]) -> Iterator[Article]:
    if item == "-":
        yield from _read_stdin(stdin if stdin is not None else sys.stdin, problems)
        return
    path = Path(item)
    if not path.exists():
        problems.append(InputProblem(item, "no such file or folder"))
    elif path.is_dir():
        try:
            files = sorted((p for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES
                            and p.is_file() and not p.name.startswith(".")), key=lambda p: p.name)
        except OSError as error:
            problems.append(InputProblem(item, f"cannot read folder: {error.strerror or error}"))
            return
        if not files:
            problems.append(InputProblem(item, "folder holds no .txt or .jsonl article"))
        for file in files:
            yield from _read_file(file, problems)
    else:
        yield from _read_file(path, problems)


def _read_file(path: Path, problems: list[InputProblem]) -> Iterator[Article]:
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(InputProblem(name, f"cannot read: {error.strerror or error}"))
        return
    if path.suffix.lower() == ".jsonl":
        yield from _read_jsonl_bytes(data, name, problems)
    else:
        article = _text_article(data, path.stem, name, problems)
        if article:
            yield article


def _text_article(data: bytes, id: str, name: str,
                  problems: list[InputProblem]) -> Optional[Article]:
    if not data.strip():
        problems.append(InputProblem(name, "empty file"))
        return None
    try:
        text, encoding = decode_text(data)
    except DecodeError as error:
        problems.append(InputProblem(name, str(error)))
        return None
    if encoding:
        problems.append(InputProblem(name, f"warning: not UTF-8; read as {encoding} (detected)"))
    if not text.strip():
        problems.append(InputProblem(name, "empty file"))
        return None
    if len(text) > MAX_ARTICLE_CHARS:
        problems.append(InputProblem(name, _too_long(text)))
        return None
    return make_article(id, text, path=name)


def _too_long(text: str) -> str:
    return f"article of {len(text):,} characters is over the limit of {MAX_ARTICLE_CHARS:,}; split it"


def _read_stdin(stream: TextIO, problems: list[InputProblem]) -> Iterator[Article]:
    buffer = getattr(stream, "buffer", None)
    try:
        data = buffer.read() if buffer is not None else stream.read().encode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(InputProblem(STDIN_NAME, f"cannot read standard input: {error}"))
        return
    if _looks_like_jsonl(data):
        yield from _read_jsonl_bytes(data, STDIN_NAME, problems)
        return
    article = _text_article(data, "stdin", STDIN_NAME, problems)
    if article:
        yield article


def _looks_like_jsonl(data: bytes) -> bool:
    first = data.lstrip(codecs.BOM_UTF8).lstrip().split(b"\n", 1)[0].strip()
    if not first.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(first.decode("utf-8")), dict)
    except (UnicodeDecodeError, ValueError):
        return False


def _read_jsonl_bytes(data: bytes, name: str, problems: list[InputProblem]) -> Iterator[Article]:
    if b"\x00" in data:
        problems.append(InputProblem(name, "binary file (contains NUL bytes)"))
        return
    if not data.strip():
        problems.append(InputProblem(name, "empty file"))
        return
    for lineno, raw in enumerate(data.removeprefix(codecs.BOM_UTF8).split(b"\n"), 1):
        where = f"{name}:{lineno}"
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            problems.append(InputProblem(where, "not valid UTF-8 (JSONL must be UTF-8)"))
            continue
        except ValueError as error:
            problems.append(InputProblem(where, f"invalid JSON ({error.msg}, column {error.colno})"))
            continue
        article, reason = _jsonl_article(record, where)
        if reason:
            problems.append(InputProblem(where, reason))
        else:
            yield article


def _jsonl_article(record: object, where: str) -> tuple[Optional[Article], Optional[str]]:
    if not isinstance(record, dict):
        return None, "expected a JSON object with 'id' and 'text'"
    for key in ("id", "text"):
        if key not in record:
            return None, f"missing field {key!r}"
    id, text = record["id"], record["text"]
    if isinstance(id, bool) or not isinstance(id, (str, int)) or not str(id).strip():
        return None, "field 'id' must be a non-empty string"
    if not isinstance(text, str) or not text.strip():
        return None, "field 'text' must be a non-empty string"
    if len(text) > MAX_ARTICLE_CHARS:
        return None, _too_long(text)
    optional = {}
    for key in _JSONL_OPTIONAL:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return None, f"field {key!r} must be a string"
        optional[key] = value or None
    return make_article(str(id), text, path=where, **optional), None
