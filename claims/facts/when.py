"""When a figure holds: the time words of its own clause, and the days of article dates.

Read by :func:`claims.facts.figures.stated_figures` (the month and day its clause names, the
period of a change, a time of day, a pluperfect) and by :class:`claims.facts.slots.SlotBuilder`
(article dates as spans of days).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from claims.french.dates import parse_reference

_PERIODS = (("month", re.compile(r"\b(?:sur un mois|sur le mois(?! d)|en rythme mensuel|d'un mois sur l'autre|"
                                 r"par rapport au mois precedent|en un mois)\b")),
            ("year", re.compile(r"\b(?:sur un an|sur une annee|sur douze mois|sur 12 mois|en glissement annuel|"
                                r"en rythme annuel|par rapport a (?:fevrier|janvier|mars|l'an|l'annee) (?:dernier|precedent|\d{4})|"
                                r"en un an)\b")))


_MONTH_NAMES = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
                "novembre", "decembre")
_MONTH_WORD = re.compile(r"(?<![\w-])(" + "|".join(_MONTH_NAMES) + r")(?![\w-])")
# A month after these is the edge of a span ("depuis janvier"), not the figure's time.
# So is a month a figure is compared with ("plus rapidement qu'en janvier", "par rapport à janvier").
_SPAN_EDGE = re.compile(r"(?:depuis|jusqu'(?:en|a|au)?|d'ici(?: a)?|a partir de|avant|des|qu'(?:en|au mois de)?|"
                        r"que (?:en|au mois de)|par rapport a|compare a|contre)\s*(?:le |la |l'|fin |debut |mi-)?$")


def clause_month(folded: str, lo: int, hi: int, figure: tuple[int, int]) -> Optional[int]:
    """The month named in a figure's own clause (``folded[lo:hi]``), nearest to it: "6,2 % en
    février" and "après 6 % en janvier" are two times, whatever the article's date."""
    found = []
    for m in _MONTH_WORD.finditer(folded, lo, hi):
        before = re.sub(r"(?:\d{1,2}|1er)\s*$", "", folded[max(0, m.start() - 20):m.start()])
        if _SPAN_EDGE.search(before[-16:]):  # "depuis janvier", "depuis le 19 janvier"
            continue
        found.append((min(abs(m.start() - figure[1]), abs(figure[0] - m.end())), _MONTH_NAMES.index(m.group(1)) + 1))
    return min(found)[1] if found else None


_DAY_MONTH = re.compile(r"(?<![\w-])(\d{1,2}|1er)\s+(" + "|".join(_MONTH_NAMES) + r")(?![\w-])")


def clause_day(folded: str, lo: int, hi: int, month: Optional[int]) -> Optional[int]:
    """The day of the month a figure's own clause names with that month ("lors de la marche du
    18 septembre"): the day of the event it counts."""
    if month is None:
        return None
    for m in _DAY_MONTH.finditer(folded, lo, hi):
        if _MONTH_NAMES.index(m.group(2)) + 1 == month and not _SPAN_EDGE.search(folded[max(0, m.start() - 16):m.start()]):
            return 1 if m.group(1) == "1er" else int(m.group(1))
    return None


def _sentence_day(folded: str, start: int) -> Optional[tuple[int, int]]:
    """The (month, day) a sentence names before a figure when it names exactly one there ("Le
    syndicat avait compté le 18 septembre, au plus fort, 1,1 million de personnes"), else None;
    a day after the figure is what it is compared with ("plus que le 18 septembre")."""
    found = set()
    for m in _DAY_MONTH.finditer(folded, 0, start):
        before = folded[max(0, m.start() - 16):m.start()]
        if not _SPAN_EDGE.search(before):
            found.add((_MONTH_NAMES.index(m.group(2)) + 1, 1 if m.group(1) == "1er" else int(m.group(1))))
    return found.pop() if len(found) == 1 else None


# A time of day ("à 17 heures", "à 17h00", "vers 9h25", "à midi"): a rate or an amount measured
# then is a snapshot (turnout at 17:00, a stock index at 9:25), not the day's final figure.
CLOCK = _CLOCK = re.compile(r"\b(?:a|vers|des)\s+(\d{1,2})\s*(?:h|heures?)(?![a-z])|\b(?:a|vers)\s+(midi)\b")


# "avait diminué", "avaient réuni": the pluperfect puts a figure before the time of the sentence's own.
EARLIER = re.compile(r"\bavai(?:t|ent)\b")
_ESTIMATE = re.compile(r"\b(?:estim|projection|prevision|anticip)")


