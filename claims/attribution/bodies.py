"""Bodies as sources: acronyms, named organisations, institutions, the state and "la même source".

Beside the fixed names of ``metonyms.tsv`` ("Moscou" -> "Russie"), news quote agencies, ministries,
courts, media and clubs that no table can list. :func:`body_mentions` finds them in a parsed
sentence, with the vocabulary of ``bodies.tsv``:

* an acronym ("BCE", "USGS") or a name spaCy tags as an organisation ("Banque de Lorraine", "Insee");
* an institution's name, from its head noun ("le ministère de l'Intérieur", "le tribunal
  correctionnel de Paris"), given by its acronym when one follows in brackets ("l'Office fédéral
  des routes (OFROU)" -> "OFROU"), which the article then keeps;
* a head followed by a proper name ("l'agence de presse Nordpress" -> "Nordpress");
* the state as such: "les autorités suisses" -> "Suisse";
* a head with no name ("l'institution", "le club espagnol", "le ministère"): the last body the
  article named (kept in :class:`Bodies` while the sentences are read in order);
* "la même source": kind ``same``, resolved by the attributor to the last source it found.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from claims.french.entities import ENTITIES_PATH, default_metonyms
from claims.french.resources import data_path, read_tsv
from claims.attribution.cities import city_body
from claims.attribution.body_names import bracketed_names, demonym_first, organisations
from claims.french.text import alternation, fold_french

BODIES_PATH = data_path("bodies.tsv")
# an acronym, also after an elided article ("l’OFVS présente")
_ACRONYM = re.compile(r"(?:(?<![\w\-’'])|(?<=\b[lLdD]['’]))([A-Z][A-Z0-9&]{1,6})(?![\w\-])")
_NOT_ACRONYMS = {"II", "III", "IV", "VI", "XX", "XXI", "OK", "TV", "PIB", "UTC", "GMT", "CDI", "CDD"}
_DET = r"(?:(?:le|la|les|l['’]|leur|son|sa|ses)\s*)"
_NAME_WORD = r"[A-ZÀ-Ý][\w’'\-\.&]*"
_PLURAL_STATES = {"pays", "gouvernements", "régimes"}  # "les pays les moins avancés": a group, no country
_JUDGES = {"juges", "magistrats"}
_COURTS = ("tribunal", "cour", "juridiction")
_GENERIC = {"institution", "organisation", "organisme", "instance", "institut"}
_TIME_WORDS = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier", "matin",
               "soir", "midi", "aujourd'hui", "jour", "semaine", "mois", "année"}
_NAME_PREPOSITIONS = {"de", "du", "des", "d'", "d’", "pour", "sur", "en", "aux", "à"}


@dataclass(frozen=True)
class BodyVocabulary:
    heads: tuple[str, ...]
    named: frozenset[str]
    state: frozenset[str]
    ministry: frozenset[str]
    document: frozenset[str]
    same: tuple[str, ...]
    local: frozenset[str]
    countries: dict  # folded demonym -> (country name, masculine singular demonym)
    country_names: dict  # folded country name -> country name
    group: frozenset[str] = frozenset()  # "secouristes": a definite group of people is a source
    anaphor: frozenset[str] = frozenset()  # "l'enseigne", "le syndicat": alone, the last body named
    kinds: tuple = ()  # (kind, nouns and names): "l'enseigne" is the last company named, "le syndicat" the last union


@lru_cache(maxsize=1)
def vocabulary() -> BodyVocabulary:
    kinds: dict[str, list[str]] = {}
    countries: dict[str, tuple[str, str]] = {}
    names: dict[str, str] = {}
    for _, cols in read_tsv(BODIES_PATH):
        kind, forms = cols[0].strip(), [f.strip() for f in cols[1].split(",") if f.strip()]
        if kind == "country":
            names[fold_french(forms[0])] = forms[0]
            for adj in forms[1:]:
                countries[fold_french(adj)] = (forms[0], forms[1])
        else:
            kinds.setdefault(kind, []).extend(forms)
    canonical = default_metonyms().canonical
    folded_metonyms = {fold_french(k): v for k, v in canonical.items()}
    for _, cols in read_tsv(ENTITIES_PATH):
        if len(cols) < 4 or cols[1].strip() != "country":
            continue
        first = cols[2].split("|")[0].strip()
        name = folded_metonyms.get(fold_french(first), first[:1].upper() + first[1:])
        adjectives = [a.strip() for a in cols[3].split("|") if a.strip()]
        names.setdefault(fold_french(first), name)
        for adj in adjectives:
            countries.setdefault(fold_french(adj), (name, adjectives[0]))
    by_length = lambda forms: tuple(sorted(set(forms), key=len, reverse=True))  # noqa: E731
    return BodyVocabulary(by_length(kinds.get("head", [])), frozenset(kinds.get("named", [])),
                          frozenset(kinds.get("state", [])), frozenset(kinds.get("ministry", [])),
                          frozenset(kinds.get("document", [])), by_length(kinds.get("same", [])),
                          frozenset(kinds.get("local", [])), countries, names,
                          frozenset(f.lower() for f in kinds.get("group", [])),
                          frozenset(f.lower() for f in kinds.get("anaphor", [])),
                          tuple((k, frozenset(fold_french(f) for f in kinds[k])) for k in ("company", "union", "city")
                                if k in kinds))


@lru_cache(maxsize=1)
def _head_pattern() -> re.Pattern:
    v = vocabulary()
    heads = alternation([*v.heads, *v.state, *v.named, *v.group, *v.anaphor, *_city_nouns(), "justice"])
    # "le deuxième groupe de …", "le premier syndicat": a rank or size before the head
    rank = r"(?:même|premier|première|deuxième|second|seconde|troisième|grand|grande|principal|principale)\s+"
    return re.compile(rf"(?<![\w\-])(?P<det>{_DET})?(?:{rank})?(?P<head>{heads})(?![\w\-])", re.IGNORECASE)


@lru_cache(maxsize=4)
def _raw_forms(kind: str) -> frozenset:
    """The forms of one kind of ``bodies.tsv`` as written (lower case, accents kept)."""
    return frozenset(f.strip().lower() for _, cols in read_tsv(BODIES_PATH) if cols[0].strip() == kind
                     for f in cols[1].split(",") if f.strip())


def _city_nouns() -> frozenset:
    return _raw_forms("city")


@lru_cache(maxsize=1)
def _same_pattern() -> re.Pattern:
    return re.compile(rf"(?<![\w\-])(?:la|les)\s+(?:{alternation(vocabulary().same)})(?![\w\-])",
                      re.IGNORECASE)


@dataclass
class Bodies:
    """What one article says of its bodies: acronyms given in brackets, the last body named, its country."""

    acronyms: dict[str, str] = field(default_factory=dict)  # folded full name -> acronym
    by_head: dict[str, str] = field(default_factory=dict)  # "tribunal" -> the tribunal named last
    by_kind: dict[str, str] = field(default_factory=dict)  # "union" -> the union named last
    recent: list = field(default_factory=list)  # bodies named, in order
    unresolved: dict[str, Optional[str]] = field(default_factory=dict)  # head given as speaker -> last body
    last: Optional[str] = None
    last_state: Optional[str] = None
    country: Optional[tuple[str, str]] = None  # the article's main country: name, demonym

    def learn(self, texts) -> None:
        """Count the countries an article names (its main one gives ministries their adjective)."""
        v = vocabulary()
        counts: Counter = Counter()
        for text in texts:
            for word in re.findall(r"[\w\-]+", text):
                folded = fold_french(word)
                if folded in v.countries:
                    counts[v.countries[folded]] += 1
                elif folded in v.country_names:
                    name = v.country_names[folded]
                    adj = next((a for n, a in v.countries.values() if n == name), None)
                    if adj:
                        counts[(name, adj)] += 1
        if counts:
            (top, n), *rest = counts.most_common(2)
            if n >= 2 and (not rest or rest[0][1] < n):
                self.country = top


@lru_cache(maxsize=1)
def _folded_metonyms() -> dict[str, str]:
    return {fold_french(k): v for k, v in default_metonyms().canonical.items() if len(k.split()) >= 3}


def _known_name(name: str) -> Optional[str]:
    """The body a written-out name stands for, from ``metonyms.tsv``; a name cut short after
    at least four words counts ("l'institut national de la statistique" -> "Insee")."""
    folded = fold_french(name)
    table = _folded_metonyms()
    if folded in table:
        return table[folded]
    if len(folded.split()) >= 4:
        hits = {v for k, v in table.items() if k.startswith(folded + " ")}
        if len(hits) == 1:
            return hits.pop()
    return None


def ministry_case(name: str) -> str:
    """A ministry's domain capitalised, as French typography writes it ("ministre de l'Intérieur")."""
    return re.sub(r"^(minist(?:ère|re)s?(?:\s+[a-zéèêîôûç]+)?\s+(?:de\s+la|de\s+l['’]|des|du|de|d['’])\s*)(\w)",
                  lambda m: m.group(1) + m.group(2).upper(), name, flags=re.IGNORECASE)


