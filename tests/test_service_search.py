"""The service's batched exact search gives what one query at a time gives."""

import asyncio

import numpy as np

from claims.service.search import QueryBatcher, top_rows
from tests.fake_encoders import WordVectors


def test_concurrent_queries_get_their_own_exact_answers():
    rng = np.random.default_rng(0)
    corpus = rng.normal(size=(500, 16)).astype(np.float32)
    corpus /= np.linalg.norm(corpus, axis=1, keepdims=True)
    other = corpus[:100].copy()  # a second snapshot, as after an ingest
    texts = [f"mot{i} autre{i % 7} encore" for i in range(40)]
    jobs = [(t, corpus if i % 3 else other, 1 + i % 6) for i, t in enumerate(texts)]
    encoder = WordVectors(16, lower=False)

    async def ask_all():
        batcher = QueryBatcher(encoder, max_batch=8)
        try:
            return await asyncio.gather(*(batcher.nearest(t, e, k) for t, e, k in jobs))
        finally:
            await batcher.close()

    answers = asyncio.run(ask_all())
    for (text, embeddings, k), got in zip(jobs, answers):
        scores = embeddings @ encoder.encode([text])[0]
        expected = sorted(range(len(scores)), key=lambda r: (-scores[r], r))[:k]
        assert [row for row, _ in got] == expected
        assert np.allclose([s for _, s in got], scores[expected])


def test_top_rows_with_fewer_sentences_than_asked():
    assert top_rows(np.array([[0.1, 0.9]]), 5) == [[(1, 0.9), (0, 0.1)]]


def test_answers_follow_a_new_vector_array_after_the_old_one_is_gone():
    # The batcher keeps a transposed copy per stored-vector array; a store's next generation
    # brings a new array (possibly at the freed one's address) and must never meet the old copy.
    rng = np.random.default_rng(1)
    encoder = WordVectors(16, lower=False)
    query = "mot1 autre1 encore"

    def unit(n):
        vectors = rng.normal(size=(n, 16)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    async def ask_twice():
        batcher = QueryBatcher(encoder, max_batch=4)
        try:
            first = unit(300)
            got_first = await batcher.nearest(query, first, 3)
            expected_first = list(np.argsort(-(first @ encoder.encode([query])[0]), kind="stable")[:3])
            del first
            second = unit(300)
            got_second = await batcher.nearest(query, second, 3)
            expected_second = list(np.argsort(-(second @ encoder.encode([query])[0]), kind="stable")[:3])
            return got_first, expected_first, got_second, expected_second, len(batcher._columns)
        finally:
            await batcher.close()

    got_first, expected_first, got_second, expected_second, cached = asyncio.run(ask_twice())
    assert [r for r, _ in got_first] == expected_first
    assert [r for r, _ in got_second] == expected_second
    assert cached == 1  # the freed array's copy went with it
