"""Where the sources of one sentence stand: the mention at a token, after a cue, before an incise.

:class:`MentionQueries` holds the syntax-and-offset questions the attributor
(:class:`claims.attribution.attributor.SpeakerAttributor`) asks of one analysed sentence (its text,
parse and mentions); they keep no state.
"""

from __future__ import annotations

import re
from typing import Optional

from claims.attribution.speakers import Mention
from claims.french.text import words


class MentionQueries:
    """Mentions of one analysed sentence (``item.sentence``, ``item.doc``, ``item.mentions``)."""

    @staticmethod
    def _token_at(doc, offset: int):
        for token in doc:
            if token.idx <= offset < token.idx + len(token.text):
                return token
        return None

    def _mention_at(self, item, token) -> Optional[Mention]:
        for m in item.mentions:
            if m.start <= token.idx < m.end:
                return m
        return None

    @staticmethod
    def _apposed_to(item, subject) -> Optional[Mention]:
        """The source a subject stands in apposition to ("Me X, son avocat, a dit"), if any."""
        start = min(t.idx for t in subject.subtree)
        before = item.sentence.text[:start].rstrip()
        if not before.endswith(","):
            return None
        end = len(before[:-1].rstrip())
        return next((m for m in item.mentions if m.end == end and m.kind in ("person", "body")), None)

    def _apposed_source(self, item, subject, mention: Mention) -> Mention:
        """The better source of a subject's apposition, else ``mention`` (the subject's own).

        A name apposed to a role or body the lexicon does not know ("le haut-représentant aux
        océans, Prénom Nom, a dit") is that person; a vague body apposed after a named one
        ("l'Office des semences (OFS), un organisme de l'ONU, a dit") stands for the named one.
        """
        if mention.kind == "person":
            return mention
        for child in subject.children:
            if child.dep_ == "appos" and child.idx > subject.idx:
                apposed = self._mention_at(item, child)
                if apposed is not None and apposed.kind == "person" and apposed.start > mention.start:
                    return apposed
        if re.search(r"(?:^|\s)(?:un|une)\s+$", item.sentence.text[:mention.start], re.IGNORECASE):
            before = self._apposed_to(item, subject)
            if before is not None:
                return before
        return mention

    def _source_after_aupres(self, item, offset: int) -> Optional[Mention]:
        """The source of wire copy's "…, a-t-on appris auprès de X" (the mention after "auprès de")."""
        after = re.match(r"[^,;:.«»]{0,30}?\bauprès\s+(?:des|du|de|d['’])\s*", item.sentence.text[offset:])
        return self._mention_after(item, offset + after.end(), 0) if after else None

    @staticmethod
    def _subject(token):
        """The nominal subject of a verb, looking through co-ordination and aspect verbs."""
        for _ in range(4):
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "expl:subj")), None)
            if subject is not None:
                return subject
            if token.dep_ in ("conj", "xcomp", "dep", "advcl") and token.head is not token:
                token = token.head
            else:
                return None
        return None

    def _after_preposition(self, item, mention: Mention) -> bool:
        """Tell whether a mention follows a preposition ("au journal", "à Kiev"): no subject then."""
        before = words(item.sentence.text[:mention.start])
        while before and before[-1] in ("le", "la", "les", "l", "un", "une"):
            before.pop()
        return bool(before) and before[-1] in ("de", "d", "à", "au", "aux", "en", "par", "pour",
                                               "avec", "dans", "sur", "vers", "contre", "du", "des",
                                               "depuis", "chez")

    def _modifies_noun(self, item, mention: Mention) -> bool:
        """Tell whether a name only qualifies a noun ("la fille du défunt X"): no referent then."""
        token = self._token_at(item.doc, mention.start)
        while token is not None and token.dep_.startswith("flat") and token.head is not token:
            token = token.head
        return token is not None and token.dep_ == "nmod"

    def _mention_after(self, item, offset: int, gap: int) -> Optional[Mention]:
        """The first mention after ``offset`` within ``gap`` words, not after a preposition."""
        for m in item.mentions:
            if m.start < offset:
                continue
            between = words(item.sentence.text[offset:m.start])
            if len(between) > gap:
                return None
            if between:
                gap_tokens = [t for t in item.doc if offset <= t.idx < m.start
                              and not t.is_punct and t.pos_ != "DET"]
                first = gap_tokens[0] if gap_tokens else None
                apposed_role = m.kind == "person" and len(gap_tokens) <= 3 and all(
                    t.pos_ in ("NOUN", "ADJ") for t in gap_tokens)  # "a lancé la syndicaliste Nadia Brun"
                apposed_role = apposed_role or m.kind == "role" and len(gap_tokens) <= 2 and all(
                    t.pos_ == "ADJ" for t in gap_tokens)  # "poursuit l'ancien dirigeant normand"
                if first is not None and not apposed_role and not (
                        first.pos_ in ("ADP", "ADV") or first.dep_.startswith("obl")):
                    return None  # "dit groupe de Ramstein": an object, not a postposed subject
                if any(t.pos_ in ("VERB", "AUX", "SCONJ") or t.lower_ in ("que", "qu'", "qu’")
                       for t in gap_tokens):
                    return None  # "a déclaré aux journalistes qu'empêcher l'Ukraine...": content
            if not between or not self._after_preposition(item, m):
                return m
        return None

    def _coordinated(self, item, mention: Mention) -> list[Mention]:
        """Sources listed with ``mention`` as one subject ("Les États-Unis, la France et l'Allemagne").

        A list needs an "et" somewhere ("à Kiev, Stoltenberg a dit" is no list).
        """
        sources = [m for m in item.mentions if m.kind != "pronoun"]
        k = sources.index(mention)
        link = re.compile(r"\s*(?:,|et|,\s*et)\s*(?:les|la|le|l['’])?\s*$", re.IGNORECASE)
        text = item.sentence.text
        lo = hi = k
        while lo > 0 and link.match(text[sources[lo - 1].end:sources[lo].start]) \
                and not self._after_preposition(item, sources[lo - 1]):
            lo -= 1
        while hi + 1 < len(sources) and link.match(text[sources[hi].end:sources[hi + 1].start]):
            hi += 1
        gaps = [text[a.end:b.start] for a, b in zip(sources[lo:hi], sources[lo + 1:hi + 1])]
        return sources[lo:hi + 1] if any(re.search(r"\bet\b", g) for g in gaps) else [mention]
