"""When a French sentence says something happened: days, weekdays, months and years,
resolved against the date of its article.

:func:`time_mentions` reads the points in time a sentence names — "lundi", "ce jeudi 14
septembre", "le 1er juin 2023", "en février", "fin 2022", "en 2021", "l'an dernier",
"hier" — as :class:`When` records with the fields it knows (year, month, day, weekday).
The article's date (``"YYYY-MM"`` or ``"YYYY-MM-DD"``, as :class:`claims.records.Article`
carries it) fills in what the sentence leaves implicit: the year of "le 20 mars" (the one
nearest the article's month), hence its weekday; the year of "lundi"; the day of "hier"
(only with a full article date).

Spans are not points and are left out: "depuis 2014", "jusqu'en mars", "d'ici 2030",
"avant lundi", "à partir du 1er juin", "entre 2020 et 2022", "pour le mois de mars"; a page's
own date ("Publié le jeudi 14 mars 2024", "mis à jour le") is not the claim's; and so
is a point further on in a clause opened by "depuis", "après" or "contre" ("depuis la
fondation du club en 1987", "après avoir reculé de 4,2 % en mars"): a span, or
the time of a previous value.

:func:`conflicting_times` tells when two sentences speak of different points in time:
both name one, and no point of one is compatible with a point of the other (two points
are compatible when no field both know differs). "Jeudi" and "le 14 septembre 2023" are
compatible (that day was a Thursday); "jeudi" and "lundi 20 mars" are not; "en 2021" and
"ce lundi 2 octobre" in an article of October 2023 are not.

Times of day ("à 14h30") are figures of :mod:`claims.french.numbers` and compared there.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple, Optional

from claims.french.text import fold_french

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
          "septembre", "octobre", "novembre", "decembre")


class When(NamedTuple):
    """A point in time named by a sentence; None where it says nothing."""

    year: Optional[int]
    month: Optional[int]
    day: Optional[int]
    weekday: Optional[int]  # 0 = lundi
    text: str

    def compatible(self, other: "When") -> bool:
        """True unless a field both know differs."""
        return all(a is None or b is None or a == b
                   for a, b in zip(self[:4], other[:4]))

    def label(self) -> str:
        parts = [WEEKDAYS[self.weekday] if self.weekday is not None else None,
                 str(self.day) if self.day is not None else None,
                 MONTHS[self.month - 1] if self.month is not None else None,
                 str(self.year) if self.year is not None else None]
        return " ".join(p for p in parts if p)


_WD = "|".join(WEEKDAYS)
_MO = "|".join(MONTHS)
_YEAR = r"(?:19|20)\d{2}"
_END = r"(?![\w-])"
_START = r"(?<![\w-])"
# Words before a time expression that make it the edge of a span, not a point.
_SPAN_BEFORE = re.compile(r"(?:depuis|des|pour|jusqu'(?:au|a|en)?|jusque|d'ici(?: a)?|avant|apres|a partir d[eu']?|"
                          r"entre|au-dela d[eu']|a compter d[eu']|chaque|tous les|toutes les|"
                          r"d'un|d'une|plus haut niveau depuis)\s*(?:le|la|l'|du|de|ce|cette)?\s*(?:mi-|fin|debut)?\s*$")
_DAY_MONTH = re.compile(
    rf"{_START}(?:({_WD})\s+)?(1er|\d{{1,2}})\s+({_MO}){_END}(?:\s+({_YEAR}){_END})?")
_DAY_BEFORE = re.compile(r"(?<![\w,.])(1er|\d{1,2})\s*(?:,|et|au|a|-)\s*$")
_NUMERIC = re.compile(r"(?<![\w/.])(\d{1,2})/(\d{1,2})/(\d{4})(?![\w/])")
_WEEKDAY = re.compile(rf"{_START}({_WD}){_END}(?!\s+(?:1er|\d{{1,2}})\s+(?:{_MO}))")
_MONTH_YEAR = re.compile(rf"{_START}({_MO})\s+({_YEAR}){_END}")
_MONTH = re.compile(rf"{_START}(?:en|au mois d[e']|mois d[e']|fin|debut|mi-?|courant|a la mi-?)\s*({_MO}){_END}"
                    rf"(?!\s+{_YEAR})")
_YEAR_ALONE = re.compile(rf"{_START}(?:en|fin|debut|mi-?|courant|l'annee|l'an|au printemps|a l'automne|"
                         rf"a l'ete|en ete|en hiver|a l'hiver|au cours de l'annee)\s*({_YEAR}){_END}")
_RELATIVE_YEAR = {"l'an dernier": -1, "l'annee derniere": -1, "l'an passe": -1, "l'annee passee": -1,
                  "l'an prochain": 1, "l'annee prochaine": 1, "cette annee": 0}
# "aujourd'hui" is left out: as often "nowadays" as "today".
_RELATIVE_DAY = {"avant-hier": -2, "hier": -1, "demain": 1, "apres-demain": 2}
# Further back in the clause: the point is inside a span ("depuis la fondation du club en
# 1987") or a previous value's time ("après avoir reculé de 4,2 % en mars").
_CLAUSE_BEFORE = re.compile(r"(?:^|[\s(])(?:depuis|jusqu'|jusque|d'ici|a partir d|apres|contre|compare|"
                            r"par rapport)(?:[^,;:.!?()«»\"]|[,.](?=\d))*$")
_RELATIVE = re.compile(rf"{_START}({'|'.join(map(re.escape, (*_RELATIVE_YEAR, *_RELATIVE_DAY)))}){_END}")


def parse_reference(date: Optional[str]) -> tuple[Optional[int], Optional[int], Optional[int]]:
    """(year, month, day) of an article date "YYYY", "YYYY-MM" or "YYYY-MM-DD"; Nones when unreadable."""
    m = re.match(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", date or "")
    if not m:
        return None, None, None
    return tuple(int(g) if g else None for g in m.groups())  # type: ignore[return-value]


def _year_near(month: int, ref_year: Optional[int], ref_month: Optional[int]) -> Optional[int]:
    """The year of a month named without one: the one nearest the article's month."""
    if ref_year is None:
        return None
    if ref_month is None:
        return ref_year
    return min((ref_year - 1, ref_year, ref_year + 1),
               key=lambda y: abs(y * 12 + month - (ref_year * 12 + ref_month)))


