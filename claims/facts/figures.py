"""The figures a sentence states, each with what it counts, where, and the words around it.

:func:`stated_figures` reads one sentence with :mod:`claims.french.figure_conflicts` (the
figures with their kind: dead, injured, votes, euros, percent…) and keeps, for each figure
the sentence states as its own (not a previous value it compares with, not a year, date or
time of day, which are the *when* of a fact):

* its kind key (slot and unit or counted noun), value and the interval the wording allows
  ("au moins 62" is 62-63);
* its qualifier as written ("au moins", "plus de", "près de") and its kind ("min", "max",
  "approx");
* the places named in its own segment of the sentence (between commas, semicolons and
  brackets): "912 morts en Turquie, 560 en Syrie" gives Turquie to the first figure only;
* the content words of that segment, which say *what* is measured ("taux de dépôt" against
  "taux de refinancement" for two percentages), and its names ("la motion Liot", "le RN");
* the years its segment names ("5,6 % en 2023, 3,2 % en 2024"), and the period of a change
  ("sur un mois" against "sur un an");
* its role, when the words around it say it is not the plain value (``data/fact_roles_fr.tsv``:
  a cumulative rise, a threshold "nécessaires", a margin "à neuf voix près", an aftershock;
  and "aside", a figure in brackets after a name: "la tempête Boris (23 morts)").

Dates and durations are kept only when :mod:`claims.facts.values` says they are the value
stated (a scheduled day, a penalty): "sur un an", "pendant dix ans" frame a figure more often
than they state one. Bare numbers in brackets are read there too ("des morts (542)"). Votes
counted as members ("94 députés ont voté") are a kind apart from votes ("278 voix").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional

from claims.french.entities import entity_mentions
from claims.french.figure_conflicts import _measures
from claims.french.number_lexicon import number_lexicon
from claims.french.numbers import _raw_quantities
from claims.french.text import fold_french, french_stopwords
from claims.facts.places import NOT_PLACES as _NOT_PLACES, local_places as _local_places, of_body as _of_body, places as _places
from claims.facts.when import CLOCK as _CLOCK, EARLIER as _EARLIER, _sentence_day, change_period as _period, clause_day as _day, \
    clause_month as _month, clock as _clock, rate_period as _rate_period
from claims.facts.values import (UNKNOWN_CURRENCY, bare_amounts, bracketed_counts, date_is_value,
                                 duration_is_value, elliptic_counts, is_aside, level_counts, vague_counts)

# The when of a fact, not its value (compared by claims.french.dates), unless
# claims.facts.values says a date is the value.
TIME_SLOTS = ("year", "date", "time")
ROLES_PATH = "fact_roles_fr.tsv"
_SEGMENT_BREAK = re.compile(r"[,;:«»\"“”]|\s[-–—]\s|\bselon\b|\bd'apres\b|\bsoit\b|\bcontre\b")
_NAME = re.compile(r"(?<=[\s(’'-])([A-ZÉÈÎÔ][\w’'-]*[\w])")
_WORD = re.compile(r"[^\W\d_]{3,}")
STEM = 6  # letters of a word compared: a crude French stem
# How a figure is given, not what it measures: "s'élève à", "s'établit à", "estimée à", "anticipée".
_LEVEL_WORDS = frozenset({"eleve", "elevai", "elevee", "etabli", "attein", "estime", "antici", "avance", "avancé",
                          "donnee", "evalue"})
# "au moins 60 000" printed for the 59 938 announced: a round figure's lower bound is a rounding.
ROUND_SLACK = 0.01
_CONJUNCTION = re.compile(r"\s(?:et|ou|mais|tandis que|alors que|apres|contre)\s")


class StatedFigure(NamedTuple):
    """One figure a sentence states as its own."""

    key: tuple  # (slot, base unit or counted kind, role): ("count", "dead", None), ("percent", "%", None)
    value: float  # as written, in ``unit``
    unit: Optional[str]  # "USD", "%", "morts"; None for a bare count
    lo: float  # the interval the wording allows, in the key's base unit
    hi: float
    text: str  # as written: "912 morts"
    qualifier: Optional[str]  # as written: "au moins"; None for a plain figure
    bound: Optional[str]  # "min", "max", "approx" or None
    places: frozenset  # folded place names of its segment
    words: frozenset  # content words of its segment, the figure's own words left out
    start: int
    end: int
    names: frozenset = frozenset()  # folded capitalised names of its segment (places, parties, people)
    years: frozenset = frozenset()  # years its segment names
    role: Optional[str] = None  # "cumulative", "threshold", "margin", "aftershock" or None
    period: Optional[str] = None  # "month" or "year" for a change "sur un mois" / "sur un an"; "day": per day
    local: frozenset = frozenset()  # places of its segment named as a region, province, town…
    month: Optional[int] = None  # the month its own clause names ("6 % en janvier"), 1-12
    inferred: bool = False  # a bare number in brackets: its kind is read around it, not written with it
    day: Optional[int] = None  # the day of ``month`` its own clause names ("le 31 janvier"), 1-31
    clock: Optional[str] = None  # the time of day its segment names ("à 17 heures": "17h"), folded
    earlier: bool = False  # its clause is in the pluperfect ("avait diminué de 0,8 %")


def _segment(folded: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the segment holding ``folded[start:end]`` (between commas, brackets, "selon")."""
    left = 0
    for m in _SEGMENT_BREAK.finditer(folded, 0, start):
        left = m.end()
    nxt = _SEGMENT_BREAK.search(folded, end)
    return left, (nxt.start() if nxt else len(folded))


