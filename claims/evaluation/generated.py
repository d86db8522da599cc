"""Generated French articles of any size, from STS-B-fr sentences, for engine tests and scale benchmarks.

Each article is a run of sentences; a share of them are the two sides of an STS-B-fr
paraphrase pair (score >= 4) placed in two different articles, so claim groups form as
they would across outlets. With ``news=True`` each sentence joins two STS-B-fr sentences
with a connector ("…, tandis que …"), about the length of a news sentence (20-25 words
against 10); the two sides of a pair then share the same second half. Deterministic for a
seed. Needs ``/work/shared/eval/stsb-fr`` (:class:`~claims.evaluation.data.EvalDataMissing`
otherwise).
"""

from __future__ import annotations

import math
import random
from functools import lru_cache

from claims.records import Article

CONNECTORS = ("et", "tandis que", "alors que", "mais", "puisque", "car", "pendant que", "même si")
PARAPHRASE_SCORE = 4.0


@lru_cache(maxsize=1)
def _stsb() -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Paraphrase pairs and distinct single sentences of STS-B-fr (train and dev splits)."""
    from claims.evaluation.data import read_stsb_fr

    rows = [pair for split in ("train", "dev") for pair in read_stsb_fr(split)]
    pairs = tuple((r[0].strip(), r[1].strip()) for r in rows
                  if r[2] >= PARAPHRASE_SCORE and r[0].strip() != r[1].strip())
    singles = tuple(sorted({s.strip() for r in rows for s in r[:2] if len(s.split()) >= 4}))
    return pairs, singles


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".!?" else text + "."


def _joined(first: str, second: str, connector: str) -> str:
    head = first.strip().rstrip(".!?;: ")
    tail = second.strip()
    return _sentence(f"{head}, {connector} {tail[:1].lower()}{tail[1:]}")


def generated_articles(n_sentences: int, *, per_article: int = 20, paired_share: float = 0.2,
                       news: bool = False, seed: int = 0) -> list[Article]:
    """About ``n_sentences`` sentences of French in articles of ``per_article`` sentences.

    Args:
        n_sentences: sentences to generate (the splitter may cut a few differently).
        per_article: sentences per article.
        paired_share: share of the sentences that are one side of a paraphrase pair.
        news: join two STS-B-fr sentences into each sentence (news-sized sentences).
        seed: seed of every random choice.

    Raises:
        ValueError: for a size below 1, an article size below 2 or a share outside [0, 1].
    """
    if n_sentences < 1 or per_article < 2:
        raise ValueError(f"need n_sentences >= 1 and per_article >= 2, got {n_sentences}, {per_article}")
    if not 0.0 <= paired_share <= 1.0:
        raise ValueError(f"paired_share must be in [0, 1], got {paired_share}")
    pairs, singles = _stsb()
    rng = random.Random(seed)
    n_articles = max(2, math.ceil(n_sentences / per_article))
    slots: list[list[str]] = [[] for _ in range(n_articles)]

    def tail(text: str) -> str:
        return _joined(text, rng.choice(singles), rng.choice(CONNECTORS)) if news else _sentence(text)

    for p in range(int(n_sentences * paired_share) // 2):
        a, b = pairs[p % len(pairs)]
        i = rng.randrange(n_articles)
        j = (i + 1 + rng.randrange(n_articles - 1)) % n_articles
        if news:
            second, connector = rng.choice(singles), rng.choice(CONNECTORS)
            slots[i].append(_joined(a, second, connector))
            slots[j].append(_joined(b, second, connector))
        else:
            slots[i].append(_sentence(a))
            slots[j].append(_sentence(b))
    total = sum(map(len, slots))
    for slot in slots:
        while len(slot) < per_article and total < n_sentences:
            slot.append(tail(rng.choice(singles)))
            total += 1
    articles = []
    for k, slot in enumerate(slots):
        if slot:
            rng.shuffle(slot)
            articles.append(Article(id=f"g{k:06d}", text=" ".join(slot)))
    return articles


__all__ = ["generated_articles"]
