"""Features of a candidate sentence pair, for the learned pair score (:mod:`claims.matching.learned`).

:class:`PairFeatures` is fitted on the corpus being grouped (word rarity, acronyms introduced
in parentheses, per-sentence tokens, figures and names, each computed once per sentence) and
turns index pairs into rows of :data:`FEATURE_NAMES`:

* meaning: the cosine of the sentence vectors;
* wording: TF-IDF of character n-grams; overlap of content words once the reporting frame
  ("X a déclaré que", "selon X") is set aside, weighted by rarity; the rarest shared word;
  a token alignment (share of the shorter sentence's content words found in the other);
* order: shared word bigrams, longest common subsequence, and whether the shared words come
  in the same order (a who-did-what swap keeps the words and changes the order);
* who: names (capitalised words, acronyms, gazetteer entities; "M. X" and "Prénom X" both
  read as "x"; an acronym introduced as "Banque centrale européenne (BCE)" stands for its
  name everywhere in the corpus) shared, or named on both sides with none in common;
* figures by kind (:func:`claims.french.figure_conflicts.figure_agreement`): same kind and
  agreeing, same kind and different; times (:mod:`claims.french.dates`) compatible or not;
* polarity: a predicate negated in one sentence and stated in the other.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import NamedTuple, Sequence

import numpy as np

from claims.french.clauses import content_span
from claims.french.dates import time_mentions
from claims.french.entities import entity_mentions
from claims.french.figure_conflicts import figure_agreement
from claims.french.negation import negation_conflict
from claims.french.text import fold_french, french_stopwords, word_tokens

FEATURE_NAMES = (
    "cosine", "tfidf_char", "content_overlap", "rare_overlap", "rarest_shared", "alignment",
    "bigram_overlap", "lcs_ratio", "order_agreement", "names_shared", "names_differ",
    "figures_agree", "figures_differ", "times_agree", "times_differ", "negation_differs",
    "length_ratio",
)
_STEM = 6  # words compared by their first letters: "rejoindre" ~ "rejoint" is not caught, "annoncé" ~ "annonce" is
_NAME = re.compile(r"(?<![\w'’-])(?:[A-ZÀ-Ý][\w'’-]*)(?:\s+(?:de\s+|du\s+|des\s+|la\s+|le\s+|d['’])?[A-ZÀ-Ý][\w'’-]*)*")
_ACRONYM_DEF = re.compile(r"([^()]{3,80}?)\s*\(([A-Z][A-Za-z]{1,7})\)")
_TITLES = {"m", "mme", "mlle", "dr", "me", "pr", "mgr", "m.", "mme."}


class _Sentence(NamedTuple):
    stems: tuple[str, ...]  # every word, in order
    content: frozenset[str]  # content words outside the reporting frame
    names: frozenset[str]
    times: tuple
    n_words: int


def _stem(word: str) -> str:
    return word[:_STEM]


def _name_keys(text: str, acronyms: dict[str, str]) -> set[str]:
    """Folded last words of capitalised names, acronyms (as their name when known), entity ids."""
    keys = set()
    for m in _NAME.finditer(text):
        if m.start() == 0 and " " not in m.group():
            continue  # a capital at the start of the sentence says nothing
        words = [w for w in re.split(r"\s+", m.group()) if fold_french(w).rstrip(".") not in _TITLES]
        if not words:
            continue
        last = fold_french(words[-1]).strip("'’-")
        if len(last) >= 2:
            keys.add(acronyms.get(words[-1], last))
    for e in entity_mentions(text):
        keys.add("@" + e.id)
    folded = fold_french(text)
    for phrase, acronym in acronyms.items():
        if phrase.islower() and phrase in folded:
            keys.add(acronym)
    return keys


def find_acronyms(texts: Sequence[str]) -> dict[str, str]:
    """Acronyms introduced in parentheses, each mapped to one key, and their names to it too.

    "la Banque centrale européenne (BCE)" maps "BCE" and "banque centrale europeenne" to "bce".
    """
    found: dict[str, str] = {}
    for text in texts:
        for m in _ACRONYM_DEF.finditer(text):
            acronym = m.group(2)
            letters = acronym.lower()
            words = m.group(1).split()
            # The shortest tail of the preceding words whose initials spell the acronym.
            for k in range(1, min(len(words), 10) + 1):
                tail = words[-k:]
                initials = "".join(fold_french(w)[0] for w in tail
                                   if fold_french(w) not in french_stopwords() and w[:1].isalpha())
                if initials == letters:
                    found[acronym] = letters
                    found[fold_french(" ".join(tail))] = letters
                    break
    return found


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence of two word lists."""
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for k, y in enumerate(b):
            current.append(previous[k] + 1 if x == y else max(previous[k + 1], current[k]))
        previous = current
    return previous[-1]