def _fronted_places(text: str, folded: str, lo: int, figure_starts: list[int]) -> frozenset:
    """Places of the segment just before a figure's segment when it holds no figure: "Au Pérou
    voisin, 12 morts ont été recensés"."""
    if lo == 0:
        return frozenset()
    before = 0
    for m in _SEGMENT_BREAK.finditer(folded, 0, max(0, lo - 1)):
        before = m.end()
    if any(before <= st < lo for st in figure_starts):
        return frozenset()
    return _places(text, before, lo)


def _content_words(folded: str, lo: int, hi: int, figure: tuple[int, int], before: int = 5,
                   after: int = 2) -> frozenset:
    """Content words just before the figure (up to ``before``, from the segment start or the
    previous figure) and just after it (up to ``after``): what the figure measures."""
    stop = french_stopwords()

    def words(a: int, b: int) -> list[str]:
        out = []
        for m in _WORD.finditer(folded, a, b):
            word = m.group()
            if word not in stop:
                out.append(word[:STEM])  # "alimentation" = "alimentaires", "services" = "service"
        return out

    return frozenset(words(lo, figure[0])[-before:] + words(figure[1], hi)[:after])


@lru_cache(maxsize=1)
def _roles() -> tuple[tuple[str, str, re.Pattern], ...]:
    from claims.french.resources import read_tsv

    return tuple((cols[0], cols[1], re.compile(cols[2])) for _, cols in read_tsv(ROLES_PATH, 3))


def _role(folded: str, start: int, end: int, lo: int, hi: int) -> Optional[str]:
    for role, where, pattern in _roles():
        if where == "before" and pattern.search(folded[max(0, start - 40):start]):
            return role
        if where == "after" and pattern.search(folded[end:end + 40]):
            return role
        if where == "segment" and pattern.search(folded[lo:hi]):
            return role
        if where == "sentence" and pattern.search(folded):
            return role
        if where == "preceding" and pattern.search(folded[:start]):
            return role
    return None


def _names(text: str, lo: int, hi: int, skip: tuple[int, int]) -> frozenset:
    stop = french_stopwords()
    out = set()
    for m in _NAME.finditer(text, lo, hi):
        if skip[0] <= m.start() < skip[1] or _of_body(text, m.start(1)):
            continue  # "la plus peuplée du Chili", "ministre de la Santé": not what is counted
        known = [e for e in entity_mentions(m.group(1))]
        name = known[0].id.lower() if known else fold_french(m.group(1)).strip("'’")
        if name not in stop and name not in _NOT_PLACES and name not in _MONTHS:
            out.update(name.split("-") if not known else (name,))  # "Al-Haouz" as "Al Haouz"
    return frozenset(out)


_MONTHS = frozenset({"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
                     "octobre", "novembre", "decembre"})


