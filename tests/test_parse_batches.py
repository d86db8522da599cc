"""spaCy parses in batches of 256 sentences (issue 16: less CPU a sentence than 64) give the
parses of small batches: every stage reading syntax sees the same trees, tags and entities."""

from __future__ import annotations

import numpy as np
import pytest

from claims.ingest import resolve_articles, split_corpus


def test_large_parse_batches_give_the_small_batches_parses():
    pytest.importorskip("spacy")
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

    from claims.french import nlp as french

    try:
        pipeline = french.french_nlp()
    except RuntimeError as exc:
        pytest.skip(str(exc))
    from claims.evaluation.data import EvalDataMissing
    from claims.evaluation.generated import generated_articles

    try:
        generated = generated_articles(500, per_article=10, news=True, seed=2)
    except EvalDataMissing as exc:
        pytest.skip(f"STS-B-fr absent: {exc}")
    texts = [s.text for s in split_corpus(resolve_articles(["seeds/"]) + generated)]
    assert len(texts) > 2 * french.BATCH_SIZE >= 512  # several large batches
    attrs = [LEMMA, POS, TAG, DEP, HEAD, ENT_IOB, ENT_TYPE, MORPH]
    large = [d.to_array(attrs) for d in french.parse(texts)]
    small = [d.to_array(attrs) for d in pipeline.pipe(texts, batch_size=16)]
    assert all(np.array_equal(a, b) for a, b in zip(large, small))