def _order_agreement(a: Sequence[str], b: Sequence[str], shared: set[str]) -> float:
    """Share of pairs of shared words (each once in both) that come in the same order; 1 below two."""
    pos_a = {w: k for k, w in enumerate(a) if w in shared and a.count(w) == 1}
    pos_b = {w: k for k, w in enumerate(b) if w in pos_a and b.count(w) == 1}
    words = sorted(pos_b, key=pos_a.get)
    if len(words) < 2:
        return 1.0
    seq = [pos_b[w] for w in words]
    same = total = 0
    for x in range(len(seq)):
        for y in range(x + 1, len(seq)):
            total += 1
            same += seq[x] < seq[y]
    return same / total


class PairFeatures:
    """Pair features over one corpus (see the module docstring).

    Args:
        lexical: a fitted :class:`claims.matching.lexical.LexicalSimilarity` on the same
            texts, or None to fit one.

    Attributes:
        sentences_: per-sentence tokens, content words, names and times.
        idf_: rarity (smoothed idf) of each content word over the corpus.
        acronyms_: acronyms (and their folded names) introduced in the corpus, by key.
    """

    def __init__(self, lexical=None):
        self.lexical = lexical

    def fit(self, texts: Sequence[str]) -> "PairFeatures":
        """Read every sentence once and count word rarity over ``texts``."""
        from claims.matching.lexical import LexicalSimilarity

        texts = list(texts)
        self.texts_ = texts
        self.lexical_ = self.lexical if self.lexical is not None else LexicalSimilarity().fit(texts)
        self.acronyms_ = find_acronyms(texts)
        stop = french_stopwords()
        sentences = []
        df: Counter = Counter()
        for text in texts:
            start, end = content_span(text)
            tokens = [t for t in word_tokens(text) if not t.is_punct]
            stems = tuple(_stem(t.norm.rstrip("'")) for t in tokens)
            content = frozenset(_stem(t.norm) for t in tokens if start <= t.start < end
                                and len(t.norm) >= 3 and t.norm not in stop and not t.norm.isdigit())
            df.update(content)
            sentences.append(_Sentence(stems, content, frozenset(_name_keys(text, self.acronyms_)),
                                       time_mentions(text), len(tokens)))
        n = max(len(texts), 1)
        self.idf_ = {w: math.log((n + 1) / (c + 1)) + 1.0 for w, c in df.items()}
        self._idf_max = math.log(n + 1) + 1.0
        self.sentences_ = sentences
        return self

    def transform(self, i: np.ndarray, j: np.ndarray, cosines: np.ndarray) -> np.ndarray:
        """Feature rows (pairs × :data:`FEATURE_NAMES`) of sentence pairs (i[k], j[k])."""
        i = np.asarray(i, np.int64).ravel()
        j = np.asarray(j, np.int64).ravel()
        out = np.zeros((len(i), len(FEATURE_NAMES)), np.float32)
        if not len(i):
            return out
        out[:, 0] = cosines
        out[:, 1] = self.lexical_.pair_scores(i, j)
        for row, (a, b) in enumerate(zip(i.tolist(), j.tolist())):
            out[row, 2:] = self._pair(a, b)
        return out

    def _pair(self, a: int, b: int) -> list[float]:
        sa, sb = self.sentences_[a], self.sentences_[b]
        idf, top = self.idf_, self._idf_max
        shared = sa.content & sb.content
        union = sa.content | sb.content
        weight_a = sum(idf.get(w, top) for w in sa.content)
        weight_b = sum(idf.get(w, top) for w in sb.content)
        shared_weight = sum(idf.get(w, top) for w in shared)
        content_overlap = len(shared) / len(union) if union else 0.0
        rare_overlap = shared_weight / min(weight_a, weight_b) if min(weight_a, weight_b) > 0 else 0.0
        rarest = max((idf.get(w, top) for w in shared), default=0.0) / top
        shorter = min(len(sa.content), len(sb.content))
        alignment = len(shared) / shorter if shorter else 0.0
        bigrams_a = set(zip(sa.stems, sa.stems[1:]))
        bigrams_b = set(zip(sb.stems, sb.stems[1:]))
        bigram = len(bigrams_a & bigrams_b) / max(1, min(len(bigrams_a), len(bigrams_b)))
        lcs = _lcs(sa.stems, sb.stems) / max(1, min(len(sa.stems), len(sb.stems)))
        order = _order_agreement(sa.stems, sb.stems, set(sa.stems) & set(sb.stems))
        names_shared = len(sa.names & sb.names) / max(1, min(len(sa.names), len(sb.names)))
        names_differ = float(bool(sa.names and sb.names and not sa.names & sb.names))
        agree, differ = figure_agreement(self.texts_[a], self.texts_[b])
        times_agree = times_differ = 0.0
        if sa.times and sb.times:
            compatible = any(x.compatible(y) for x in sa.times for y in sb.times)
            times_agree, times_differ = float(compatible), float(not compatible)
        negation = float(negation_conflict(self.texts_[a], self.texts_[b]))
        length = min(sa.n_words, sb.n_words) / max(1, sa.n_words, sb.n_words)
        return [content_overlap, rare_overlap, rarest, alignment, bigram, lcs, order, names_shared,
                names_differ, float(agree > 0), float(differ > 0), times_agree, times_differ,
                negation, length]


__all__ = ["FEATURE_NAMES", "PairFeatures", "find_acronyms"]
