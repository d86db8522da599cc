"""Who a mention in a sentence is: people's names, roles, bodies (with metonyms) and pronouns.

An :class:`ArticleContext` is built once per article: the fullest written form of each person's name
("Stoltenberg", "M. Stoltenberg" -> "Jens Stoltenberg") and the roles the article ties to a person
("Le secrétaire général de l'OTAN, Jens Stoltenberg," makes "le chef de l'Otan" mean him: titles of
one class in ``reporting_cues.tsv`` are one role). :func:`find_mentions` then lists the mentions of
one sentence, each with the canonical speaker it stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, Optional, Sequence

from claims.attribution.bodies import Bodies, body_mentions, ministry_case, vocabulary
from claims.attribution.pronouns import role_gender
from claims.french.cues import CueLexicon
from claims.french.entities import Metonyms
from claims.french.text import fold_french, fold_name

_HONORIFIC = re.compile(r"^(?:(?:le|la)\s+)?(?:M\.|Mme|Mlle|MM\.|Me|Maître|Dr\.?|Pr\.?|docteur|professeur|"
                        r"prince|princesse|cheikh|sheikh|émir|roi|reine)\s+|^[Ll]['’]\s*(?=[A-ZÀ-Ý])", re.IGNORECASE)
_HONORIFIC_NAME = re.compile(
    r"(?<![\w])(?:M\.|Mme|Mlle)\s+((?:[A-ZÀ-Ý][\w’'\-]+)(?:\s+[A-ZÀ-Ý][\w\-]+)?)"
    r"|(?<![\w])(?:(?:[Ll]e|[Ll]a)\s+)?(?:Me|Maître|Dr\.?|Pr\.?|docteur|professeure?|prince|princesse|cheikh|Sheikh)\s+"
    r"([A-ZÀ-Ý][\w’'\-]+(?:\s+(?:(?:ben|bin|al|el|de|da|van|von)\s+)?[A-ZÀ-Ý][\w’'\-]+){0,4})")
_DROP_IN_ROLE = {"le", "la", "les", "l'", "l’", "un", "une", "son", "sa", "ses", "leur"}
_ROLE_PREP = {"du": "de", "des": "de", "d'": "de", "d’": "de", "de": "de", "au": "à", "aux": "à"}
_SUBJECT_PRONOUNS = {"il", "elle", "lui"}  # "lui" after "selon"
_NOT_IN_ROLE = {"à", "dans", "devant", "lors", "pendant", "depuis", "avant", "après", "avec", "chez", "contre"}
_PLACE_NOUNS = {"département", "pays", "région", "ville", "île", "archipel", "commune", "territoire"}
_NAME_PARTICLES = {"de", "du", "des", "van", "von", "der", "den", "da", "di", "del", "ben", "bin", "al", "el"}


class Mention(NamedTuple):
    """A possible source in a sentence; offsets are into the sentence text."""

    start: int
    end: int
    kind: str  # "person" | "role" | "body" | "pronoun"
    speaker: Optional[str]  # canonical name; None for a pronoun (resolved by the caller)


def clean_name(text: str) -> str:
    """Strip honorifics, brackets and stray punctuation from a person's name."""
    text = _HONORIFIC.sub("", text.strip())
    text = re.sub(r"\(([^)]*)\)", r"\1", text)
    return " ".join(text.strip(" ,.;:«»“”\"'’").split())


