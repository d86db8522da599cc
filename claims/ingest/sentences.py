"""Rule-based French sentence splitting with offsets into the original article text.

Rules, in order:

* the leading ``date YYYY-MM`` token is skipped (see :class:`claims.ingest.corpus.TextMarks`);
* paragraphs are separated by blank lines; inside a paragraph each line is its own unit
  (headlines and subheads have no final punctuation) unless the next line starts in lower case
  or the line ends with ``,;:`` or an opening quote (a hard-wrapped sentence);
* whole boilerplate lines ("À lire aussi", photo credits, ``ttn-fr-56``...), stray leading
  tokens (``guillement``) and trailing agency marks (``/ATS``, ``(AFP)``) are dropped, using
  the patterns of ``claims/data/boilerplate.txt``;
* inside a unit, a sentence ends at ``. ! ? …`` (plus any closing quotes or brackets) followed
  by white space and a capital, digit or opening quote, whether or not it stands inside a
  quotation: a quote holding two full sentences gives two sentences, while ``« ... », a-t-il
  dit.`` stays one because no sentence ends inside it;
* a period after an abbreviation of ``claims/data/abbreviations.txt`` (``M.``, ``Mme``) or a
  capital initial (``J.``, ``J.-C.``) does not end a sentence, nor does ``[...]``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Optional

from claims.french.resources import data_path, read_lines
from claims.ingest.corpus import TextMarks, default_marks
from claims.records import Article, Sentence

ABBREVIATIONS_PATH = data_path("abbreviations.txt")
# A "sentence" longer than this (a text without punctuation) is cut at spaces: every later
# stage (parse, attribution, pair scores) costs at least linear time in a sentence's length.
MAX_SENTENCE_CHARS = 2000

# Terminal punctuation, then closing quotes/brackets (French typography puts a space before »).
_TERMINATOR = re.compile(r"[.!?…]+(?:[ \t\u00a0\u202f]*»|[”’'\")\]])*")
_SPACE = re.compile(r"\s+")
# "J", "J.-C", "U.S": capital initials, whose period does not end a sentence.
_INITIALS = re.compile(r"[A-ZÀ-Ý](?:\.-?[A-ZÀ-Ý])*")
_OPENERS = "«“‘'\"([—–-¿¡"
# A line ending in one of these continues on the next line.
_CONTINUES = ",;:«“(—–-"
_WORD_STRIP = "«“‘'\"([{"


def read_abbreviations(path: str | Path = ABBREVIATIONS_PATH) -> frozenset[str]:
    """Read an abbreviation list: one per line, without the period; ``#`` starts a comment."""
    lines = (line.strip() for _, line in read_lines(Path(path)))
    return frozenset(line for line in lines if not line.startswith("#"))


class SentenceSplitter:
    """Split articles into sentences.

    Args:
        marks: Boilerplate and metadata patterns; the packaged ones by default.
        abbreviations: Words whose period never ends a sentence; the packaged list by default.
    """

    def __init__(self, marks: Optional[TextMarks] = None,
                 abbreviations: Optional[Iterable[str]] = None):
        self.marks = marks
        self.abbreviations = abbreviations

    def split(self, article: Article) -> Iterator[Sentence]:
        """Yield the sentences of ``article`` in text order, indexed from 0."""
        marks = self.marks or default_marks()
        abbreviations = (frozenset(self.abbreviations) if self.abbreviations is not None
                         else _default_abbreviations())
        text = article.text
        _, body = marks.leading_date(text)
        index = 0
        for start, end in _units(text, body, marks):
            for s, e in _split_unit(text, start, end, abbreviations):
                for s, e in _bounded(text, *_trim(text, s, e)):
                    if any(c.isalnum() for c in text[s:e]):
                        yield Sentence(article.id, index, text[s:e], s, e)
                        index += 1


@lru_cache(maxsize=None)
def _default_abbreviations() -> frozenset[str]:
    return read_abbreviations()


@lru_cache(maxsize=None)
def _default_splitter() -> SentenceSplitter:
    return SentenceSplitter()


def split_sentences(article: Article) -> Iterator[Sentence]:
    """Yield the sentences of one article (offsets into ``article.text``)."""
    return _default_splitter().split(article)


def iter_corpus_sentences(articles: Iterable[Article]) -> Iterator[Sentence]:
    """Yield the sentences of several articles, article after article."""
    splitter = _default_splitter()
    for article in articles:
        yield from splitter.split(article)


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``(start, end)``, or pieces of at most :data:`MAX_SENTENCE_CHARS` cut at the last space."""
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + 1, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        yield _trim(text, start, cut)
        start = cut
    yield _trim(text, start, end)


def _lines(text: str, start: int) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each line from ``start``, without its newline."""
    while start <= len(text):
        newline = text.find("\n", start)
        end = len(text) if newline < 0 else newline
        yield start, end
        if newline < 0:
            return
        start = newline + 1


def _units(text: str, body: int, marks: TextMarks) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each paragraph or line unit, boilerplate removed."""
    unit: Optional[list[int]] = None
    for ls, le in _lines(text, body):
        ls, le = _trim(text, ls, le)
        line = text[ls:le]
        if not line or marks.is_boilerplate_line(line):
            if unit:
                yield from _strip_marks(text, *unit, marks)
            unit = None
            continue
        previous = text[unit[0]:unit[1]] if unit else ""
        if unit and (line[0].islower() or previous[-1] in _CONTINUES):
            unit[1] = le
        else:
            if unit:
                yield from _strip_marks(text, *unit, marks)
            unit = [ls, le]
    if unit:
        yield from _strip_marks(text, *unit, marks)


def _strip_marks(text: str, start: int, end: int, marks: TextMarks) -> Iterator[tuple[int, int]]:
    lead, _ = marks.lead(text[start:end])
    start += lead
    trail, _ = marks.trail(text[start:end])
    end = start + trail
    start, end = _trim(text, start, end)
    if start < end:
        yield start, end


def _split_unit(text: str, start: int, end: int,
                abbreviations: frozenset[str]) -> Iterator[tuple[int, int]]:
    sentence_start = start
    for match in _TERMINATOR.finditer(text, start, end):
        space = _SPACE.match(text, match.end(), end)
        if space is None or space.end() >= end:
            continue
        following = text[space.end()]
        if not (following.isupper() or following.isdigit() or following in _OPENERS):
            continue
        if not _ends_sentence(text, match.start(), match.group(), sentence_start, abbreviations):
            continue
        yield sentence_start, match.end()
        sentence_start = space.end()
    yield sentence_start, end


def _ends_sentence(text: str, at: int, punct: str, floor: int,
                   abbreviations: frozenset[str]) -> bool:
    """Tell whether the terminator ``punct`` found at ``at`` can end a sentence."""
    if punct[0] in ".…" and at > floor and text[at - 1] in "[(" and punct.lstrip(".…")[:1] in "])":
        return False  # "[...]" and "(...)": words left out of a quotation
    if not punct.startswith(".") or punct.startswith(".."):
        return True
    word_start = at
    while word_start > floor and not text[word_start - 1].isspace():
        word_start -= 1
    word = re.split(r"['’]", text[word_start:at].lstrip(_WORD_STRIP))[-1]
    return not (word in abbreviations or _INITIALS.fullmatch(word))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
