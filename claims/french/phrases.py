"""Word-list phrases matched on cue tokens: "bien que", "ne cess*", "contrairement à".

A phrase is written as words separated by spaces, compared with tokens of
:func:`claims.french.text.cue_tokens` after :func:`claims.french.text.fold_word` (case and
accents do not matter); a trailing "*" on a word means any ending. The stance cue lexicons, the
clause markers and the negation markers of stance are all phrase lists.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple, Optional

from claims.french.text import Token, fold_word


SEEN_WORDS = 50_000  # words whose candidate phrases an index remembers, at most


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


class PhraseIndex(dict):
    """Phrases by the first letter of their first word (a dict of lists, in list order), plus
    the lookups :func:`longest_matches` uses: phrases by their whole first word, and those
    whose first word ends in "*" by that word's stem, each with its rank in the list."""

    def __init__(self):
        super().__init__()
        self.by_word: dict[str, list[tuple[int, Phrase]]] = {}
        self.by_stem: dict[str, list[tuple[int, Phrase]]] = {}
        self.stem_lengths: tuple[int, ...] = ()
        self._seen: dict[str, tuple[tuple[int, Phrase], ...]] = {}

    def add(self, rank: int, p: Phrase) -> None:
        self._seen.clear()
        self.setdefault(p.parts[0][:1], []).append(p)
        if p.parts[0].endswith("*"):
            stem = p.parts[0][:-1]
            self.by_stem.setdefault(stem, []).append((rank, p))
            self.stem_lengths = tuple(sorted(set(self.stem_lengths) | {len(stem)}))
        else:
            self.by_word.setdefault(p.parts[0], []).append((rank, p))

    def candidates(self, norm: str) -> tuple[tuple[int, Phrase], ...]:
        """The phrases whose first word is ``norm`` or a stem ``norm`` starts with (remembered:
        a text's words repeat, and most have none)."""
        found = self._seen.get(norm)
        if found is None:
            found = list(self.by_word.get(norm, ()))
            for length in self.stem_lengths:  # a few distinct stem lengths, not every prefixed phrase
                if length > len(norm):
                    break
                found.extend(self.by_stem.get(norm[:length], ()))
            if len(self._seen) >= SEEN_WORDS:  # bounded: an archive's vocabulary is not
                self._seen.clear()
            found = self._seen[norm] = tuple(found)
        return found


def phrase_index(phrases: Iterable[Phrase]) -> PhraseIndex:
    """Phrases indexed by the first letter of their first word, for fast matching."""
    index = PhraseIndex()
    for rank, p in enumerate(phrases):
        index.add(rank, p)
    return index


def longest_matches(index: PhraseIndex, tokens: list[Token]) -> list[tuple[int, int, Phrase]]:
    """Non-overlapping (start, end, phrase) token matches, longest first at each position (ties: list order)."""
    if not isinstance(index, PhraseIndex):  # a plain dict of lists
        built = PhraseIndex()
        for rank, p in enumerate(p for group in index.values() for p in group):
            built.add(rank, p)
        index = built
    found, i = [], 0
    while i < len(tokens):
        best, best_key = None, None
        for rank, p in index.candidates(tokens[i].norm):
            key = (len(p.parts), -rank)
            if (best_key is None or key > best_key) and p.match(tokens, i):
                best, best_key = p, key
        if best is None:
            i += 1
            continue
        found.append((i, i + len(best.parts), best))
        i += len(best.parts)
    return found


def spans(index: PhraseIndex, tokens: list[Token]) -> list[tuple[int, int]]:
    """Token spans ``(start, end)`` of the longest matches of ``index``."""
    return [(i, j) for i, j, _ in longest_matches(index, tokens)]
