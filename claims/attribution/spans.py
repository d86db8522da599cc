"""Quote type and the span of reported words inside one sentence (sentence-local offsets)."""

from __future__ import annotations

import re
from typing import Collection, Optional, Sequence

from claims.french.cues import CueMatch
from claims.french.text import words
# Where the reporter's own words resume after reported content ("..., lors de sa visite").
_CONTENT_STOP = re.compile(r",\s+(?:tandis qu|alors qu|lors d|sans |au cours d)", re.IGNORECASE)
_QUE = re.compile(r"(?:\s+[^\s,]+){0,5}?\s+qu(?:e\b|['’])", re.IGNORECASE)
_LEAD_SKIP = re.compile(r"\s+(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier)\s+)?"
                        r"(?:pour\s+)?", re.IGNORECASE)


def main_quote(text: str, quotes: Sequence[tuple[int, int, int]],
               conjunctions: Collection[str] = ()) -> Optional[tuple[int, int]]:
    """The quotation opening the sentence, at most after a conjunction ("Mais « ... »").

    Args:
        text: The sentence.
        quotes: (inner start, inner end, opening mark offset) of its quotations, sentence-local.
        conjunctions: Lower-case words allowed before the opening mark.
    """
    for start, end, mark in quotes:
        lead = words(text[:max(0, mark)])
        if (not lead or lead in ([c] for c in conjunctions)) and words(text[start:end]):
            return start, end
    return None


def content_span(text: str, cue: CueMatch, postposed: bool, verb_before: bool) -> tuple[int, int]:
    """The reported words of an indirect report, before trimming.

    Args:
        text: The sentence.
        cue: The cue that attributes it.
        postposed: The cue follows the reported words ("..., a-t-il ajouté").
        verb_before: A verb stands before the cue; when none does, an incise cuts the reported words
            in two ("La Russie, a affirmé le ministre, ne gagnera pas") and they cover the sentence.
    """
    if cue.kind == "marker":
        if len(words(text[:cue.start])) <= 1:  # "Selon X, ..."
            comma = text.find(",", cue.end)
            return (comma + 1 if comma >= 0 else cue.end), len(text)
        return 0, cue.start  # "..., selon X."
    if postposed:
        return (0, cue.start) if verb_before else (0, len(text))
    que = _QUE.match(text, cue.end)
    if que:
        begin = que.end()
    else:
        skip = _LEAD_SKIP.match(text, cue.end)
        begin = skip.end() if skip else cue.end
    stop = _CONTENT_STOP.search(text, begin)
    return begin, stop.start() if stop else len(text)


def absolute_span(sentence, span: tuple[int, int]) -> tuple[int, int]:
    """A sentence-local span, trimmed (:func:`trim_span`), as offsets into the article."""
    start, end = trim_span(sentence.text, *span)
    return sentence.start + start, sentence.start + end


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces, unmatched outer quotation marks and a final comma or period off a span."""
    while start < end and (text[start].isspace() or text[start] == "," or (
            text[start] in "«“‘\"'" and _unbalanced(text[start:end], opening=True))):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",.;:" or (
            text[end - 1] in "»”’\"'" and _unbalanced(text[start:end], opening=False))):
        end -= 1
    return start, end


def _unbalanced(text: str, opening: bool) -> bool:
    """Tell whether the quotation mark at the start (or end) of a passage has no partner in it."""
    mark = text[0] if opening else text[-1]
    if mark == "'":  # apostrophes abound: look for a partner that can only be a quotation mark
        partner = r"\S'(?!\w)" if opening else r"(?:^|\s)'\w"
        body = text[1:] if opening else text[:-1]
        return re.search(partner, body) is None
    if mark == '"':
        return text.count('"') % 2 == 1
    opens = sum(text.count(c) for c in "«“‘")
    closes = text.count("»") + text.count("”") + (text.count("’") if "‘" in text else 0)
    return opens > closes if opening else closes > opens


class QuoteReading:
    """Quote type and span of an analysed sentence (``item.sentence``, ``item.quotes``, ``item.doc``);
    mixed into :class:`claims.attribution.attributor.SpeakerAttributor` (reads ``_conjunctions``)."""

    def _main_quote(self, item) -> Optional[tuple[int, int]]:
        marks = [(a, b, max(0, q.start - item.sentence.start)) for a, b, q in item.quotes]
        return main_quote(item.sentence.text, marks, self._conjunctions)

    @staticmethod
    def _absolute(item, span: tuple[int, int]) -> tuple[int, int]:
        return absolute_span(item.sentence, span)

    def _quote_and_span(self, item, cue: CueMatch, postposed: bool):
        main = self._main_quote(item)
        if main is not None:
            return "direct", self._absolute(item, main)
        text = item.sentence.text
        for start, end, quote in item.quotes:  # "X a déclaré : « … »" (real-news rule A2)
            close = min(quote.end - item.sentence.start, len(text))
            if text[:max(0, quote.start - item.sentence.start)].rstrip().endswith(":") and \
                    (not words(text[close:]) or cue.start >= close):
                return "direct", self._absolute(item, (start, end))
        verb_before = any(t.pos_ in ("VERB", "AUX") for t in item.doc if t.idx < cue.start)
        span = content_span(item.sentence.text, cue, postposed, verb_before)
        return "indirect", self._absolute(item, span)
