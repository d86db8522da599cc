"""Quotations running over several sentences, attributed once (rule 1 of the attributor).

A mixin of :class:`claims.attribution.attributor.SpeakerAttributor`: the sentences sharing one
quotation, and the source that attributes it, found by the cue after its end ("« A. B », a-t-il
dit"), before its start, in an incise inside its marks (« A, a reconnu X. B »,
:mod:`claims.attribution.incises`), by a colon frame, a narrative infinitive ("Et d'ajouter : « … »"),
or else as the continuation of the report just before it.
"""

from __future__ import annotations

from claims.attribution.frames import colon_speaker, narrative_infinitive
from claims.french.text import words
from claims.records import NO_ATTRIBUTION, Attribution


class QuoteGroups:
    """``_quote_group`` and ``_attribute_group`` over the attributor's analysed sentences."""

    @staticmethod
    def _quote_group(items, i: int) -> list[int]:
        """Indices of the sentences sharing a quotation with sentence ``i`` (just ``[i]`` if none)."""
        group = [i]
        for _, _, quote in items[i].quotes:
            if quote.end > items[i].sentence.end:
                j = i + 1
                while j < len(items) and items[j].sentence.start < quote.end:
                    group.append(j)
                    j += 1
                break
        return group

    def _attribute_group(self, items, group, results) -> list[Attribution]:
        first, last = items[group[0]], items[group[-1]]
        quote = next(q for _, _, q in first.quotes if q.end > first.sentence.end)
        found = None
        end_local = quote.end - last.sentence.start
        for cue in (c for c in last.cues if c.start >= end_local):
            found = self._speaker_for(last, cue, postposed=True)
            if found:
                break
        if not found:
            start_local = quote.start - first.sentence.start
            for cue in (c for c in first.cues if c.end <= start_local and self._is_main(first, c)):
                found = self._speaker_for(first, cue, postposed=False)
                if found:
                    break
        if not found:  # « A, a reconnu X. B »: the incise inside the marks names the speaker
            inner = [(items[j], c) for j in group for c in items[j].cues
                     if quote.inner_start <= items[j].sentence.start + c.start < quote.inner_end]
            for item, cue in inner:
                found = self._speaker_for(item, cue, postposed=True)
                if found:
                    break
        if not found:
            colon = colon_speaker(first, self._mention_at)  # "X a adressé un message : « … . … »"
            if colon is not None and colon[2] == quote.start - first.sentence.start and self._resolve(colon[0], first):
                self._speaker_kind = colon[0].kind
                found = (self._resolve(colon[0], first), colon[1])
        if not found:
            found = self._narrative_infinitive(first)
        if not found:
            # a quotation over sentences right after a report continues it ("La BCE a annoncé …. “… . …”")
            previous = results[group[0] - 1] if group[0] else None
            if previous is None or previous.speaker is None or first.sentence.text[:max(
                    0, quote.start - first.sentence.start)].strip():
                return [NO_ATTRIBUTION] * len(group)
            found = (previous.speaker, previous.cue if getattr(self, "_after_colon", False) else None)
        speaker, cue_text = found
        lead = first.sentence.text[:max(0, quote.start - first.sentence.start)].rstrip()
        out = []
        for j in group:
            s = items[j].sentence
            span = (max(quote.inner_start, s.start) - s.start, min(quote.inner_end, s.end) - s.start)
            kind = "indirect" if j == group[0] and len(words(lead)) > 1 and not lead.endswith(":") else "direct"
            out.append(Attribution(speaker, cue_text, kind, self._absolute(items[j], span)))
        return out

    def _narrative_infinitive(self, item):
        """(last source, infinitive) for "Et d'ajouter : « … »", or None."""
        verb = narrative_infinitive(item.sentence.text, self.lexicon_)
        if verb is None or self._last_source is None:
            return None
        self._speaker_kind = "pronoun"
        return self._last_source, verb
