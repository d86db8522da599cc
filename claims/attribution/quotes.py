"""Quotation spans in French news text: « … », “ … ”, ‘ … ’, " … " and ' … '.

A quotation never runs past the end of its paragraph (a blank line or a line that ends without a
comma); an unclosed one ends there. A straight ``'`` counts as a quotation mark only where it cannot be
an apostrophe: an opening one stands after a space or line start and before a letter, a closing one
after a non-space and before a space or punctuation (so ``s'assurer`` and ``l'Otan`` stay words).
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple, Optional

# Opening mark -> closing marks it accepts. “ … » and « … ” both occur in the wild.
_CLOSERS = {"«": "»”", "“": "”»", "‘": "’", '"': '"', "'": "'"}


class QuoteSpan(NamedTuple):
    """One quotation: ``start``/``end`` include the marks, ``inner_start``/``inner_end`` do not."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool  # False when the paragraph ended before a closing mark


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def _straight_single_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-") and _is_letter(after)


def _straight_single_closes(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not _is_letter(after)


def find_quotes(text: str, start: int = 0, end: Optional[int] = None) -> Iterator[QuoteSpan]:
    """Yield the top-level quotations of ``text[start:end]`` in text order.

    Nested quotations (a “ … ” inside « … ») belong to their outer one and are not yielded.

    Args:
        text: The article text.
        start: Where to start looking.
        end: Where to stop (the text's end by default).
    """
    end = len(text) if end is None else end
    stack: list[tuple[str, int]] = []  # (opening mark, its offset)
    i = start
    while i < end:
        ch = text[i]
        if ch == "\n" and stack and _breaks_paragraph(text, i):
            outer = stack[0][1]
            yield _span(text, outer, i, closed=False)
            stack.clear()
        elif stack and (ch in _CLOSERS[stack[-1][0]] and (ch != "'" or _straight_single_closes(text, i))
                        or _misused_opening(text, i)):
            mark, at = stack.pop()
            if not stack:
                yield _span(text, at, i + 1, closed=True)
        elif ch == '"' and not stack and _orphan_closer(text, i, start):
            # 'Ces chiffres devraient augmenter", commentait X': the opening mark was lost in the
            # scrape; the quotation runs from its paragraph's start
            para = max(text.rfind("\n", start, i) + 1, start)
            while para < i and text[para].isspace():
                para += 1
            yield QuoteSpan(para, i + 1, para, i, True)
        elif ch in _CLOSERS and (ch != "'" or _straight_single_opens(text, i)):
            stack.append((ch, i))
        i += 1
    if stack:
        yield _span(text, stack[0][1], end, closed=False)


def _orphan_closer(text: str, i: int, start: int) -> bool:
    """A straight double quote that can only close: after a letter or a full stop, before a comma
    and a lower-case word (the incise of a reporting verb), no quote mark earlier in its paragraph."""
    before = text[i - 1] if i > 0 else " "
    if not (before.isalnum() or before in ".!?…"):
        return False
    if not re.match(r"\s*,\s*[a-zàâéèêîôûç]", text[i + 1:i + 6]):
        return False
    para = max(text.rfind("\n", start, i) + 1, start)
    return not any(c in text[para:i] for c in '"«“')


def _misused_opening(text: str, i: int) -> bool:
    """An opening mark used as a closing one ("… période« , a indiqué"): followed by punctuation."""
    if text[i] not in "«“":
        return False
    rest = text[i + 1:i + 4].lstrip(" \u00a0")
    return not rest or rest[0] in ",.;:!?)\n"


def _breaks_paragraph(text: str, i: int) -> bool:
    """A newline ends a quotation unless the line before ends with a comma, colon or opening mark."""
    j = i - 1
    while j >= 0 and text[j] in " \t\r":
        j -= 1
    return j < 0 or text[j] not in ",;:«“‘"


def _span(text: str, start: int, end: int, closed: bool) -> QuoteSpan:
    inner_start = start + 1
    inner_end = end - 1 if closed else end
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    while inner_end > inner_start and text[inner_end - 1].isspace():
        inner_end -= 1
    return QuoteSpan(start, end, inner_start, inner_end, closed)
