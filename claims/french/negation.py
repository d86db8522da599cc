"""Negation in French sentences, and whether two sentences disagree on one.

:func:`find_negations` yields each negation with the words it bears on (its *scope*):

* ``clausal``: "ne/n' ... pas | plus | jamais | rien | aucun | ni ..." ("ne peut pas
  rejoindre", "n'était pas partie", "ne confirme jamais");
* ``subject``: a negative subject with a bare "ne" ("personne ne peut prédire", "aucun pays
  n'a envoyé");
* ``determiner``: "aucun(e)" without "ne" ("aucun accord en vue");
* ``headline``: "Pas de ..." opening a sentence;
* ``sans``: "sans" + what follows ("sans fournir de détails"); it negates its complement,
  not the main verb, so :func:`is_negated` ignores it unless asked.

Not negations: the restriction "ne ... que" ("n'en est qu'aux premiers jours"), "ne ... plus
que", "ne ... pas seulement" (not only), "non seulement ... mais aussi" ("non" is no
marker), litotes ("ne cesse de demander", "n'a pas manqué de"), expletive "ne" ("avant
qu'il ne parte"), idioms with "sans" ("sans doute", "sans cesse", "sans précédent").
The markers are data: ``claims/data/negation_fr.tsv``.

:func:`negation_conflict` heuristic, documented: exactly one of the two sentences is
negated (:func:`is_negated`: "sans" does not count) and a scope word of its negation (the
lexical verb, or the first content word after the particle when the verb is an auxiliary
or a modal: "ne peut pas **rejoindre**", "n'y a pas de **signes**") appears in the other
sentence. Two negated sentences never conflict ("ne sait pas qui succédera" vs "n'a pas de
successeur"). Words are compared by a light stem: common French endings removed, then
the first six accent-folded letters, so "rejoindre" meets "rejoint" but "interdite" does
not meet "interpellées".
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator, NamedTuple

from claims.french.resources import read_tsv
from claims.french.text import Token, fold_french, french_stopwords, word_tokens

LEXICON_FILE = "negation_fr.tsv"
CLAUSE_KINDS = ("clausal", "subject", "determiner", "headline")
_WINDOW = 6  # tokens scanned between "ne" and its particle
_STEM = 6


class Negation(NamedTuple):
    """A negation found in a sentence; offsets span its markers in the text given."""

    cue: str  # the markers as written, e.g. "ne ... pas"
    kind: str  # one of CLAUSE_KINDS or "sans"
    start: int
    end: int
    scope: tuple[str, ...]  # folded content words it bears on


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, frozenset[str]]:
    kinds: dict[str, set[str]] = {}
    for _, (kind, word, *_) in read_tsv(LEXICON_FILE):
        kinds.setdefault(kind, set()).add(fold_french(word.strip()))
    return {k: frozenset(v) for k, v in kinds.items()}


def _is_content(word: str) -> bool:
    lex = _lexicon()
    return (word[:1].isalpha() and len(word) > 1 and word not in french_stopwords()
            and word not in lex["light"] and word not in lex["clitic"]
            and word not in lex["particle"])


def _content_after(tokens: list[Token], k: int, limit: int = 4) -> list[str]:
    """The first content word among ``limit`` tokens from index k, stopping at punctuation."""
    for t in tokens[k:k + limit]:
        if t.is_punct:
            break
        if _is_content(t.norm):
            return [t.norm]
    return []


def _cue(text: str, tokens: list[Token], first: int, last: int) -> tuple[str, int, int]:
    a, b = tokens[first], tokens[last]
    words = [text[a.start:a.end]] if first == last else [text[a.start:a.end], text[b.start:b.end]]
    return " ... ".join(words) if last > first + 1 else " ".join(words), a.start, b.end


def _is_litotes(scope: list[str]) -> bool:
    return any(w.startswith(stem) for w in scope for stem in _lexicon()["litotes"])


def find_negations(text: str) -> Iterator[Negation]:
    """Yield the negations of a French sentence, in order.

    Args:
        text: one sentence.

    Yields:
        :class:`Negation` records.
    """
    lex = _lexicon()
    tokens = word_tokens(text)
    used: set[int] = set()  # particles and negative subjects already part of a negation
    for i, tok in enumerate(tokens):
        if i in used:
            continue
        w = tok.norm
        if w in lex["ne"]:
            found = _negation_after_ne(text, tokens, i, used)
            if found:
                yield found
        elif w in lex["determiner"]:
            later_ne = any(t.norm in lex["ne"] for t in tokens[i + 1:i + 1 + _WINDOW])
            if not later_ne:  # with a later "ne" it is a negative subject, read there
                cue, s, e = _cue(text, tokens, i, i)
                yield Negation(cue, "determiner", s, e, tuple(_content_after(tokens, i + 1)))
        elif w in lex["sans"]:
            nxt = next((t.norm for t in tokens[i + 1:i + 3] if t.norm not in lex["light"]), "")
            if nxt and nxt not in lex["sansidiom"] and not tokens[i + 1].is_punct:
                scope = _content_after(tokens, i + 1)
                cue, s, e = _cue(text, tokens, i, i)
                yield Negation(cue, "sans", s, e, tuple(scope))
        elif w in lex["headline"] and all(t.is_punct for t in tokens[:i]):
            if i + 1 < len(tokens) and tokens[i + 1].norm in ("de", "d", "question"):
                cue, s, e = _cue(text, tokens, i, i)
                yield Negation(cue, "headline", s, e, tuple(_content_after(tokens, i + 1)))


def _negation_after_ne(text: str, tokens: list[Token], i: int, used: set[int]):
    """The negation opened by "ne" at token i, or None (restriction, litotes, expletive)."""
    lex = _lexicon()
    particle = None
    for j in range(i + 1, min(len(tokens), i + 1 + _WINDOW)):
        t = tokens[j]
        if t.is_punct or t.norm in lex["ne"] or t.norm in lex["restrictor"]:
            break  # "ne ... que" is a restriction
        if t.norm in lex["particle"]:
            after = tokens[j + 1].norm if j + 1 < len(tokens) else ""
            if t.norm == "plus" and after in lex["restrictor"]:
                return None  # "ne reste plus que": restriction
            if after in lex["notonly"]:
                return None  # "ne ... pas seulement": not only
            particle = j
            break
    if particle is not None:
        between = [t.norm for t in tokens[i + 1:particle] if _is_content(t.norm)]
        scope = between or _content_after(tokens, particle + 1)
        if _is_litotes(between or scope):
            return None  # "n'a pas cessé de": affirms
        used.add(particle)
        cue, s, e = _cue(text, tokens, i, particle)
        return Negation(cue, "clausal", s, e, tuple(scope))
    # No particle: a negation only after a negative subject ("personne ne", "aucun pays n'").
    for k in range(i - 1, max(-1, i - 1 - _WINDOW), -1):
        t = tokens[k]
        if t.is_punct:
            break
        if t.norm in lex["negsubject"] and k not in used:
            used.add(k)
            scope = _content_after(tokens, i + 1, limit=_WINDOW)
            if _is_litotes(scope):
                return None
            if t.norm in lex["determiner"]:
                scope = _content_after(tokens, k + 1, limit=2) + scope
            cue, s, e = _cue(text, tokens, k, i)
            return Negation(cue, "subject", s, e, tuple(scope))
    return None  # expletive "ne" or "ne cesse de"


def is_negated(text: str, include_sans: bool = False) -> bool:
    """True when the sentence's predicate is negated.

    Args:
        text: one French sentence.
        include_sans: also count "sans" + complement as a negation.
    """
    kinds = CLAUSE_KINDS + (("sans",) if include_sans else ())
    return any(n.kind in kinds for n in _negations(text))


def polarity(text: str, include_sans: bool = False) -> int:
    """-1 for a negated sentence, +1 otherwise (see :func:`is_negated`)."""
    return -1 if is_negated(text, include_sans) else 1


def _stem(word: str) -> str:
    """Light French stem: longest listed ending removed (keeping 4 letters), 6 letters kept."""
    for n in range(min(6, len(word) - 4), 0, -1):
        if word[-n:] in _lexicon()["suffix"]:
            word = word[:-n]
            break
    return word[:_STEM]


@lru_cache(maxsize=65536)
def _negations(text: str) -> tuple[Negation, ...]:
    return tuple(find_negations(text))


def conflicting_negation(a: str, b: str) -> list[str]:
    """Stems negated in the one negated sentence and stated in the other (see module doc)."""
    negated_a, negated_b = is_negated(a), is_negated(b)
    if negated_a == negated_b:
        return []
    negated, plain = (a, b) if negated_a else (b, a)
    scope = {_stem(w) for n in _negations(negated) if n.kind in CLAUSE_KINDS for w in n.scope}
    return sorted(scope & _content_stems(plain))


def negation_conflict(a: str, b: str) -> bool:
    """True when one sentence negates a predicate the other states (see module docstring)."""
    return bool(conflicting_negation(a, b))


@lru_cache(maxsize=65536)
def _content_stems(text: str) -> frozenset[str]:
    return frozenset(_stem(t.norm) for t in word_tokens(text) if _is_content(t.norm))
