"""Who or what a figure is about, read off the sentence's parse: resolved, or only a pronoun.

A percentage or an amount says nothing of what it measures; the sentence's grammar does. The
figure's number quantifies a noun ("3,4 %", "11,7 %": ``nummod``); that noun is either attached
to another noun ("les prix des loyers (+3,7 %)") or an argument of a predicate
("l'inflation a atteint 3,4 %", "Elle était de 11,7 %"), whose subject is what is measured. A
conjunct ("2,9 % en août et 3 % en septembre") shares its first conjunct's predicate, and a
conjoined predicate ("est passée à 14 %") its first predicate's subject.

:func:`figure_subjects` gives, per figure, the lemmas of that subject and whether it is
*anaphoric*: a personal or demonstrative pronoun ("Il a obtenu 51 %", "Elle était de 11,7 %")
or a noun with a demonstrative determiner ("Ce taux s'élevait à 4,5 %", "cet État"). An
anaphoric subject names what is measured in another sentence: read alone, the figure could be
about anything of its kind, so it is never made a version of another figure (no pair is
better than a wrong pair).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple, Optional, Sequence

# Pronouns standing for something named elsewhere (relative pronouns resolve inside the sentence).
ANAPHORIC_PRONOUNS = frozenset({"il", "elle", "ils", "elles", "ce", "cela", "ça", "ceci", "celui", "celle", "ceux",
                                "celles", "lui", "eux", "on", "c'"})
_SUBJECT = ("nsubj", "nsubj:pass")
_CLIMB = ("conj", "advcl", "acl", "xcomp", "ccomp", "parataxis")


# Nouns of change or measure: what they measure is their complement ("la hausse des prix", "le
# taux d'inflation"), so they do not name the thing measured themselves; nor do nouns of category.
CHANGE_NOUNS = frozenset({"hausse", "baisse", "progression", "augmentation", "recul", "croissance", "accélération",
                          "ralentissement", "évolution", "repli", "chute", "diminution", "taux", "niveau", "indice",
                          "part", "proportion", "variation", "rythme", "montant", "total", "chiffre", "bilan",
                          # and nouns of category: "les produits alimentaires" are the food
                          "produit", "bien", "secteur", "catégorie", "poste"})


class Subject(NamedTuple):
    """What a figure's sentence says it measures."""

    lemmas: frozenset  # lemmas of the subject noun and its noun and adjective modifiers
    anaphoric: bool  # the subject is a pronoun or a demonstrative noun phrase
    head: Optional[str] = None  # the subject noun's lemma, None for a pronoun or a noun of CHANGE_NOUNS


NONE = Subject(frozenset(), False)


def _head(noun) -> Optional[str]:
    lemma = noun.lemma_.lower()
    if noun.pos_ not in ("NOUN", "PROPN") or noun.like_num or lemma in CHANGE_NOUNS or lemma in FRAME_NOUNS:
        return None
    return lemma


def _token_at(doc, start: int):
    for token in doc:
        if token.idx <= start < token.idx + max(1, len(token.text)):
            return token
    return None


def _is_demonstrative(token) -> bool:
    return any(c.dep_ == "det" and "Dem" in c.morph.get("PronType") for c in token.children)


# Nouns that frame a figure rather than say what it measures: units, periods, months.
FRAME_NOUNS = frozenset({"%", "pourcent", "pour cent", "point", "an", "année", "mois", "semaine", "jour", "trimestre",
                         "semestre", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                         "septembre", "octobre", "novembre", "décembre", "rapport", "fin", "début"})


def _describe(noun) -> frozenset:
    """The lemmas of a noun and of its noun and adjective modifiers, frames left out ("la hausse
    des prix à la consommation sur un an": hausse, prix; "les produits frais": produit, frais)."""
    words = set()
    for token in (noun, *noun.children):
        if token.pos_ not in ("NOUN", "ADJ", "PROPN") or (
                token is not noun and token.dep_ not in ("amod", "nmod", "compound", "flat:name")):
            continue
        if any(c.dep_ == "nummod" for c in token.children) or token.like_num:
            continue  # another figure ("après une hausse de 7 %")
        lemma = token.lemma_.lower()
        if lemma not in FRAME_NOUNS:
            words.add(lemma)
    return frozenset(words)


