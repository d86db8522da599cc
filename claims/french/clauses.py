"""Clauses of a French news sentence, and its content without the reporting frame.

:func:`split_clauses` cuts a sentence into *units*: its quotations, its clauses at ";", ":",
dashes and commas before "mais", "qui", "tandis que"... (``claims/data/clause_breaks_fr.txt``),
and its content without the reporting frame ("a déclaré X", "selon X,": the reporting verbs
and markers of :mod:`claims.french.cues`), found by :func:`content_span`.

The frame is removed for matching only (who said it is found later, by
:mod:`claims.attribution`, on the full sentence).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, NamedTuple

from claims.french.cues import default_lexicon
from claims.french.resources import read_lines
from claims.french.text import alternation, fold_french

BREAKS_FILE = "clause_breaks_fr.txt"
KINDS = ("quote", "clause", "content")
_QUOTE = re.compile(r"[«“\"]([^«»“”\"]+)[»”\"]")


class Clause(NamedTuple):
    """One unit of a sentence: ``text[start:end]`` of kind "quote", "clause" or "content"."""

    start: int
    end: int
    text: str
    kind: str


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """(clause break, trailing frame, leading marker, leading "X a dit que") on folded text."""
    cues = default_lexicon()
    # Spaces stay literal (no \s+ as in the cue lexicon): the frame patterns were tuned so.
    verb = alternation((fold_french(f) for f in cues.verb_forms(frames=True)), flexible_spaces=False)
    marker = alternation((fold_french(f) for f in cues.frame_markers()), flexible_spaces=False)
    breaks = alternation((fold_french(w.strip()) for _, w in read_lines(BREAKS_FILE)),
                         flexible_spaces=False)
    clause_break = re.compile(r"\s*(?:;|:|\s[-]\s|,\s*(?=(?:%s)\b)|\s(?=(?:mais|car)\s))\s*" % breaks)
    # ", a déclaré X ...", ", a-t-il ajouté", "», X a déclaré ...", ", selon X": the end of the
    # sentence is the frame, provided no "que" follows (then the frame introduces the claim).
    trailing = re.compile(
        r"[,\"'](?:\s*[^,]{1,40}?\s+a\s+(?:\w+\s+)?(?:%s)|\s*a(?:-t-(?:il|elle))?\s+(?:\w+\s+)?(?:%s)"
        r"|\s*(?:%s)(?:-t)?-(?:il|elle|ils|elles)|\s*(?:%s))\b" % (verb, verb, verb, marker))
    leading = re.compile(r"^(?:%s)\s[^,]{1,80},\s*" % marker)
    that = re.compile(r"^.{0,120}?\b(?:a\s+(?:\w+\s+)?)?(?:%s)\s+(?:[\w,]+\s+){0,5}?qu(?:e\b|')\s*" % verb)
    return clause_break, trailing, leading, that


def content_span(text: str, min_words: int = 3) -> tuple[int, int]:
    """Offsets of ``text`` without its reporting frame ("X a déclaré que", ", a-t-il ajouté").

    Returns ``(0, len(text))`` when no frame is found or too little would remain.
    """
    _, trailing, leading, that = _patterns()
    folded = fold_french(text)
    end = len(text)
    for m in trailing.finditer(folded):
        if m.start() > 15 and not re.search(r"\bqu(?:e\b|')", folded[m.start():]):
            end = m.start() + 1
            break
    start = 0
    m = leading.match(folded)
    if m:
        start = m.end()
    else:
        m = that.match(folded[:end])
        if m and end - m.end() > 15:
            start = m.end()
    if (start, end) == (0, len(text)):
        return start, end
    start, end = _trim(text, start, end)
    if len(text[start:end].split()) < min_words:
        return 0, len(text)
    return start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    junk = " ,;:.«»\"“”'’-"
    while start < end and text[start] in junk:
        start += 1
    while end > start and text[end - 1] in junk:
        end -= 1
    return start, end


def split_clauses(text: str, min_words: int = 4) -> Iterator[Clause]:
    """The units of ``text`` other than the whole sentence, each of ``min_words`` or more.

    Quotations first, then clauses, then the content without the reporting frame; a unit
    equal to the sentence or to an earlier unit is skipped.
    """
    if min_words < 1:
        raise ValueError(f"min_words must be >= 1, got {min_words}")
    clause_break = _patterns()[0]
    seen = {text[slice(*_trim(text, 0, len(text)))]}  # the sentence itself is always a unit
    spans = [(m.start(1), m.end(1), "quote") for m in _QUOTE.finditer(text)]
    pos = 0
    pieces = []
    for m in clause_break.finditer(fold_french(text)):
        pieces.append((pos, m.start()))
        pos = m.end()
    if pieces:
        spans += [(s, e, "clause") for s, e in pieces + [(pos, len(text))]]
    spans.append((*content_span(text), "content"))
    for start, end, kind in spans:
        start, end = _trim(text, start, end)
        unit = text[start:end]
        if len(unit.split()) >= min_words and unit not in seen:
            seen.add(unit)
            yield Clause(start, end, unit, kind)
