"""What the articles of a claim group disagree on.

:func:`compare_group` gathers, for one group (with stances already assigned by
:func:`claims.stance.assign_stances`):

* the split of stances and who holds each: ``{stance: [(article, speaker)]}``;
* figures that differ for the same slot between two articles ("400 millions de dollars"
  vs "325 millions de dollars"), as read by :func:`claims.french.figure_conflicts.conflicting_quantities`;
* the speakers and the articles that quote them;
* the first and last date the claim appears (article dates).

:func:`is_disputed` says whether a group deserves ``claims match --disputed``, and
:func:`compare_articles` lists the claims two articles share with their differences.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, NamedTuple, Optional, Sequence

from claims.records import STANCES, Article, ClaimGroup, Mention

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class FigureConflict(NamedTuple):
    """Two articles giving different values for the same kind of figure."""

    slot: str  # money, count, date… (see claims.french.numbers.SLOTS)
    value_a: float
    article_a: str
    value_b: float
    article_b: str
    text_a: str  # the figure as written in article_a ("400 millions de dollars")
    text_b: str


class GroupComparison(NamedTuple):
    """What the articles of one claim group disagree on.

    ``stances`` always has the three keys of :data:`claims.records.STANCES`; mentions
    without a stance are left out. ``speakers`` maps each named speaker to the articles
    that attribute the claim to them. Dates are the article dates as given (ISO forms
    only), None when no article has one.
    """

    stances: dict[str, list[tuple[str, Optional[str]]]]
    figure_conflicts: list[FigureConflict]
    speakers: dict[str, list[str]]
    first_date: Optional[str]
    last_date: Optional[str]


class SharedClaim(NamedTuple):
    """A claim two articles share (one claim group), seen from each of them."""

    group_id: str
    texts_a: tuple[str, ...]  # the sentences of article a in the group
    texts_b: tuple[str, ...]
    stances_a: tuple[str, ...]  # distinct stances, in STANCES order
    stances_b: tuple[str, ...]
    speakers_a: tuple[str, ...]
    speakers_b: tuple[str, ...]
    figure_conflicts: tuple[FigureConflict, ...]  # between a and b only
    disputed: bool  # opposite stances across the two articles, or differing figures


def _unique(items: Iterable) -> list:
    return list(dict.fromkeys(items))


FIGURE_PAIRS_MAX = 20_000  # pairs of figure-bearing mentions compared one by one in a group


def figure_conflicts(mentions: Sequence[Mention]) -> list[FigureConflict]:
    """Figures on which mentions of different articles disagree, each pair reported once.

    Only mentions that give a figure of one kind (slot and unit) are compared, each
    distinct (article, sentence) once, in mention order. A group where that still makes
    more than :data:`FIGURE_PAIRS_MAX` pairs compares each mention with the mention giving
    the most common value of each of its kinds instead of with every other mention, so the
    cost stays linear in the group's size (the conflicts reported are then those with that
    common value).
    """
    from claims.french.figure_conflicts import _measures, conflicting_quantities

    # Distinct (article, text) in order of first mention, with the figure kinds they give.
    items = [(a, t, {x.key for x in _measures(t)})
             for a, t in dict.fromkeys((m.sentence.article, m.sentence.text) for m in mentions)]
    items = [item for item in items if item[2]]
    by_key: dict[tuple, list[int]] = {}
    for p, (_, _, keys) in enumerate(items):
        for key in keys:
            by_key.setdefault(key, []).append(p)
    found: dict[tuple, FigureConflict] = {}

    def compare(p: int, q: int) -> None:
        (a, text_a, _), (b, text_b, _) = items[p], items[q]
        if a == b:
            return
        for qa, qb in conflicting_quantities(text_a, text_b):
            key = (qa.slot, qa.value, a, qb.value, b)
            mirror = (qa.slot, qb.value, b, qa.value, a)
            if key not in found and mirror not in found:
                found[key] = FigureConflict(qa.slot, qa.value, a, qb.value, b, qa.text, qb.text)

    if sum(len(ps) * (len(ps) - 1) // 2 for ps in by_key.values()) <= FIGURE_PAIRS_MAX:
        for p, (_, _, keys) in enumerate(items):  # pairs in mention order, as all pairs would be
            for q in sorted({q for key in keys for q in by_key[key] if q > p}):
                compare(p, q)
        return list(found.values())
    for key, ps in by_key.items():  # large group: each against the most common value of the kind
        values: dict[float, set] = {}
        for p in ps:
            for x in _measures(items[p][1]):
                if x.key == key:
                    values.setdefault(x.quantity.value, set()).add(items[p][0])
        common = max(values, key=lambda v: len(values[v]))  # first such value on a tie
        ref = next(p for p in ps if any(x.key == key and x.quantity.value == common for x in _measures(items[p][1])))
        for q in ps:
            if q != ref:
                compare(*sorted((ref, q)))
    return list(found.values())


def _dates(article_ids: Sequence[str], articles: Optional[Mapping[str, Article]]) -> list[str]:
    if not articles:
        return []
    dates = [articles[a].date for a in article_ids if a in articles and articles[a].date]
    return [d.strip() for d in dates if _ISO_DATE.match(d.strip())]


def compare_group(group: ClaimGroup, articles: Optional[Mapping[str, Article]] = None) -> GroupComparison:
    """Stances, differing figures, speakers and dates of one claim group.

    Args:
        group: a claim group, normally after :func:`claims.stance.assign_stances`.
        articles: article id → :class:`Article`, for dates; optional.

    Returns:
        A :class:`GroupComparison`.
    """
    stances: dict[str, list[tuple[str, Optional[str]]]] = {s: [] for s in STANCES}
    speakers: dict[str, list[str]] = {}
    seen: set[tuple] = set()  # (stance, article, speaker) and (speaker, article) already listed
    for m in group.mentions:
        if m.stance in stances:
            holder = (m.sentence.article, m.attribution.speaker)
            if (m.stance, *holder) not in seen:
                seen.add((m.stance, *holder))
                stances[m.stance].append(holder)
        if m.attribution.speaker:
            listed = speakers.setdefault(m.attribution.speaker, [])
            if (m.attribution.speaker, m.sentence.article) not in seen:
                seen.add((m.attribution.speaker, m.sentence.article))
                listed.append(m.sentence.article)
    dates = _dates(group.articles, articles)
    return GroupComparison(stances, figure_conflicts(group.mentions), speakers,
                           min(dates) if dates else None, max(dates) if dates else None)


def is_disputed(comparison: GroupComparison) -> bool:
    """Whether a group has both ``favor`` and ``against`` mentions, or differing figures."""
    opposite = bool(comparison.stances.get("favor")) and bool(comparison.stances.get("against"))
    return opposite or bool(comparison.figure_conflicts)


def compare_articles(a_id: str, b_id: str, groups: Iterable[ClaimGroup]) -> list[SharedClaim]:
    """The claims articles ``a_id`` and ``b_id`` share, with how they differ.

    Args:
        a_id, b_id: two different article ids.
        groups: claim groups (with stances, for the stance columns).

    Returns:
        One :class:`SharedClaim` per group holding both articles, in the groups' order.
    """
    if a_id == b_id:
        raise ValueError(f"compare two different articles, got {a_id!r} twice")
    shared = []
    for group in groups:
        side_a = [m for m in group.mentions if m.sentence.article == a_id]
        side_b = [m for m in group.mentions if m.sentence.article == b_id]
        if not side_a or not side_b:
            continue
        stances_a = tuple(s for s in STANCES if any(m.stance == s for m in side_a))
        stances_b = tuple(s for s in STANCES if any(m.stance == s for m in side_b))
        conflicts = tuple(figure_conflicts(side_a + side_b))
        opposite = (("favor" in stances_a and "against" in stances_b)
                    or ("against" in stances_a and "favor" in stances_b))
        shared.append(SharedClaim(
            group.id, tuple(m.sentence.text for m in side_a), tuple(m.sentence.text for m in side_b),
            stances_a, stances_b,
            tuple(_unique(m.attribution.speaker for m in side_a if m.attribution.speaker)),
            tuple(_unique(m.attribution.speaker for m in side_b if m.attribution.speaker)),
            conflicts, opposite or bool(conflicts)))
    return shared


def comparison_as_dict(comparison: GroupComparison) -> dict:
    """A JSON-ready form of a :class:`GroupComparison` (lists of objects, not tuples)."""
    return {
        "stances": {s: [{"article": a, "speaker": sp} for a, sp in holders]
                    for s, holders in comparison.stances.items()},
        "figure_conflicts": [c._asdict() for c in comparison.figure_conflicts],
        "speakers": {sp: list(arts) for sp, arts in comparison.speakers.items()},
        "first_date": comparison.first_date,
        "last_date": comparison.last_date,
        "disputed": is_disputed(comparison),
    }


def shared_claim_as_dict(claim: SharedClaim) -> dict:
    """A JSON-ready form of a :class:`SharedClaim` (named fields everywhere)."""
    out = claim._asdict()
    out["figure_conflicts"] = [c._asdict() for c in claim.figure_conflicts]
    return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


__all__ = ["FigureConflict", "shared_claim_as_dict", "GroupComparison", "SharedClaim", "compare_group", "is_disputed",
           "compare_articles", "figure_conflicts", "comparison_as_dict"]
