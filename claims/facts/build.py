"""From the rows and groups of an analysis to its facts and their versions.

:func:`build_facts` is the pipeline's ``facts`` stage (after ``compare``): figure facts from
the slots of :class:`claims.facts.slots.SlotBuilder`, stance facts from the claim groups whose
mentions are for and against, speaker facts from groups where the same words are given to
different speakers. Facts get ids ``f001``… in order of first row; :func:`most_contested`
orders them for ``claims disputes``.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Mapping, Optional, Sequence

import numpy as np

from claims.facts.figures import agree
from claims.facts.slots import Item, SlotBuilder, day_of, days_of
from claims.facts.versions import Difference, Fact, FactMention, Version, main_kind, presents_update
from claims.french.text import fold_french, french_stopwords
from claims.records import Article, ClaimGroup

SPEAKER_WORD_OVERLAP = 0.5  # Jaccard of content words for "the same words"
_RANGE_TEXT = re.compile(r"\d\s*%?\s+(?:à|a|et)\s+\d")
_TIME_OF_DAY = re.compile(r"\b(\d{1,2}\s?h\s?\d{0,2})\b")


def _kind_label(key: tuple) -> str:
    slot, unit, role = key
    if slot == "count":
        label = unit or "count"
    elif slot == "money":
        label = f"amount in {unit}"
    elif slot == "percent":
        label = "percent"
    else:
        label = f"{slot} ({unit})" if unit else slot
    return f"{label}, {role}" if role else label


def _mention(row: int, rows, articles: Mapping[str, Article], figure: Optional[str] = None) -> FactMention:
    r = rows[row]
    article = articles.get(r.sentence.article)
    clock = _TIME_OF_DAY.search(r.sentence.text)
    return FactMention(row, r.sentence.article, article.source if article else None,
                       article.date if article else None, clock.group(1) if clock else None,
                       r.attribution.speaker, r.stance, figure, r.sentence.text)


def _order_key(m: FactMention) -> tuple:
    span = days_of(m.date)  # a month alone counts from its first day
    return (span[0] if span is not None else 10 ** 9, m.row)


def _label(figure) -> str:
    if not figure.qualifier or figure.text.lower().startswith(figure.qualifier.lower()):
        return figure.text  # "des centaines de morts" carries its qualifier
    return f"{figure.qualifier.lower()} {figure.text}"


def _figure_fact(slot: list[int], items: list[Item], rows, articles) -> Optional[Fact]:
    """One figure fact from a slot: versions by value and qualifier, differences between them."""
    by_version: dict[tuple, list[Item]] = {}
    for i in slot:
        f = items[i].figure
        by_version.setdefault((round(f.lo, 6), round(f.hi, 6), f.bound), []).append(items[i])
    versions, figures = [], []
    for members in by_version.values():
        f = members[0].figure
        seen, mentions = set(), []
        for item in members:
            if item.row not in seen:
                seen.add(item.row)
                mentions.append(_mention(item.row, rows, articles, item.figure.text))
        mentions.sort(key=_order_key)
        dates = [m.date for m in mentions if m.date]
        versions.append(Version(f.value, f.unit, f.qualifier, _label(f), tuple(mentions),
                                min(dates) if dates else None))
        figures.append(f)
    order = sorted(range(len(versions)), key=lambda v: _order_key(versions[v].mentions[0]))
    versions = [versions[v] for v in order]
    figures = [figures[v] for v in order]
    # Classes of versions whose values may be equal, precise figures first, so that a vague
    # "des centaines" (200-999) does not make 296 and 820 one value.
    classes: dict[int, int] = {}
    for v in sorted(range(len(figures)), key=lambda v: (figures[v].hi - figures[v].lo, v)):
        same = next((classes[w] for w in classes if _same_value(figures[w], figures[v])), None)
        classes[v] = same if same is not None else len(set(classes.values()))
    differences = []
    for a in range(len(versions)):
        for b in range(a + 1, len(versions)):
            if _same_value(figures[a], figures[b]):
                kind = "qualifier"
            else:
                kind = "update" if _at_different_times(versions[a], versions[b]) else "disagreement"
            differences.append(Difference(a, b, kind))
    places = sorted(set().union(*(items[i].figure.places for i in slot)))
    words = Counter(w for i in slot for w in items[i].figure.words if not any(p.startswith(w) for p in places))
    what = _kind_label(figures[0].key) + (f" in {', '.join(places)}" if places else "")
    common = [_spelled(w, slot, items, rows) for w, n in words.most_common(3) if n > 1]
    if common:
        what += f" ({', '.join(common)})"
    contested = len(set(classes.values())) if len(set(classes.values())) > 1 else 0
    return Fact("", what, main_kind(differences), contested, tuple(versions), 0, tuple(differences))


def _explicit_range(figure) -> bool:
    """A range written as such ("31 à 32 %", "entre 61 % et 63 %"), not a bound or a vague plural."""
    return (figure.qualifier or "").lower() == "entre" or bool(_RANGE_TEXT.search(figure.text))


def _same_value(a, b) -> bool:
    """Whether two versions give one value: their intervals meet, except that a range written as
    such is its own value ("28,1 %" within "28 à 29 %" is another estimate: RULES.md F9), and
    that "less than X" and "more than X" do not meet."""
    if _explicit_range(a) or _explicit_range(b):
        return (round(a.lo, 6), round(a.hi, 6)) == (round(b.lo, 6), round(b.hi, 6))
    if {a.bound, b.bound} == {"min", "max"} and a.value == b.value:
        return False  # "un peu moins de 40 M€" and "plus de 40 M€" only touch
    return agree(a, b)


def _spelled(stem: str, slot: list[int], items: list[Item], rows) -> str:
    """A word of the slot's sentences as written in them, for a stem of the figures' words."""
    for i in slot:
        for word in re.findall(r"[^\W\d_]{3,}", fold_french(rows[items[i].row].sentence.text)):
            if word.startswith(stem):
                return word
    return stem


def _at_different_times(a: Version, b: Version) -> bool:
    """Whether two values look like successive values rather than sources disagreeing: other
    days, other times of day ("à 14h" and "à 19h20"), one outlet giving each in a sentence of its
    own (it revised its figure; an outlet seldom disagrees with itself), or a sentence presenting
    its figure as a new or provisional one."""
    days = {day_of(m.date) for m in a.mentions + b.mentions} - {None}
    if len(days) > 1:
        return True
    clocks_a, clocks_b = ({m.time.replace(" ", "") for m in v.mentions if m.time} for v in (a, b))
    if clocks_a and clocks_b and not clocks_a & clocks_b:
        return True
    for source in {m.source for m in a.mentions if m.source} & {m.source for m in b.mentions if m.source}:
        rows_a = {m.row for m in a.mentions if m.source == source}
        rows_b = {m.row for m in b.mentions if m.source == source}
        if rows_a - rows_b and rows_b - rows_a:
            return True  # each value in a sentence of its own ("1,2 million selon la police et 2,6
            # selon les syndicats", both in one sentence, is two sources at one time, not a revision)
    return any(presents_update(m.text) for m in a.mentions + b.mentions)


def _stance_fact(group: ClaimGroup, rows, articles) -> Optional[Fact]:
    sides = {s: [m for m in group.mentions if m.stance == s] for s in ("favor", "against")}
    if not sides["favor"] or not sides["against"]:
        return None
    versions = []
    for stance, mentions in sides.items():
        ms = sorted((_mention(m.row, rows, articles) for m in mentions if m.row is not None), key=_order_key)
        dates = [m.date for m in ms if m.date]
        versions.append(Version(None, None, stance, stance, tuple(ms), min(dates) if dates else None))
    versions.sort(key=lambda v: _order_key(v.mentions[0]))
    text = group.mentions[0].sentence.text
    what = f"stance toward {group.id}: {text[:90]}{'…' if len(text) > 90 else ''}"
    return Fact("", what, "stance", 2, tuple(versions), 0, (Difference(0, 1, "stance"),), group.id)


def _content(text: str) -> frozenset:
    stop = french_stopwords()
    return frozenset(w for w in re.findall(r"[^\W\d_]{3,}", fold_french(text)) if w not in stop)


def _speaker_fact(group: ClaimGroup, rows, articles) -> Optional[Fact]:
    spoken = [m for m in group.mentions if m.attribution.speaker and m.row is not None]
    involved: set[int] = set()
    for i, a in enumerate(spoken):
        wa = _content(a.sentence.text)
        for b in spoken[i + 1:]:
            if a.sentence.article == b.sentence.article or a.attribution.speaker == b.attribution.speaker:
                continue
            wb = _content(b.sentence.text)
            if wa and wb and len(wa & wb) / len(wa | wb) >= SPEAKER_WORD_OVERLAP:
                involved.update((a.row, b.row))
    if not involved:
        return None
    by_speaker: dict[str, list[FactMention]] = {}
    for m in spoken:
        if m.row in involved:
            by_speaker.setdefault(m.attribution.speaker, []).append(_mention(m.row, rows, articles))
    versions = []
    for speaker, ms in by_speaker.items():
        ms.sort(key=_order_key)
        dates = [m.date for m in ms if m.date]
        versions.append(Version(None, None, speaker, speaker, tuple(ms), min(dates) if dates else None))
    versions.sort(key=lambda v: _order_key(v.mentions[0]))
    diffs = tuple(Difference(a, b, "speaker") for a in range(len(versions)) for b in range(a + 1, len(versions)))
    text = group.mentions[0].sentence.text
    what = f"speaker of {group.id}: {text[:90]}{'…' if len(text) > 90 else ''}"
    return Fact("", what, "speaker", len(versions), tuple(versions), 0, diffs, group.id)


def build_facts(articles: Sequence[Article], rows: Sequence, groups: Sequence[ClaimGroup], vectors: np.ndarray,
                builder: Optional[SlotBuilder] = None, memo=None) -> tuple[Fact, ...]:
    """Every fact of an analysis with at least two mentions, ids ``f001``… by first row.

    Args:
        articles: the articles (for outlet and date).
        rows: :class:`claims.analysis.Row` s, one per sentence.
        groups: claim groups with stances.
        vectors: one unit vector per row.
        builder: the slot builder (default: :class:`SlotBuilder` with its defaults).
        memo: for the default builder, a :class:`claims.memo.Memo` of the figures' subjects.
    """
    by_id = {a.id: a for a in articles}
    builder = builder if builder is not None else SlotBuilder(memo=memo)
    texts = [r.sentence.text for r in rows]
    dates = [by_id[r.sentence.article].date if r.sentence.article in by_id else None for r in rows]
    builder.fit(texts, vectors, dates, [r.sentence.article for r in rows])
    facts = [_figure_fact(slot, builder.items_, rows, by_id) for slot in builder.slots_]
    for group in groups:
        facts.append(_stance_fact(group, rows, by_id))
        facts.append(_speaker_fact(group, rows, by_id))
    facts = sorted((f for f in facts if f is not None), key=lambda f: (min(f.rows), f.kind or "", f.what))
    width = max(3, len(str(len(facts))))
    return tuple(f._replace(id=f"f{n + 1:0{width}d}") for n, f in enumerate(facts))


def most_contested(facts: Sequence[Fact]) -> list[Fact]:
    """Disputed facts (contested values, opposite stances, different speakers), most contested first:
    most distinct values, then most articles, then most mentions."""
    disputed = [f for f in facts if f.contested >= 2]
    return sorted(disputed, key=lambda f: (-f.contested, -len(f.articles), -len(f.rows), f.id))


def fact_of_rows(facts: Sequence[Fact], n_rows: int) -> list[Optional[str]]:
    """The id of the first fact each row gives a version of, or None (the JSON Lines ``fact`` key)."""
    out: list[Optional[str]] = [None] * n_rows
    for fact in facts:
        for row in fact.rows:
            if out[row] is None:
                out[row] = fact.id
    return out


__all__ = ["build_facts", "fact_of_rows", "most_contested"]