class _Read(NamedTuple):
    """A figure read off the sentence, before its context is looked at."""

    key: tuple
    value: float
    unit: Optional[str]
    lo: float
    hi: float
    text: str
    start: int
    end: int
    bare: bool = False  # a bare number in brackets, its kind read around it
    qualifier: Optional[str] = None  # set for vague plurals ("des centaines")


# Counted nouns that name members voting rather than votes ("94 députés ont voté" against
# "278 voix"): two counts, never versions of one another.
_MEMBERS = re.compile(r"\b(?:deputes|senateurs|elus|parlementaires|membres)\b")


def _kind(m, folded: str) -> tuple:
    key = m.key
    if key[0] == "date":
        return ("date", "day")  # a scheduled day, value month * 100 + day
    if key == ("count", "votes") and _MEMBERS.search(folded, m.quantity.start, m.quantity.end + 12):
        return ("count", "depute")
    return key


def _read(text: str, folded: str) -> list[_Read]:
    """Measures stated as the sentence's own (dates and durations when they are its value),
    then bare numbers in brackets (:mod:`claims.facts.values`)."""
    out = []
    clocks = [c.span() for c in _CLOCK.finditer(folded)]
    for m in _measures(text):
        q = m.quantity
        if m.reference or m.key[0] == "year" or m.key[0] == "time":
            continue
        if any(a <= q.start < b for a, b in clocks):
            continue  # "à 17 heures": when, not a figure
        if m.key[0] == "date" and not date_is_value(folded, q.start, q.end):
            continue
        if m.key[0] == "duration" and not duration_is_value(folded, q.start, q.end):
            continue
        out.append(_Read(_kind(m, folded), q.value, q.unit, m.lo, m.hi, q.text, q.start, q.end))
    for c in bracketed_counts(text, folded, [(r.start, r.end) for r in out]):
        out.append(_Read(("count", c.kind), c.value, None, c.value, c.value, c.text, c.start, c.end, True))
    for v in vague_counts(text, folded, [(r.start, r.end) for r in out]):
        out.append(_Read(("count", v.kind), v.lo, None, v.lo, v.hi, v.text, v.start, v.end, False, v.qualifier))
    named = named_kinds()
    counts = [(r.start, r.end, r.key[1]) for r in out if r.key[0] == "count" and r.key[1] in named]
    for c in elliptic_counts(text, folded, counts, [(r.start, r.end) for r in out]):
        out.append(_Read(("count", c.kind), c.value, None, c.value, c.value, c.text, c.start, c.end, True))
    for c in level_counts(text, folded, [(r.start, r.end) for r in out]):  # its noun says its kind: not guessed
        out.append(_Read(("count", c.kind), c.value, None, c.value, c.value, c.text, c.start, c.end))
    currencies = [r.key[1] for r in out if r.key[0] == "money"]
    for c in bare_amounts(text, folded, [(r.start, r.end) for r in out]):  # the sentence's currency, else later
        unit = currencies[0] if currencies else UNKNOWN_CURRENCY
        out.append(_Read(("money", unit), c.value, unit, c.value, c.value, c.text, c.start, c.end))
    return _ranges(text, folded, sorted(out, key=lambda r: r.start))


# Only "entre … et …": "de 4 % à 4,5 %" is as often a change as a range.
_RANGE_OPEN = re.compile(r"\bentre\s*$")
_RANGE_JOIN = re.compile(r"^\s*et\s*$")
_RANGE_TO = re.compile(r"^\s*a\s*$")


def _ranges(text: str, folded: str, reads: list[_Read]) -> list[_Read]:
    """"Entre 1 500 et 2 000 morts", "entre 2 et 4 dollars": one figure, the interval of the two
    bounds, of the kind the second one names (the first's counted noun is left out)."""
    out: list[_Read] = []
    for r in reads:
        prev = out[-1] if out else None
        if (prev is not None and not prev.bare and not r.bare and prev.key[0] == r.key[0]
                and _RANGE_JOIN.match(folded[prev.end:r.start]) and _RANGE_OPEN.search(folded[:prev.start])
                and prev.lo < r.hi):
            out[-1] = _Read(r.key, prev.value, r.unit, prev.lo, r.hi, text[prev.start:r.end], prev.start, r.end,
                            False, text[_RANGE_OPEN.search(folded[:prev.start]).start():prev.start].strip())
            continue
        if (prev is not None and not prev.bare and not r.bare and prev.key == r.key and _RANGE_TO.match(
                folded[prev.end:r.start]) and (prev.lo, prev.hi) == (r.lo, r.hi) and prev.lo < prev.hi):
            # "28 à 29 %", "65,5 à 69,5 %": the number reader gave both ends the interval; one figure
            out[-1] = _Read(r.key, prev.value, r.unit, prev.lo, r.hi, text[prev.start:r.end], prev.start, r.end,
                            False, None)
            continue
        out.append(r)
    return out


