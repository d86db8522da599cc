"""Quantities stated in French sentences: amounts, measures, percentages, years and dates.

:func:`extract_quantities` yields one :class:`Quantity` per figure, with its value
normalised: "un milliard de dollars", "1 milliard de dollars" and "1 000 millions de
dollars" all give ``1e9`` USD; "1,5 milliard" is 1.5e9 (decimal comma); "2 000" (plain,
thin or non-breaking space) is 2000; "billion" is 10^12, as in French. Slots:

* ``money`` (unit: ISO currency code), ``length``, ``area``, ``mass``, ``volume``,
  ``speed``, ``power``, ``percent``, ``duration`` (unit as written: "mois", "an"...);
* ``count``: a number before a noun ("22 millions de cartouches" → unit "cartouches"),
  or a bare number (unit None);
* ``year`` ("en 2023"), ``date`` ("le 14 juin", "11 et 12 juillet": value month*100 + day,
  year unknown) and ``time`` ("14h30": 1430).

Not quantities: ordinals ("4e génération", "1er" unless a date), model names ("MiG-29",
"F-16", "Leopard 2", "A320") and numbers glued to letters. Spelled numbers are read with
text2num; "un"/"une" count only before a scale or a unit ("un milliard", "une semaine"),
never as an article ("un programme"). The French lexicon lives in ``data/numbers_fr.tsv``.

:func:`conflicting_quantities` tells when two sentences disagree on a figure.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, NamedTuple, Optional

from claims.french.text import fold_french, french_stopwords
from claims.french.number_lexicon import number_lexicon as _lexicon

SLOTS = ("money", "length", "area", "mass", "volume", "speed", "power", "percent",
         "duration", "count", "year", "date", "time")
# Slots whose figures are compared even without a unit (a year is a year).
_UNITLESS_COMPARABLE = ("year", "date", "time")
_APPROX = 0.10  # "près de 400" agrees with 360..440
_ROUGH_SCALES = ("millier", "milliers", "centaine", "centaines", "dizaine", "dizaines")
_HALF_STEP = 0.4999  # "6,2" stands for [6,15; 6,25[: it never meets "6,3"


class Quantity(NamedTuple):
    """A figure of a sentence. ``value`` is in ``unit``; offsets point into the text given."""

    value: float
    unit: Optional[str]
    slot: str
    text: str
    start: int
    end: int


_DIGITS = re.compile(r"(?<![\w.,])(?:\d{1,3}(?: \d{3})+(?!\d)|\d{1,3}(?:\.\d{3})+(?![\d.])|\d+(?:[.,]\d+)?)")
_NUMERIC_DATE = re.compile(r"(?<![\w/.])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\w/])")
_ISO_DATE = re.compile(r"(?<![\w/.-])((?:19|20)\d{2})-(\d{2})(?:-(\d{2}))?(?![\w/-])")
_ORDINAL = re.compile(r"(?:ers?|eres?|res?|emes?|es?|nde?s?|d)(?![^\W_])")
_TIME = re.compile(r"\s?h\s?(\d{2})?(?![^\W_])")
_CURRENCY_BEFORE = re.compile(r"(us\$|\$|€|£)\s?$")
_NUMBER_SIGN = re.compile(r"(?:n°|numero|n\.)\s*$")
_DE = re.compile(r"\s*(?:de\s+|d')")
_NOUN = re.compile(r"\s*([^\W\d_]+(?:-[^\W\d_]+)*)")
_ENUM_GAP = {",", "et", "ou", "a", "au", "-", ", et", ", ou"}
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"(\[]\s*)$")
_MEASURE_SLOTS = ("money", "length", "area", "mass", "volume", "speed", "power", "percent", "duration")


class _Raw:
    """A figure while it is being read (mutable until it becomes a Quantity)."""

    __slots__ = ("start", "end", "value", "decimals", "scale", "slot", "unit", "base",
                 "factor", "spelled", "range_with", "rough")

    def __init__(self, start, end, value, decimals, spelled):
        self.start, self.end, self.value, self.decimals = start, end, value, decimals
        self.scale, self.slot, self.unit, self.base, self.factor = 1.0, "count", None, None, 1.0
        self.spelled = spelled
        self.rough = False  # "un millier", "une dizaine": approximate by the word itself
        self.range_with: Optional[_Raw] = None  # other end of "entre 300 et 400", "de 3 à 5"

    @property
    def bare(self) -> bool:
        return self.slot == "count" and self.unit is None and self.scale == 1.0


def _parse_digits(s: str) -> tuple[float, int]:
    """Value and number of decimals of "2 000", "1.000", "1,5", "2.5"."""
    s = s.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
        return float(s.replace(".", "")), 0
    s = s.replace(",", ".")
    return float(s), len(s.split(".")[1]) if "." in s else 0


def _parse_words(text: str) -> Optional[tuple[float, int]]:
    """Value of a spelled number and the characters it used (longest prefix text2num reads)."""
    from text_to_num import text2num

    tokens = list(re.finditer(r"[^\s-]+", text))
    for n in range(len(tokens), 0, -1):
        span = text[: tokens[n - 1].end()]
        try:
            return float(text2num(span, "fr")), len(span)
        except ValueError:
            continue
    return None


def _candidates(text: str, folded: str) -> list[_Raw]:
    lex = _lexicon()
    found: list[_Raw] = []
    for m in _DIGITS.finditer(folded):
        value, decimals = _parse_digits(m.group())
        found.append(_Raw(m.start(), m.end(), value, decimals, spelled=False))
    for m in lex.words_re.finditer(folded):
        parsed = _parse_words(text[m.start():m.end()].lower().replace("\u2019", "'"))
        if parsed:
            found.append(_Raw(m.start(), m.start() + parsed[1], parsed[0], 0, spelled=True))
    found.sort(key=lambda r: r.start)
    return found


def _previous_word_is_name(text: str, folded: str, start: int) -> bool:
    """True when the number follows a capitalised word mid-sentence ("Leopard 2", "COP 28")."""
    m = re.search(r"([^\W\d_][\w-]*)\s+$", text[:start])
    if not m or not m.group(1)[0].isupper():
        return False
    return not _SENTENCE_START.search(folded[: m.start(1)])


def _read(raw: _Raw, nxt: list[_Raw], text: str, folded: str) -> Optional[_Raw]:
    """Complete ``raw`` with what follows it; None when it is not a quantity."""
    lex = _lexicon()
    s, pos = raw.start, raw.end
    if not raw.spelled:
        if s >= 2 and folded[s - 1] == "-" and folded[s - 2].isalpha():
            return None  # MiG-29, F-16
        if s >= 1 and folded[s - 1] == "/" or _NUMBER_SIGN.search(folded[max(0, s - 8):s]):
            return None
        if pos < len(folded) and folded[pos] == "-" and folded[pos + 1:pos + 2].isalpha():
            return None
        if pos < len(folded) and folded[pos].isalpha():
            ordinal = _ORDINAL.match(folded, pos)
            if ordinal and not lex.unit_re.match(folded, pos) and not _TIME.match(folded, pos):
                month = lex.month_re.match(folded, ordinal.end())
                if raw.value == 1 and month:  # "1er juin"
                    raw.slot, raw.value, raw.end = "date", lex.months[month.group(1)] * 100 + 1, month.end()
                    return raw
                return None
            if not (lex.unit_re.match(folded, pos) or lex.scale_re.match(folded, pos)
                    or _TIME.match(folded, pos)):
                return None  # glued to letters: "4x4", "A320neo"
    before = _CURRENCY_BEFORE.search(folded[max(0, s - 4):s])
    if before:
        raw.slot, raw.unit, raw.base, raw.factor = "money", *lex.units[before.group(1)][1:]
    time = None if raw.spelled or raw.decimals else _TIME.match(folded, pos)
    if time and raw.value <= 24 and not before:
        minutes = int(time.group(1) or 0)
        if minutes < 60:
            raw.slot, raw.value, raw.end = "time", raw.value * 100 + minutes, time.end()
            return raw
    scale = lex.scale_re.match(folded, pos)
    if scale:
        factor, needs_currency = lex.scales[scale.group(1)]
        unit_after = lex.unit_re.match(folded, scale.end())
        currency_after = unit_after and lex.units[unit_after.group(1)].slot == "money"
        if not needs_currency or currency_after or before:
            raw.value *= factor
            raw.scale = factor
            raw.rough = scale.group(1) in _ROUGH_SCALES
            pos = scale.end()
            while raw.spelled and nxt and nxt[0].spelled and not folded[pos:nxt[0].start].strip():
                more = nxt[0]  # "deux millions cinq cent mille"
                more_scale = lex.scale_re.match(folded, more.end)
                extra = more.value * (lex.scales[more_scale.group(1)][0] if more_scale else 1)
                if extra >= factor:
                    break
                raw.value += extra
                nxt.pop(0)
                pos = more_scale.end() if more_scale else more.end
    raw.end = pos
    after_de = _DE.match(folded, pos) if raw.scale > 1 else None
    look = after_de.end() if after_de else pos
    unit = lex.unit_re.match(folded, look) if raw.slot != "money" else None
    if unit:
        u = lex.units[unit.group(1)]
        raw.slot, raw.unit, raw.base, raw.factor = u
        raw.end = unit.end()
    elif raw.slot != "money":
        month = lex.month_re.match(folded, pos)
        if month and raw.scale == 1 and raw.value == int(raw.value) and 1 <= raw.value <= 31:
            raw.slot, raw.value, raw.end = "date", lex.months[month.group(1)] * 100 + raw.value, month.end()
            return raw
        _read_count(raw, text, folded, look, after_de is not None or raw.scale == 1)
    if raw.spelled and raw.value == 1 and raw.scale == 1 and raw.slot not in _MEASURE_SLOTS:
        return None  # "un programme": an article, not a number
    if (raw.slot == "count" and raw.scale == 1 and not raw.spelled
            and _previous_word_is_name(text, folded, s)):
        return None  # "Leopard 2", "Challenger 2"
    return raw


def _read_count(raw: _Raw, text: str, folded: str, pos: int, noun_allowed: bool) -> None:
    """Year, counted noun, or bare number."""
    lex = _lexicon()
    stop = french_stopwords()
    prev = re.search(r"([^\W\d_]+)'?\s*$", folded[: raw.start])
    prev_word = prev.group(1) if prev else ""
    is_year_shape = (not raw.spelled and raw.scale == 1 and raw.decimals == 0
                     and raw.end - raw.start == 4 and 1900 <= raw.value <= 2100)
    if is_year_shape and prev_word in lex.yearcues:
        raw.slot = "year"
        return
    noun = _NOUN.match(folded, pos) if noun_allowed else None
    if noun and noun.group(1) in lex.adjectives:
        noun = _NOUN.match(folded, noun.end()) or noun
    if noun and noun.group(1) not in stop and len(noun.group(1)) > 1 and noun.group(1) not in lex.months:
        if is_year_shape and text[noun.start(1)].isupper():
            raw.slot = "year"
            return
        raw.unit = text[noun.start(1):noun.end(1)].lower()
        raw.end = noun.end(1)
        return
    if is_year_shape:
        raw.slot = "year"


def _propagate(raws: list[_Raw], folded: str) -> None:
    """Give "11 et 12 juillet", "105 et 155 mm", "300 et 400 millions" the unit of the last.

    "entre 300 et 400", "de 3 à 5", "3-5" also become ranges (``range_with``).
    """
    for k in range(len(raws) - 2, -1, -1):
        a, b = raws[k], raws[k + 1]
        gap = folded[a.end:b.start].strip()
        if not a.bare or b.start - a.end > 6 or gap not in _ENUM_GAP:
            continue
        if gap in ("a", "au", "-") or gap == "et" and re.search(r"\bentre\s*$", folded[:a.start]):
            a.range_with, b.range_with = b, a
        if b.slot == "date":
            if a.value == int(a.value) and 1 <= a.value <= 31:
                a.slot, a.value = "date", (b.value // 100) * 100 + a.value
        elif b.slot in _MEASURE_SLOTS or b.unit is not None:
            a.slot, a.unit, a.base, a.factor = b.slot, b.unit, b.base, b.factor
            if b.scale > 1:
                a.value *= b.scale
                a.scale = b.scale


_DONT = re.compile(r"\bdont\s*$")


def _share_with_dont(raws: list[_Raw], folded: str) -> None:
    """"quatre ans de prison dont deux ferme": the part takes the unit of the whole."""
    for prev, raw in zip(raws, raws[1:]):
        part = raw.slot == "count" and raw.scale == 1 and (
            raw.unit is None or fold_french(raw.unit) in ("ferme", "fermes"))
        if part and (prev.slot != "count" or prev.unit is not None) \
                and _DONT.search(folded[max(0, raw.start - 12):raw.start]):
            raw.slot, raw.unit, raw.base, raw.factor = prev.slot, prev.unit, prev.base, prev.factor


def _fixed(start: int, end: int, value: float, slot: str) -> _Raw:
    raw = _Raw(start, end, value, 0, False)
    raw.slot = slot
    return raw


def _calendar_dates(folded: str) -> tuple[list[_Raw], list[tuple[int, int]]]:
    """Numeric dates, "14/06/2022", ISO "2022-06-14", "2022-06" (date, year), and their spans."""
    out, spans = [], []
    for m in _NUMERIC_DATE.finditer(folded):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            out.append(_fixed(m.start(), m.end(), month * 100 + day, "date"))
            if len(m.group(3)) == 4:
                out.append(_fixed(m.start(3), m.end(3), float(m.group(3)), "year"))
            spans.append(m.span())
    for m in _ISO_DATE.finditer(folded):
        month, day = int(m.group(2)), int(m.group(3) or 0)
        if 1 <= month <= 12 and day <= 31:
            out.append(_fixed(m.start(1), m.end(1), float(m.group(1)), "year"))
            if day:
                out.append(_fixed(m.start(2), m.end(), month * 100 + day, "date"))
            spans.append(m.span())
    return out, spans


def _raw_quantities(text: str) -> list[tuple[_Raw, Optional[str]]]:
    """Figures of ``text`` with the modifier before each ("min", "max", "approx" or None)."""
    folded = fold_french(text)
    lex = _lexicon()
    raws, taken = _calendar_dates(folded)
    pending = [c for c in _candidates(text, folded)
               if not any(a <= c.start < b for a, b in taken)]
    while pending:
        raw = _read(pending.pop(0), pending, text, folded)
        if raw is not None:
            raws.append(raw)
            pending = [c for c in pending if c.start >= raw.end]
    raws.sort(key=lambda r: r.start)
    _propagate(raws, folded)
    _share_with_dont(raws, folded)
    out = []
    for r in raws:
        m = lex.modifier_re.search(folded[max(0, r.start - 40):r.start])
        out.append((r, lex.modifiers[m.group(1)] if m else None))
    return out


def _quantity(raw: _Raw, text: str) -> Quantity:
    value = float(int(raw.value)) if raw.slot in ("year", "date", "time") else float(raw.value)
    return Quantity(value, raw.unit, raw.slot, text[raw.start:raw.end], raw.start, raw.end)


def extract_quantities(text: str) -> Iterator[Quantity]:
    """Yield the figures of a French sentence, in order.

    Args:
        text: one sentence (or a short passage).

    Yields:
        :class:`Quantity` records; ``text[q.start:q.end] == q.text``.
    """
    for raw, _ in _raw_quantities(text):
        yield _quantity(raw, text)


class _Measure(NamedTuple):
    quantity: Quantity
    key: tuple
    lo: float
    hi: float
    reference: bool = False  # a previous or first value (:func:`_is_reference`)


def _granularity(raw: _Raw, factor: float) -> float:
    """The step of the figure as written: 0.1 for "6,2", 100 for "300", 1e6 for "22 millions"."""
    if raw.decimals:
        return 10.0 ** -raw.decimals * raw.scale * factor
    written = int(round(raw.value / raw.scale)) if raw.scale else 0
    zeros = 0
    while written and written % 10 == 0:
        written //= 10
        zeros += 1
    return 10.0 ** zeros * raw.scale * factor


def _interval(raw: _Raw, modifier: Optional[str]) -> tuple[float, float]:
    """Values in base units that the figure allows (rounding, "plus de", "près de").

    Rounding covers a half-open half step each side, so "6,2 %" and "6,3 %" do not meet.
    A bound reaches one step of the figure as written: "plus de 100" allows 100 to 200
    (news round down to a round figure), "au moins 62" 62 to 63 (a toll: "au moins 62
    morts" and "95 morts" are two tolls, not one).
    """
    factor = raw.factor if raw.slot in _MEASURE_SLOTS else 1.0
    v = raw.value * factor
    tol = _HALF_STEP * 10 ** -raw.decimals * raw.scale * factor if raw.decimals else 0.0
    lo, hi = v - tol, v + tol
    if modifier == "approx" or raw.rough:
        lo, hi = lo - abs(v) * _APPROX, hi + abs(v) * _APPROX
    elif modifier == "min":
        hi = v + _granularity(raw, factor) * _HALF_STEP * 2
    elif modifier == "max":
        lo = v - _granularity(raw, factor) * _HALF_STEP * 2
    return lo, hi


_CONTRE = re.compile(r"(?:^|[\s(])contre\s*(?:[+-]\s*)?$")
_EARLIER = re.compile(r"^[^.;:!?]{0,12}?\b(?:en|au mois de|fin|debut|mi)?\s*(?:janvier|fevrier|mars|avril|mai|juin|"
                      r"juillet|aout|septembre|octobre|novembre|decembre)\b|^[^.;:!?]{0,12}?\b(?:un an plus tot|"
                      r"l'an dernier|l'annee derniere|le mois precedent|le trimestre precedent|precedemment|auparavant)\b")
_AGE = re.compile(r"(?:(?:^|[.!?:;]\s*)a|\bagee?s? de|\ba l'age de)\s*$")
_NOT_REFERENCE_SLOTS = ("year", "date", "time", "duration")


def count_kind(text: str, q: Quantity) -> Optional[str]:
    """What a count counts: "dead" for "95 victimes", "62 personnes ont été tuées", "la mort
    de 296 personnes"; "votes" for "278 voix"; else its noun in the singular ("chars" -> "char");
    None for a bare number."""
    lex = _lexicon()
    folded = fold_french(text)
    before = lex.kind_before_re.search(folded, max(0, q.start - 40), q.start)
    if before:
        return lex.kind_before[before.group(1)]
    if q.unit is None:
        return None
    noun = fold_french(q.unit)
    noun_start = q.end - len(noun)
    if noun in lex.people:
        after = lex.kind_after_re.match(folded[q.end:q.end + 50])
        if after:
            return lex.kind_after[after.group(1)]
    for start in (noun_start, *(m.start() for m in re.finditer(r"(?<=\s)\S", folded[q.start:noun_start]))):
        if start < noun_start:
            start += q.start
        kind = lex.kind_re.match(folded, start)
        if kind and kind.end() >= q.end:
            return lex.kinds[kind.group(1)]
    return re.sub(r"[sx]$", "", noun)  # "char" = "chars"


def _is_reference(raw: _Raw, folded: str) -> bool:
    """A previous or first value given for comparison: "(+2,9 % après +2,6 %)", "contre une
    première estimation de 0,9 %", "14 %, contre 16,3 % en janvier"."""
    if raw.slot in _NOT_REFERENCE_SLOTS:
        return False
    window = folded[max(0, raw.start - 40):raw.start]
    if _lexicon().reference_re.search(window):
        return not folded[raw.end:raw.end + 7].lstrip().startswith("avoir")
    return bool(_CONTRE.search(window) and _EARLIER.search(folded[raw.end:raw.end + 40]))


@lru_cache(maxsize=65536)
def _measures(text: str) -> tuple[_Measure, ...]:
    """Comparable figures of ``text``: key (slot, base unit or kind) and the interval they allow.

    Reference figures (:func:`_is_reference`) are marked: "1 % contre une première
    estimation de 0,9 %" states 1 %, and does not agree with a sentence stating 0,9 %.
    """
    raws = _raw_quantities(text)
    folded = fold_french(text)
    intervals = {id(raw): _interval(raw, modifier) for raw, modifier in raws}
    out = []
    for raw, _ in raws:
        q = _quantity(raw, text)
        if q.slot == "count" and q.unit is None and not _lexicon().kind_before_re.search(
                folded, max(0, q.start - 40), q.start):
            continue  # a bare number: nothing says what it counts
        reference = _is_reference(raw, folded)
        lo, hi = intervals[id(raw)]
        if raw.range_with is not None and id(raw.range_with) in intervals:
            other = intervals[id(raw.range_with)]
            lo, hi = min(lo, other[0]), max(hi, other[1])
        if q.slot == "duration" and _AGE.search(folded, max(0, q.start - 16), q.start):
            key = ("age", None)  # "à 25 ans", "âgé de 25 ans": not a duration
        elif q.slot == "count":
            key = (q.slot, count_kind(text, q))
        elif q.slot in _UNITLESS_COMPARABLE:
            key = (q.slot, None)
        else:
            key = (q.slot, raw.base or q.unit)
        out.append(_Measure(q, key, lo, hi, reference))
    return tuple(out)


def _agree(a: _Measure, b: _Measure) -> bool:
    eps = 1e-9 * max(1.0, abs(a.quantity.value), abs(b.quantity.value))
    return a.lo <= b.hi + eps and b.lo <= a.hi + eps


def conflicting_quantities(a: str, b: str) -> list[tuple[Quantity, Quantity]]:
    """Figures on which two sentences disagree.

    A pair conflicts when both sentences give a value for the same slot and unit (base
    unit for measures: "155 mm" vs "15,5 cm" agree; a currency is its own unit), the
    values differ, and neither value has a match in the other sentence: "105 et 155 mm"
    vs "155 mm" do not conflict. "Plus de 100", "près de 100" and rounding ("1,5" vs
    "1,52 milliard") are read as ranges. Counts need a counted noun on both sides.

    A previous or first value ("après 0,4 %", "contre une première estimation de 0,9 %")
    is not the figure a sentence states: when the stated figures of one kind have no
    agreeing pair, they conflict even if one sentence gives the other's figure as its
    previous value ("1 %, contre une première estimation de 0,9 %" vs "0,9 %").

    Returns:
        (quantity of ``a``, quantity of ``b``) pairs, in order of appearance.
    """
    ma, mb = _measures(a), _measures(b)
    out = []
    for x in ma:
        same_b = [y for y in mb if y.key == x.key]
        if not same_b or any(_agree(x, y) for y in same_b):
            continue
        for y in same_b:
            if not any(_agree(y, z) for z in ma if z.key == y.key):
                out.append((x.quantity, y.quantity))
    for key in dict.fromkeys(x.key for x in ma if not x.reference):
        stated_a = [x for x in ma if x.key == key and not x.reference]
        stated_b = [y for y in mb if y.key == key and not y.reference]
        if stated_b and not any(_agree(x, y) for x in stated_a for y in stated_b):
            pair = (stated_a[0].quantity, stated_b[0].quantity)
            if pair not in out:
                out.append(pair)
    return sorted(out, key=lambda p: (p[0].start, p[1].start))


def format_quantity(q: Quantity) -> str:
    """Short display form: "400000000 USD", "155 mm", "year 2023"."""
    value = f"{q.value:.15g}" if abs(q.value) < 1e15 else f"{q.value:.6g}"
    if q.slot in ("year", "date", "time"):
        return f"{q.slot} {value}"
    return f"{value} {q.unit}" if q.unit else value