def _subject_of(predicate) -> Optional[object]:
    """The subject of a predicate, or of the predicate it is conjoined to or depends on."""
    for _ in range(4):
        subjects = [c for c in predicate.children if c.dep_ in _SUBJECT]
        if subjects:
            subject = subjects[0]
            if subject.lemma_.lower() in ("qui", "que", "lequel", "laquelle") and predicate.dep_ == "acl:relcl":
                return predicate.head  # "Donald Trump, qui remporte …": the antecedent
            return subject
        if predicate.dep_ not in _CLIMB or predicate.head is predicate:
            return None
        predicate = predicate.head
    return None


def subject_of_figure(doc, start: int) -> Subject:
    """The subject of the figure starting at character ``start`` of the parsed sentence."""
    token = _token_at(doc, start)
    if token is None:
        return NONE
    quantified = token.head if token.dep_ == "nummod" and token.head is not token else token
    while quantified.dep_ == "conj" and quantified.head is not quantified:
        quantified = quantified.head
    head = quantified.head
    if quantified.dep_ in ("appos", "nmod") and head.pos_ in ("NOUN", "PROPN") and head is not quantified:
        return Subject(_describe(head), _is_demonstrative(head), _head(head))
    predicate = quantified if head is quantified else head
    subject = _subject_of(predicate)
    if subject is None:
        return NONE
    if subject.pos_ == "PRON":
        return Subject(frozenset(), subject.lemma_.lower() in ANAPHORIC_PRONOUNS
                       or subject.text.lower() in ANAPHORIC_PRONOUNS)
    return Subject(_describe(subject), _is_demonstrative(subject), _head(subject))


_MEMO: "OrderedDict[tuple[str, int], Subject]" = OrderedDict()
MEMO_SIZE = 65536  # figures remembered across runs (a sweep refits the same corpus many times)


MEMO_KIND = "fact-subjects"


def figure_subjects(texts: Sequence[str], starts: Sequence[Sequence[int]], nlp=None, memo=None) -> list[list[Subject]]:
    """Per text, the :class:`Subject` of each figure starting at the given characters (one parse
    per text not seen before; texts with no figure are not parsed).

    Args:
        texts: sentences.
        starts: per sentence, the first character of each figure asked about.
        nlp: a loaded spaCy pipeline (the shared one when None, loaded only if needed).
        memo: a :class:`claims.memo.Memo`: subjects found in an earlier run are read from it
            and new ones written to it, so a warm run loads no spaCy.
    """
    wanted = [n for n, s in enumerate(starts) if any((texts[n], st) not in _MEMO for st in s)]
    if memo is not None and wanted:
        from claims.memo import fingerprint

        stamp = fingerprint("facts", "french")
        for n, found in zip(wanted, memo.get(MEMO_KIND, stamp, [texts[n] for n in wanted])):
            for st, value in (found or {}).items():
                _MEMO[(texts[n], int(st))] = Subject(frozenset(value[0]), bool(value[1]), value[2])
    todo = [n for n in wanted if any((texts[n], st) not in _MEMO for st in starts[n])]
    if todo:
        from claims.french.nlp import parse

        for n, doc in zip(todo, parse([texts[n] for n in todo], nlp)):
            for st in starts[n]:
                _MEMO[(texts[n], st)] = subject_of_figure(doc, st)
        if memo is not None:
            memo.put(MEMO_KIND, stamp, [(texts[n], {str(st): [sorted(_MEMO[(texts[n], st)].lemmas),
                                                                _MEMO[(texts[n], st)].anaphoric,
                                                                _MEMO[(texts[n], st)].head] for st in starts[n]})
                                        for n in todo])
    out = [[_MEMO.get((texts[n], st), NONE) for st in s] for n, s in enumerate(starts)]
    while len(_MEMO) > MEMO_SIZE:
        _MEMO.popitem(last=False)
    return out


__all__ = ["ANAPHORIC_PRONOUNS", "CHANGE_NOUNS", "FRAME_NOUNS", "MEMO_KIND", "Subject", "figure_subjects", "subject_of_figure"]
