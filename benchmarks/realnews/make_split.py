"""Draw the held-out events of the real-news set (run once, right after collection).

Seeded, stratified by domain: the domains with at least two events are shuffled, the first
six each give one held-out event drawn at random; single-event domains stay for tuning.
Writes ``benchmarks/realnews/split.json``. Re-running gives the same split.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict

from claims.evaluation.realnews import REPO_DIR

SEED = 20261201
HELD_OUT_DOMAINS = 6


def main() -> None:
    """Draw and write the split."""
    events = json.loads((REPO_DIR / "events.json").read_text(encoding="utf-8"))
    by_domain: dict[str, list[str]] = defaultdict(list)
    for event, meta in sorted(events.items()):
        by_domain[meta["domain"]].append(event)
    rng = random.Random(SEED)
    domains = sorted(d for d, evs in by_domain.items() if len(evs) >= 2)
    rng.shuffle(domains)
    heldout = sorted(rng.choice(by_domain[d]) for d in domains[:HELD_OUT_DOMAINS])
    split = {"seed": SEED, "drawn": "2026-12-01", "method": __doc__.split("\n\n")[1].strip(),
             "heldout": heldout, "tuning": sorted(set(events) - set(heldout)),
             "domains": {e: events[e]["domain"] for e in sorted(events)}}
    (REPO_DIR / "split.json").write_text(json.dumps(split, indent=1, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    print(json.dumps({k: split[k] for k in ("heldout", "tuning")}))


if __name__ == "__main__":
    main()