def _kind_of(word: Optional[str]) -> Optional[str]:
    """The kind of body ("company", "union") a head noun or a body's name says, from ``bodies.tsv``."""
    folded = fold_french(word or "")
    return next((k for k, forms in vocabulary().kinds if folded in forms), None)


def _country_of(words: list[str]) -> Optional[str]:
    countries = vocabulary().countries
    for w in words:
        if fold_french(w) in countries:
            return countries[fold_french(w)][0]
    return None


def _extent(doc, end: int) -> int:
    """Where an institution's name ends: over adjectives, "de …" complements and a bracketed acronym."""
    last = end
    depth_ok = {"ADJ", "ADP", "DET", "NOUN", "PROPN", "CCONJ"}
    previous = None
    for t in (t for t in doc if t.idx >= end):
        if t.text == "(" or t.is_punct and t.text not in ("-", "’", "'"):
            break
        degree = t.lower_ in ("plus", "moins") and t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "ADJ"
        agreeing = t.dep_ == "amod" and t.pos_ == "VERB"  # "Nations unies": "unies" tagged as a verb
        if t.pos_ not in depth_ok and not degree and not agreeing and not (t.text[:1].isupper() and t.pos_ == "X"):
            break  # ("les pays les moins avancés" goes on over the superlative)
        superlative = t.i + 1 < len(doc) and doc[t.i + 1].lower_ in ("plus", "moins")
        if t.pos_ == "DET" and previous is not None and previous.pos_ in ("NOUN", "PROPN", "ADJ") \
                and not superlative:
            break  # "réclame de la direction générale | le retrait du plan": a new noun phrase, the object
        previous = t
        if t.lower_ in _TIME_WORDS:
            break  # "le bureau de l'Unicef | lundi matin"
        if t.pos_ == "ADP" and t.lower_ not in _NAME_PREPOSITIONS:
            break  # "l'institution dans un communiqué": the name ends before "dans"
        if t.pos_ == "CCONJ" and t.lower_ != "et":
            break
        last = t.idx + len(t.text)
    span = doc.char_span(end, last, alignment_mode="expand") if last > end else None
    while span is not None and len(span) and span[-1].pos_ in ("ADP", "DET", "CCONJ"):
        last = span[-1].idx
        last = len(doc.text[:last].rstrip())
        span = doc.char_span(end, last, alignment_mode="expand") if last > end else None
    return last