@dataclass
class ArticleContext:
    """Names and roles of one article, used to turn mentions into canonical speakers."""

    lexicon: CueLexicon
    metonyms: Metonyms
    names: dict[str, str] = field(default_factory=dict)  # folded surname -> fullest form
    roles: dict[str, str] = field(default_factory=dict)  # role key -> canonical person
    first_words: dict[str, str] = field(default_factory=dict)  # folded first word -> fullest form
    open_roles: dict[str, str] = field(default_factory=dict)  # role given as speaker -> role as written
    genders: dict[str, str] = field(default_factory=dict)  # person -> "F" / "M", when the article shows it
    bodies: Bodies = field(default_factory=Bodies)

    def add_name(self, name: str) -> None:
        name = clean_name(name)
        words = name.split()
        if not words or not all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words):
            return
        if name in self.metonyms.canonical or words[-1] in self.metonyms.canonical:
            return  # "Washington", "Kremlin" tagged as people
        key = fold_name(words[-1])
        known = self.names.get(key)
        if known is None or len(words) > len(known.split()):
            self.names[key] = name
        if len(words) > 1:  # "le Dr Amara" for "Amara Tesfaye Bekele"
            known = self.first_words.get(fold_name(words[0]))
            if known is None or len(words) > len(known.split()):
                self.first_words[fold_name(words[0])] = name

    def person(self, name: str) -> str:
        """The fullest form of a person's name in the article."""
        name = clean_name(name)
        words = name.split()
        if not words:
            return name
        key = fold_name(words[-1])
        known = self.names.get(key)
        if known is not None and len(words) > 1 and fold_name(words[0]) not in {fold_name(w) for w in known.split()}:
            return name  # "Jean-Marie Le Pen" is not "Marine Le Pen": same family name, another person
        found = [self.names.get(key, name)]
        if len(words) == 1 and key in self.first_words:  # "Amara" -> "Amara Tesfaye Bekele"
            found.append(self.first_words[key])
        if len(words) == 1 and len(found[0].split()) == 1 and key not in self.first_words:
            # "Lula" for "Luiz Inácio Lula da Silva": a word inside one known name, no other
            inside = {n for n in self.names.values() if key in {fold_name(w) for w in n.split()[1:-1]}
                      and key not in _NAME_PARTICLES}
            if len(inside) == 1:
                found.append(inside.pop())
        return max(found, key=lambda n: len(n.split()))

    def is_known_surname(self, word: str) -> bool:
        return word[:1].isupper() and fold_name(word) in self.names

    def is_person(self, name: str) -> bool:
        """Whether a name is one the article gave a person (spaCy may tag it as an organisation)."""
        words = clean_name(name).split()
        return bool(words) and len(words) > 1 and fold_name(words[-1]) in self.names

    def role_key(self, role: str) -> str:
        """A role with determiners dropped, its title classed and bodies named canonically."""
        text = re.sub(r"^(?:le|la|l['’]|un|une|son|sa)\s*", "", role.strip(), flags=re.IGNORECASE)
        title_class = ""
        for title in self.lexicon.words("title"):  # longest first
            if re.match(re.escape(title) + r"(?![\w\-])", text, re.IGNORECASE):
                title_class, text = self.lexicon.title_class(title) or title, text[len(title):]
                break
        for start, end, canonical in reversed(self.metonyms.find(text)):
            text = text[:start] + canonical.lower() + text[end:]
        words = [_ROLE_PREP.get(w, w) for w in re.findall(r"[\w\-]+['’]?", text.lower())]
        countries = vocabulary().countries
        # "le ministre qatari" is "le ministre … du Qatar"; "le préfet du département": the article's place
        words = [fold_french(countries[fold_french(w)][0]) if fold_french(w) in countries else w
                 for w in words if w not in _PLACE_NOUNS]
        return " ".join([title_class.lower()] + [w for w in words if w not in _DROP_IN_ROLE]).strip()

    def add_role(self, role: str, person: str) -> None:
        self.roles.setdefault(self.role_key(role), self.person(person))
        gender = role_gender(role, self.lexicon)
        if gender:
            self.genders.setdefault(self.person(person), gender)

    def role_speaker(self, role: str) -> str:
        """The person an article introduced with this role, else the role as written."""
        key = self.role_key(role)
        if key in self.roles:
            return self.roles[key]
        title, _, rest = key.partition(" ")
        close = [p for k, p in self.roles.items()
                 if k.split(" ")[0] == title and set(rest.split()) <= set(k.split())]
        if len(set(close)) == 1:
            return close[0]
        words = re.sub(r"^[Ll]['’]\s*", "", role.strip()).split()  # "L’édile"
        written = ministry_case(" ".join(words[1:] if words and words[0].lower() in _DROP_IN_ROLE else words))
        first = written.split(" ")[0]
        if first[:1].isupper() and self.lexicon.title_class(first):
            written = written[:1].lower() + written[1:]  # "Ministre de l'Intérieur" starting a phrase
        self.open_roles[written] = role  # the corpus may tie it to a person (claims.attribution.canon)
        gender = role_gender(role, self.lexicon)
        if gender:  # "Le ministre de la Santé … Elle estime": "elle" is someone else
            self.genders.setdefault(written, gender)
        return written


