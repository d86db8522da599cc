"""The demo corpus (``seeds/``, gold ``benchmarks/gold/claims.jsonl``) as one more event.

So :mod:`benchmarks.realnews_quality` runs every system on it beside the real-news events, at
the thresholds chosen on the real-news tuning events. Its must-not-merge pair is the "apart"
check of :data:`benchmarks.quality.CHECKS`; the three checks are reported as passed or not.
"""

from __future__ import annotations

import sys

from benchmarks.realnews_events import Event


def demo_event(encoder) -> Event:
    """The demo articles as one corpus, with their gold."""
    from benchmarks.quality import CHECKS
    from claims.evaluation.gold import SEEDS, align_gold, read_gold
    from claims.ingest.corpus import load_articles
    from claims.ingest.sentences import split_sentences

    articles = load_articles([SEEDS]).articles
    sentences = [s for a in articles for s in split_sentences(a)]
    gold = align_gold(sentences, read_gold())
    for row in gold.unmatched:
        print(f"!! demo gold row not matched ({row.article}, {row.claim})", file=sys.stderr)
    vectors = encoder.encode([s.text for s in sentences])
    apart = [(claim, other) for kind, claim, other in CHECKS if kind == "apart"]
    return Event("demo", articles, sentences, vectors, list(range(len(sentences))), list(gold.labels),
                 list(gold.claims), list(gold.main), set(gold.ignore), apart)


def demo_checks(event: Event, labels) -> int:
    """How many of the demo's three checks a labelling passes."""
    from benchmarks.quality import checks
    from claims.evaluation.gold import Gold
    from claims.evaluation.metrics import with_singletons

    gold = Gold(event.labels, event.claims, event.main, event.ignore, [], [])
    return sum(checks(gold, event.sentences, with_singletons(list(labels))).values())


__all__ = ["demo_checks", "demo_event"]
