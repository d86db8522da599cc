"""Fact slots: the question a figure answers, so that different figures can be versions of one fact.

A slot is what is counted (the figure's kind: dead, protesters, percent, euros…), about what
(places, names, the subject the parse gives, the words around) and when (the sentence's points
in time, the day or month of the figure's clause, the article date). :class:`SlotBuilder` links
two figures of one kind, of different sentences, when their sentences are on one topic (cosine
at least ``topic_threshold``; lower when both name the same places or the same subject noun),
their places, names, years, periods and times agree (``max_days`` between articles), and the
words around them overlap enough (``context_threshold``) unless the kind or the subject says what
is counted. Two figures of one kind in one sentence ("912 morts en Turquie, 560 en Syrie") answer
two questions, and the words setting them apart there set apart any two figures of that kind.

Pairs are merged from the most similar down; a merge is refused when it would break one of
the conditions for any two members of the merged slot (complete linkage: one vague figure
cannot chain two countries' tolls), or when the words around the figures overlap less than
``context_threshold`` on average. The 400 million dollar package of November 2022 and the 325
million one of June 2023 stay two slots; two death tolls for one country on one day become one.
"""

from __future__ import annotations

from typing import NamedTuple, Optional, Sequence

import numpy as np

from claims.facts.discourse import carry_context
from claims.facts.figures import STEM, StatedFigure, agree, named_kinds, stated_figures
from claims.facts.places import contrasted_places, event_countries, main_places, places_apart
from claims.facts.measures import ESTIMATE_HEADS, measure_class, measures_apart, parts_of_totals, same_measure
from claims.facts.values import resolve_currencies
from claims.facts.when import day_of, days_apart, days_of, other_day, sentence_day
from claims.french.text import fold_french
from claims.french.dates import conflicting_times, parse_reference


class Item(NamedTuple):
    """One figure of one sentence (row)."""

    row: int
    figure: StatedFigure


def _overlap(a: frozenset, b: frozenset) -> float:
    """Share of the smaller word set found in the other (1.0 when either is empty)."""
    if not a or not b:
        return 1.0
    return len(a & b) / min(len(a), len(b))


# Words that qualify an estimate rather than name what it measures ("la participation finale").
_ESTIMATE_WORDS = frozenset(w[:6] for w in ("final", "finale", "definitif", "definitive", "provisoire", "record",
                                             "estime", "estimee", "estimation", "total", "totale", "global",
                                             "globale"))

# Figures of one kind up to which the candidates are read off the full matrix of cosines; above,
# off a nearest-neighbour index (memory and time grow with n * max_neighbours, not n squared).
EXACT_NEIGHBOURS = 2048

# Counts of people an event hit: tolls, read against each other across outlets and hours.
CASUALTY_KINDS = frozenset({"dead", "injured", "missing", "evacuated", "homeless"})


def _named(key: tuple) -> bool:
    """Whether the kind alone says what is counted (dead, injured, votes…)."""
    return key[0] == "count" and key[1] in named_kinds()


def _span(period: Optional[str]) -> bool:
    """A period saying a figure counts over a span (per day, over several years), not a change's."""
    return period not in (None, "month", "year")


def _stems(lemmas) -> frozenset:
    """Lemmas as the figures' words are compared: folded, first letters ("alimentaire" = "alimentation")."""
    return frozenset(fold_french(w)[:STEM] for w in lemmas)


def _other_times(a: StatedFigure, b: StatedFigure) -> bool:
    """Whether two figures of one sentence are given for two times (months, years, periods)."""
    return any(x and y and x != y for x, y in ((a.month, b.month), (a.period, b.period))) or bool(
        a.years and b.years and not a.years & b.years)


