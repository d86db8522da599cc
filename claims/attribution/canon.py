"""One name per source across a corpus (issue 13, item 2).

Each article is attributed on its own (and memoised so); what it learnt of its sources travels with
its attributions as :class:`ArticleNames`. :func:`canonical_speakers` then gives every source one name
over the corpus:

* a person named in full anywhere ("Amara Tesfaye Bekele") replaces the short forms other
  articles use ("Bekele", "Dr Amara");
* a role an article never tied to a name ("la ministre de la Culture") becomes the person another
  article gave that role ("la ministre de la Culture, Léa Morvan"), if only one person has it;
* an institution noun with no name in its article ("le ministère") becomes the one body of that
  kind the corpus names ("ministère péruvien de la Pêche"), else the body its article named last;
* a body named in full ("Agence nationale des pluies") takes the acronym another article gave it
  in brackets ("(ANP)"), or the acronym its initials spell when the corpus uses that acronym as a
  source ("ANP" alone); a shorter form of that name ("Agence des pluies") takes it too;
* a role with a name glued after it and no comma ("le secrétaire général de l'Otan Jens Stoltenberg")
  is the person the corpus names in full at its end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from claims.french.text import fold_french, fold_name
from claims.attribution.name_words import (ACRONYM, INSTITUTION_HEADS, MEMBER, NEWS_AGENCIES, content_words,
                                          initials, skips_to)
from claims.records import Attribution


@dataclass
class ArticleNames:
    """What one article says of its sources, as JSON-able tables."""

    persons: list[str] = field(default_factory=list)  # fullest forms of people's names
    roles: dict[str, str] = field(default_factory=dict)  # role key -> person
    open_roles: dict[str, str] = field(default_factory=dict)  # speaker given for a role -> role as written
    bodies: dict[str, str] = field(default_factory=dict)  # institution head -> body named with it
    open_heads: dict[str, Optional[str]] = field(default_factory=dict)  # head given as speaker -> last body
    acronyms: dict[str, str] = field(default_factory=dict)  # folded full name -> acronym given in brackets
    surfaces: dict[str, list[str]] = field(default_factory=dict)  # speaker -> how the article wrote it

    @classmethod
    def of(cls, context, surfaces: Optional[dict] = None) -> "ArticleNames":
        """The tables of an :class:`claims.attribution.speakers.ArticleContext` (and the written forms
        of its sources, :func:`written_forms`)."""
        persons = sorted(set(context.names.values()) | set(context.first_words.values()))
        return cls(persons, dict(context.roles), dict(context.open_roles),
                   dict(context.bodies.by_head), dict(context.bodies.unresolved), dict(context.bodies.acronyms),
                   {k: list(v) for k, v in (surfaces or {}).items()})

    def to_json(self) -> dict:
        return {"persons": self.persons, "roles": self.roles, "open_roles": self.open_roles,
                "bodies": self.bodies, "open_heads": self.open_heads, "acronyms": self.acronyms,
                "surfaces": self.surfaces}

    @classmethod
    def from_json(cls, data: dict) -> "ArticleNames":
        return cls(**data)


_BENCH = {"juges", "magistrats", "justice"}


class _Corpus:
    def __init__(self, tables: Sequence[ArticleNames], lexicon, metonyms):
        from claims.attribution.speakers import ArticleContext

        self.context = ArticleContext(lexicon, metonyms)
        # Longest first, ties in alphabetical order: a set's order changes with the hash seed of
        # each run, and the first of two names sharing a surname ("Ann Romney", "Mitt Romney")
        # becomes the surname's full form, so without the tie-break one input got two results.
        persons = sorted({p for t in tables for p in t.persons}, key=lambda p: (-len(p.split()), p))
        for p in persons:
            self.context.add_name(p)
        owners: dict[str, set] = {}
        for t in tables:
            for key, person in t.roles.items():
                owners.setdefault(key, set()).add(self.context.person(person))
        self.context.roles = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}
        self.acronyms = {k: v for t in tables for k, v in t.acronyms.items()}
        self.bodies: dict[str, set] = {}
        for t in tables:
            for head, body in t.bodies.items():
                self.bodies.setdefault(head, set()).add(body)
        # acronyms the corpus uses as sources ("L'ANSM assure"), and the names their initials spell
        used = {s for t in tables for s in t.surfaces if ACRONYM.fullmatch(s)} | set(self.acronyms.values())
        self.spelt: dict[str, str] = {}
        for t in tables:
            for s in dict.fromkeys([*t.surfaces, *t.bodies.values()]):
                if initials(s) in used:
                    self.spelt[fold_french(s)] = initials(s)
                elif initials(s):  # "FISA" for "Fédération internationale des sociétés d'aide …" (words skipped)
                    loose = {a for a in used if skips_to(a, s)}
                    if len(loose) == 1:
                        self.spelt[fold_french(s)] = loose.pop()
        self.full_persons = [p for p in persons if len(p.split()) >= 2]
        self.open_role_keys = {w: self.context.role_key(r) for t in tables for w, r in t.open_roles.items()}
        self.body_names = {b for t in tables for b in [*t.bodies.values(), *t.surfaces]
                           if content_words(b)[:1] and content_words(b)[0] in INSTITUTION_HEADS}

    def body_acronym(self, speaker: str) -> Optional[str]:
        """The acronym of a body named in full, or by a shorter form of a name spelt by an acronym."""
        key = fold_french(speaker)
        if key in self.acronyms:
            return self.acronyms[key]
        if initials(speaker) and key in self.spelt:
            return self.spelt[key]
        words = content_words(speaker)
        if len(words) < 2:
            return None
        close = {a for name, a in self.spelt.items()
                 if content_words(name)[:1] == words[:1] and set(words) < set(content_words(name))}
        return next(iter(close)) if len(close) == 1 else None

    def longer_role(self, role: str) -> Optional[str]:
        """The one open role of the corpus that says more of the same title ("le maire", "l'édile"
        -> "maire de Derna"), or None."""
        key = self.context.role_key(role)
        title, _, rest = key.partition(" ")
        found = {w for w, k in self.open_role_keys.items()
                 if k != key and k.split(" ")[0] == title and set(rest.split()) < set(k.split()[1:])}
        return found.pop() if len(found) == 1 else None

    def longer_body(self, body: str) -> Optional[str]:
        """The one body of the corpus whose name contains this one's words and more, with the same
        head ("tribunal de Paris" -> "tribunal correctionnel de Paris"), or None."""
        words = content_words(body)
        if not words or words[0] not in INSTITUTION_HEADS or (len(words) < 2 and not body[:1].isupper()):
            return None  # "Croissant-Rouge" may grow into "Croissant-Rouge libyen"; "ministère" may not
        from claims.attribution.bodies import vocabulary

        demonyms = vocabulary().countries  # the attributor adds the article's country itself
        found = {b for b in self.body_names if content_words(b)[:1] == words[:1]
                 and set(words) < set(content_words(b))
                 and not all(w in demonyms for w in set(content_words(b)) - set(words))}
        return found.pop() if len(found) == 1 else None

    def member_body(self, speaker: str) -> Optional[str]:
        """The one body of the corpus that belongs to the organisation a vague body names ("une
        agence de l'ONU", "un organisme des Nations unies" -> "BCS", named elsewhere as "Bureau de la
        coordination des secours de l'ONU (BCS)"), or None."""
        m = MEMBER.match(speaker.strip())
        if not m or fold_french(m.group(1)) not in INSTITUTION_HEADS:
            return None
        canonical = self.context.metonyms.canonical
        parent = canonical.get(m.group(2).strip())
        if parent is None:
            return None
        ends = {fold_french(s) for s, c in canonical.items() if c == parent}
        words = len(content_words(speaker))

        def belongs(name: str) -> bool:
            vague = MEMBER.match(name.strip())
            if vague and vague.group(2).strip() in canonical:
                return False  # another vague one ("un organisme des Nations unies")
            folded = re.sub(r"\s*\([^)]*\)\s*$", "", fold_french(name))
            return len(content_words(folded)) > words and any(
                re.search(rf"(?:^|\s|['’]){re.escape(e)}$", folded) for e in ends)

        found = {a for full, a in self.acronyms.items() if belongs(full)}
        found |= {b for b in self.body_names if belongs(b) and fold_french(b) not in self.acronyms}
        found.discard(parent)
        return found.pop() if len(found) == 1 else None

    def person_at_end(self, speaker: str) -> Optional[str]:
        """The person named in full at the end of a longer speaker ("ROLE Prénom Nom"), if any."""
        for p in self.full_persons:  # longest names first
            if len(speaker) > len(p) and fold_name(speaker).endswith(" " + fold_name(p)):
                before = speaker[: len(speaker) - len(p)].split()
                # a role before the name ("secrétaire général de l'Otan"), not a first name ("Marine")
                return p if any(w[:1].islower() for w in before) else None
        return None

    def person(self, name: str) -> str:
        words = name.split()
        full = self.context.person(name)
        if len(full.split()) > len(words) and fold_name(words[-1]) in {fold_name(w) for w in full.split()}:
            return full
        return name


def canonical_speakers(attributions: Sequence[Attribution], article_of: Sequence[int],
                       tables: Sequence[ArticleNames], lexicon=None, metonyms=None) -> list[Attribution]:
    """``attributions`` with each speaker given its corpus-wide name.

    Args:
        attributions: one per sentence of the corpus.
        article_of: the position in ``tables`` of each sentence's article.
        tables: what each article learnt (:meth:`ArticleNames.of`).
    """
    if lexicon is None or metonyms is None:
        from claims.french.cues import default_lexicon
        from claims.french.entities import default_metonyms

        lexicon, metonyms = lexicon or default_lexicon(), metonyms or default_metonyms()
    name = _namer(tables, lexicon, metonyms)
    cache: dict[tuple[int, str], str] = {}
    out = []
    for a, k in zip(attributions, article_of):
        if a.speaker is None or k is None:
            out.append(a)
            continue
        if (k, a.speaker) not in cache:
            parts = [name(k, p) for p in a.speaker.split(", ")]
            cache[(k, a.speaker)] = ", ".join(dict.fromkeys(parts))
        out.append(a._replace(speaker=cache[(k, a.speaker)]) if cache[(k, a.speaker)] != a.speaker else a)
    return _one_spelling(out, article_of)


def _variant_key(name: str) -> str:
    return " ".join(re.sub(r"[\-‐–]", " ", fold_french(name)).split())


_PARTICLES = {"al", "el", "ben", "bin", "ibn", "de", "du", "da", "van", "von"}


def _person_key(name: str) -> Optional[str]:
    """First and last name, folded, for a name of three words or more ("Mohammed ben Abdelrahmane
    Al-Thani" ~ "Mohammed bin Abdulrahman Al Thani": two transliterations of one person)."""
    words = name.split()
    if len(words) < 3 or not all(w[:1].isupper() or w.lower() in _PARTICLES for w in words):
        return None
    tokens = [t for t in re.split(r"[\s\-]+", fold_name(name)) if t and t not in _PARTICLES]
    return f"person:{tokens[0]}:{tokens[-1]}" if len(tokens) >= 2 else None


def _one_spelling(attributions: list[Attribution], article_of: Sequence[int]) -> list[Attribution]:
    """Speakers written two ways across the corpus ("Météo France" / "Météo-France", "Ocha" /
    "OCHA", two transliterations of one name) take the spelling most articles use; ties go to the
    one more sentences use, then to the one with more capitals (an acronym), then to the
    hyphenated one."""
    counts: dict[str, dict[str, int]] = {}
    articles: dict[str, set] = {}
    for a, k in zip(attributions, article_of):
        for part in (a.speaker.split(", ") if a.speaker else ()):
            for key in {_variant_key(part), _person_key(part)} - {None}:
                forms = counts.setdefault(key, {})
                forms[part] = forms.get(part, 0) + 1
            articles.setdefault(part, set()).add(k)
    best: dict[str, str] = {}
    for key, forms in counts.items():
        if len(forms) > 1:
            winner = max(forms, key=lambda f: (len(articles[f]), forms[f], sum(c.isupper() for c in f), "-" in f))
            for form in forms:
                best[form] = winner
    if not best:
        return attributions
    out = []
    for a in attributions:
        if a.speaker is None:
            out.append(a)
            continue
        parts = [best.get(p, p) for p in a.speaker.split(", ")]
        speaker = ", ".join(dict.fromkeys(parts))
        out.append(a._replace(speaker=speaker) if speaker != a.speaker else a)
    return out


def speaker_variants(tables: Sequence[ArticleNames], lexicon=None, metonyms=None) -> dict[str, list[str]]:
    """Each source's corpus-wide name -> the ways the articles wrote it ("Lula", "le président brésilien")."""
    if lexicon is None or metonyms is None:
        from claims.french.cues import default_lexicon
        from claims.french.entities import default_metonyms

        lexicon, metonyms = lexicon or default_lexicon(), metonyms or default_metonyms()
    name = _namer(tables, lexicon, metonyms)
    variants: dict[str, dict[str, None]] = {}
    for k, table in enumerate(tables):
        for speaker, forms in table.surfaces.items():
            canonical = name(k, speaker)
            seen = variants.setdefault(canonical, {})
            for form in [*forms, speaker]:
                bare = fold_french(_DETERMINERS.sub("", form))
                if canonical in form or bare in {fold_french(_DETERMINERS.sub("", f)) for f in seen}:
                    continue  # the name itself, "le président X Y" around it, or a form already listed
                seen[form] = None
    return {k: sorted(v, key=lambda f: (len(f), f)) for k, v in variants.items()}


def merge_spellings(variants: dict[str, list[str]], attributions: Sequence[Attribution]) -> dict[str, list[str]]:
    """``variants`` with the spellings :func:`canonical_speakers` merged ("Météo France" under
    "Météo-France"), the losing spelling listed as a written form of the winner."""
    used = {p for a in attributions if a.speaker for p in a.speaker.split(", ")}
    winner: dict[str, str] = {}
    for name in used:
        for key in {_variant_key(name), _person_key(name)} - {None}:
            winner[key] = name
    out: dict[str, list[str]] = {k: list(v) for k, v in variants.items()}
    for name in list(out):
        if name in used:
            continue
        target = next((winner[k] for k in (_variant_key(name), _person_key(name)) if k in winner), None)
        if target is not None and target != name:
            forms = out.pop(name)
            out[target] = list(dict.fromkeys([*out.get(target, []), name, *forms]))
    return out


_DETERMINERS = re.compile(r"^(?:(?:les|le|la)\s+|l['’]\s*)", re.IGNORECASE)


def written_forms(items, results) -> dict[str, list[str]]:
    """For each source an article attributes sentences to, the mentions that name it as written
    (pronouns aside), a sentence-initial article lower-cased: "le président brésilien", "Lula"."""
    speakers = {p for a in results if a.speaker for p in a.speaker.split(", ")}
    forms: dict[str, dict[str, None]] = {}
    for item in items:
        for m in item.mentions:
            if m.kind == "pronoun" or m.speaker not in speakers:
                continue
            text = " ".join(item.sentence.text[m.start:m.end].split())
            if m.kind != "person" and _DETERMINERS.match(text):  # not "Le Pen"
                text = text[:1].lower() + text[1:]
            if 0 < len(text.split()) <= 8:
                forms.setdefault(m.speaker, {})[text] = None
    return {k: list(v) for k, v in forms.items()}


def _namer(tables: Sequence[ArticleNames], lexicon, metonyms):
    """``name(k, speaker)``: the corpus-wide name of a speaker of article ``k``."""
    corpus = _Corpus(tables, lexicon, metonyms)

    def name(k: int, speaker: str) -> str:
        table = tables[k]
        person = corpus.person_at_end(speaker)
        if person is not None:  # "le secrétaire général de l'Otan Jens Stoltenberg"
            return person
        if speaker in table.open_roles:
            if _tied(corpus, table.open_roles[speaker]):
                return corpus.context.role_speaker(table.open_roles[speaker])
            return corpus.longer_role(table.open_roles[speaker]) or speaker
        if speaker in table.open_heads:
            bodies = corpus.bodies.get(speaker, set())
            last = table.open_heads[speaker]
            if last and fold_french(speaker) not in fold_french(last) and (
                    not ACRONYM.fullmatch(last) or last in NEWS_AGENCIES):
                last = None  # "a souligné la préfecture" after "citées par l'AFP": not the agency
            body = next(iter(bodies)) if len(bodies) == 1 else last or speaker
            return corpus.body_acronym(body) or corpus.member_body(body) or body
        if speaker in _BENCH:  # "les juges" of the one court the corpus names
            courts = {b for h in ("tribunal", "cour") for b in corpus.bodies.get(h, ())}
            return next(iter(courts)) if len(courts) == 1 else speaker
        if speaker in table.persons or len(speaker.split()) == 1:
            return corpus.person(speaker)
        # "(AFAD)" given in another article, or "ANSM" used alone
        return corpus.body_acronym(speaker) or corpus.longer_body(speaker) or corpus.member_body(speaker) \
            or speaker

    return name


def _tied(corpus: _Corpus, role: str) -> bool:
    """Whether the corpus ties a role to one person (else it stays the role as written)."""
    key = corpus.context.role_key(role)
    if key in corpus.context.roles:
        return True
    title, _, rest = key.partition(" ")
    close = {p for k, p in corpus.context.roles.items()
             if k.split(" ")[0] == title and set(rest.split()) <= set(k.split())}
    return len(close) == 1


__all__ = ["ArticleNames", "canonical_speakers", "merge_spellings", "speaker_variants", "written_forms"]
