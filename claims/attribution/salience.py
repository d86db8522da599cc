"""Who stays salient after each sentence: the referents later pronouns and "la même source" reach.

A mixin of :class:`claims.attribution.attributor.SpeakerAttributor`: after a sentence is
attributed, its speaker, its main-clause subject (a person, a role, a body with its gender) and
the people and bodies it names become candidates for "il", "elle", "ce dernier" later on.
"""

from __future__ import annotations

from claims.attribution.pronouns import body_gender
from claims.records import Attribution

# endings of French nouns that are feminine with few exceptions ("agence", "commission", "autorité")
_FEMININE_NOUN_ENDINGS = ("ence", "ance", "tion", "sion", "té", "ure")


class SalienceTracking:
    """``_remember``: update the attributor's referents (``_referents``) and last source."""

    def _remember(self, item, attribution: Attribution) -> None:
        """Keep the last person who was a sentence's subject, for later pronouns, and the last source."""
        for m in item.mentions:  # "ce dernier", "celui-ci": the last person or body named
            if m.kind == "body" and m.speaker:
                gender = body_gender(item.doc, m)
                if gender in ("Fem", "Masc"):
                    self._referents.genders.setdefault(m.speaker, gender[0])
            if m.kind in ("person", "role", "body") and m.speaker:
                self._referents.named.append(m.speaker)
        root = next((t for t in item.doc if t.dep_ == "ROOT"), None)
        if root is not None and "Inf" in root.morph.get("VerbForm") and any(c.dep_ == "mark" for c in root.children):
            # "Pour éviter X, l'agence a imposé …" parsed with the purpose clause as root: the main clause
            root = next((c for c in root.children if c.dep_ == "advcl" and any(
                g.dep_ in ("nsubj", "nsubj:pass") for g in c.children)), root)
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubj:pass")), None) if root else None
        body = self._mention_at(item, subject) if subject is not None else None
        if body is not None and body.kind == "body":  # "La BCE … . Elle indique": a body as referent
            gender = subject.morph.get("Gender") or next(
                (t.morph.get("Gender") for t in subject.children if t.dep_ == "det" and t.morph.get("Gender")), [])
            if not gender:  # "l’Agence nationale …": the elided article shows none; its adjectives or ending do
                gender = next((t.morph.get("Gender") for t in subject.children
                               if t.dep_ == "amod" and t.i == subject.i + 1 and t.morph.get("Gender")), [])
                gender = gender or (["Fem"] if subject.lower_.endswith(_FEMININE_NOUN_ENDINGS) else [])
            self._referents.add_body(body.speaker, item.sentence.text[:body.end], gender[0] if gender else None)
        self._after_colon = bool(attribution.cue) and item.sentence.text.rstrip().endswith(":")
        if attribution.speaker is not None:
            self._last_source = attribution.speaker
            if getattr(self, "_speaker_kind", None) in ("person", "role", "pronoun"):
                self._referents.add(attribution.speaker)
            elif getattr(self, "_speaker_kind", None) == "body":  # "…, a annoncé l'OCHA. …, a-t-il ajouté"
                said = next((m for m in item.mentions if m.kind == "body" and m.speaker == attribution.speaker), None)
                if said is not None:
                    self._referents.add_body(said.speaker, item.sentence.text[:said.end],
                                             body_gender(item.doc, said), speaker=True)
            return
        if root is None:
            return
        mention = self._mention_at(item, subject or root)  # the root itself when the parse has no subject
        if mention is None or mention.kind not in ("person", "role", "pronoun"):
            mention = next((m for m in item.mentions if m.kind == "pronoun" and getattr(
                self._token_at(item.doc, m.start), "dep_", "").startswith("nsubj")), None)
        if mention is not None and mention.kind == "pronoun":  # "..., il avait prolongé": he stays salient
            self._referents.add(self._resolve(mention, item))
            return
        if mention is None or mention.kind not in ("person", "role"):
            # "Ses propos ont fait réagir la ministre X": the last person named, not after a preposition
            mention = next((m for m in reversed(item.mentions) if m.kind == "person"  # not "la fille du défunt X"
                            and not self._after_preposition(item, m)
                            and not self._modifies_noun(item, m)), None)
        if mention is not None and mention.kind in ("person", "role"):
            self._referents.add(mention.speaker)
