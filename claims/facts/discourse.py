"""What a figure's sentence leaves to the sentences before it: its place and its day.

A sentence that continues the one before ("De son côté, la préfecture en a compté 18 000",
"Celle-ci avait rassemblé 900 000 personnes") gives a figure whose
place or day was named earlier in the article. Read alone, the figure would name no place and
no day, and so could be a version of the country's count on another day. :func:`carry_context`
gives such a figure the places of the nearest earlier figure of its kind in the article, and the
day the sentence just before names, when that sentence names exactly one.

Only sentences opening with a mark of continuation are read so (``CONTINUATION``): elsewhere an
unplaced figure is the event's (RULES.md F6).
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from claims.french.text import fold_french

# Openings that carry on with the previous sentence's subject: a demonstrative pronoun, or a
# turn to another source on the same thing.
CONTINUATION = re.compile(r"^\s*(?:celle-ci|celui-ci|ceux-ci|celles-ci|ce dernier|cette derniere|de son cote|"
                          r"de leur cote|pour sa part|pour leur part|quant a)\b")
LOOK_BACK = 3  # sentences back to look for the figure of the same kind


def carry_context(items: list, texts: Sequence[str], articles: Optional[Sequence[Optional[str]]],
                  day_of_sentence) -> list:
    """The figures with the places and day their continuing sentences leave implicit.

    Args:
        items: :class:`claims.facts.slots.Item` s, in row order.
        texts: one sentence per row.
        articles: the article id of each row (rows of one article are consecutive), or None
            (nothing is carried).
        day_of_sentence: a function of a folded sentence giving its one (month, day) or None.
    """
    if articles is None:
        return items
    out = list(items)
    by_row: dict[int, list[int]] = {}
    for n, item in enumerate(items):
        by_row.setdefault(item.row, []).append(n)
    for n, item in enumerate(items):
        row, figure = item.row, item.figure
        if not CONTINUATION.match(fold_french(texts[row])):
            continue
        changes = {}
        if not figure.places:
            for back in range(row - 1, max(-1, row - 1 - LOOK_BACK), -1):
                if articles[back] != articles[row]:
                    break
                same = [items[m].figure for m in by_row.get(back, []) if items[m].figure.key == figure.key]
                if same:
                    places = {f.places for f in same if f.places}
                    if len(places) == 1:
                        changes["places"] = places.pop()
                    break
        if figure.day is None and row > 0 and articles[row - 1] == articles[row]:
            day = day_of_sentence(fold_french(texts[row - 1]))
            if day and figure.month in (None, day[0]):
                changes["month"], changes["day"] = day
        if changes:
            out[n] = item._replace(figure=figure._replace(**changes))
    return out


__all__ = ["CONTINUATION", "carry_context"]
