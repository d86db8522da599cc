"""Reporting incises written inside the quotation marks: « A, a reconnu X. B ».

French typography often keeps the marks open over the incise that names the speaker, so the
incise (", a reconnu le président. ", ", dit-il, ") lies inside the quoted span. Its words are
the reporter's, not the speaker's: :func:`incise_regions` finds them so that the attributor reads
their cue and source like any postposed incise, while the quotation itself stays one quotation.
"""

from __future__ import annotations

import re
from typing import Iterable

from claims.french.cues import CueLexicon

# what may follow the cue: an inverted clitic, or a subject (determiner, capitalised name),
# possibly after a short adverbial ("pour sa part", "ce mardi")
_SUBJECT_START = re.compile(
    r"\s*(?:(?:pour\s+sa\s+part|pour\s+son\s+compte|quant\s+à\s+lui|quant\s+à\s+elle|à\s+son\s+tour|"
    r"encore|aussi|alors|ensuite|également)\s*,?\s*)?"
    r"(?:le|la|les|l['’]|son|sa|ses|leur|[A-ZÀ-Ý])", re.IGNORECASE)
_LONGEST = 160  # characters from the comma to the end of the incise


def incise_regions(text: str, quotes: Iterable, lexicon: CueLexicon) -> list[tuple[int, int]]:
    """Spans of ``text`` (offsets into it) holding a reporting incise inside a quotation.

    An incise starts at a comma inside the quotation, right before a reporting verb in a
    postposed form (inverted "dit-il", or verb then subject "a reconnu le président", "souligne
    pour sa part X"), and ends at the next full stop, semicolon or comma after a clitic, or at the
    quotation's end. The quotation's first words are never an incise.

    Args:
        text: the article text.
        quotes: its quotations (:class:`claims.attribution.quotes.QuoteSpan`).
        lexicon: the reporting cues.
    """
    regions = []
    for q in quotes:
        inner = text[q.inner_start:q.inner_end]
        for cue in lexicon.find(inner):
            if cue.kind != "verb":
                continue
            before = inner[:cue.start].rstrip()
            if not before.endswith(",") or not before[:-1].strip():
                continue
            after = inner[cue.end:]
            if not cue.clitic and not _SUBJECT_START.match(after):
                continue
            stop = re.search(r"[.;!?]" if not cue.clitic else r"[,.;!?]", after)
            end = cue.end + (stop.end() if stop else len(after))
            start = len(before) - 1
            if end - start > _LONGEST:
                continue
            regions.append((q.inner_start + start, q.inner_start + end))
    return regions


def outside(spans: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with the ``holes`` cut out of them (all offsets in one text)."""
    out = []
    for start, end in spans:
        pieces = [(start, end)]
        for h_start, h_end in holes:
            kept = []
            for a, b in pieces:
                if a < h_end and h_start < b:
                    kept += [p for p in ((a, h_start), (h_end, b)) if p[1] > p[0]]
                else:
                    kept.append((a, b))
            pieces = kept
        out.extend(pieces)
    return out


__all__ = ["incise_regions", "outside"]