def _weekday(year, month, day) -> Optional[int]:
    try:
        return dt.date(year, month, day).weekday()
    except (TypeError, ValueError):
        return None


# A page's own date, capitalised as a label: "Publié le jeudi 14 mars 2024", "Mis à jour le".
_METADATA_BEFORE = re.compile(r"(?:Publi[ée]e?|PUBLI[ÉE]E?|Mise? à jour|Modifi[ée]e?|Actualis[ée]e?)\s*(?:le|:)?\s*"
                              r"(?:(?:" + "|".join(w.capitalize() for w in WEEKDAYS) + "|" + _WD + r")\s*)?$")


def _is_span_edge(folded: str, start: int, text: str = "") -> bool:
    if _METADATA_BEFORE.search(text[max(0, start - 30):start]):
        return True  # "Publié le jeudi 14 mars 2024": the page's date, not the claim's
    return bool(_SPAN_BEFORE.search(folded[max(0, start - 30):start])
                or _CLAUSE_BEFORE.search(folded[max(0, start - 50):start]))


@lru_cache(maxsize=65536)
def time_mentions(text: str, reference: Optional[str] = None) -> tuple[When, ...]:
    """The points in time ``text`` names, resolved against the article date ``reference``.

    Args:
        text: one French sentence.
        reference: the article's date, "YYYY-MM-DD", "YYYY-MM" or "YYYY" (None: unknown).

    Returns:
        :class:`When` records in order of appearance.
    """
    folded = fold_french(text)
    ry, rm, rd = parse_reference(reference)
    found: list[tuple[int, When]] = []
    taken: list[tuple[int, int]] = []

    def free(m) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in taken)

    def add(m, when: When) -> None:
        taken.append(m.span())
        if not _is_span_edge(folded, m.start(), text):
            found.append((m.start(), when))

    for m in _DAY_MONTH.finditer(folded):
        day = 1 if m.group(2) == "1er" else int(m.group(2))
        month = MONTHS.index(m.group(3)) + 1
        if not 1 <= day <= 31:
            continue
        year = int(m.group(4)) if m.group(4) else _year_near(month, ry, rm)
        wd = _weekday(year, month, day)
        if wd is None and m.group(1):
            wd = WEEKDAYS.index(m.group(1))
        add(m, When(year, month, day, wd, text[m.start():m.end()]))
        start = m.start()
        while True:  # "les 11 et 12 juillet", "du 3 au 5 mai": the earlier days of the list
            more = _DAY_BEFORE.search(folded, max(0, start - 12), start)
            if not more or m.group(1):
                break
            day = 1 if more.group(1) == "1er" else int(more.group(1))
            if 1 <= day <= 31:
                found.append((more.start(), When(year, month, day, _weekday(year, month, day),
                                                 text[more.start(1):m.end()])))
            start = more.start()
    for m in _NUMERIC.finditer(folded):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if free(m) and 1 <= month <= 12 and 1 <= day <= 31:
            add(m, When(year, month, day, _weekday(year, month, day), text[m.start():m.end()]))
    for m in _MONTH_YEAR.finditer(folded):
        if free(m):
            add(m, When(int(m.group(2)), MONTHS.index(m.group(1)) + 1, None, None, text[m.start():m.end()]))
    for m in _MONTH.finditer(folded):
        if free(m):
            month = MONTHS.index(m.group(1)) + 1
            add(m, When(_year_near(month, ry, rm), month, None, None, text[m.start():m.end()]))
    for m in _YEAR_ALONE.finditer(folded):
        if free(m):
            add(m, When(int(m.group(1)), None, None, None, text[m.start():m.end()]))
    for m in _WEEKDAY.finditer(folded):
        if free(m):
            # this week's day: the article's year (its month and day are not known from a weekday alone)
            add(m, When(ry, None, None, WEEKDAYS.index(m.group(1)), text[m.start():m.end()]))
    for m in _RELATIVE.finditer(folded):
        if not free(m):
            continue
        word = m.group(1)
        if word in _RELATIVE_YEAR and ry is not None:
            add(m, When(ry + _RELATIVE_YEAR[word], None, None, None, text[m.start():m.end()]))
        elif word in _RELATIVE_DAY and None not in (ry, rm, rd):
            try:
                day = dt.date(ry, rm, rd) + dt.timedelta(days=_RELATIVE_DAY[word])
            except ValueError:
                continue
            add(m, When(day.year, day.month, day.day, day.weekday(), text[m.start():m.end()]))
    return tuple(w for _, w in sorted(found, key=lambda p: p[0]))


def conflicting_times(a: str, b: str, reference_a: Optional[str] = None,
                      reference_b: Optional[str] = None) -> Optional[tuple[When, When]]:
    """A point of ``a`` and one of ``b`` showing that they speak of different times, or None.

    None unless both name a point in time and none of ``a``'s is compatible with any of
    ``b``'s (:meth:`When.compatible`).
    """
    wa, wb = time_mentions(a, reference_a), time_mentions(b, reference_b)
    if not wa or not wb or any(x.compatible(y) for x in wa for y in wb):
        return None
    return wa[0], wb[0]


def share_a_time(a: str, b: str, reference_a: Optional[str] = None,
                 reference_b: Optional[str] = None) -> bool:
    """True when the two sentences name compatible points in time (both name one)."""
    wa, wb = time_mentions(a, reference_a), time_mentions(b, reference_b)
    return any(x.compatible(y) for x in wa for y in wb)


__all__ = ["When", "time_mentions", "conflicting_times", "share_a_time", "parse_reference", "WEEKDAYS", "MONTHS"]
