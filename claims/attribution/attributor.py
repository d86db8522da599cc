"""Source attribution for every sentence of an article: speaker, cue, quote type and quote span.

Rules, in order, for each sentence (see ``benchmarks/gold/ATTRIBUTION_RULES.md`` for what is counted):

1. A quotation running over several sentences is attributed once, by the cue after its end
   ("« A. B », a-t-il dit") or before its start, and every sentence of it gets that speaker.
2. Otherwise the first reporting cue outside quotations that stands in a main clause (a postposed
   incise, or a verb the parser puts at the root) and whose subject is a source gives the speaker.
   A subject that is no source ("certains responsables") means narration, not a guess.
3. A sentence that is only a quotation continues the previous sentence's direct quote.
4. Last, a cue-less sentence repeating words quoted elsewhere in the article (a pull quote or
   quoted subhead) gets the speaker of those words.

Pronouns ("a-t-il ajouté", "il a répété") go to the last person who was the subject of a sentence,
speaker or not; names inside quotations are never speakers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional, Sequence

from claims.french.cues import (CueLexicon, CueMatch, cue_is_licensed, cue_is_postposed,
                                     default_lexicon)
from claims.attribution.documents import court_of_ruling, document_source, is_document, ownerless_document
from claims.attribution.canon import written_forms
from claims.attribution.frames import (colon_speaker, in_cleft, licensed_by_attribute, passive_agent_source,
                                       quote_then_source, quoted_title, relative_clause_source,
                                       topic_mentions)
from claims.attribution.epithets import epithet_speaker
from claims.attribution.incises import incise_regions, outside
from claims.attribution.pronouns import Referents
from claims.attribution.pull_quotes import pull_quote_attributions
from claims.attribution.quote_groups import QuoteGroups
from claims.attribution.salience import SalienceTracking
from claims.attribution.mentions import MentionQueries
from claims.attribution.quotes import find_quotes
from claims.attribution.spans import QuoteReading
from claims.attribution.speakers import ArticleContext, Mention, find_mentions, learn_article
from claims.french.entities import Metonyms, default_metonyms
from claims.french.nlp import check_docs, parse
from claims.french.text import words
from claims.records import NO_ATTRIBUTION, Article, Attribution, Sentence

_MAIN_DEPS = ("ROOT", "parataxis")
# "Pour X, …", also "Pour son collègue X," (a possessive and one noun before the name)
_VIEWPOINT = re.compile(r"\s*(?:(?:Mais|Et)\s+)?(Pour)\s+(?:(?:le|la|les|l['’])\s*|(?:son|sa|leur)\s+[a-zéèêàç\-]+\s+)?")
_RELATIVES = {"qui", "dont", "lequel", "laquelle", "lesquels", "lesquelles"}


class _Analysis:
    """Per-sentence material: parse, quotes (local offsets), cues, mentions."""

    def __init__(self, sentence: Sentence, doc, quotes, cues, mentions):
        self.sentence, self.doc, self.quotes, self.cues, self.mentions = (
            sentence, doc, quotes, cues, mentions)


class SpeakerAttributor(QuoteGroups, SalienceTracking, MentionQueries, QuoteReading):
    """Attribute each sentence of an article to its source.

    Args:
        nlp: A loaded spaCy French pipeline; the shared :func:`claims.french.nlp.french_nlp` if None.
        cues_path: Reporting cue lexicon (TSV); the packaged ``reporting_cues.tsv`` if None.
        metonyms_path: Metonym table (TSV); the packaged ``metonyms.tsv`` if None.
    """

    def __init__(self, nlp=None, cues_path=None, metonyms_path=None):
        for name, path in (("cues_path", cues_path), ("metonyms_path", metonyms_path)):
            if path is not None and not Path(path).is_file():
                raise ValueError(f"{name}: no such file: {path}")
        self.nlp = nlp
        self.cues_path = cues_path
        self.metonyms_path = metonyms_path
        self.lexicon_: Optional[CueLexicon] = None
        self.metonyms_: Optional[Metonyms] = None

    def _lexicons(self) -> tuple[CueLexicon, Metonyms]:
        if self.lexicon_ is None:
            self.lexicon_ = CueLexicon(self.cues_path) if self.cues_path else default_lexicon()
            self.metonyms_ = (Metonyms(self.metonyms_path) if self.metonyms_path
                              else default_metonyms())
        return self.lexicon_, self.metonyms_

    def attribute(self, article: Article, sentences: Sequence[Sentence], docs=None) -> list[Attribution]:
        """Return one :class:`Attribution` per sentence, in the same order.

        Args:
            article: the article the sentences come from (quotations may span sentences).
            sentences: its sentences, in text order.
            docs: the spaCy parse of each sentence (:func:`claims.french.nlp.parse`), when the
                caller parsed them already; parsed here (loading spaCy) when None.
        """
        sentences = list(sentences)
        if not sentences:
            return []
        texts = [s.text for s in sentences]
        docs = parse(texts, self.nlp) if docs is None else check_docs(texts, docs, ("DEP", "ENT_IOB"))
        lexicon, metonyms = self._lexicons()
        self._conjunctions = {w.lower() for w in lexicon.words("conjunction")}
        context = ArticleContext(lexicon, metonyms)
        learn_article(docs, context)
        self.context_ = context  # what the article says of its sources (claims.attribution.canon)
        text = article.text
        quotes = list(find_quotes(text, sentences[0].start, sentences[-1].end))
        incises = incise_regions(text, quotes, lexicon)  # « A, a reconnu X. B »: the reporter's words
        items = []
        for sentence, doc in zip(sentences, docs):
            local = [(max(q.inner_start, sentence.start) - sentence.start,
                      min(q.inner_end, sentence.end) - sentence.start, q)
                     for q in quotes if q.start < sentence.end and q.end > sentence.start]
            holes = [(a - sentence.start, b - sentence.start) for a, b in incises
                     if a < sentence.end and b > sentence.start]
            inside = outside([(s, e) for s, e, _ in local], holes)
            marks = outside([(max(q.start, sentence.start) - sentence.start,
                              min(q.end, sentence.end) - sentence.start) for _, _, q in local], holes)
            starts = [q.start - sentence.start for _, _, q in local]
            cues = [c for c in lexicon.find(sentence.text)
                    if not any(s <= c.start < e for s, e in marks)
                    and (cue_is_licensed(sentence.text, c, starts) or licensed_by_attribute(doc, c))]
            items.append(_Analysis(sentence, doc, local, cues, find_mentions(doc, context, inside)))
        results = self._attribute_items(items)
        self.surfaces_ = written_forms(items, results)  # how the article names each source
        return results

    # -- the walk over the article -------------------------------------------------------------

    def _attribute_items(self, items: list[_Analysis]) -> list[Attribution]:
        results: list[Optional[Attribution]] = [None] * len(items)
        self._after_colon = False
        context = getattr(self, "context_", None)
        self._referents = Referents(context.genders if context is not None else {})
        self._last_source: Optional[str] = None  # for "la même source"
        for i, item in enumerate(items):
            if results[i] is not None:
                continue
            group = self._quote_group(items, i)
            if len(group) > 1:
                for j, attribution in zip(group, self._attribute_group(items, group, results)):
                    results[j] = attribution
                self._remember(items[group[-1]], results[group[-1]])
                continue
            self._quoted_before = i > 0 and bool(items[i - 1].quotes)
            results[i] = self._attribute_one(item, results[i - 1] if i else None)
            self._remember(item, results[i])
        return pull_quote_attributions(items, results)

    def _attribute_one(self, item: _Analysis, previous: Optional[Attribution]) -> Attribution:
        text = item.sentence.text
        for cue in item.cues:
            postposed = cue.kind != "marker" and self._is_postposed(item, cue)
            if cue.kind != "marker" and not postposed and not self._is_main(item, cue):
                continue
            found = self._speaker_for(item, cue, postposed)
            if found:
                quote, span = self._quote_and_span(item, cue, postposed)
                if not item.quotes and text.rstrip().endswith(":") and cue.end >= len(text.rstrip()) - 12:
                    quote = "direct"  # "le ministre a déclaré :" frames the quotation that follows
                return Attribution(found[0], found[1], quote, span)
        narrative = self._narrative_infinitive(item)
        if narrative is not None:
            quote = "direct" if item.quotes else "indirect"
            return Attribution(narrative[0], narrative[1], quote, None)
        viewpoint = _VIEWPOINT.match(text)  # "Pour X, « ... »": a source's view opening the sentence
        if viewpoint:
            head = next((m for m in item.mentions if viewpoint.end(1) < m.start <= viewpoint.end()), None)
            quoted = re.match(r"\s*,\s*[«“\"]", text[head.end:]) if head is not None else None
            judges = head is not None and head.kind == "body" and re.match(
                r"les\s+(?:juges|magistrats)", text[head.start:head.end], re.IGNORECASE)
            if head is not None and (head.kind in ("person", "role", "pronoun") or quoted or judges) and \
                    re.match(r"\s*,", text[head.end:]) and self._resolve(head, item):
                self._speaker_kind = head.kind
                span = (text.find(",", head.end) + 1, len(text))
                return Attribution(self._resolve(head, item), viewpoint.group(1), "indirect",
                                   self._absolute(item, span))
        for start, end, quote in item.quotes:  # headline "Zelensky : « Nous gagnerons »"
            lead = text[:max(0, quote.start - item.sentence.start)]
            head = next((m for m in item.mentions if m.end <= len(lead)), None)
            if head is not None and not lead[:head.start].strip() and not words(text[end:]) \
                    and re.fullmatch(r"\s*:\s*", lead[head.end:]) and self._resolve(head):
                self._speaker_kind = head.kind
                return Attribution(self._resolve(head), None, "direct", self._absolute(item, (start, end)))
        framed = self._framed(item)
        if framed is not None:
            return framed
        main = self._main_quote(item)
        if main is not None and not words(text[main[1]:]) and previous is not None and previous.speaker \
                and (previous.quote == "direct" or self._quoted_before):  # « … », a dit X. « … »
            self._speaker_kind = "person"  # the sentence is only a quote: the speaker goes on
            cue = previous.cue if getattr(self, "_after_colon", False) else None  # "X a déclaré :" then « … »
            return Attribution(previous.speaker, cue, "direct", self._absolute(item, main))
        return NO_ATTRIBUTION

    def _framed(self, item: _Analysis) -> Optional[Attribution]:
        """A source read from the parse when no main-clause cue gave one (:mod:`claims.attribution.frames`)."""
        relative = relative_clause_source(item, self._mention_at)
        if relative is not None and self._resolve(relative[0], item):
            mention, cue = relative
            self._speaker_kind = mention.kind
            quote, span = self._quote_and_span(item, cue, False)
            return Attribution(self._resolve(mention, item), cue.text, quote, span)
        headline = quote_then_source(item, self.lexicon_, self._mention_at)  # "« … » : X réagit"
        if headline is not None and self._resolve(headline[0], item):
            self._speaker_kind = headline[0].kind
            return Attribution(self._resolve(headline[0], item), headline[1], "direct", None)
        agent = passive_agent_source(item, self.lexicon_, self._mention_at)  # "Un accord salué par X."
        if agent is not None and self._resolve(agent[0], item):
            self._speaker_kind = agent[0].kind
            return Attribution(self._resolve(agent[0], item), agent[1], "indirect", None)
        colon = colon_speaker(item, self._mention_at)
        if colon is not None and self._resolve(colon[0], item):
            mention, said, start = colon
            quoted = next(((a, b) for a, b, q in item.quotes if q.start - item.sentence.start == start), None)
            if quoted is not None:
                self._speaker_kind = mention.kind
                return Attribution(self._resolve(mention, item), said, "direct", self._absolute(item, quoted))
        return None

    # -- cues, clauses and subjects -------------------------------------------------------------

    def _is_main(self, item: _Analysis, cue: CueMatch) -> bool:
        """Tell whether a preposed cue's verb heads a main clause (not "alors que X plaide")."""
        if in_cleft(item.sentence.text, cue.start):
            return True  # "C'est par un communiqué que X a répondu"
        before = item.sentence.text[:cue.start].rstrip()
        subject = next((m for m in item.mentions if m.end == len(before)), None)
        if subject is not None and item.sentence.text[:subject.start].rstrip()[-1:] in ",»”'\"":
            return True  # “...”, Stoltenberg a déclaré: an incise whatever the parser says
        if subject is not None and words(item.sentence.text[:subject.start]) in ([c] for c in self._conjunctions):
            return True  # "Mais X pense que": X opens the sentence, whatever the parser says
        token = self._token_at(item.doc, cue.verb_start)
        if token is None:
            return False
        if cue.kind == "aspect" and token.dep_ in ("xcomp", "advcl"):  # "a profité de la tribune pour dénoncer"
            token = token.head
        while token.dep_ in ("conj", "dep") and token.head is not token:
            between = item.doc[min(token.head.i, token.i):max(token.head.i, token.i)]
            if any(t.lower_ in _RELATIVES for t in between):
                return False  # "..., qui sont réticents et pensent que": still the relative clause
            token = token.head
        return token.dep_ in _MAIN_DEPS

    def _is_postposed(self, item: _Analysis, cue: CueMatch) -> bool:
        """Tell whether a cue follows what it reports, its subject after it ("..., a dit X")."""
        if cue.clitic:
            return True
        before = item.sentence.text[:cue.start].rstrip()
        return (cue_is_postposed(item.sentence.text, cue) or before.endswith(")")) and \
            self._mention_after(item, cue.end, gap=8) is not None

    def _resolve(self, mention: Mention, item: Optional[_Analysis] = None) -> Optional[str]:
        if mention.kind == "pronoun":
            pronoun = item.sentence.text[mention.start:mention.end] if item is not None else "il"
            if "derni" in pronoun.lower() or pronoun.lower().startswith(("celui", "celle")):  # "cette dernière"
                return self._referents.last_named(pronoun)
            own = self._token_at(item.doc, mention.start) if item is not None else None
            for m in topic_mentions(item, mention) if item is not None else ():
                speaker = self._resolve(m, item)  # "Quant au directeur, il estime": the same sentence first
                if speaker and (m.kind == "body" or self._referents.compatible(speaker, pronoun)):
                    return speaker
            if own is not None:  # "X n'est pas là, mais elle réagit": a main-clause subject before it first
                for m in reversed([m for m in item.mentions if m.end <= mention.start]):
                    token = self._token_at(item.doc, m.start)
                    if m.kind in ("person", "role") and token is not None and token.dep_.startswith("nsubj") \
                            and token.head is not own.head and token.head.dep_ in _MAIN_DEPS \
                            and self._referents.compatible(m.speaker, pronoun):
                        return m.speaker
            return self._referents.resolve(pronoun)
        if mention.kind == "same":
            return self._last_source
        if mention.kind == "role" and item is not None:  # "souffle l'intéressé": the salient person
            text = item.sentence.text
            person = epithet_speaker(text[mention.start:mention.end], mention.speaker, self.context_,
                                     self._referents, text[:mention.start])
            if person:
                return person
        return mention.speaker

    def _speaker_for(self, item: _Analysis, cue: CueMatch, postposed: bool):
        """Return (speaker, cue text) for a cue, or None when it has no identifiable source."""
        self._speaker_kind = None
        if cue.clitic == "on":  # "…, a-t-on appris auprès de la direction"
            return self._found(self._source_after_aupres(item, cue.end), cue, item)
        if cue.clitic:
            person = self._referents.resolve(cue.clitic) if cue.clitic in ("il", "elle") else None
            if person is None:
                return None
            self._speaker_kind = "pronoun"
            return person, cue.text
        if cue.kind == "marker" and cue.lemma == "à ses yeux":  # "constitue à ses yeux": the salient person
            person = self._referents.last
            self._speaker_kind = "pronoun" if person else None
            return (person, cue.text) if person else None
        if cue.kind == "marker":
            mention = self._mention_after(item, cue.end, gap=2) or \
                document_source(item.sentence.text, item.mentions, cue.end)
            found = self._found(mention, cue, item)
            if not found and self._last_source and ownerless_document(item.sentence.text, cue.end):
                self._speaker_kind = None  # "Selon le communiqué officiel, …": the source just quoted
                return self._last_source, cue.text
            if not found:  # "selon le « Monde »": a title in quotation marks is a medium
                return quoted_title(item.sentence.text, cue)
            if found and mention.kind not in ("pronoun", "same"):  # "selon AP et CNN"
                names = [self._resolve(m, item) for m in self._coordinated(item, mention)]
                return ", ".join(dict.fromkeys(n for n in names if n)), found[1]
            return found
        token = self._token_at(item.doc, cue.verb_start)
        subject = self._subject(token) if token is not None else None
        if subject is not None and postposed and subject.idx < cue.end:
            subject = None  # the parser took the quoted words for the subject
        if subject is not None:
            mention = self._mention_at(item, subject)
            if mention is None:
                mention = next((self._mention_at(item, c) for c in subject.children
                                if c.dep_ in ("appos", "flat:name") and self._mention_at(item, c)),
                               None)
            if mention is None:
                mention = self._apposed_to(item, subject)  # "X, son avocat, a confirmé"
            if mention is None and is_document(subject.text):  # "les projections de l'institution prévoient"
                mention = document_source(item.sentence.text, item.mentions, subject.idx)
                context = getattr(self, "context_", None)
                court = court_of_ruling(subject, context.bodies if context is not None else None)
                if mention is None and court:  # "le jugement … démontre": the court that gave it (A3)
                    self._speaker_kind = "body"
                    return court, cue.text
            if mention is None:
                return None  # a subject that is no source: "certains responsables"
            mention = self._apposed_source(item, subject, mention)
            found = self._found(mention, cue, item)
            if found and mention.kind != "pronoun":
                names = [self._resolve(m, item) for m in self._coordinated(item, mention)]
                return ", ".join(dict.fromkeys(n for n in names if n)), found[1]
            return found
        if postposed:
            return self._found(self._mention_after(item, cue.end, gap=8), cue, item)
        before = [m for m in item.mentions if m.end <= cue.start
                  and len(words(item.sentence.text[m.end:cue.start])) <= 4
                  and not self._after_preposition(item, m)]
        if not before and item.mentions:  # "X, au sortir du palais, a revendiqué"
            first, text = item.mentions[0], item.sentence.text
            incise = text[first.end:cue.start].strip()
            if words(text[:first.start]) in ([], *([c] for c in self._conjunctions)) and \
                    incise.startswith(",") and incise.endswith(",") and first.kind != "pronoun":
                before = [first]
        return self._found(before[-1] if before else None, cue, item)

    def _found(self, mention: Optional[Mention], cue: CueMatch, item: Optional[_Analysis] = None):
        if mention is None:
            return None
        speaker = self._resolve(mention, item)
        if speaker is None:
            return None
        self._speaker_kind = mention.kind
        return speaker, cue.text


_DEFAULT: Optional[SpeakerAttributor] = None


def attribute(article: Article, sentences: Sequence[Sentence], docs=None) -> list[Attribution]:
    """Attribute each sentence with a shared :class:`SpeakerAttributor` (see its ``attribute``)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = SpeakerAttributor()
    return _DEFAULT.attribute(article, sentences, docs)
