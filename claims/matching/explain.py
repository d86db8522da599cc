"""Why a mention is in its group: the mention of another article it is closest to, and what they share.

For each mention, its *partner* is the mention of another article of the same group with the
highest pair score. The :class:`Link` gives that score with its parts (cosine and, for
lexical pair scores, TF-IDF), the rare words both sentences use (rarest in the corpus
first), the entities both name, and the figures they agree on. A user who doubts a group
reads why it was formed (``--format json``; ``claims match --explain`` in the table).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import NamedTuple, Optional, Sequence

import numpy as np

from claims.records import ClaimGroup

TOP_WORDS = 5
MAX_PARTNERS = 200  # other-article mentions scored per mention: keeps huge groups linear
PAIR_CHUNK = 1 << 16  # candidate pairs scored per call of the pair scorer


class Link(NamedTuple):
    """What ties one mention to its group.

    Attributes:
        partner: row of the closest mention of another article (None in a one-article group).
        score: their pair score, on the threshold's scale.
        cosine: cosine of the two sentence vectors.
        lexical: TF-IDF similarity of the two sentences (None when the pair score has none).
        shared_words: rare content words both use, rarest first.
        shared_entities: ids of the countries and organisations both name ("US", "NATO").
        shared_figures: figures both state with the same value ("155 mm", "1 milliard de dollars").
    """

    partner: Optional[int]
    score: Optional[float]
    cosine: Optional[float]
    lexical: Optional[float]
    shared_words: tuple[str, ...]
    shared_entities: tuple[str, ...]
    shared_figures: tuple[str, ...]


def content_words(text: str) -> set[str]:
    """Accent-folded words of ``text`` that are not French function words (3+ letters, or digits)."""
    from claims.french.text import french_stopwords, word_tokens

    stop = french_stopwords()
    return {t.norm for t in word_tokens(text)
            if t.norm not in stop and (len(t.norm) >= 3 or t.norm.isdigit())}


class Explainer:
    """Explains the mentions of groups found in one corpus.

    Args:
        texts: the text of every row of the corpus.
        embeddings: the row vectors.
        pair_scorer: the fitted pair scorer the grouping used (None: cosine).
    """

    def __init__(self, texts: Sequence[str], embeddings: np.ndarray, pair_scorer=None):
        self.texts = texts
        self.embeddings = embeddings
        self.pair_scorer = pair_scorer
        self._words: dict[int, set[str]] = {}
        self._df: Optional[Counter] = None

    def _content(self, row: int) -> set[str]:
        if row not in self._words:
            self._words[row] = content_words(self.texts[row])
        return self._words[row]

    def _rarity(self) -> Counter:
        """Document frequency of every content word in the corpus (computed once)."""
        if self._df is None:
            self._df = Counter(w for row in range(len(self.texts)) for w in self._content(row))
        return self._df

    def group(self, group: ClaimGroup) -> tuple[Link, ...]:
        """One :class:`Link` per mention of ``group``, in mention order."""
        return self.groups([group])[0]

    def groups(self, groups: Sequence[ClaimGroup]) -> list[tuple[Link, ...]]:
        """:meth:`group` of each group, with the pair scorer called once per :data:`PAIR_CHUNK`
        candidate pairs instead of once per mention (a call costs far more than a pair)."""
        # Each mention's candidates are the other-article mentions of its group, scored as
        # :meth:`_link` scores them (one mention at a time); a scorer scores each pair on its own,
        # so batching changes nothing.
        plans = []  # (group number, row, others, cosines) per mention
        for g, group in enumerate(groups):
            rows = [m.row for m in group.mentions]
            articles = [m.sentence.article for m in group.mentions]
            for row, article in zip(rows, articles):
                others = np.array([r for r, a in zip(rows, articles) if a != article][:MAX_PARTNERS], np.int64)
                plans.append((g, row, others, self.embeddings[others] @ self.embeddings[row] if len(others) else None))
        best: list[Optional[tuple[int, float, float]]] = [None] * len(plans)  # partner, score, cosine
        start = 0
        while start < len(plans):
            stop, pairs = start, 0
            while stop < len(plans) and (pairs == 0 or pairs + len(plans[stop][2]) <= PAIR_CHUNK):
                pairs += len(plans[stop][2])
                stop += 1
            self._best_partners(plans, start, stop, best)
            start = stop
        lexical = getattr(self.pair_scorer, "lexical_", None)
        found = [(k, plans[k][1], b[0]) for k, b in enumerate(best) if b is not None]
        lexical_scores = {}
        if lexical is not None and found:
            scores = lexical.pair_scores([row for _, row, _ in found], [partner for _, _, partner in found])
            lexical_scores = {k: float(v) for (k, _, _), v in zip(found, scores)}
        out: list[list[Link]] = [[] for _ in groups]
        for k, (g, row, _, _) in enumerate(plans):
            if best[k] is None:
                out[g].append(Link(None, None, None, None, (), (), ()))
                continue
            partner, score, cosine = best[k]
            out[g].append(Link(partner, score, cosine, lexical_scores.get(k), self._shared_words(row, partner),
                               _shared_entities(self.texts[row], self.texts[partner]),
                               _shared_figures(self.texts[row], self.texts[partner])))
        return [tuple(links) for links in out]

    def _best_partners(self, plans, start: int, stop: int, best: list) -> None:
        """The highest-scoring candidate of each mention ``plans[start:stop]``, in ``best``."""
        todo = [k for k in range(start, stop) if len(plans[k][2])]
        if not todo:
            return
        others = np.concatenate([plans[k][2] for k in todo])
        mine = np.concatenate([np.full(len(plans[k][2]), plans[k][1], np.int64) for k in todo])
        cosines = np.concatenate([plans[k][3] for k in todo])
        scores = (np.asarray(self.pair_scorer(mine, others, cosines), np.float64)
                  if self.pair_scorer is not None else cosines.astype(np.float64))
        offset = 0
        for k in todo:
            size = len(plans[k][2])
            pick = offset + int(np.argmax(scores[offset:offset + size]))
            best[k] = (int(others[pick]), float(scores[pick]), float(cosines[pick]))
            offset += size

    def _link(self, row: int, article: str, rows: list[int], articles: list[str]) -> Link:
        others = np.array([r for r, a in zip(rows, articles) if a != article][:MAX_PARTNERS], np.int64)
        if not len(others):
            return Link(None, None, None, None, (), (), ())
        mine = np.full(len(others), row, np.int64)
        cosines = self.embeddings[others] @ self.embeddings[row]
        scores = (np.asarray(self.pair_scorer(mine, others, cosines), np.float64)
                  if self.pair_scorer is not None else cosines.astype(np.float64))
        best = int(np.argmax(scores))
        partner = int(others[best])
        lexical = getattr(self.pair_scorer, "lexical_", None)
        lexical_score = (float(lexical.pair_scores([row], [partner])[0]) if lexical is not None else None)
        return Link(partner, float(scores[best]), float(cosines[best]), lexical_score,
                    self._shared_words(row, partner), _shared_entities(self.texts[row], self.texts[partner]),
                    _shared_figures(self.texts[row], self.texts[partner]))

    def _shared_words(self, a: int, b: int) -> tuple[str, ...]:
        shared = self._content(a) & self._content(b)
        df = self._rarity()
        n = len(self.texts)
        # Rarest first (highest idf), then alphabetical for a stable order.
        ranked = sorted(shared, key=lambda w: (-math.log((1 + n) / (1 + df[w])), w))
        return tuple(ranked[:TOP_WORDS])


def _shared_entities(a: str, b: str) -> tuple[str, ...]:
    from claims.french.entities import entity_mentions

    return tuple(sorted({m.id for m in entity_mentions(a)} & {m.id for m in entity_mentions(b)}))


def _shared_figures(a: str, b: str) -> tuple[str, ...]:
    from claims.french.numbers import extract_quantities

    theirs = {(q.slot, q.unit, q.value) for q in extract_quantities(b)}
    found = {}
    for q in extract_quantities(a):
        if (q.slot, q.unit, q.value) in theirs:
            found.setdefault((q.slot, q.unit, q.value), q.text)
    return tuple(found.values())


__all__ = ["Explainer", "Link", "content_words"]