def _member_end(text: str, end: int) -> Optional[int]:
    """Where "de l'ONU" / "des Nations unies" ends when an organisation of the metonym table is the
    complement right after ``end`` (spaCy may tag "unies" as a verb, so the parse is not asked)."""
    m = re.match(r"\s*(?:de\s+la|de\s+l['’]|des|du|de|d['’])\s*", text[end:], re.IGNORECASE)
    if not m:
        return None
    at = end + m.end()
    found = [e for s, e, _ in default_metonyms().find(text[at:at + 60]) if s == 0]
    return at + found[0] if found else None


def _strip_det(text: str) -> str:
    return re.sub(rf"^{_DET}", "", text.strip(), flags=re.IGNORECASE).strip()


def body_mentions(doc, bodies: Bodies, known_people=lambda name: False,
                  quoted=()) -> list[tuple[int, int, str, Optional[str]]]:
    """Bodies in one parsed sentence: (start, end, kind, speaker), kind "body" or "same".

    Updates ``bodies`` (acronyms, last body named) as it reads: call it on an article's sentences in order.
    Bodies inside the ``quoted`` spans (quotations) are found but do not become the last body named:
    "l'organisation" after « … de la direction … » is the body that spoke, not the one it spoke of.
    """
    v = vocabulary()
    text = doc.text
    metonyms = default_metonyms()
    found: list[tuple[int, int, str, Optional[str]]] = []
    for m in _same_pattern().finditer(text):
        found.append((m.start(), m.end(), "same", None))
    for m in _head_pattern().finditer(text):
        head = m.group("head").lower()
        definite = bool(re.match(r"(?:le|la|les|l['’])\s*$", (m.group("det") or ""), re.IGNORECASE))
        if head in _raw_forms("institution") and definite and not re.match(r"\s*[\w\-]", text[m.end():]):
            found.append((m.start(), m.end(), "body", head))  # "selon la police": the force itself
            continue
        if head in _city_nouns():  # "la mairie", "la ville de X": the town (not the last body named)
            city = city_body(text, head, m.end(), definite, bodies, _city_nouns())
            if city is not None:
                found.append((m.start(), city[0], "body", city[1]))
            continue
        end = _extent(doc, m.end())
        at = m.start("head")
        table = next(((at + e, c) for b, e, c in metonyms.find(text[at:at + 80]) if b == 0), None)
        if table is not None and table[0] >= end:  # "l'Organisation des Nations unies": the table's name
            found.append((m.start(), table[0], "body", table[1]))
            continue
        rest = text[m.end():end]
        bracket = re.match(r"\s*\(\s*([A-Z][\w&\-]{1,9})\s*\)", text[end:])
        rest_words = re.findall(r"[\w\-’']+", rest)
        name = _strip_det(text[m.start():end])
        speaker: Optional[str] = None
        stop = end
        anaphor = False
        named = re.match(rf"((?:\s+[a-zéèêàç\-]+)*?)\s+(?P<n>{_NAME_WORD}(?:\s+{_NAME_WORD})*)", rest)
        if head == "justice" and re.fullmatch(r"la\s*", m.group("det") or "", re.IGNORECASE):
            court = next((bodies.by_head[h] for h in _COURTS if h in bodies.by_head), None)
            found.append((m.start(), m.end(), "body", court or "justice"))  # "la justice a jugé": the court
            continue
        if head in v.group or (head in _PLURAL_STATES and _country_of(rest_words) is None and rest_words
                               and not any(w.lower() in v.local for w in rest_words)):
            # "les secouristes", "les pays les moins avancés": a definite group speaks as one source;
            # "des secouristes", "certains experts" stay vague (narration)
            if not re.fullmatch(r"les\s*", m.group("det") or "", re.IGNORECASE):
                continue
            court = next((bodies.by_head[h] for h in _COURTS if h in bodies.by_head), None)
            group = " ".join(text[m.start("head"):end].split())
            # "les juges" of an article that named its court speak for that court
            found.append((m.start(), end, "body", court if head in _JUDGES and court else group))
            continue
        unit_of = re.match(r"\s*(?:de\s+la|de\s+l['’]|du|des|de)\s*([A-Z][A-Za-z]{1,7})\b", rest)
        if unit_of and not bracket and unit_of.group(1) in set(bodies.acronyms.values()):
            speaker = unit_of.group(1)  # "le bureau de l'Ocha" after "(Ocha)": the body itself
        elif bracket:
            speaker = bracket.group(1)
            stop = end + bracket.end()
            bodies.acronyms[fold_french(name)] = speaker
        elif fold_french(name) in bodies.acronyms:
            speaker = bodies.acronyms[fold_french(name)]
        elif _known_name(name):
            speaker = _known_name(name)
        elif head in v.named and named and " de " not in f" {named.group(1)} ":
            inner = named.group("n")
            speaker = metonyms.canonical.get(inner, inner)
            stop = m.end() + named.end()
        elif m.group("head")[:1].isupper() and m.group("det") and head in v.heads and rest_words:
            speaker = " ".join(name.split())  # "la Banque nordique", "la Commission électorale": a name
        elif head in _GENERIC and _member_end(text, m.end()):
            stop = _member_end(text, m.end())  # "un organisme de l'ONU": one of its bodies (claims.attribution.canon)
            speaker = " ".join(text[m.start("head"):stop].split())
        elif head in _GENERIC or head in v.anaphor or head not in v.heads and head not in v.state:
            if head not in _GENERIC and re.search(r"\b(?:de|du|des|d['’]|pour)\b", rest, re.IGNORECASE):
                continue  # "le groupe de contact": a "named" head without a name is no body
            anaphor = True  # "l'institution de Genève", "le club basque"
        elif head in v.state:
            country = _country_of(rest_words)
            if country is None and (not definite or any(w.lower() in v.local for w in rest_words)):
                continue  # "d'autres pays", "les autorités locales": no single source
            speaker = country or bodies.last_state or (bodies.country[0] if bodies.country else None)
        elif re.search(r"\b(?:de|du|des|d['’]|pour)\b", rest, re.IGNORECASE) and head not in ("justice",):
            if head in v.ministry and bodies.country and not _country_of(rest_words):
                first = rest_words[0] if rest_words else ""
                if not first or fold_french(first) in ("de", "du", "des", "d'", "d’"):
                    name = f"{m.group('head')} {bodies.country[1]}{rest}"
            speaker = ministry_case(demonym_first(" ".join(name.split())))
            speaker = speaker[:1].lower() + speaker[1:] if m.group("head")[:1].isupper() \
                and not any(w[:1].isupper() for w in rest_words) else speaker
        else:
            anaphor = True
        if not anaphor:
            pass
        elif definite and _kind_of(head) in bodies.by_kind:
            speaker = bodies.by_kind[_kind_of(head)]  # "l'enseigne": the company named last
        elif definite and _kind_of(head) and any(_kind_of(b) is None for b in bodies.recent):
            # "la direction" after "la CGT": not the union, the last body of no other kind
            speaker = next(b for b in reversed(bodies.recent) if _kind_of(b) is None)
        elif definite and head in bodies.by_head:
            speaker = bodies.by_head[head]  # "le tribunal": the tribunal named last
        elif definite and bodies.last and (head in _GENERIC or head in v.anaphor or head not in v.heads) \
                and not (_kind_of(head) and _kind_of(bodies.last)):  # "la direction" is no union
            speaker = bodies.last  # "l'institution", "le club": the body named last
        elif definite and not head.endswith("s"):
            # "le ministère" with no ministry named: the corpus may name it (claims.attribution.canon)
            speaker = head
            bodies.unresolved[head] = bodies.last
        if speaker is None or known_people(speaker):
            continue
        if not anaphor and head not in v.state:
            bodies.by_head[head] = speaker
            if _kind_of(head):  # "le distributeur Lumora": a company
                bodies.by_kind[_kind_of(head)] = speaker
        found.append((m.start(), stop, "body", speaker))
    for start, end, acronym, name in bracketed_names(doc):
        bodies.acronyms.setdefault(fold_french(name), acronym)
        found.append((start, end, "body", acronym))
    for ent in doc.ents:
        if ent.label_ == "ORG" and ent.text[:1].isupper() and not known_people(ent.text):
            end = ent.end_char if ent.text.isupper() else _extent(doc, ent.end_char)  # "l'Alliance mondiale | du vaccin (GAVI)"
            after = re.match(r"\s*\(\s*([A-Z][\w&\-]{1,9})\s*\)", text[end:])
            end = end if after else ent.end_char
            bare = _strip_det(ent.text)
            speaker = after.group(1) if after else bodies.acronyms.get(
                fold_french(bare), metonyms.canonical.get(bare, bare))
            if after:
                bodies.acronyms[fold_french(_strip_det(ent.text))] = speaker
            found.append((ent.start_char, end + (after.end() if after else 0), "body", speaker))
    for m in _ACRONYM.finditer(text):
        if m.group(1) not in _NOT_ACRONYMS and sum(c.isupper() for c in m.group(1)) >= 2:
            found.append((m.start(), m.end(), "body", metonyms.canonical.get(m.group(1), m.group(1))))
    known_organisations = organisations()  # "l'ONU … L'organisation a rappelé": a metonym is a body named too
    named = [f for f in found + [(a, b, "body", c) for a, b, c in metonyms.find(text) if c in known_organisations]
             if f[2] == "body" and f[3] and not any(s <= f[0] < e for s, e in quoted)
             and f[3].lower() not in _city_nouns() and not f[3].startswith(("Ville de ", "Ville d'"))]
    for f in sorted(named, key=lambda f: f[0]):
        if _kind_of(f[3]):  # "la CGT": a union by its name
            bodies.by_kind[_kind_of(f[3])] = f[3]
    if named:
        bodies.recent.extend(f[3] for f in sorted(named, key=lambda f: f[0]))
        bodies.last = max(named, key=lambda f: f[0])[3]
        states = [f[3] for f in named if f[3] in vocabulary().country_names.values()]
        bodies.last_state = states[-1] if states else bodies.last_state
    for ent in doc.ents:  # "a confirmé le Qatar": a place with its article is a state speaking
        det = re.search(r"(?<![\w\-])(?:le|la|l['’])\s*$", text[:ent.start_char], re.IGNORECASE)
        if ent.label_ == "LOC" and det and len(ent) <= 3 and ent.text[:1].isupper() \
                and not any(t.pos_ in ("ADP", "DET") for t in ent):
            found.append((det.start(), ent.end_char, "body", metonyms.canonical.get(ent.text, ent.text)))
    return found


__all__ = ["Bodies", "body_mentions", "ministry_case", "vocabulary"]