@lru_cache(maxsize=8)
def _title_pattern(titles: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in titles)
    return re.compile(rf"(?<![\w\-])(?:(?:le|la|l['’]|un|une|son|sa)\s*)?(?:{alternatives})(?![\w\-])",
                      re.IGNORECASE)


def _title_spans(text: str, lexicon: CueLexicon) -> list[tuple[int, int]]:
    pattern = _title_pattern(tuple(lexicon.words("title")))
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


_AFTER_ROLE = re.compile(r"\s*(?:\([^)]{1,20}\)\s*)?,\s*((?:[A-ZÀ-Ý][\w’'\-]+)"
                         r"(?:\s+(?:(?:ben|bin|al|el|de|da|van|von)\s+)?[A-ZÀ-Ý][\w’'\-]+){1,4})")


def _named_after_role(doc, context: ArticleContext, people) -> list[tuple[int, int]]:
    """A capitalised name right after a role is a person, whatever spaCy's label ("le directeur
    de l'agence, Amara Tesfaye Bekele" tagged as an organisation or a place)."""
    spans = []
    for start, end in _title_spans(doc.text, context.lexicon):
        role_end = _extend_role(doc, start, end, people)
        m = _AFTER_ROLE.match(doc.text, role_end)
        if m is None or any(s <= m.start(1) < e for s, e in people):
            continue
        words = m.group(1).split()
        if any(w in context.metonyms.canonical or w.isupper() for w in words):
            continue
        spans.append((m.start(1), m.end(1)))
    return spans


_APPOSED_PERSON = re.compile(r"(?:^|(?<=[,:;]\s))([A-ZÀ-Ý][a-zà-ÿ\-]+(?:\s+[A-ZÀ-Ý][a-zà-ÿ\-]+)?),\s+(?:un|une)\s+"
                             r"(?:habitante?|témoin|rescapée?|survivante?|mère|père|voisine?|étudiante?|"
                             r"employée?|retraitée?|sinistrée?|agricultrice|agriculteur|commerçante?|"
                             r"infirmière|infirmier|médecin|enseignante?|militante?|bénévole|victime)\b")


def _named_before_apposition(doc, context: ArticleContext, people) -> list[tuple[int, int]]:
    """A first name set off by "…, un habitant de X," is a person whatever spaCy's label
    ("Mounira, une habitante de Kawéni, a témoigné")."""
    spans = []
    for m in _APPOSED_PERSON.finditer(doc.text):
        if any(s <= m.start(1) < e for s, e in people) or m.group(1) in context.metonyms.canonical:
            continue
        if any(e.label_ == "LOC" and e.start_char <= m.start(1) < e.end_char for e in doc.ents):
            continue
        spans.append((m.start(1), m.end(1)))
    return spans


def _person_spans(doc, context: ArticleContext) -> list[tuple[int, int]]:
    """Character spans of people's names in a parsed sentence."""
    spans = []
    for ent in doc.ents:
        if ent.label_ == "PER" and any(t.text[:1].isupper() for t in ent):
            spans.append((ent.start_char, _hyphen_end(doc.text, ent.end_char)))
    for m in _HONORIFIC_NAME.finditer(doc.text):
        spans.append((m.start(), m.end()))
    spans.extend(_named_after_role(doc, context, spans))
    spans.extend(_named_before_apposition(doc, context, spans))
    taken = [range(s, e) for s, e in spans]
    for token in doc:
        if context.is_known_surname(token.text) and not any(token.idx in r for r in taken):
            start = token.idx
            # "Volodymyr Zelenskyy" when only the surname was recognised: take the capitalised word before
            if token.i > 0 and doc[token.i - 1].text[:1].isupper() and doc[token.i - 1].is_alpha \
                    and doc[token.i - 1].pos_ == "PROPN":
                start = doc[token.i - 1].idx
            spans.append((start, token.idx + len(token.text)))
    return spans


def _hyphen_end(text: str, end: int) -> int:
    """The end of a name the tagger cut before a hyphen ("Mohammed ben Abdelrahmane Al|-Thani") or an
    Arabic particle ("… Abdulrahman | Al Thani")."""
    while True:  # also "Sheikh Mohammed bin Abdulrahman | Al Thani": a particle and a capitalised word
        m = re.match(r"-[A-ZÀ-Ý][\w’']+|\s+(?:Al|El|al|el|ben|bin|ibn)[\s\-][A-ZÀ-Ý][\w’'\-]+", text[end:])
        if not m:
            return end
        end += m.end()