def clock(folded: str, lo: int, hi: int, fronted_lo: int) -> Optional[str]:
    """The time of day named in a figure's segment, else in the segment fronted before it; none
    for an estimate ("à 19 heures, les projections sont estimées à 69,5 %": when it was made,
    not the time it measures)."""
    if _ESTIMATE.search(folded, fronted_lo, hi):
        return None
    for a, b in ((lo, hi), (fronted_lo, lo)):
        m = _CLOCK.search(folded, a, b)
        if m:
            return f"{m.group(1)}h" if m.group(1) else m.group(2)
    return None


# "20 000 décès chaque jour", "1 665 morts quotidiens": a rate per day, said just after the figure.
_DAILY = re.compile(r"^\s*(?:[\w'-]+\s+){0,3}(?:par jour|chaque jour|quotidien\w*|journalier\w*)\b")


# "12 M€ par an", "un salaire annuel de 12 M€": per year; "24 M€ pour les deux
# ans", "400 millions sur deux ans": over a span of several years, another quantity.
_PER_YEAR_AFTER = re.compile(r"^\s*(?:[\w'-]+\s+){0,2}(?:par an|par saison|par annee|chaque annee|annuel\w*)\b")
_PER_YEAR_BEFORE = re.compile(r"\bannuel\w*\s+(?:de\s+|d')?(?:(?:plus de|pres de|environ)\s+)?$")
_SPAN = re.compile(r"^\s*(?:[\w'-]+\s+){0,3}(?:pour les|sur|en)\s+(deux|trois|quatre|cinq|six|sept|huit|neuf|dix|\d+)"
                   r"\s+(?:ans|annees|saisons)\b")


def daily(folded: str, end: int) -> bool:
    """Whether the figure ending at ``folded[end]`` is counted per day ("… morts par jour")."""
    return bool(_DAILY.match(folded[end:end + 40]))


def rate_period(folded: str, start: int, end: int) -> Optional[str]:
    """What a figure is counted over when it is a rate or a span total: "day" (per day), "year"
    (per year: "par an", "annuel"), "N years" (over several years: "pour les deux ans"), else None."""
    if daily(folded, end):
        return "day"
    span = _SPAN.match(folded[end:end + 50])
    if span:
        return f"{span.group(1)} years"
    if _PER_YEAR_AFTER.match(folded[end:end + 40]) or _PER_YEAR_BEFORE.search(folded[max(0, start - 30):start]):
        return "year"
    return None


def change_period(folded: str, start: int, end: int) -> Optional[str]:
    """Over what a change is measured, said within a few words of the figure, else anywhere in
    the sentence when it names one period only ("Sur un mois, le taux … a été revu à 1 %")."""
    for window in (folded[max(0, start - 30):min(len(folded), end + 40)], folded):
        found = [name for name, pattern in _PERIODS if pattern.search(window)]
        if found:
            return found[0] if len(found) == 1 else None
    return None


def days_of(date: Optional[str]) -> Optional[tuple[int, int]]:
    """First and last day numbers an article date may mean: one day for "YYYY-MM-DD", the
    whole month for "YYYY-MM", the year for "YYYY"; None when unreadable."""
    year, month, day = parse_reference(date)
    if year is None:
        return None
    try:
        if day and month:
            first = last = dt.date(year, month, day)
        elif month:
            first = dt.date(year, month, 1)
            last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        else:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None
    return first.toordinal(), last.toordinal()


def day_of(date: Optional[str]) -> Optional[int]:
    """The day number of a full article date ("YYYY-MM-DD"), else None."""
    span = days_of(date)
    return span[0] if span and span[0] == span[1] else None


def days_apart(a: Optional[tuple[int, int]], b: Optional[tuple[int, int]]) -> int:
    """Days between two date spans (0 when they meet or one is unknown)."""
    if a is None or b is None:
        return 0
    return max(0, b[0] - a[1], a[0] - b[1])


def sentence_day(folded: str) -> Optional[tuple[int, int]]:
    """The one (month, day) a folded sentence names, else None (:mod:`claims.facts.discourse`)."""
    return _sentence_day(folded, len(folded))


def other_day(figure, years: set, span: Optional[tuple[int, int]], max_days: int) -> bool:
    """Whether the day a figure's clause names ("le 18 septembre") is more than ``max_days``
    from another row's article date ``span`` (whose figure names no day of its own)."""
    if figure.day is None or len(years) != 1:
        return False
    try:
        day = dt.date(next(iter(years)), figure.month, figure.day).toordinal()
    except ValueError:
        return False
    return days_apart((day, day), span) > max_days


__all__ = ["CLOCK", "EARLIER", "change_period", "clause_day", "clause_month", "clock", "day_of", "days_apart", "days_of",
           "other_day", "sentence_day"]