# Who gives a figure ("selon la CGT", "d'après le ministère de l'Intérieur", "recensés par la
# police", "pour la préfecture"): the source of a version, not what is counted, so two sources'
# figures stay versions of one fact (their words never tell two facts apart).
_SOURCE = re.compile(r"\b(?:selon|d'apres|(?:recense|compte|denombre|annonce|chiffre|avance|anticipe|donne|estime|"
                     r"evalue|projete|prevu)e?s?\s+par|pour)\s+"
                     r"(?:(?:le|la|les|l'|un|une|des|du|de|d')\s*)?((?:[\w-]+\s*){1,4})")
_SOURCE_HEAD = re.compile(r"(?:syndicat|cgt|cfdt|police|prefecture|ministere|autorites|organisateurs|gouvernement|"
                          r"institut|agence|oms|union|sondage|estimation|interieur|direction)")


# Who a figure is given for or by, named after it: "pour Radio Nord et TV Sud", "pour Radio Nord, TV Sud
# et Le Journal" (the clients of a poll), "61,5 % (Beta)" (a name alone in brackets after a figure).
_FOR_NAMES = re.compile(r"\bpour\s+((?:(?:[A-Z0-9][\w’'-]*|et|,|La|Le|Les)\s*){1,8})")
_BRACKET_NAME = re.compile(r"[%\d]\s*\(([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)\)")


def _sources(text: str, folded: str) -> tuple[frozenset, frozenset]:
    """Stems and names of the sources a sentence gives its figures (``_SOURCE``), for "pour"
    only when a body follows ("pour la préfecture", not "pour le second tour") or names
    ("pour TF1 et LCI"), and a name alone in brackets after a figure ("69,5 % (Elabe)")."""
    words: set = set()
    names: set = set()
    stop = french_stopwords()
    for m in (*_FOR_NAMES.finditer(text), *_BRACKET_NAME.finditer(text)):
        for w in re.findall(r"[A-Z0-9][\w’'-]*", m.group(1)):
            if w not in ("La", "Le", "Les"):
                names.add(fold_french(w))
                words.add(fold_french(w)[:STEM])
    for m in _SOURCE.finditer(folded):
        if m.group(0).startswith("pour") and not _SOURCE_HEAD.match(m.group(1)):
            continue
        span = m.group(1).split()
        cut = next((n for n, w in enumerate(span) if w in ("et", "ou", "a", "contre", "soit")), len(span))
        for w in span[:cut]:
            if w not in stop and len(w) >= 3:
                words.add(w[:STEM])
                names.add(w)
    return frozenset(words), frozenset(names)


