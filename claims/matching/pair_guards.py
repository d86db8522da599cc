"""Guards that refuse to match two similar sentences which state different facts.

Embeddings put "les États-Unis annoncent 400 millions de dollars d'aide" next to "... 325
millions de dollars": same topic, different claim. :class:`PairGuard` is called by the
grouping on each candidate pair and returns a short reason to refuse it, or None. Three
checks, in order of cost, each of which can be switched off (for ablations):

* **numbers** (:func:`claims.french.figure_conflicts.conflicting_quantities`): both sentences give a figure
  for the same slot and unit and no figure of one matches the other: amounts, measures,
  counts, years ("en 2022" vs "en 2023"), dates.
* **when** (:func:`claims.french.dates.conflicting_times`): both sentences name a point in
  time and no point of one is compatible with one of the other ("jeudi" vs "lundi 20
  mars"; "en 2021" vs "ce lundi 2 octobre"). Each sentence's article date, given once with
  :meth:`PairGuard.set_dates`, resolves what the sentence leaves implicit (the year of "le 20
  mars", hence its weekday; the year of "lundi"; the day of "hier").
* **negation** (:func:`claims.french.negation.negation_conflict`): one sentence negates a predicate
  the other states ("ne peut pas rejoindre" vs "peut rejoindre").
* **entities**: one donor is not another. Countries and organisations are found with the
  gazetteer of :mod:`claims.french.entities` (names, capitals as metonyms,
  demonyms). Each mention gets a *role*:

  - ``subject``: inside the grammatical subject (spaCy dependency parse, with coordinated
    names: "Les Pays-Bas et le Danemark ont proposé"), except the subject of a reporting
    verb that introduces a clause or follows its quote ("X a déclaré que", "..., a dit X"):
    the speaker may differ between two mentions of one claim;
  - ``donor``: attached to an aid noun ("aide américaine", "paquet d'aide de
    l'Allemagne"); not after "à"/"pour" (that is the recipient).

  A pair is refused only when, for one role and one entity type (country, organisation),
  both sentences name such entities and *neither* sentence mentions, anywhere, an entity
  the other has in that role. So "L'Allemagne annonce une aide de ..." vs "Les États-Unis
  annoncent une aide de ..." is refused, while "Les États-Unis livrent des armes à
  l'Ukraine" vs "L'Ukraine reçoit des armes des États-Unis" is not (roles differ but each
  names the other's subject). Persons are never compared: speakers legitimately differ.

* **agents**: the agent of a passive participle ("la motion déposée par le groupe Liot",
  "un vaccin fabriqué par GSK") or of "émanant de": its capitalised names, the acronyms in
  parentheses and the initials of the name ("Rassemblement national" -> RN). Refused when
  both sentences have one and neither sentence has a word or an acronym of the other's
  agent anywhere: "déposée par le groupe Liot" vs "déposée par le RN" differ, "déposée par
  le Rassemblement national" vs "déposée par le RN" do not. The agent of a reporting verb
  ("annoncé par") is a speaker and is not compared.

Per-text work is cached, and the parse is only run when the two gazetteer mention sets
differ both ways, so guarding ~100k candidate pairs stays cheap.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Mapping, NamedTuple, Optional

from claims.french.dates import conflicting_times, share_a_time
from claims.french.entities import EntityMention, entity_mentions
from claims.french.negation import conflicting_negation
from claims.french.nlp import check_docs, parse
from claims.french.figure_conflicts import conflicting_quantities, format_quantity
from claims.french.resources import read_tsv
from claims.french.text import alternation, fold_french

LEXICON_FILE = "guard_lexicon_fr.tsv"
ROLES = ("subject", "donor")


class _GuardWords(NamedTuple):
    speech: frozenset[str]  # folded lemmas of reporting verbs
    speech_stems: tuple[str, ...]  # their stems of 4+ letters ("annonc"), for participles
    aid_re: re.Pattern  # aid nouns, on folded text


@lru_cache(maxsize=1)
def _guard_words() -> _GuardWords:
    speech, aid = set(), []
    for _, (kind, *cols) in read_tsv(LEXICON_FILE):
        if kind == "speech":
            speech.add(fold_french(cols[0]))
        elif kind == "aid":
            aid.extend(fold_french(a) for a in cols[0].split("|"))
    stems = tuple(sorted({re.sub(r"(?:er|ir|re)$", "", v) for v in speech} - {""}))
    stems = tuple(st for st in stems if len(st) >= 4)
    return _GuardWords(frozenset(speech), stems, re.compile(rf"(?<![\w-])(?:{alternation(aid)})(?![\w-])"))


# Between an aid noun and its donor: up to three words, none a preposition of recipient.
_DONOR_GAP = re.compile(r"^(?:[\s,]+(?!(?:a|au|aux|pour|vers|envers|contre)\b)[\w'-]+){0,3}?[\s,]*$")
_DONOR_DE = re.compile(r"(?:^|\s)(?:de|du|des|d')\s*(?:la\s+|l'|les\s+)?$")
_COORD_LEFT = re.compile(r"^[\s,]*(?:et|ou|ainsi que)?\s*(?:les|le|la|l'|des|du)?\s*$")
_COORD_RIGHT = re.compile(r"^[\s,]*(?:et|ou|ainsi que)\s*(?:les|le|la|l'|des|du)?\s*$")


def _donor_mentions(text: str, mentions: tuple[EntityMention, ...]) -> set[EntityMention]:
    folded = fold_french(text)
    found = set()
    for aid in _guard_words().aid_re.finditer(folded):
        for m in mentions:
            if m.start < aid.end() or m.start - aid.end() > 60:
                continue
            gap = folded[aid.end():m.start]
            if any(aid.end() <= o.start < m.start for o in mentions):
                break  # another entity comes first
            de = _DONOR_DE.search(gap)
            words = gap[:de.start()] if de else gap
            if not _DONOR_GAP.match(words):
                continue
            if de or m.adjective:
                found.add(m)
            break
    return found


@lru_cache(maxsize=65536)
def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[\w-]+", fold_french(text)))


def _expand_coordination(span: tuple[int, int], mentions, folded: str) -> tuple[int, int]:
    """Widen a subject span over names coordinated with it ("Les Pays-Bas et le Danemark")."""
    start, end = span
    changed = True
    while changed:
        changed = False
        for m in mentions:
            if m.end <= start and _COORD_LEFT.match(folded[m.end:start]):
                start, changed = m.start, True
            elif m.start >= end and _COORD_RIGHT.match(folded[end:m.start]):
                end, changed = m.end, True
    return start, end


_AGENT_MARK = re.compile(r"(?:(?<=[^\W\d_])(?:e|ee|es|ees|i|ie|is|ies|it|ite|its|u|ue|us|ues)\s+par"
                         r"|\bemanant\s+d(?:e|u|es|')|\bemanant\s+de\s+la)\s+")
_AGENT_DET = re.compile(r"(?:le|la|les|l'|un|une|des|du|de|d')\s*")
_NOT_NAME = frozenset("a au aux en dans pour sur avec contre apres avant depuis lors selon et ou qui que dont "
                      "a-t-il a-t-elle est sont ont".split())
_FUNCTION = frozenset("de du des d' la le les l' et".split())
_WORD = re.compile(r"\(?[\w'-]+\)?|[^\w\s]")


@lru_cache(maxsize=65536)
def agent_keys(text: str) -> frozenset[str]:
    """Folded names and acronyms of the agents of passive participles and "émanant de"."""
    folded = fold_french(text)
    speech = _guard_words().speech_stems
    keys: set[str] = set()
    for m in _AGENT_MARK.finditer(folded):
        before = re.search(r"([\w'-]+)\s+(?:par|emanant)\b[^\w]*$", folded[:m.end()].rstrip())
        if before and any(before.group(1).startswith(stem) for stem in speech):
            continue  # "annoncé par X": X is a speaker
        pos = m.end()
        det = _AGENT_DET.match(folded, pos)
        pos = det.end() if det else pos
        run: list[str] = []  # the name: from its first capital, through the words after it
        lower_before = 0
        for w in _WORD.finditer(text, pos):
            word = w.group()
            if word.startswith("("):
                if run:
                    keys.add(fold_french(word.strip("()")))
                break
            if not word[0].isalnum() and word not in ("'",):
                if run and word == ",":
                    continue  # "Libertés, Indépendants, Outre-mer et Territoires"
                break
            f = fold_french(word)
            if word[0].isupper() or (word.isupper() and len(word) > 1):
                run.append(f)
                keys.add(f)
            elif run:
                if f in _NOT_NAME or len(run) >= 6:
                    break
                run.append(f)
            else:
                lower_before += 1
                if f in _NOT_NAME or lower_before > 3:
                    break
        initials = "".join(w[0] for w in run if w not in _FUNCTION)
        if len(initials) >= 2:
            keys.add(initials)
    return frozenset(keys)


class PairGuard:
    """Refuses candidate pairs whose sentences disagree on a figure, a negation or an entity.

    Args:
        numbers: check figures (amounts, measures, years, dates).
        when: check the points in time the sentences name (weekdays, dates, months, years).
        negation: check negation of a shared predicate.
        entities: check countries/organisations in the subject or donor role.
        nlp: a loaded spaCy French pipeline with a parser; the shared
            :func:`claims.french.nlp.french_nlp` (loaded on first need) when None.
    """

    def __init__(self, numbers: bool = True, negation: bool = True, entities: bool = True, nlp=None,
                 when: bool = True):
        self.numbers = numbers
        self.when = when
        self._dates: dict[str, str] = {}
        self.negation = negation
        self.entities = entities
        self.nlp = nlp
        self._roles: dict[str, dict[str, frozenset[tuple[str, str]]]] = {}

    def __call__(self, text_a: str, text_b: str) -> Optional[str]:
        """A short reason to refuse the pair, or None when it may be matched."""
        if self.numbers:
            reason = self.number_reason(text_a, text_b)
            if reason:
                return reason
        if self.when:
            reason = self.when_reason(text_a, text_b)
            if reason:
                return reason
        if self.negation:
            reason = self.negation_reason(text_a, text_b)
            if reason:
                return reason
        if self.entities:
            return self.entity_reason(text_a, text_b) or self.agent_reason(text_a, text_b)
        return None

    def number_reason(self, text_a: str, text_b: str) -> Optional[str]:
        """"numbers: 400000000 USD vs 325000000 USD", or None.

        With the time check on, dates (day and month) are left to it, which tells a point from
        the edge of a span ("à compter du 20 septembre"), and so are years when the two
        sentences share a point in time ("en février" in both: a year elsewhere in one of
        them is background).
        """
        conflicts = conflicting_quantities(text_a, text_b)
        if conflicts and self.when:
            conflicts = [(qa, qb) for qa, qb in conflicts if qa.slot != "date"]  # the time check reads dates
            if conflicts and all(qa.slot == "year" for qa, _ in conflicts) and share_a_time(
                    text_a, text_b, self._dates.get(text_a), self._dates.get(text_b)):
                return None
        if not conflicts:
            return None
        qa, qb = conflicts[0]
        return f"numbers: {format_quantity(qa)} vs {format_quantity(qb)}"

    def set_dates(self, texts: Iterable[str], dates: Iterable[Optional[str]]) -> "PairGuard":
        """Give each text the date of its article ("YYYY-MM-DD", "YYYY-MM"; None: unknown).

        A text found in articles of different dates keeps the first date given.
        """
        for text, date in zip(texts, dates):
            if date and text not in self._dates:
                self._dates[text] = date
        return self

    def when_reason(self, text_a: str, text_b: str) -> Optional[str]:
        """"when: jeudi vs lundi 20 mars", or None."""
        found = conflicting_times(text_a, text_b, self._dates.get(text_a), self._dates.get(text_b))
        return f"when: {found[0].text} vs {found[1].text}" if found else None

    @staticmethod
    def negation_reason(text_a: str, text_b: str) -> Optional[str]:
        """"negation: rejoi", or None."""
        words = conflicting_negation(text_a, text_b)
        return f"negation: {', '.join(words)}" if words else None

    def entity_reason(self, text_a: str, text_b: str) -> Optional[str]:
        """"entities: US vs DE (subject)", or None."""
        ma, mb = entity_mentions(text_a), entity_mentions(text_b)
        ids_a = {(m.type, m.id) for m in ma}
        ids_b = {(m.type, m.id) for m in mb}
        if not ids_a - ids_b or not ids_b - ids_a:
            return None  # one names every entity of the other: nothing can differ
        ra, rb = self.roles(text_a), self.roles(text_b)
        for role in ROLES:
            for ent_type in sorted({t for t, _ in ra[role]} & {t for t, _ in rb[role]}):
                sa = {e for t, e in ra[role] if t == ent_type}
                sb = {e for t, e in rb[role] if t == ent_type}
                named_a = {e for t, e in ids_a if t == ent_type}
                named_b = {e for t, e in ids_b if t == ent_type}
                if not sa & named_b and not sb & named_a:
                    return f"entities: {'/'.join(sorted(sa))} vs {'/'.join(sorted(sb))} ({role})"
        return None

    @staticmethod
    def agent_reason(text_a: str, text_b: str) -> Optional[str]:
        """"agents: liot vs rn", or None (see the module docstring)."""
        ka, kb = agent_keys(text_a), agent_keys(text_b)
        if not ka or not kb or ka & kb:
            return None
        words_a, words_b = _words(text_a), _words(text_b)
        if ka & words_b or kb & words_a:
            return None
        return f"agents: {'/'.join(sorted(ka))} vs {'/'.join(sorted(kb))}"

    def roles(self, text: str) -> dict[str, frozenset[tuple[str, str]]]:
        """(type, id) of the entities of ``text`` in each role of :data:`ROLES`."""
        cached = self._roles.get(text)
        if cached is None:
            cached = self._compute_roles(text, None)
        return cached

    def known_roles(self) -> dict[str, dict[str, frozenset[tuple[str, str]]]]:
        """The entity roles worked out so far, by text (for a memo across runs)."""
        return dict(self._roles)

    def remember_roles(self, roles: Mapping[str, Mapping[str, Iterable[tuple[str, str]]]]) -> "PairGuard":
        """Take entity roles worked out earlier (by :meth:`known_roles`), so those texts need no parse."""
        for text, by_role in roles.items():
            self._roles[text] = {role: frozenset(tuple(e) for e in by_role.get(role, ())) for role in ROLES}
        return self

    def prepare(self, texts: Iterable[str], docs=None) -> "PairGuard":
        """Work out, once, the entity roles of the texts naming an entity (speeds up later calls).

        Args:
            texts: the sentences the guard will be asked about.
            docs: their spaCy parses (:func:`claims.french.nlp.parse`, same order), when the
                caller has them; the texts that need one are parsed here otherwise.
        """
        texts = list(texts)
        if docs is not None:
            for text, doc in zip(texts, check_docs(texts, docs)):
                if text not in self._roles and entity_mentions(text):
                    self._compute_roles(text, doc)
            return self
        todo = list(dict.fromkeys(t for t in texts if t not in self._roles and entity_mentions(t)))
        for text, doc in zip(todo, parse(todo, self.nlp)):
            self._compute_roles(text, doc)
        return self

    def _compute_roles(self, text: str, doc) -> dict[str, frozenset[tuple[str, str]]]:
        mentions = entity_mentions(text)
        roles = {"subject": frozenset(), "donor": frozenset()}
        if mentions:
            doc = doc if doc is not None else parse([text], self.nlp)[0]
            subject = self._subject_mentions(doc, mentions, fold_french(text))
            donor = _donor_mentions(text, mentions)
            roles = {"subject": frozenset((m.type, m.id) for m in subject),
                     "donor": frozenset((m.type, m.id) for m in donor)}
        self._roles[text] = roles
        return roles

    @staticmethod
    def _subject_mentions(doc, mentions, folded: str) -> set[EntityMention]:
        speech = _guard_words().speech
        spans = []
        for tok in doc:
            if not tok.dep_.startswith("nsubj"):
                continue
            head = tok.head
            if fold_french(head.lemma_) in speech:
                introduces_clause = any(c.dep_ in ("ccomp", "parataxis") for c in head.children)
                if introduces_clause or tok.i > head.i or head.dep_.startswith("parataxis"):
                    continue  # the speaker, not what the claim is about
            for t in (tok, *tok.conjuncts):
                span = (t.left_edge.idx, t.right_edge.idx + len(t.right_edge))
                spans.append(_expand_coordination(span, mentions, folded))
        return {m for m in mentions for s, e in spans if s <= m.start and m.end <= e}
