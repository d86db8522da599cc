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
    """"cinq ans de prison dont trois ferme": the part takes the unit of the whole."""
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