@lru_cache(maxsize=65536)
def stated_figures(text: str) -> tuple[StatedFigure, ...]:
    """The figures ``text`` states as its own, in order (see the module docstring)."""
    # An editor's insertion in a quotation ("59 938 [décès]") is read as part of it (same offsets).
    text = text.replace("[", " ").replace("]", " ")
    folded = fold_french(text)
    measures = _read(text, folded)
    if not measures:
        return ()
    all_measures = _measures(text)
    figure_starts = [m.start for m in measures]
    source_words, source_names = _sources(text, folded)
    lex = number_lexicon()
    qualifiers = {}
    for raw, bound in _raw_quantities(text):
        if bound:
            found = lex.modifier_re.search(folded[max(0, raw.start - 40):raw.start])
            qualifiers[raw.start] = (text[max(0, raw.start - 40):raw.start][found.start(1):found.end(1)]
                                     if found else None, bound)
    out = []
    for q in measures:
        qualifier, bound = (q.qualifier, "approx") if q.qualifier else qualifiers.get(q.start, (None, None))
        q_lo = q.lo * (1 - ROUND_SLACK) if bound == "min" and q.value >= 10000 and q.value % 1000 == 0 else q.lo
        lo, hi = _segment(folded, q.start, q.end)
        previous = [m2.end for m2 in measures if lo <= m2.end <= q.start]
        next_ = [st for st in figure_starts if q.end <= st < hi]
        word_lo = max([lo] + previous)
        word_hi = q.end if next_ else hi  # words after it belong to the next figure's clause
        conjunction = _CONJUNCTION.search(folded, q.end, word_hi)
        word_hi = conjunction.start() if conjunction else word_hi
        # Its own clause's places ("912 morts en Turquie et 560 en Syrie"), else its segment's
        # ("632 morts et 329 blessés au Maroc"), else those fronted before it.
        own_hi = min(next_) if next_ else hi
        own_lo = word_lo
        if previous:  # after the previous figure's clause: "912 morts en Turquie | et 560 en Syrie"
            cut = [m.end() for m in _CONJUNCTION.finditer(folded, word_lo, q.start)]
            own_lo = cut[-1] if cut else word_lo
        places = (_places(text, own_lo, own_hi) or _places(text, lo, hi)
                  or _fronted_places(text, folded, lo, figure_starts))
        role = "aside" if not q.bare and is_aside(text, q.start) else _role(folded, q.start, q.end, lo, hi)
        # Its segment's year, else one named before it ("En 2020, Biden avait remporté 306
        # grands électeurs"); a year after its segment is another clause's ("renouant avec son
        # rythme de novembre 2022").
        near = sorted((not lo <= y.quantity.start < hi, abs(y.quantity.start - q.start), int(y.quantity.value))
                      for y in all_measures if y.key[0] == "year" and y.quantity.start < hi)
        years = frozenset(near[:1] and [near[0][2]])
        words = _content_words(folded, word_lo, word_hi, (q.start, q.end))
        if len(words) < 2 and word_lo == lo and lo > 0:  # ", à 1 %,": what it measures is said just before
            words = _content_words(folded, _segment(folded, lo - 1, lo - 1)[0], word_hi, (q.start, q.end))
        words -= source_words | _LEVEL_WORDS
        # Its clause runs up to the next figure, stated or previous: "2,9 % en août et 3 % en
        # septembre", "3,5 % sur un an après 3 % en septembre".
        later = [m2.quantity.start for m2 in all_measures if q.end <= m2.quantity.start < hi
                 and m2.key[0] not in ("year", "duration", "time", "date")]
        clause_hi = min(later) if later else hi
        month = _month(folded, word_lo, clause_hi, (q.start, q.end))
        day = _day(folded, word_lo, clause_hi, month)
        sentence_day = _sentence_day(folded, q.start) if day is None else None
        if sentence_day and month in (None, sentence_day[0]):
            month, day = sentence_day  # the one day named before it is its day
        fronted_lo = _segment(folded, max(0, lo - 1), max(0, lo - 1))[0] if lo else 0
        out.append(StatedFigure(q.key + (role,), q.value, q.unit, q_lo, q.hi, q.text, qualifier, bound,
                                places, words,
                                q.start, q.end, _names(text, lo, hi, (q.start, q.end)) - source_names, years, role,
                                _period(folded, q.start, q.end) or _rate_period(folded, q.start, q.end),
                                _local_places(text, lo, hi, places),
                                month, q.bare, day, _clock(folded, lo, hi, fronted_lo),
                                bool(_EARLIER.search(folded, word_lo, q.start))))
    return tuple(out)


@lru_cache(maxsize=1)
def named_kinds() -> frozenset:
    """Kinds of count the number lexicon names (dead, injured, votes, electors…): the kind alone
    says what is counted, unlike a percentage, an amount or a noun read off the sentence."""
    lex = number_lexicon()
    return frozenset(lex.kinds.values()) | frozenset(lex.kind_before.values()) | frozenset(lex.kind_after.values())


def agree(a: StatedFigure, b: StatedFigure) -> bool:
    """Whether two figures of one kind can be the same value (their intervals meet)."""
    eps = 1e-9 * max(1.0, abs(a.value), abs(b.value))
    return a.lo <= b.hi + eps and b.lo <= a.hi + eps



__all__ = ["StatedFigure", "TIME_SLOTS", "agree", "named_kinds", "stated_figures"]
