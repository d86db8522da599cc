"""Where a negation turns stance cues around: token spans after "ne ... pas", "jamais", "sans".

This is the stance reading of negation: "ne soutient pas", "sans condamner", a spoken "c'est pas
bon" or "non" turn the cues after them to the other side. The pair guard's reading,
:mod:`claims.french.negation`, asks another question (is the predicate negated, and which words
does it deny?) and is stricter on purpose: a bare "pas" or "non" is no negation for it, while a
tweet's stance often hangs on one. Both read ``claims/data/negation_fr.tsv``; the kinds of this
reading are the ``neg_*`` and ``not_negation`` lines, phrases matched on
:func:`claims.french.text.cue_tokens` (:mod:`claims.french.phrases`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Collection

from claims.french.phrases import PhraseIndex, phrase, phrase_index, spans
from claims.french.resources import read_tsv
from claims.french.text import Token

LEXICON_FILE = "negation_fr.tsv"
KINDS = ("neg_open", "neg_close", "neg_word", "neg_prep", "not_negation")
NEG_WINDOW = 6  # tokens between "ne" and its "pas"
NEG_TAIL = 4  # tokens after a negation that stay in its scope


@lru_cache(maxsize=1)
def _markers() -> dict[str, PhraseIndex]:
    by_kind: dict[str, list] = {k: [] for k in KINDS}
    for _, (kind, term, *_) in read_tsv(LEXICON_FILE):
        if kind in by_kind:
            by_kind[kind].append(phrase(term, kind))
    return {k: phrase_index(v) for k, v in by_kind.items()}


def scope_end(start: int, tokens: list[Token], boundary: Collection[int], tail: int = NEG_TAIL) -> int:
    """The token index where a scope opened at ``start`` ends: ``tail`` tokens on, or a boundary."""
    end = start
    while end < min(len(tokens), start + tail) and end not in boundary:
        end += 1
    return end


def negated_spans(tokens: list[Token], boundary: Collection[int], claim: bool = False) -> list[tuple[int, int]]:
    """Token spans ``(start, end)`` under a negation ("ne ... que" is not one).

    Args:
        tokens: from :func:`claims.french.text.cue_tokens`.
        boundary: indices of the tokens that end a clause (stance's "boundary" markers).
        claim: spans that deny what the clause says: they run to the end of the clause,
            and "sans" does not count ("sans fournir de détails" denies nothing).
            Otherwise, spans whose cues turn around: a few words after the negation.
    """
    markers = _markers()
    excepted = {k for i, j in spans(markers["not_negation"], tokens) for k in range(i, j)}
    closers = {i for i, _ in spans(markers["neg_close"], tokens) if i not in excepted}
    tail = len(tokens) if claim else NEG_TAIL
    out = []
    opened_closers = set()
    for i, j in spans(markers["neg_open"], tokens):
        if i in excepted:
            continue
        close = None
        for k in range(j, min(len(tokens), j + NEG_WINDOW)):
            if k in boundary or tokens[k].norm in ("que", "qu'"):
                break
            if k in closers:
                close = k
                break
        if close is not None:
            opened_closers.add(close)
            out.append((i, scope_end(close + 1, tokens, boundary, tail)))
        elif any(k in closers for k in range(max(0, i - 3), i)):  # "personne ne peut"
            out.append((i, scope_end(j, tokens, boundary, tail)))
    single = spans(markers["neg_word"], tokens) + ([] if claim else spans(markers["neg_prep"], tokens))
    for i, j in single:
        if i in excepted or i in opened_closers or any(s <= i < e for s, e in out):
            continue
        out.append((i, scope_end(j, tokens, boundary, tail)))
    return sorted(out)