class SlotBuilder:
    """Groups the figures of a corpus into fact slots (see the module docstring).

    The defaults are the best disputed-fact F1 of a sweep on the real-news tuning events
    (``python -m benchmarks.disputes --sweep``; e5-small vectors).

    Args:
        topic_threshold: cosine two sentences need for their figures to be compared.
        generic_topic_threshold: the same for figures whose kind does not say what is counted
            (percentages, amounts, nouns read off the sentence): their words say it less surely,
            so their sentences must be closer (two shared stems instead was tried, and lost
            on the tuning events).
        place_topic_threshold: the cosine enough for two figures naming the same places.
        casualty_topic_threshold: the cosine enough for two counts of people hit by an event
            (dead, injured, missing, evacuated, homeless): their kind, places, times and roles
            tell them apart better than the sentences' closeness, which drops when a sentence
            gives several tolls (dead and injured, two countries) or a quote. None: as
            ``topic_threshold``.
        context_threshold: overlap of the figures' segment words needed to share a slot.
        max_days: article dates further apart than this are two times (two facts).
        max_neighbours: figures compared with each figure at most, most similar first
            (bounds the work on large corpora).
        read_subjects: parse the sentences of figures whose kind does not say what is counted,
            and leave out of every slot those whose subject is only a pronoun or a
            demonstrative ("Elle était de 16,3 %": :mod:`claims.facts.subjects`).
        memo: a :class:`claims.memo.Memo` keeping those subjects across runs (a warm run parses
            nothing), or None.

    Attributes:
        items_: every figure stated in the corpus, as :class:`Item`.
        contrasts_: per kind of figure, the word pairs that tell two figures apart.
        contrasted_places_: per kind of figure, the places some sentence gives two figures of
            that kind for: a figure naming one is never a version of a figure naming no place.
        local_places_: places some sentence names as a region, province or town ("dans la
            province d'Aïn Sefra"): a figure naming one is a sub-population's, never a version
            of a figure naming no place (RULES.md F5).
        main_places_: per kind of figure, the place most of its placed sentences name (the
            event's place): never a sub-population, and a figure naming no place may be its.
        event_countries_: per kind of figure, the one country its sentences name (at least
            twice): a figure naming only towns or regions below it is never a version of a
            figure naming no place (RULES.md F6).
        summed_parts_: per kind, the values two figures of one sentence give as parts of a total
            stated elsewhere (:func:`claims.facts.measures.parts_of_totals`): two of them are never
            versions of one another.
        unresolved_: indices into ``items_`` of figures whose kind does not say what is
            counted and whose subject is anaphoric: never a version of anything.
        slots_: lists of indices into ``items_``, one per slot of at least two sentences,
            ordered by first row.
    """

    def __init__(self, topic_threshold: float = 0.90, context_threshold: float = 0.4, max_days: int = 7,
                 max_neighbours: int = 50, generic_topic_threshold: float = 0.93,
                 place_topic_threshold: float = 0.85, casualty_topic_threshold: Optional[float] = 0.88,
                 read_subjects: bool = True, memo=None):
        self.read_subjects = read_subjects
        self.memo = memo
        self.topic_threshold = topic_threshold
        self.place_topic_threshold = place_topic_threshold
        self.casualty_topic_threshold = casualty_topic_threshold
        self.generic_topic_threshold = generic_topic_threshold
        self.context_threshold = context_threshold
        self.max_days = max_days
        self.max_neighbours = max_neighbours

    def _check(self) -> None:
        for name in ("topic_threshold", "generic_topic_threshold", "place_topic_threshold", "casualty_topic_threshold"):
            if getattr(self, name) is None and name == "casualty_topic_threshold":
                continue
            if not -1.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be a cosine in [-1, 1], got {getattr(self, name)}")
        if not 0.0 <= self.context_threshold <= 1.0:
            raise ValueError(f"context_threshold must be in [0, 1], got {self.context_threshold}")
        if self.max_days < 0 or self.max_neighbours < 1:
            raise ValueError("max_days must be >= 0 and max_neighbours >= 1")

    def fit(self, texts: Sequence[str], vectors: np.ndarray, dates: Sequence[Optional[str]],
            articles: Optional[Sequence[Optional[str]]] = None) -> "SlotBuilder":
        """Find the slots of a corpus.

        Args:
            texts: one sentence per row.
            vectors: unit vectors, one per row.
            dates: the article date of each row ("YYYY-MM-DD", "YYYY-MM" or None).
            articles: the article id of each row (an article's rows consecutive, in order), so
                that a sentence continuing the previous one ("De son côté, …") takes the place
                and day left to it (:mod:`claims.facts.discourse`); None reads each sentence alone.
        """
        self._check()
        if len(texts) != len(vectors) or len(texts) != len(dates):
            raise ValueError(f"texts, vectors and dates must have one entry per row: "
                             f"{len(texts)}, {len(vectors)}, {len(dates)}")
        self._texts, self._dates = list(texts), list(dates)
        self._days = [days_of(d) for d in dates]
        self._years = [parse_reference(d)[0] for d in dates]
        self.items_ = [Item(row, f) for row, text in enumerate(texts) for f in stated_figures(text)]
        if articles is not None and len(articles) != len(texts):
            raise ValueError(f"articles must have one entry per row: {len(articles)} for {len(texts)} rows")
        self.items_, self.summed_parts_ = parts_of_totals(
            resolve_currencies(carry_context(self.items_, texts, articles, sentence_day)))
        self._row_figures: dict[int, list] = {}
        for item in self.items_:
            self._row_figures.setdefault(item.row, []).append(item.figure)
        by_key: dict[tuple, list[int]] = {}
        for i, item in enumerate(self.items_):
            by_key.setdefault(item.figure.key, []).append(i)
        self.subjects_ = self._subjects()
        self._measures = {i: measure_class(item.figure, self.subjects_.get(i), texts[item.row])
                          for i, item in enumerate(self.items_)}
        self.unresolved_ = frozenset(i for i, s in self.subjects_.items() if s.anaphoric)
        self.contrasts_ = self._contrasts()
        # Places one sentence gives two figures of one kind for ("912 morts en Turquie, 560 en
        # Syrie"): a figure of that kind naming no place may be either, or both together (F2).
        self.contrasted_places_ = contrasted_places(self.items_)
        # Places some sentence names as a region or province: a sub-population wherever named.
        self.local_places_ = frozenset(p for item in self.items_ for p in item.figure.local)
        self.main_places_ = main_places(self.items_)
        self.event_countries_ = event_countries(self.items_)
        pairs = []
        for members in by_key.values():
            pairs.extend(self._candidate_pairs(members, vectors))
        # Precise figures first: a vague "des centaines de morts" joins a slot once it is formed
        # and never decides which precise figures share one.
        vague = [item.figure.qualifier is not None and item.figure.text.lower().startswith(
            item.figure.qualifier.lower()) and item.figure.hi > item.figure.lo for item in self.items_]
        pairs.sort(key=lambda p: (vague[p[1]] or vague[p[2]], -p[0], p[1], p[2]))
        parent = list(range(len(self.items_)))
        clusters = {i: [i] for i in range(len(self.items_))}

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for _, i, j in pairs:
            ri, rj = find(i), find(j)
            if ri == rj or not self._mergeable(clusters[ri], clusters[rj]):
                continue
            parent[rj] = ri
            clusters[ri].extend(clusters.pop(rj))
        slots = [sorted(c) for c in clusters.values() if len({self.items_[i].row for i in c}) >= 2]
        self.slots_ = sorted(slots, key=lambda c: (self.items_[c[0]].row, self.items_[c[0]].figure.start))
        return self

    def _subjects(self) -> dict:
        """The subject of each figure whose kind does not say what is counted
        (:mod:`claims.facts.subjects`), by index into ``items_``."""
        if not self.read_subjects:
            return {}
        from claims.facts.subjects import figure_subjects

        generic = [i for i, item in enumerate(self.items_) if not _named(item.figure.key)]
        starts: dict[int, list[int]] = {}
        for i in generic:
            starts.setdefault(self.items_[i].row, []).append(i)
        rows = sorted(starts)
        subjects = figure_subjects([self._texts[r] for r in rows],
                                   [[self.items_[i].figure.start for i in starts[r]] for r in rows], memo=self.memo)
        return {i: s for r, found in zip(rows, subjects) for i, s in zip(starts[r], found)}

    def _contrasts(self) -> dict[tuple, set[frozenset]]:
        """Word pairs that tell two figures of one kind apart, learnt from sentences giving both
        for one time: "alimentation +14,8 %, services +3 %" makes (alimentation, services) a
        contrast of percentages, "912 morts en Turquie et 560 en Syrie" (turquie, syrie) one of
        tolls; "6 % en janvier, 6,2 % en février" is one thing at two times, and teaches nothing."""
        out: dict[tuple, set[frozenset]] = {}
        by_row: dict[int, list[int]] = {}
        for i, item in enumerate(self.items_):
            by_row.setdefault(item.row, []).append(i)
        for members in by_row.values():
            for n, i in enumerate(members):
                for j in members[n + 1:]:
                    a, b = self.items_[i].figure, self.items_[j].figure
                    if a.key != b.key or agree(a, b) or _other_times(a, b):
                        continue
                    wa, wb = self._describing(i), self._describing(j)
                    out.setdefault(a.key, set()).update(frozenset((x, y)) for x in wa - wb for y in wb - wa)
        return out

    def _describing(self, i: int) -> frozenset:
        """What tells a figure apart: its places and names, and what it measures: the subject
        the parse gives it (stemmed) when its kind does not say it; the words around it when
        its sentence was not parsed. (The words around a parsed figure were tried: their verbs
        and frames, "progressé", "prix", made contrasts that split one fact.)"""
        figure = self.items_[i].figure
        subject = self.subjects_.get(i)
        if subject is not None:  # parsed: the subject says what is measured, or nothing does
            what = _stems(subject.lemmas)
        else:
            what = figure.words
        return what | figure.names | figure.places

    def _candidate_pairs(self, members: list[int], vectors: np.ndarray) -> list[tuple[float, int, int]]:
        """Pairs of figures of one kind worth comparing: each figure's ``max_neighbours`` nearest
        sentences (a full matrix up to ``EXACT_NEIGHBOURS`` figures, an index search above), kept
        when close enough for the kind and compatible."""
        from embeddings.index import VectorIndex

        if len(members) < 2:
            return []
        key = self.items_[members[0]].figure.key
        named = _named(key)
        topic = self.topic_threshold
        if key[0] == "count" and key[1] in CASUALTY_KINDS and self.casualty_topic_threshold is not None:
            topic = self.casualty_topic_threshold
        generic_floor = max(self.topic_threshold, self.generic_topic_threshold)
        floor = min(topic, self.place_topic_threshold)
        sub = np.asarray(vectors[[self.items_[i].row for i in members]], dtype=np.float32)
        k = min(self.max_neighbours, len(members) - 1)
        if len(members) <= EXACT_NEIGHBOURS:  # a matrix this small costs less than building an index
            sims = sub @ sub.T
            ids = np.argsort(-sims, axis=1, kind="stable")[:, :k + 1]
            found_ids, found_scores = ids, np.take_along_axis(sims, ids, axis=1)
        else:
            found = VectorIndex(kind="auto").fit(sub).search(sub, k + 1)
            found_ids, found_scores = found.ids, found.scores
        out = []
        for p, (ids, scores) in enumerate(zip(found_ids, found_scores)):
            taken = 0
            for q, sim in zip(ids.tolist(), scores.tolist()):
                if taken >= k or sim < floor:
                    break
                if q == p or q < 0:
                    continue
                taken += 1
                a, b = self.items_[members[p]].figure, self.items_[members[q]].figure
                # The same places, or the same subject noun ("la participation"): they say
                # much of what the sentence is about, so a lower cosine is enough.
                placed = ((bool(a.places) and a.places == b.places) or self._same_subject(members[p], members[q])
                          or self._same_measure(members[p], members[q]))
                if sim < topic and not placed:
                    continue
                sure = named or sim >= (min(generic_floor, self.place_topic_threshold) if placed else generic_floor)
                if q > p and sure and self._pair_ok(members[p], members[q]):
                    out.append((float(sim), members[p], members[q]))
        return out

    def _pair_ok(self, i: int, j: int) -> bool:
        if self.items_[i].row == self.items_[j].row or i in self.unresolved_ or j in self.unresolved_:
            return False
        return self._compatible(i, j) and self._context(i, j) >= self.context_threshold

    def _same_subject(self, i: int, j: int) -> bool:
        """Whether the parse gives two figures one subject, its head a common noun and no other
        word apart but words of estimation ("la participation de 68,5 %", "la participation finale
        … à 65,5 %"); "la consommation" and "la consommation d'énergie" are two things."""
        sa, sb = self.subjects_.get(i), self.subjects_.get(j)
        if not (sa and sb) or sa.anaphoric or sb.anaphoric:
            return False
        names = self.items_[i].figure.names | self.items_[j].figure.names
        if any(s.head and fold_french(s.head) in names for s in (sa, sb)):
            return False  # "le PSG": a name, said by the names check, not a thing measured
        return bool(sa.head and sb.head) and _stems(sa.lemmas) - _ESTIMATE_WORDS == _stems(
            sb.lemmas) - _ESTIMATE_WORDS and bool(_stems({sa.head}) & _stems({sb.head}))

    def _same_measure(self, i: int, j: int) -> bool:
        """Whether two amounts or rates measure one class of thing (:func:`claims.facts.measures.same_measure`)."""
        return same_measure(self.items_[i].figure, self.items_[j].figure, self._measures[i], self._measures[j])

    def _context(self, i: int, j: int) -> float:
        a, b = self.items_[i].figure, self.items_[j].figure
        if _named(a.key) or self._same_subject(i, j) or self._same_measure(i, j):
            return 1.0  # "dead", "injured", "la participation": what is counted is said, the verbs around it vary
        if not a.words or not b.words:
            return 0.0  # "(+2,9 % contre 2,6 %)": nothing around 2,6 % says what it measures
        return _overlap(a.words, b.words)

    def _mergeable(self, a: list[int], b: list[int]) -> bool:
        """Every pair across the two slots compatible, and their words overlapping enough on average."""
        if not all(self._compatible(x, y) for x in a for y in b):
            return False
        return sum(self._context(x, y) for x in a for y in b) / (len(a) * len(b)) >= self.context_threshold

    def _compatible(self, i: int, j: int) -> bool:
        """Whether two figures can answer one question: other rows, places, times."""
        a, b = self.items_[i], self.items_[j]
        if a.row == b.row:
            return agree(a.figure, b.figure)  # one sentence giving one figure twice
        fa, fb = a.figure, b.figure
        ma, mb = self._measures[i], self._measures[j]
        if measures_apart(fa, fb, self._row_figures[a.row], self._row_figures[b.row], self.summed_parts_, ma, mb):
            return False  # a restated bundle, two parts of one sum, amounts far apart, a fee and a salary
        sa, sb = self.subjects_.get(i), self.subjects_.get(j)
        if (not (ma and ma == mb) and sa and sb and not {fold_french(h) for h in (sa.head, sb.head) if h} & ESTIMATE_HEADS
                and ((sa.lemmas and sb.lemmas and not _stems(sa.lemmas) & _stems(sb.lemmas))
                     or (sa.head and sb.head and _stems({sa.head}) != _stems({sb.head})))):
            return False  # "les services" and "l'énergie", "la consommation" and "les prix": two things
        contrasts = self.contrasts_.get(fa.key)
        if contrasts:
            wa, wb = self._describing(i), self._describing(j)
            if any(frozenset((x, y)) in contrasts for x in wa - wb for y in wb - wa):
                return False
        if places_apart(fa, fb, self.contrasted_places_.get(fa.key, frozenset()), self.local_places_,
                        self.main_places_.get(fa.key), self.event_countries_.get(fa.key)):
            return False  # other places, a region against its country (F5), a city against the country (F6)
        if fa.key[0] in ("percent", "money") and (fa.clock != fb.clock or fa.earlier != fb.earlier):
            return False  # turnout at 17:00 is not the final turnout, nor an index at 9:25 its close; a rate
            # put before the sentence's time ("avait diminué de 0,8 %") is an earlier period's. (Not
            # for counts: "le bilan avait fait état de 820 morts" is an earlier version of the toll.)
        if (fa.inferred or fb.inferred) and not (fa.places and fa.places == fb.places):
            return False  # "(542)": its kind is guessed from the words around, so its place must agree
        if fa.names and fb.names and not fa.names & fb.names and not (self._same_subject(i, j)
                                                                     or self._same_measure(i, j)):
            return False  # (with one subject noun, "la participation", the names are its sources)
        if fa.period != fb.period and ((fa.period and fb.period) or _span(fa.period) or _span(fb.period)):
            return False  # (a count per day, or over two years, is never a version of a plain total)
        if fa.month and fb.month and fa.month != fb.month and fa.key[0] != "date":
            return False  # "6 % en janvier" and "6,2 % en février": two months, two facts
        ya = fa.years or ({self._years[a.row]} if self._years[a.row] else set())
        yb = fb.years or ({self._years[b.row]} if self._years[b.row] else set())
        if ya and yb and not ya & yb:
            return False
        if fa.key[0] != "date" and (other_day(fa, ya, self._days[b.row], self.max_days)
                                    or other_day(fb, yb, self._days[a.row], self.max_days)):
            return False  # "1,1 million le 18 septembre" against a count in an article of 2 October
        if days_apart(self._days[a.row], self._days[b.row]) > self.max_days:
            return False
        if fa.key[0] == "date":
            return True  # the dates are the values compared, not two times
        return conflicting_times(self._texts[a.row], self._texts[b.row],
                                 self._dates[a.row], self._dates[b.row]) is None


__all__ = ["Item", "SlotBuilder", "day_of", "days_apart", "days_of"]
