"""Stance of every mention of a claim group toward the group's claim.

The group's claim is the proposition its mentions share, stated the way most of them state
it. Each mention is classified by :class:`~claims.stance.classifier.StanceClassifier` with
two pieces of group context:

* focus: the clause of the sentence that holds the words the other mentions share is the
  one whose cues and negation count fully ("nous ne savons pas si …, mais les Ukrainiens
  progressent" is about progress, not about not knowing);
* negation relative to the group: a mention that negates the claim's clause while most
  others do not ("l'Ukraine ne peut pas rejoindre l'organisation") says the opposite of the
  claim, so its speaker's support for what it says is opposition to the claim: the favor
  and against probabilities swap. When most mentions state the claim in the negative, the
  negation is the claim itself and it is the positive mention that swaps. A negation that
  already turned a cue around ("ne soutient pas") is not counted twice.

A sentence whose speaker performs two speech acts ("demande des armes …, et reproche à
certains pays de traîner les pieds") is classified on the coordinated part that carries the
shared words: the other act has its own object, and its cues say nothing about the claim.

A mention whose speaker was found states the claim as theirs: ``favor`` unless the evidence
says they oppose it (``neutral`` is for the journalist's own report). When every mention that
takes a side reads as ``against``, the claim is itself a criticism ("X dénonce …") and those
who state it are for it (:func:`stated_as_most_state_it`).

Then one group rule: a mention that contradicts another mention's speaker, or whose
"contrairement à …" clause carries the shared claim ("n'était pas partie à la guerre,
contrairement aux affirmations du président russe"), is ``against``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Optional, Sequence

import numpy as np

from claims.french.text import cue_tokens, fold_word
from claims.records import ClaimGroup, Mention
from claims.stance.classifier import StanceClassifier, default_encoder
from claims.stance.lexicon import StanceLexicon, content_words, default_lexicon

NAME_MIN = 4  # a speaker's name word shorter than this is not looked for ("de", "la")
_COORDINATION = re.compile(r",\s+et\s+")
# Opposition acts aimed at a proposal or a statement (reject, refuse, contest, oppose, warn against),
# unlike criticism words ("regrette", "dénonce", "fustige") that are often the claim's own content.
_REJECTING = ("s' oppos", "oppos", "rejet", "rejett", "refus", "contest", "conteste", "avert", "mise en garde",
              "met en garde", "mettent en garde", "récus", "réfut")


def _vectors(mentions: Sequence[Mention], embeddings: Optional[np.ndarray], encoder) -> np.ndarray:
    """One embedding per mention: its row of ``embeddings``, or encoded when it has none."""
    found: list[Optional[np.ndarray]] = [
        np.asarray(embeddings[m.row], dtype=np.float32).ravel()
        if embeddings is not None and m.row is not None else None for m in mentions]
    missing = [i for i, v in enumerate(found) if v is None]
    if missing:
        encoded = (encoder or default_encoder()).encode([mentions[i].sentence.text for i in missing])
        for i, v in zip(missing, encoded):
            found[i] = np.asarray(v, dtype=np.float32)
    return np.vstack(found)


def group_context(texts: Sequence[str], articles: Sequence[str],
                  lexicon: Optional[StanceLexicon] = None) -> tuple[list[set], list[bool]]:
    """Focus words of each mention of one group, and whether it negates the group's claim.

    Returns:
        For each mention, the content words it shares with mentions of other articles
        (or with any other mention when it shares none), and whether its claim clause is
        negated while most mentions' are not, or the reverse.
    """
    lexicon = lexicon or default_lexicon()
    words = [content_words(t) for t in texts]
    # Linear in the group: a word of mention i is in a mention of another article exactly
    # when two articles or more hold it, and in another mention when two mentions or more do.
    first_article: dict[str, str] = {}
    many_articles: set[str] = set()
    mentions_with: dict[str, int] = {}
    for w, article in zip(words, articles):
        for word in w:
            mentions_with[word] = mentions_with.get(word, 0) + 1
            if first_article.setdefault(word, article) != article:
                many_articles.add(word)
    focus = []
    for w in words:
        shared = w & many_articles
        if not shared:
            shared = {word for word in w if mentions_with[word] >= 2}
        focus.append(shared)
    negated = [lexicon.score(t, f).negation >= 1.0 for t, f in zip(texts, focus)]
    # The claim is stated the way most mentions state it; on a tie, in the positive.
    group_negated = sum(negated) > len(negated) / 2
    return focus, [n != group_negated for n in negated]


def claim_part(text: str, focus: set, lexicon: Optional[StanceLexicon] = None) -> Optional[str]:
    """The coordinated speech act of ``text`` that carries the claim, when another does not.

    ``text`` is cut before each ", et" followed by a speech-act cue of the lexicon ("…, et
    reproche à …", "…, et salue …"); the part holding strictly more of the ``focus`` words
    than every other part is returned. None when there is one part or no clear winner.
    """
    lexicon = lexicon or default_lexicon()
    cuts = [m.start() for m in _COORDINATION.finditer(text)
            if any(h.start == 0 and h.kind == "act" for h in lexicon.find_cues(text[m.end():]))]
    if not cuts:
        return None
    bounds = [0] + cuts + [len(text)]
    parts = [text[a:b].lstrip(", ") for a, b in zip(bounds, bounds[1:])]
    shared = [len(content_words(part) & focus) for part in parts]
    best = max(range(len(parts)), key=shared.__getitem__)
    if any(n >= shared[best] for i, n in enumerate(shared) if i != best):
        return None
    return parts[best]


def _name_words(speaker: Optional[str]) -> set[str]:
    if not speaker:
        return set()
    return {t.norm for t in cue_tokens(speaker) if len(t.norm) >= NAME_MIN}


def contradicts_group(text: str, speaker: Optional[str], focus: set, other_speakers: Sequence[Optional[str]],
                      lexicon: Optional[StanceLexicon] = None) -> bool:
    """Whether ``text`` contradicts the group's claim through an opposition clause.

    True when its "contrairement à …" clause names the speaker of another mention, or holds
    more of the shared words than the rest of the sentence.
    """
    lexicon = lexicon or default_lexicon()
    opposed = lexicon.opposed_text(text)
    if not opposed:
        return False
    opposed_tokens = {t.norm for t in cue_tokens(opposed)}
    own = _name_words(speaker)
    for other in other_speakers:
        names = _name_words(other) - own
        if names & opposed_tokens:
            return True
    opposed_words = content_words(opposed)
    rest = content_words(fold_word(text).replace(fold_word(opposed), " "))
    return len(opposed_words & focus) > len(rest & focus)


def assign_stances(group: ClaimGroup, embeddings: Optional[np.ndarray] = None,
                   classifier: Optional[StanceClassifier] = None, *, encoder=None,
                   lexicon: Optional[StanceLexicon] = None) -> ClaimGroup:
    """Return a copy of ``group`` whose mentions carry their stance toward the group's claim.

    Args:
        group: a claim group; its mentions' attributions should be filled (a mention
            without speaker is read as narration).
        embeddings: the analysis' sentence vectors, read at each mention's ``row``
            (they must be in the classifier's space); mentions without a row are
            encoded with ``encoder``.
        classifier: the stance classifier; the shipped one by default.
        encoder: encoder for missing vectors; e5-small by default (the classifier's).
        lexicon: cue lexicon for the group rules (focus, negation, contradiction); the
            packaged one by default. The classifier's features always use the packaged one,
            which its weights were fitted with.

    Returns:
        A new :class:`ClaimGroup` with ``Mention.stance`` set on every mention.
    """
    mentions = list(group.mentions)
    if not mentions:
        return group
    classifier = classifier or StanceClassifier.load_default()
    lexicon = lexicon or default_lexicon()
    texts = [m.sentence.text for m in mentions]
    articles = [m.sentence.article for m in mentions]
    attributions = [m.attribution for m in mentions]
    focus, flipped = group_context(texts, articles, lexicon)
    vectors = _vectors(mentions, embeddings, encoder)
    parts = [claim_part(t, f, lexicon) for t, f in zip(texts, focus)]
    split = [i for i, part in enumerate(parts) if part is not None]
    if split:
        vectors[split] = (encoder or default_encoder()).encode([parts[i] for i in split])
    texts_read = [t if part is None else part for t, part in zip(texts, parts)]
    proba = classifier.predict_proba(vectors, texts_read, attributions, focus_words=focus)
    proba[flipped] = proba[flipped][:, [1, 0, 2]]  # favor <-> against
    stances = stated_as_most_state_it(classifier.decide(proba, attributions))
    # The contract: a source that states, announces or confirms the claim is for it; neutral
    # is the journalist's report with no source taking a side.
    stances = ["favor" if s == "neutral" and a.speaker else s for s, a in zip(stances, attributions)]
    stances = against_with_evidence(stances, attributions, flipped, texts_read, articles, focus, lexicon)
    speakers = [a.speaker for a in attributions]
    # Each distinct speaker once: a mention's own speaker names nothing beyond its own name,
    # so listing it among the others changes nothing, and the loop stays linear.
    distinct = list(dict.fromkeys(speakers))
    for i, text in enumerate(texts):
        if contradicts_group(text, speakers[i], focus[i], distinct, lexicon):
            stances[i] = "against"
    new = tuple(dataclasses.replace(m, stance=s) for m, s in zip(mentions, stances))
    return dataclasses.replace(group, mentions=new)


def against_with_evidence(stances: list[str], attributions, flipped, texts: Sequence[str],
                          articles: Sequence[str], focus: Sequence[set], lexicon: StanceLexicon) -> list[str]:
    """A source read as ``against`` stays so only with evidence in its words; else it states the
    claim (``favor``, the contract's "asserts, announces").

    Evidence: a claim clause negated against the group, a denial or rejection ("dément",
    "rejette", "conteste"), or an opposition cue that mentions of other articles do not share.
    Without any opposition cue the classifier's vector alone is no evidence; criticism words that
    other articles share ("a regretté un discours « injuste »" where others call it "injuste") are
    the claim's own content, which the speaker states.
    """
    terms = [{h.term for h in lexicon.find_cues(t, f) if h.polarity == "against"} for t, f in zip(texts, focus)]
    # A term of mention i is in a mention of another article exactly when two articles or more
    # hold it: counted once for the group, so the loop stays linear in the group's size.
    holders: dict[str, set] = {}
    for term_set, article in zip(terms, articles):
        for term in term_set:
            holders.setdefault(term, set()).add(article)
    out = list(stances)
    for i, stance in enumerate(stances):
        if stance != "against" or not attributions[i].speaker or flipped[i] or denies(texts[i], focus[i], lexicon):
            continue
        if not terms[i] or any(len(holders[term]) >= 2 for term in terms[i]):
            out[i] = "favor"
    return out


def denies(text: str, focus: set, lexicon: Optional[StanceLexicon] = None) -> bool:
    """Whether ``text`` calls something false or rejects it outright (a ``deny`` cue not negated)."""
    lexicon = lexicon or default_lexicon()
    return any(h.polarity == "against" and (h.kind == "deny" or h.term.startswith(_REJECTING))
               for h in lexicon.find_cues(text, focus))


def stated_as_most_state_it(stances: list[str]) -> list[str]:
    """Stances toward the claim, when every mention that takes a side reads as ``against``.

    Then the group's claim is itself a criticism or a grim fact ("X dénonce une décision
    politique", "le séisme a fait 632 morts"), and the speakers who state it are for it. A
    group with both readings is a dispute (one speaker supports the deliveries, another
    condemns them) and keeps them. The negation rule of :func:`group_context` follows the
    same convention: the claim is stated the way the mentions state it.
    """
    if "against" not in stances or "favor" in stances:
        return stances
    return ["favor" if s == "against" else s for s in stances]


class GroupStance:
    """The default stance model of :func:`claims.analyze`: :func:`assign_stances` per group.

    Args:
        classifier: the stance classifier; the shipped one by default.
        encoder: encodes what has no row vector (mentions, coordinated parts); e5-small
            by default, the space the shipped classifier reads.
    """

    def __init__(self, classifier: Optional[StanceClassifier] = None, encoder=None):
        self.classifier = classifier
        self.encoder = encoder

    def assign(self, group: ClaimGroup, embeddings: Optional[np.ndarray] = None) -> ClaimGroup:
        """``group`` with a stance on every mention; ``embeddings`` are read at mention rows."""
        return assign_stances(group, embeddings, self.classifier, encoder=self.encoder)
