"""Reporting frames read from the dependency parse, where the cue patterns alone fall short.

* a judgement verb with an object and its attribute ("X a jugé l'objectif insuffisant");
* a cue in a non-restrictive relative clause on the sentence's opening source ("L'UE, qui
  réclamait que …, a obtenu …"): the source is the clause's antecedent;
* a newspaper's title in quotation marks after "selon" ("selon le « Monde »");
* a topic set up before a pronoun ("Quant au directeur de l'hôpital, il estime");
* a colon opening a quotation after a clause whose subject is a source ("X a adressé un message
  aux sinistrés : « … »"), whatever the verb;
* a headline opening with a quotation, then a colon and its source with a reporting verb
  ("« Nous tiendrons » : la maire répond aux critiques");
* a reporting participle with its agent in a sentence with no finite verb ("Un accord salué par
  la ministre des Sports, X.").

Each function returns what it found or None; the attributor decides the order (these come after
the cues in main clauses).
"""

from __future__ import annotations

import re
from typing import Optional

ATTRIBUTE = "ATTRIBUTE"  # in a verb's "needs" (reporting_cues.tsv): object + attribute licenses it
_SUBJECTS = ("nsubj", "nsubj:pass")
_TOPIC = re.compile(r"\s*(?:(?:Et|Mais)\s+)?[Qq]uant\s+(?:à|au|aux)\s*(?:(?:la|l['’])\s*)?")
_OPENING = re.compile(r"(?:(?:Mais|Et|Or|Pourtant|Ainsi),?\s*)?(?:(?:le|la|les|l['’])\s*)?", re.IGNORECASE)


def token_at(doc, offset: int):
    """The token of ``doc`` covering character ``offset``, or None."""
    for token in doc:
        if token.idx <= offset < token.idx + len(token.text):
            return token
    return None


def licensed_by_attribute(doc, cue) -> bool:
    """Tell whether a verb that reports only with a complement has an object and its attribute
    ("a jugé l'objectif insuffisant", "estime la mesure injuste") or a clausal complement."""
    if ATTRIBUTE not in cue.needs:
        return False
    verb = token_at(doc, cue.verb_start)
    if verb is None:
        return False
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp") and child.idx > verb.idx:
            return True
        if child.dep_ == "obj" and child.pos_ in ("NOUN", "PROPN"):
            # the parser hangs the attribute on the object: "l'objectif insuffisant"
            after = [c for c in child.children if c.dep_ == "amod" and c.idx > child.idx and c.pos_ == "ADJ"]
            if after and after[-1].i == max(t.i for t in child.subtree):
                return True
    return False


def relative_clause_source(item, mention_at):
    """(mention, cue) for a cue in a relative clause set off by commas on the sentence's first
    source ("La coalition, qui exigeait un fonds, …"), or None.

    Args:
        item: the analysed sentence (``doc``, ``cues``, ``mentions``, ``sentence``).
        mention_at: maps a token to the mention covering it (or None).
    """
    for cue in item.cues:
        if cue.kind != "verb" or cue.clitic:
            continue
        verb = token_at(item.doc, cue.verb_start)
        if verb is None or verb.dep_ != "acl:relcl":
            continue
        rel = next((c for c in verb.children if c.dep_ in _SUBJECTS and c.lower_ == "qui"), None)
        if rel is None or rel.i == 0 or item.doc[rel.i - 1].text != ",":
            continue  # a restrictive clause ("les pays qui réclament …") names no one source
        mention = mention_at(item, verb.head)
        if mention is None or mention.kind == "pronoun":
            continue
        opening = item.sentence.text[:mention.start].strip()
        if not _OPENING.fullmatch(opening):
            continue  # the antecedent must open the sentence, as its subject does
        return mention, cue
    return None


