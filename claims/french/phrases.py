"""Word-list phrases matched on cue tokens: "bien que", "ne cess*", "contrairement à".

A phrase is written as words separated by spaces, compared with tokens of
:func:`claims.french.text.cue_tokens` after :func:`claims.french.text.fold_word` (case and
accents do not matter); a trailing "*" on a word means any ending. The stance cue lexicons, the
clause markers and the negation markers of stance are all phrase lists.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple, Optional

from claims.french.text import Token, fold_word


class Phrase(NamedTuple):
    """One list entry: its words (folded) and what the list says about it."""

    term: str  # as written in the data file
    parts: tuple[str, ...]  # folded words; a trailing "*" means any ending
    label: str  # polarity for stance cues, kind for markers
    weight: float
    kind: str

    def match(self, tokens: list[Token], i: int) -> bool:
        """Tell whether the phrase's words are the tokens from index ``i`` on."""
        if i + len(self.parts) > len(tokens):
            return False
        for part, token in zip(self.parts, tokens[i:]):
            if part.endswith("*"):
                if not token.norm.startswith(part[:-1]):
                    return False
            elif token.norm != part:
                return False
        return True


def phrase(term: str, label: str, weight: float = 1.0, kind: Optional[str] = None) -> Phrase:
    """A :class:`Phrase` for ``term`` (``kind`` is ``label`` unless given)."""
    return Phrase(term, tuple(fold_word(part) for part in term.split()), label, weight,
                  label if kind is None else kind)


PhraseIndex = dict[str, list[Phrase]]


def phrase_index(phrases: Iterable[Phrase]) -> PhraseIndex:
    """Phrases indexed by the first letter of their first word, for fast matching."""
    index: PhraseIndex = {}
    for p in phrases:
        index.setdefault(p.parts[0][:1], []).append(p)
    return index


def longest_matches(index: PhraseIndex, tokens: list[Token]) -> list[tuple[int, int, Phrase]]:
    """Non-overlapping (start, end, phrase) token matches, longest first at each position (ties: list order)."""
    found, i = [], 0
    while i < len(tokens):
        best = None
        for p in index.get(tokens[i].norm[:1], []):
            if p.match(tokens, i) and (best is None or len(p.parts) > len(best.parts)):
                best = p
        if best is None:
            i += 1
            continue
        found.append((i, i + len(best.parts), best))
        i += len(best.parts)
    return found


def spans(index: PhraseIndex, tokens: list[Token]) -> list[tuple[int, int]]:
    """Token spans ``(start, end)`` of the longest matches of ``index``."""
    return [(i, j) for i, j, _ in longest_matches(index, tokens)]
