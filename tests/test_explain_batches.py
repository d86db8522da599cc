"""Why a mention is in its group: scoring every mention's candidates in large batches gives the
links that scoring them one mention at a time gave (issue 16: the pair scorer's per-call cost
was most of the explain stage). Sentences are generated from STS-B-fr."""

from __future__ import annotations

import pytest

from claims import analyze
from claims.evaluation.data import EvalDataMissing
from claims.matching import explain
from claims.matching.explain import Explainer
from claims.matching.scores import build_scorer, pair_score
from tests.fake_encoders import BagOfWords, registered


@pytest.fixture(scope="module")
def grouped():
    from claims.evaluation.generated import generated_articles

    try:
        articles = generated_articles(400, per_article=8, paired_share=0.6, seed=11)
    except EvalDataMissing as exc:
        pytest.skip(f"STS-B-fr absent: {exc}")
    with registered(BagOfWords("fake-words", 64)):
        analysis = analyze(articles, model="fake-words", threshold=0.5, scoring="cosine", cache=False,
                           attribution=False, guard=False, stance=False)
    texts = [r.sentence.text for r in analysis.rows]
    ids = [r.sentence.article for r in analysis.rows]
    return analysis, build_scorer(pair_score("hybrid"), 0.5, texts, analysis.embeddings, ids)


def one_mention_at_a_time(explainer, group):
    rows = [m.row for m in group.mentions]
    articles = [m.sentence.article for m in group.mentions]
    return tuple(explainer._link(r, a, rows, articles) for r, a in zip(rows, articles))


@pytest.mark.parametrize("chunk", [7, 1 << 16])
@pytest.mark.parametrize("scored", [True, False])
def test_batched_links_are_the_links_of_one_mention_at_a_time(grouped, monkeypatch, chunk, scored):
    analysis, scorer = grouped
    assert len(analysis.groups) >= 10 and any(len(g.mentions) > 2 for g in analysis.groups)
    monkeypatch.setattr(explain, "PAIR_CHUNK", chunk)  # 7: many calls, mentions never split across two
    texts = [r.sentence.text for r in analysis.rows]
    explainer = Explainer(texts, analysis.embeddings, scorer if scored else None)
    batched = explainer.groups(analysis.groups)
    assert batched == [one_mention_at_a_time(explainer, g) for g in analysis.groups]
    assert any(link.partner is not None for links in batched for link in links)
    assert all(link.lexical is not None for links in batched for link in links if link.partner is not None) == scored