def colon_speaker(item, mention_at):
    """(mention, verb text, quote start) for "SOURCE verb … : « … »", or None."""
    text = item.sentence.text
    for _, _, quote in item.quotes:
        start = quote.start - item.sentence.start
        lead = text[:max(0, start)].rstrip()
        if not lead.endswith(":") or start <= 0:
            continue
        clause = [t for t in item.doc if t.idx < len(lead) - 1]
        verb = next((t for t in clause if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX")), None)
        # "X, …, a, lui aussi, réagi : « … »": a participle with its own auxiliary that the parser
        # hung on the noun before it (acl) is that noun's verb
        misparsed = next((t for t in clause if t.dep_ == "acl" and t.pos_ == "VERB" and t.head.i < t.i
                          and any(c.dep_ == "aux:tense" for c in t.children)), None)
        if verb is None and misparsed is None:
            continue
        subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None) if verb is not None \
            else misparsed.head
        verb = verb if verb is not None else misparsed
        mention = mention_at(item, subject) if subject is not None else None
        if mention is None:
            continue
        aux = [c for c in verb.children if c.dep_ == "aux:tense"]
        said = " ".join([a.text for a in aux] + [verb.text])
        return mention, said, start
    return None


_TITLE = re.compile(r"\s*(?:(?P<det>le|la|les|l['’])\s*)?[«“\"]\s*(?P<name>[A-ZÀ-Ý][\w’'\-]*(?:\s+[\w’'\-]+){0,3}?)"
                    r"\s*[»”\"]\s*,")


def quoted_title(text: str, cue):
    """(speaker, cue text) for "selon le « Monde », …": a capitalised title of at most four words in
    quotation marks right after a source marker is a medium ("Le Monde"), else None."""
    m = _TITLE.match(text, cue.end)
    if m is None:
        return None
    det = m.group("det") or ""
    name = m.group("name")
    if det.lower() in ("le", "la", "les") and not name.lower().startswith(det.lower() + " "):
        name = f"{det[:1].upper()}{det[1:].lower()} {name}"  # the article belongs to the title
    return name, cue.text


def topic_mentions(item, pronoun) -> list:
    """Sources set up as the topic right before a pronoun ("Quant au directeur, il estime")."""
    text = item.sentence.text
    return [m for m in item.mentions if m.kind in ("person", "role", "body") and m.end <= pronoun.start
            and _TOPIC.fullmatch(text[:m.start]) and re.fullmatch(r"\s*,\s*", text[m.end:pronoun.start])]


__all__ = ["ATTRIBUTE", "colon_speaker", "licensed_by_attribute", "quoted_title", "relative_clause_source", "token_at",
           "topic_mentions"]


# "Et d'ajouter : « … »": an infinitive of narration continues the last source
_NARRATIVE_INFINITIVE = re.compile(r"\s*(?:Et|Puis|Avant)\s+d['’](\w+)\b", re.IGNORECASE)


def narrative_infinitive(text: str, lexicon) -> Optional[str]:
    """The reporting verb of an infinitive of narration opening ``text`` ("Et d'ajouter"), or None."""
    m = _NARRATIVE_INFINITIVE.match(text)
    if m is None or lexicon is None or m.group(1).lower() not in lexicon.needs:
        return None
    return m.group(1)


_CLEFT = re.compile(r"\s*(?:(?:Mais|Et)\s+)?C['’]est\s+[^«»“”\"]{1,80}?\s+qu(?:e\s|['’])")


def in_cleft(text: str, cue_start: int) -> bool:
    """Whether a cue is the verb of a cleft sentence's clause ("C'est par un communiqué que X a
    répondu"): that clause holds the sentence's assertion, so it counts as the main clause."""
    m = _CLEFT.match(text)
    return bool(m) and m.end() <= cue_start and not re.search(r"\bqu(?:e\s|['’])|[;:«“]", text[m.end():cue_start])


def passive_agent_source(item, lexicon, mention_at):
    """(mention, participle) for a verbless sentence whose predicate is a reporting participle with
    its agent ("Un accord salué par la ministre"), else None. With a finite verb the participle only
    qualifies a noun of the main clause ("Le texte, critiqué par X, a été adopté"): narration."""
    doc = item.doc
    if any("Fin" in t.morph.get("VerbForm") for t in doc if t.pos_ in ("VERB", "AUX")
           and not any(s <= t.idx < e for s, e, _ in item.quotes)):
        return None
    for t in doc:
        if t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "par" or t.pos_ not in ("VERB", "ADJ"):
            continue
        base = re.sub(r"(?:e|s|es)$", "", t.lower_) if not t.lower_.endswith("és") else t.lower_[:-1]
        if t.lower_ not in lexicon.participles and base not in lexicon.participles:
            continue
        after = doc[t.i + 2:]
        start = next((a for a in after if a.pos_ != "DET"), None)
        mention = mention_at(item, start) if start is not None else None
        if mention is not None and mention.kind in ("person", "role", "body"):
            return mention, t.text
    return None


def quote_then_source(item, lexicon, mention_at):
    """(mention, verb) for "« … » : X réagit …" (a headline's quotation, a colon, then its source as
    the subject of a reporting verb within four words), else None."""
    text = item.sentence.text
    if not item.quotes:
        return None
    first = min(item.quotes, key=lambda q: q[2].start)[2]
    if text[:max(0, first.start - item.sentence.start)].strip():
        return None  # the quotation must open the sentence
    after = first.end - item.sentence.start
    colon = re.match(r"\s*:\s*", text[after:])
    if colon is None:
        return None
    subject = token_at(item.doc, after + colon.end())
    while subject is not None and subject.pos_ == "DET":
        subject = item.doc[subject.i + 1] if subject.i + 1 < len(item.doc) else None
    mention = mention_at(item, subject) if subject is not None else None
    if mention is None or mention.kind not in ("person", "role", "body"):
        return None
    rest = text[mention.end:]
    cue = next((c for c in lexicon.find(rest) if c.kind == "verb"), None)
    if cue is None or len(re.findall(r"\w+", rest[:cue.start])) > 4:
        return None
    return mention, cue.text

