"""When two sentences' figures disagree: each figure as an interval of what it may mean, compared by kind.

:func:`conflicting_quantities` is what the pair guard and the comparison call: two figures of
the same slot (and, for counts, of the same kind: dead, injured, votes…) whose intervals do not
meet ("au moins 62" is 62-63; "6,2 %" never meets "6,3 %"); earlier or reference values
("après 0,4 %", "contre 16,3 % en janvier") are left out. Figures are read by
:mod:`claims.french.numbers`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional

from claims.french.number_lexicon import number_lexicon as _lexicon
from claims.french.numbers import (Quantity, _APPROX, _HALF_STEP, _MEASURE_SLOTS, _UNITLESS_COMPARABLE,
                                   _Raw, _quantity, _raw_quantities)
from claims.french.text import fold_french


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
    première estimation de 2,2 %", "14 %, contre 16,3 % en janvier"."""
    if raw.slot in _NOT_REFERENCE_SLOTS:
        return False
    window = folded[max(0, raw.start - 40):raw.start]
    if _lexicon().reference_re.search(window):
        return not folded[raw.end:raw.end + 7].lstrip().startswith("avoir")
    return bool(_CONTRE.search(window) and _EARLIER.search(folded[raw.end:raw.end + 40]))


@lru_cache(maxsize=65536)
def _measures(text: str) -> tuple[_Measure, ...]:
    """Comparable figures of ``text``: key (slot, base unit or kind) and the interval they allow.

    Reference figures (:func:`_is_reference`) are marked: "2,4 % contre une première
    estimation de 2,2 %" states 2,4 %, and does not agree with a sentence stating 2,2 %.
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

    A previous or first value ("après 0,4 %", "contre une première estimation de 2,2 %")
    is not the figure a sentence states: when the stated figures of one kind have no
    agreeing pair, they conflict even if one sentence gives the other's figure as its
    previous value ("2,4 %, contre une première estimation de 2,2 %" vs "2,2 %").

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


def figure_agreement(a: str, b: str) -> tuple[int, int]:
    """How the stated figures of two sentences relate, kind by kind.

    Returns:
        ``(agreeing, conflicting)``: the number of figure kinds (slot and unit or counted
        noun) both sentences state whose intervals meet, and of those where none meet.
        Kinds only one sentence states count in neither: different kinds are no conflict.
    """
    ma = [x for x in _measures(a) if not x.reference]
    mb = [y for y in _measures(b) if not y.reference]
    agreeing = conflicting = 0
    for key in dict.fromkeys(x.key for x in ma):
        xs, ys = [x for x in ma if x.key == key], [y for y in mb if y.key == key]
        if ys:
            if any(_agree(x, y) for x in xs for y in ys):
                agreeing += 1
            else:
                conflicting += 1
    return agreeing, conflicting


def format_quantity(q: Quantity) -> str:
    """Short display form: "400000000 USD", "155 mm", "year 2023"."""
    value = f"{q.value:.15g}" if abs(q.value) < 1e15 else f"{q.value:.6g}"
    if q.slot in ("year", "date", "time"):
        return f"{q.slot} {value}"
    return f"{value} {q.unit}" if q.unit else value