def _extend_role(doc, start: int, end: int, people: Sequence[tuple[int, int]]) -> int:
    """Extend a title over its modifiers ("secrétaire général | de l'Otan") and return the new end."""
    tokens = [t for t in doc if t.idx >= end]
    last = end
    previous_pos = None
    for t in tokens:
        in_person = any(s <= t.idx < e for s, e in people)
        if in_person and previous_pos != "ADP" and previous_pos != "DET":
            break
        glued = t.idx == last and t.text in ("-", "’", "'")  # "état-major", "l’armée"
        agreeing = t.dep_ == "amod" and t.pos_ == "VERB"  # "des Nations unies": "unies" tagged as a verb
        if not glued and not agreeing and (t.pos_ not in ("ADJ", "ADP", "DET", "NOUN", "PROPN") or t.is_punct):
            break
        if t.pos_ == "ADP" and t.lower_ in _NOT_IN_ROLE:
            break  # "le chef du gouvernement portugais | à la radio": the role ends before "à"
        last = t.idx + len(t.text)
        previous_pos = t.pos_
    # a role does not end on a preposition or article ("ministre de la")
    while last > end:
        tail = doc.char_span(end, last, alignment_mode="expand")
        if tail is None or tail[-1].pos_ not in ("ADP", "DET"):
            break
        last = tail[-1].idx - 1 if len(tail) > 1 else end
        last = len(doc.text[:last].rstrip())
    return last


def learn_article(docs: Sequence, context: ArticleContext) -> None:
    """First pass over an article: collect names, then roles tied to a name by apposition."""
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ == "PER":
                context.add_name(doc.text[ent.start_char:_hyphen_end(doc.text, ent.end_char)])
        for m in _HONORIFIC_NAME.finditer(doc.text):
            context.add_name(m.group(1) or m.group(2))
            if m.group(1):  # "M. X", "Mme X"
                context.genders.setdefault(clean_name(m.group(1)), "M" if m.group(0).startswith("M.") else "F")
        for start, end in _named_after_role(doc, context, []) + _named_before_apposition(doc, context, []):
            context.add_name(doc.text[start:end])
    context.bodies.learn(doc.text for doc in docs)
    for doc in docs:
        people = sorted(_person_spans(doc, context))
        for start, end in _title_spans(doc.text, context.lexicon):
            role_end = _extend_role(doc, start, end, people)
            role = doc.text[start:role_end]
            after = doc.text[role_end:]
            gap = len(after) - len(after.lstrip(" ,"))
            for ps, pe in people:
                if ps == role_end + gap and after[:gap].count(",") <= 1:  # "ROLE, NAME" / "ROLE NAME"
                    context.add_role(role, doc.text[ps:pe])
                before = doc.text[pe:start]
                if before.strip() == "," and pe <= start:  # "NAME, ROLE"
                    context.add_role(role, doc.text[ps:pe])
    learn_genders(docs, context)


_GENDERS = {"Fem": "F", "Masc": "M"}
_GENDERED_DETS = {"le", "la", "un", "une", "ce", "cet", "cette"}
_FEMININE_ENDINGS = ("trice", "euse", "ière", "enne", "ante", "ente", "oise", "ée", "esse", "ite", "inte", "ointe")


def _agreement_gender(token) -> Optional[str]:
    """The gender a person's name shows by agreement in the parse: a participle or adjective
    predicated of it with "être" ("X s'est dite déçue", "X était absent"), an apposed noun or
    participle ("X, son adjointe,", "X, arrivée sur place,")."""
    candidates = []
    if token.dep_.startswith("nsubj"):
        head = token.head
        if head.pos_ in ("ADJ", "VERB") and any(c.dep_ in ("cop", "aux:pass") or (
                c.dep_ == "aux:tense" and c.lemma_ == "être") for c in head.children):
            candidates.append(head)
    for child in token.children:
        if child.dep_ in ("appos", "acl") and child.pos_ in ("NOUN", "ADJ", "VERB") and child.idx > token.idx:
            candidates.append(child)
    for c in candidates:
        gender = c.morph.get("Gender")
        if c.pos_ == "NOUN":
            det = next((d for d in c.children if d.dep_ == "det" and d.lower_ in _GENDERED_DETS), None)
            if det is not None:
                gender = det.morph.get("Gender")
            elif c.lower_.endswith("e") and not c.lower_.endswith(_FEMININE_ENDINGS):
                continue  # "maire", "ministre": one form for both genders, the tagger guesses
        if len(gender) == 1 and (c.pos_ != "VERB" or "Part" in c.morph.get("VerbForm")):
            return _GENDERS.get(gender[0])
    return None


