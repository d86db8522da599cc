"""Cue-lexicon stance scoring: support and opposition words, negation, contrast.

The word lists are data (``claims/data/stance_lexicon.tsv``, ``stance_markers.tsv`` and the
stance kinds of the shared ``negation_fr.tsv``, applied by :mod:`claims.french.negation_scope`);
this module only applies them:

* a sentence is cut into clauses; a clause opened by a concession marker ("malgré",
  "bien que") or an opposition marker ("contrairement à") holds a view the speaker does
  not hold, so its cues do not count; after "mais" the speaker's point carries more weight;
* a cue inside a negation ("ne soutient pas", "sans condamner") counts for the other side
  (opposition words flip at half weight: "pas mauvais" is faint praise);
* "ne ... que" is a restriction, not a negation.

:func:`find_cues` yields :class:`CueHit` records (textacy style); :meth:`StanceLexicon.score`
sums them into a :class:`LexiconScore`, optionally focused on the clause that carries a
claim group's shared words.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Collection, Iterator, NamedTuple, Optional

from claims.french.negation_scope import negated_spans, scope_end
from claims.french.phrases import Phrase, longest_matches, phrase, phrase_index, spans
from claims.french.resources import data_path, read_tsv
from claims.french.text import Token, cue_tokens, french_stopwords

LEXICON_PATH = data_path("stance_lexicon.tsv")
MARKERS_PATH = data_path("stance_markers.tsv")

POLARITIES = ("favor", "against", "hedge")
MARKER_KINDS = ("diminisher", "concession", "opposition", "shift", "boundary")
DIMINISH_TAIL = 2
# Weight of cues outside the focus clause (or before "mais" when no focus is given).
OFF_FOCUS = 0.5
WORD_MIN = 4  # shorter words are not content words for focusing


class CueHit(NamedTuple):
    """One lexicon cue found in a text."""

    term: str  # the lexicon entry as written in the data file
    polarity: str  # polarity after negation: "favor" | "against" | "hedge"
    weight: float  # after negation and clause weighting
    start: int  # character offsets of the matched words
    end: int
    negated: bool
    kind: str  # act | deontic | eval | deny | hedge


class Clause(NamedTuple):
    """A stretch of tokens and how its cues count."""

    start: int  # token indices, end exclusive
    end: int
    role: str  # "main" | "concession" | "opposed"
    after_shift: bool  # follows "mais", "pourtant"…


class LexiconScore(NamedTuple):
    """Summed cue weights of a text and the markers found in it."""

    favor: float
    against: float
    hedge: float
    negation: float  # 1.0 if the claim's words are denied (0.5 if other words are), else 0
    question: float  # 1.0 if the text asks a question
    opposition: float  # 1.0 if the text contradicts someone ("contrairement à")
    hits: tuple[CueHit, ...]


def read_lexicon(path: str | Path = LEXICON_PATH) -> list[Phrase]:
    """Read a cue lexicon (format described at the top of the packaged file)."""
    entries = []
    for lineno, (term, polarity, weight, kind) in read_tsv(Path(path), 4):
        if polarity not in POLARITIES:
            raise ValueError(f"{path}:{lineno}: polarity must be one of {POLARITIES}")
        entries.append(phrase(term, polarity, float(weight), kind))
    return entries


def read_markers(path: str | Path = MARKERS_PATH) -> list[Phrase]:
    """Read the clause marker list (contrast, concession, boundaries...)."""
    entries = []
    for lineno, (term, kind) in read_tsv(Path(path), 2):
        if kind not in MARKER_KINDS:
            raise ValueError(f"{path}:{lineno}: kind must be one of {MARKER_KINDS}")
        entries.append(phrase(term, kind))
    return entries


def content_words(text: str) -> set[str]:
    """Folded content words (4+ letters, no function words), cut to six letters as a crude stem."""
    stop = french_stopwords()
    return {t.norm[:6] for t in cue_tokens(text)
            if len(t.norm) >= WORD_MIN and t.norm[0].isalnum() and t.norm not in stop}


class StanceLexicon:
    """Scores French text with stance cue and marker lists.

    Args:
        lexicon_path: cue list; the packaged ``stance_lexicon.tsv`` by default.
        markers_path: clause markers (contrast, concession, boundaries); the packaged
            ``stance_markers.tsv``. Negation markers are the shared ``negation_fr.tsv``.
    """

    def __init__(self, lexicon_path: str | Path | None = None,
                 markers_path: str | Path | None = None):
        self.lexicon_path = lexicon_path
        self.markers_path = markers_path
        self._cues = phrase_index(read_lexicon(lexicon_path or LEXICON_PATH))
        markers = read_markers(markers_path or MARKERS_PATH)
        self._kinds = {k: phrase_index([m for m in markers if m.kind == k]) for k in MARKER_KINDS}

    # -- markers ---------------------------------------------------------------------------

    def _marks(self, tokens: list[Token], kind: str) -> list[tuple[int, int]]:
        return spans(self._kinds[kind], tokens)

    def negated_positions(self, tokens: list[Token], claim: bool = False) -> list[tuple[int, int]]:
        """Token spans under a negation (:func:`claims.french.negation_scope.negated_spans`)."""
        return negated_spans(tokens, {i for i, _ in self._marks(tokens, "boundary")}, claim)

    def clauses(self, tokens: list[Token]) -> list[Clause]:
        """Cut tokens into clauses: concession and opposition clauses run to the next comma."""
        opens = {}
        for kind in ("concession", "opposition", "shift"):
            for i, j in self._marks(tokens, kind):
                opens[i] = (kind, j)
        strong = {i for i, _ in self._marks(tokens, "boundary") if tokens[i].norm in (";", ":")}
        weak = {i for i, _ in self._marks(tokens, "boundary")}
        out: list[Clause] = []
        start, role, shifted, i = 0, "main", False, 0
        while i < len(tokens):
            if i in opens or i in strong:
                if i > start:
                    out.append(Clause(start, i, role, shifted))
                kind, j = opens.get(i, ("boundary", i + 1))
                role = {"concession": "concession", "opposition": "opposed"}.get(kind, "main")
                shifted = shifted or kind == "shift"
                start, i = i, j
                continue
            if role != "main" and i in weak:  # a conceded or opposed view ends at a comma
                out.append(Clause(start, i, role, shifted))
                start, role = i, "main"
            i += 1
        if start < len(tokens):
            out.append(Clause(start, len(tokens), role, shifted))
        return out

    # -- cues ------------------------------------------------------------------------------

    def find_cues(self, text: str, focus_words: Optional[Collection[str]] = None) -> Iterator[CueHit]:
        """Yield the stance cues of ``text`` with their weight after negation and clauses.

        Args:
            text: a French sentence.
            focus_words: content words (see :func:`content_words`) the claim is about; the
                clause holding most of them counts fully, the others at half weight.
        """
        tokens = cue_tokens(text)
        yield from self._hits(tokens, self._clause_weights(tokens, focus_words))

    def _clause_weights(self, tokens, focus_words) -> list[tuple[Clause, float]]:
        clauses = self.clauses(tokens)
        focus = self._focus_clause(tokens, clauses, focus_words)
        shifted_any = any(c.after_shift for c in clauses)
        weights = []
        for c in clauses:
            if c.role != "main":
                w = 0.0
            elif focus is not None:
                w = 1.0 if c == focus else OFF_FOCUS
            elif shifted_any:
                w = 1.0 if c.after_shift else OFF_FOCUS
            else:
                w = 1.0
            weights.append((c, w))
        return weights

    @staticmethod
    def _focus_clause(tokens, clauses, focus_words) -> Optional[Clause]:
        if not focus_words:
            return None
        best, best_n = None, 0
        for c in clauses:
            n = len({t.norm[:6] for t in tokens[c.start:c.end]} & set(focus_words))
            if n > best_n:
                best, best_n = c, n
        return best

    def _hits(self, tokens, clause_weights) -> Iterator[CueHit]:
        negated = self.negated_positions(tokens)
        diminished = [(i, scope_end(j, tokens, set(), DIMINISH_TAIL))
                      for i, j in self._marks(tokens, "diminisher")]
        for i, j, entry in longest_matches(self._cues, tokens):
            weight = next((w for c, w in clause_weights if c.start <= i < c.end), 1.0)
            if weight == 0.0:
                continue
            neg = any(s <= i < e for s, e in negated) and entry.label != "hedge"
            dim = any(s < i < e for s, e in diminished) and entry.label == "favor"
            polarity, w = entry.label, entry.weight * weight
            if neg or dim:
                polarity = {"favor": "against", "against": "favor"}.get(polarity, polarity)
                w = w if entry.label == "favor" else w * 0.5
            yield CueHit(entry.term, polarity, w, tokens[i].start, tokens[j - 1].end, neg or dim, entry.kind)

    def score(self, text: str, focus_words: Optional[Collection[str]] = None) -> LexiconScore:
        """Sum the cues of ``text`` (see :meth:`find_cues`) and note its markers."""
        tokens = cue_tokens(text)
        clause_weights = self._clause_weights(tokens, focus_words)
        hits = tuple(self._hits(tokens, clause_weights))
        sums = {p: sum(h.weight for h in hits if h.polarity == p) for p in POLARITIES}
        negation = self._claim_negation(tokens, clause_weights, hits, focus_words)
        opposition = 1.0 if any(c.role == "opposed" for c in self.clauses(tokens)) else 0.0
        question = 1.0 if "?" in text else 0.0
        return LexiconScore(sums["favor"], sums["against"], sums["hedge"], negation,
                            question, opposition, hits)

    def _claim_negation(self, tokens, clause_weights, hits, focus_words) -> float:
        """1.0 when the claim's words are denied, 0.5 for a denial elsewhere, else 0."""
        spent = [h.start for h in hits if h.negated]
        focus = set(focus_words or ())
        negation = 0.0
        for s, e in self.negated_positions(tokens, claim=True):
            if any(tokens[s].start <= c < tokens[e - 1].end for c in spent):
                continue  # this negation already turned a cue around
            w = next((w for c, w in clause_weights if c.start <= s < c.end), 1.0)
            if w == 0.0:
                continue  # conceded or opposed view
            if focus and not {t.norm[:6] for t in tokens[s:e]} & focus:
                w *= OFF_FOCUS  # denies something other than the claim
            negation = max(negation, w)
        return negation

    def opposed_text(self, text: str) -> str:
        """The words of ``text`` inside opposition clauses ("contrairement à X …")."""
        tokens = cue_tokens(text)
        parts = [text[tokens[c.start].start:tokens[c.end - 1].end]
                 for c in self.clauses(tokens) if c.role == "opposed"]
        return " ".join(parts)

    def polarity(self, text: str, cue: Optional[str] = None) -> str:
        """Lexicon-only stance: the side with more cue weight, "neutral" on a tie.

        Args:
            text: the sentence.
            cue: the attribution's reporting verb ("a condamné"), counted with the text.
        """
        s = self.score(text)
        favor, against = s.favor, s.against
        if cue:
            c = self.score(cue)
            favor, against = favor + c.favor, against + c.against
        if favor > against:
            return "favor"
        if against > favor:
            return "against"
        return "neutral"


@lru_cache(maxsize=None)
def default_lexicon() -> StanceLexicon:
    """The packaged lexicon and markers, read once."""
    return StanceLexicon()


def find_cues(text: str, focus_words: Optional[Collection[str]] = None) -> Iterator[CueHit]:
    """:meth:`StanceLexicon.find_cues` with the packaged lexicon."""
    yield from default_lexicon().find_cues(text, focus_words)
