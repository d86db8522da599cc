"""What two figures of one kind measure, beyond their kind: classes of amounts, parts of a total,
and sentences restating the same bundle of figures.

Read by :class:`claims.facts.slots.SlotBuilder`:

* :func:`measure_class`: an amount's or a rate's class (a fee, a salary, a cost; the turnout, the
  abstention…) from the noun it is the value of or a word around it (``data/measure_nouns_fr.tsv``):
  "la transaction … 80 millions"
  and "l'indemnité … 90 millions" answer one question although their subjects differ;
  "un salaire de 100 millions" and "une indemnité de 90 millions" never do;
* :func:`parts_of_totals`: two figures of one sentence whose sum is a figure of their kind stated
  elsewhere ("5 503 … et 54 435 …" against "59 938 décès") are parts of that total, never versions
  of it, and so is any other statement of a part's value;
* :func:`holds_value`: two sentences that each state both of two values restate one bundle of
  figures ("2,2 Md€ pour le fonctionnement, 0,9 pour la sécurité, 3 pour les
  bâtiments"): they pair figure to figure, never 2,2 with 0,9. (One sentence giving two
  sources' counts, against a sentence giving one of them, still pairs both ways: a disagreement.)
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from claims.facts.figures import STEM, agree

MEASURES_PATH = "measure_nouns_fr.tsv"
# Subjects that say a figure is an estimate, not what it estimates ("la projection de l'institut …
# s'élève à 69,5 %"): they set no two figures apart.
ESTIMATE_HEADS = frozenset({"projection", "prevision", "estimation", "evaluation", "pronostic", "fourchette"})
_WORD = re.compile(r"[^\W\d_]{3,}")
# Two amounts of one thing differ by less than this factor: "500 000 euros" is not a version of
# "200 millions" (tolls may grow a hundredfold over days; amounts are not counted that way).
MAX_AMOUNT_RATIO = 10.0
PART_ROLE = "part"
SUM_TOLERANCE = 0.001  # relative: a sum "equal" to a total


@lru_cache(maxsize=1)
def _classes() -> dict[str, str]:
    from claims.french.resources import read_tsv

    return {stem: cols[0] for _, cols in read_tsv(MEASURES_PATH, 2) for stem in cols[1].split()}


def measure_class(figure, subject=None, sentence: Optional[str] = None) -> Optional[str]:
    """The class of what an amount or a rate measures (a fee, a salary; the turnout, inflation): its subject's head first, else the words around it,
    else the one class its sentence names ("les conditions de ce transfert … 100 millions");
    None when nothing names one, or for figures that are not amounts."""
    if figure.key[0] not in ("money", "percent"):
        return None
    classes = _classes()
    if subject is not None and subject.head:
        from claims.french.text import fold_french

        found = classes.get(fold_french(subject.head)[:STEM])
        if found:
            return found
    named = {classes[w] for w in figure.words if w in classes}
    if not named and sentence and figure.key[0] == "money":  # (a sentence names several rates too often)
        from claims.french.text import fold_french

        named = {classes[w[:STEM]] for w in _WORD.findall(fold_french(sentence)) if w[:STEM] in classes}
    return named.pop() if len(named) == 1 else None


def parts_of_totals(items: list) -> tuple[list, dict]:
    """Items (with ``row`` and ``figure``) whose figure is a part of a total: two figures of one
    kind and role in one sentence, naming the same places (two places' tolls are sub-populations,
    read by the place rules), summing to a figure of that kind stated in another sentence;
    then every figure of that kind with a part's value. Their role becomes :data:`PART_ROLE`.
    Also returns, per kind, the values found as parts of one sum: two of them are two parts
    ("5 503 of respiratory failure", "54 435 of other causes"), never versions of one another."""
    by_key: dict[tuple, list[int]] = {}
    for i, it in enumerate(items):
        if it.figure.key[0] == "count" and it.figure.role is None:
            by_key.setdefault(it.figure.key, []).append(i)
    parts: set[int] = set()
    summed: dict[tuple, set] = {}
    for members in by_key.values():
        totals = [(items[i].row, items[i].figure.value) for i in members]
        by_row: dict[int, list[int]] = {}
        for i in members:
            by_row.setdefault(items[i].row, []).append(i)
        for row, here in by_row.items():
            for n, i in enumerate(here):
                for j in here[n + 1:]:
                    if items[i].figure.places != items[j].figure.places:
                        continue  # two places' tolls: sub-populations, which the place rules read (F5)
                    total = items[i].figure.value + items[j].figure.value
                    if any(r != row and abs(v - total) <= SUM_TOLERANCE * total for r, v in totals):
                        parts.update((i, j))
                        summed.setdefault(items[i].figure.key[:2] + (PART_ROLE,), set()).update(
                            (items[i].figure.value, items[j].figure.value))
        values = {items[i].figure.value for i in parts if i in members}
        parts.update(i for i in members if items[i].figure.value in values)
    return [it._replace(figure=it.figure._replace(key=it.figure.key[:2] + (PART_ROLE,), role=PART_ROLE))
            if i in parts else it for i, it in enumerate(items)], summed


def holds_value(figure, others: list) -> bool:
    """Whether one of ``others`` (figures of another sentence) has ``figure``'s kind and may
    have its value."""
    return any(o.key == figure.key and agree(o, figure) for o in others)


def amounts_apart(a, b) -> bool:
    """Whether two amounts are too far apart to be versions of one another (:data:`MAX_AMOUNT_RATIO`)."""
    if a.key[0] != "money" or a.value <= 0 or b.value <= 0:
        return False
    return max(a.value, b.value) / min(a.value, b.value) > MAX_AMOUNT_RATIO


def same_measure(a, b, class_a: Optional[str], class_b: Optional[str]) -> bool:
    """Whether two figures measure one class of thing (a fee, a salary, the turnout…). A rate
    naming a place or a party the other does not ("le Val-Vert avec 41 %") is a part's;
    an amount's names are more often who pays or receives it."""
    if class_a is None or class_a != class_b:
        return False
    return a.key[0] != "percent" or a.names == b.names or bool(a.names & b.names)


def measures_apart(a, b, figures_a: list, figures_b: list, summed: dict, class_a: Optional[str],
                   class_b: Optional[str]) -> bool:
    """Whether two figures of one kind, of two sentences (whose figures are ``figures_a`` and
    ``figures_b``), answer two questions: a bundle restated (each sentence gives both values),
    two parts of one sum (``summed``, from :func:`parts_of_totals`), amounts far apart, or two
    classes of measure (a fee and a salary)."""
    if a.key == b.key and not agree(a, b) and holds_value(a, figures_b) and holds_value(b, figures_a):
        return True
    parts = summed.get(a.key, ())
    if a.value in parts and b.value in parts and not agree(a, b):
        return True
    return amounts_apart(a, b) or bool(class_a and class_b and class_a != class_b)


__all__ = ["ESTIMATE_HEADS", "MAX_AMOUNT_RATIO", "amounts_apart", "measures_apart", "same_measure", "MEASURES_PATH", "PART_ROLE", "holds_value", "measure_class", "parts_of_totals"]