def learn_genders(docs: Sequence, context: ArticleContext) -> None:
    """Record each person's gender where the article shows it by agreement (spaCy's morphology)."""
    for doc in docs:
        for start, end in _person_spans(doc, context):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            gender = _agreement_gender(root)
            if gender:
                context.genders.setdefault(context.person(doc.text[start:end]), gender)


def find_mentions(doc, context: ArticleContext,
                  exclude: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """List the possible sources of one parsed sentence, outside the ``exclude`` spans (quotes).

    A role next to a name ("le président russe Vladimir Poutine", "Dmitri Peskov, porte-parole de
    Poutine") is one person mention covering both.
    """
    text = doc.text
    people = sorted(_person_spans(doc, context))
    mentions: list[Mention] = []
    for ps, pe in people:
        mentions.append(Mention(ps, pe, "person", context.person(text[ps:pe])))
    for start, end in _title_spans(text, context.lexicon):
        role_end = _extend_role(doc, start, end, people)
        role = text[start:role_end]
        merged = False
        # "depuis Lyon, le porte-parole du X, Paul Andrieu": the name after the role first
        order = sorted(range(len(mentions)), key=lambda k: mentions[k].start < role_end)
        for i in order:
            m = mentions[i]
            if m.kind != "person":
                continue
            between_after = text[role_end:m.start] if m.start >= role_end else None
            between_before = text[m.end:start] if start >= m.end else None
            if between_after is not None:  # "la présidente du groupe (SAGE), Hanna Nohynek"
                between_after = re.sub(r"\([^)]{1,20}\)", "", between_after)
            if (between_after is not None and between_after.strip(" ") in ("", ",")) or \
                    (between_before is not None and between_before.strip(" ") == ","):
                mentions[i] = Mention(min(start, m.start), max(role_end, m.end), "person", m.speaker)
                merged = True
                break
        if not merged and not re.match(r"(?:un|une)\s", role, re.IGNORECASE):
            # "un responsable informé", "une porte-parole": anonymous, no source
            mentions.append(Mention(start, role_end, "role", context.role_speaker(role)))
    for i, m in enumerate(mentions):  # "Le Premier ministre et ministre des Affaires étrangères, X": one person
        if m.kind != "role":
            continue
        nxt = next((n for n in mentions if n.kind == "person" and n.start > m.end
                    and re.fullmatch(r"\s+et\s+", text[m.end:n.start])), None)
        if nxt is not None and text[nxt.start:nxt.start + 1].islower():
            mentions[mentions.index(nxt)] = Mention(m.start, nxt.end, "person", nxt.speaker)
            mentions[i] = Mention(m.start, m.start, "role", None)
    mentions = [m for m in mentions if m.end > m.start]
    for start, end, canonical in context.metonyms.find(text):
        mentions.append(Mention(start, end, "body", canonical))
    for start, end, kind, speaker in body_mentions(doc, context.bodies, context.is_person, exclude):
        if not any(s <= start < e for s, e in people):
            mentions.append(Mention(start, end, kind, speaker))
    for token in doc:
        if token.lower_ in _SUBJECT_PRONOUNS and token.pos_ == "PRON":
            mentions.append(Mention(token.idx, token.idx + len(token.text), "pronoun", None))
    for m in re.finditer(r"(?<![\w])(?:(?:[Cc]e|[Cc]ette)\s+derni(?:er|ère)|[Cc]elui-ci|[Cc]elle-ci)(?![\w])", text):
        mentions.append(Mention(m.start(), m.end(), "pronoun", None))
    # overlapping mentions: the earliest, then the longest, wins ("le chef de l'OTAN" over "OTAN")
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for m in mentions:
        if any(s <= m.start < e or s < m.end <= e for s, e in exclude):
            continue
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept
