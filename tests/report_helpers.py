"""A made-up analysis of any size, built from records (no model), for report tests."""

from __future__ import annotations

import dataclasses

import numpy as np

from claims.analysis import Analysis, table_rows
from claims.comparison import compare_group
from claims.facts.versions import Difference, Fact, FactMention, Version
from claims.records import Article, Attribution, ClaimGroup, Mention, Sentence
from claims.settings import resolve_settings

OUTLETS = ("AFP", "Reuters", "ATS")
SPEAKERS = ("Jens Stoltenberg", "Olaf Scholz", None)


def synthetic_analysis(n_claims: int, texts: dict[int, str] | None = None) -> Analysis:
    """``n_claims`` claims, each said in two articles; ``texts`` replaces the text of some claims.

    Claim ``i`` is told by articles ``a{i}`` and ``b{i}`` of outlets taken in turn from
    :data:`OUTLETS`, spoken by :data:`SPEAKERS` in turn; every third claim gives two
    different figures, so it is disputed.
    """
    texts = texts or {}
    articles, sentences, attributions, groups = [], [], [], []
    for i in range(n_claims):
        base = texts.get(i, f"Le pays {i} recevra une aide militaire de l'alliance.")
        speaker = SPEAKERS[i % len(SPEAKERS)]
        mentions = []
        for side, figure in (("a", 400), ("b", 325 if i % 3 == 0 else 400)):
            text = f"{base} Montant : {figure} millions de dollars."
            article = Article(id=f"{side}{i:05d}", text=text, date=f"2023-{1 + i % 12:02d}-15",
                              source=OUTLETS[(i + (side == "b")) % len(OUTLETS)])
            sentence = Sentence(article.id, 0, text, 0, len(text))
            who = Attribution(speaker, "a déclaré" if speaker else None, "indirect" if speaker else "none")
            mentions.append(Mention(sentence, 0.95, who, "favor" if side == "a" else "neutral", row=len(sentences)))
            articles.append(article)
            sentences.append(sentence)
            attributions.append(who)
        group = ClaimGroup(f"c{i + 1:05d}", tuple(mentions))
        groups.append(ClaimGroup(group.id, group.mentions, compare_group(group, {a.id: a for a in articles[-2:]})))
    groups = tuple(groups)
    return Analysis(articles=tuple(articles), rows=tuple(table_rows(sentences, attributions, groups)),
                    embeddings=np.zeros((len(sentences), 4), dtype=np.float32), groups=groups,
                    settings=resolve_settings("e5-small"), encoder=None)


def with_toll_fact(analysis: Analysis) -> Analysis:
    """``analysis`` carrying one disputed fact on claim c00001: a later, higher toll listed first."""
    group = analysis.groups[0]
    later, earlier = group.mentions[1], group.mentions[0]

    def mention(m, date, figure):
        return FactMention(m.row, m.sentence.article, "AFP", date, None, m.attribution.speaker, m.stance, figure,
                           m.sentence.text)

    fact = Fact("f001", "dead in Morocco on 9 September", "update", 2,
                (Version(2012.0, "morts", "au moins", "au moins 2012 morts", (mention(later, "2023-09-10", "2012 morts"),),
                         "2023-09-10"),
                 Version(820.0, "morts", None, "820 morts", (mention(earlier, "2023-09-09", "820 morts"),), "2023-09-09")),
                1, (Difference(0, 1, "update"),))
    return dataclasses.replace(analysis, facts=(fact,))
