"""Fit the cross-encoder's adapters (``claims/data/cross_adapter.npz``) on tuning data only.

``python -m claims.training.cross_encoder [--events none|all|E1,E2,...] [--out PATH]``

Pairs (all tuning splits of ``../shared/eval``, never a report split, never XNLI):

* PAWS-X-fr dev rows 1-1,000 (paraphrase or not, word swaps);
* STS-B-fr train, score >= 4 positive, <= 2 negative (a seeded sample of :data:`STSB_SAMPLE`);
* RTE3-fr dev (entailment positive);
* DACCORD ``covid`` contradictions (negatives: same topic, opposite facts);
* with ``--events``, pairs of those real-news **tuning** events (texts outside git): every
  pair of one gold claim (positive), every pair of two must-not-merge claims and a seeded
  sample of other pairs at cosine >= :data:`NEAR_COSINE` (negatives: same event, another claim).
  Held-out events are refused.

One pass (``--epochs``) of AdamW over seeded mini-batches, each pair in a random order of its
two sentences (the scorer reads a pair one way), positives weighted to balance the classes.
CPU only; deterministic for a given machine and thread count (fixed seeds).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from claims.matching.cross import ADAPTER_PATH, CrossEncoder

STSB_SAMPLE = 1200
NEAR_COSINE = 0.80
NEGATIVES_PER_POSITIVE = 2
SEED = 0
START_PAIRS = 128  # pairs the head's cosine weight and bias are started from


def public_pairs() -> list[tuple[str, str, bool, str]]:
    """(a, b, same claim, source) of the public tuning splits."""
    from benchmarks.pair_public import read_daccord, read_pawsx, read_rte
    from claims.evaluation.data import read_stsb_fr

    rng = np.random.default_rng(SEED)
    out = [(p.a, p.b, p.label, "pawsx") for p in read_pawsx()[0]]
    out += [(p.a, p.b, p.label, "rte") for p in read_rte()[0]]
    out += [(p.a, p.b, False, "daccord") for p in read_daccord()[0] if p.label]
    sts = [(p.sentence1, p.sentence2, p.score >= 4.0, "stsb") for p in read_stsb_fr("train")
           if p.score >= 4.0 or p.score <= 2.0]
    out += [sts[k] for k in sorted(rng.permutation(len(sts))[:STSB_SAMPLE].tolist())]
    return out


def event_pairs(event, rng: np.random.Generator) -> list[tuple[str, str, bool, str]]:
    """(a, b, same claim, event id) of one real-news tuning event (see the module doc)."""
    vectors = np.asarray(event.vectors, np.float32)
    rows = np.asarray(event.scored, np.int64)
    sims = vectors[rows] @ vectors[rows].T
    mnm = {frozenset(p) for p in event.must_not_merge}
    texts, art = event.texts, event.article_ids
    pos, hard, near = [], [], []
    for a in range(len(rows)):
        for b in range(a + 1, len(rows)):
            if (a, b) in event.ignore or art[rows[a]] == art[rows[b]]:
                continue  # the grouping joins sentences of different articles
            pair = (texts[rows[a]], texts[rows[b]])
            if event.labels[a] == event.labels[b]:
                pos.append(pair)
            elif frozenset((event.main[a], event.main[b])) in mnm:
                hard.append(pair)
            elif sims[a, b] >= NEAR_COSINE:
                near.append(pair)
    keep = max(0, NEGATIVES_PER_POSITIVE * len(pos) - len(hard))
    near = [near[k] for k in sorted(rng.permutation(len(near))[:keep].tolist())]
    return ([(x, y, True, event.id) for x, y in pos] + [(x, y, False, event.id) for x, y in hard + near])


def fit(pairs: Sequence[tuple[str, str, bool, str]], epochs: float = 1.0, batch_size: int = 16,
        lr: float = 2e-3, head_lr: float = 3e-3, encoder: Optional[CrossEncoder] = None,
        log_every: int = 5) -> CrossEncoder:
    """Train adapters and head on labelled pairs; returns the fitted :class:`CrossEncoder`."""
    import torch

    if not pairs:
        raise ValueError("no training pairs")
    torch.manual_seed(SEED)
    enc = (encoder or CrossEncoder()).build()
    rng = np.random.default_rng(SEED)
    labels = np.array([p[2] for p in pairs], bool)
    pos_weight = torch.tensor(float((~labels).sum()) / max(1, int(labels.sum())))
    first = rng.permutation(len(pairs))[:START_PAIRS]
    enc.model_.eval()
    enc.start_head([pairs[k][0] for k in first], [pairs[k][1] for k in first], labels[first])
    print(f"head started from {len(first)} pairs: cosine weight {enc.head_.weight[0, 0].item():.1f}, "
          f"bias {enc.head_.bias[0].item():.1f}", flush=True)
    steps = int(np.ceil(len(pairs) * epochs / batch_size))
    if steps == 0:  # --epochs 0: the base model read jointly, head started only (a control)
        return enc
    order = np.concatenate([rng.permutation(len(pairs)) for _ in range(int(np.ceil(epochs)))])
    # Length buckets: chunks of 20 batches sorted by length, so a batch pads little.
    chunk = 20 * batch_size
    size = np.array([len(p[0]) + len(p[1]) for p in pairs])
    chunks = np.split(order, range(chunk, len(order), chunk))
    order = np.concatenate([c[np.argsort(size[c], kind="stable")] for c in chunks])
    batches = [order[k:k + batch_size] for k in range(0, len(order), batch_size)]
    batches = [batches[k] for k in rng.permutation(len(batches))]
    swap = rng.random(len(pairs)) < 0.5
    lora = [p for n, p in enc.model_.named_parameters() if "lora_" in n]
    opt = torch.optim.AdamW([{"params": lora, "lr": lr}, {"params": list(enc.head_.parameters()), "lr": head_lr}],
                            weight_decay=0.01)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.05, 1.0 - s / steps))
    enc.model_.train()  # dropout on: a regulariser for a few thousand pairs
    start, seen, running = time.perf_counter(), 0, []
    print(f"training on {len(pairs)} pairs ({labels.sum()} positive), {steps} steps of {batch_size}",
          flush=True)
    for step in range(steps):
        idx = batches[step]
        a = [pairs[k][1] if swap[k] else pairs[k][0] for k in idx]
        b = [pairs[k][0] if swap[k] else pairs[k][1] for k in idx]
        y = torch.tensor(labels[idx], dtype=torch.float32)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            enc.logits(enc.encode_pairs(a, b)), y, pos_weight=pos_weight)
        loss.backward()
        opt.step()
        sched.step()
        opt.zero_grad()
        seen += len(idx)
        running.append(float(loss.detach()))
        if (step + 1) % log_every == 0 or step + 1 == steps:
            took = time.perf_counter() - start
            print(f"... step {step + 1}/{steps} loss {np.mean(running[-log_every:]):.3f} "
                  f"{seen / took:.1f} pairs/s {took:.0f} s", flush=True)
    enc.model_.eval()
    return enc


def training_pairs(events: str, public_limit: int = 0) -> list[tuple[str, str, bool, str]]:
    """Public pairs (a seeded sample of ``public_limit`` if > 0) plus the pairs of the named
    tuning events (``none``, ``all`` or ids)."""
    pairs = public_pairs()
    if 0 < public_limit < len(pairs):
        keep = np.random.default_rng(SEED + 1).permutation(len(pairs))[:public_limit]
        pairs = [pairs[k] for k in sorted(keep.tolist())]
    if events == "none":
        return pairs
    from benchmarks.pair_guard_check import tuning_events
    from claims.evaluation.realnews import read_split

    split = read_split()
    wanted = split["tuning"] if events == "all" else events.split(",")
    bad = sorted(set(wanted) - set(split["tuning"]))
    if bad:
        raise ValueError(f"events {bad} are not tuning events (held-out events never train)")
    loaded = tuning_events()
    if loaded is None:
        raise ValueError("real-news texts are absent: train with --events none")
    rng = np.random.default_rng(SEED)
    for e in loaded:
        if e.id in wanted:
            pairs += event_pairs(e, rng)
    return pairs


def main(argv: Optional[Sequence[str]] = None) -> int:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", default="none", help="tuning events whose pairs train too: none, all or ids")
    parser.add_argument("--epochs", type=float, default=1.0, help="passes over the pairs (0: start the head only)")
    parser.add_argument("--limit", type=int, default=0, help="train on a seeded sample of this many pairs")
    parser.add_argument("--max-length", type=int, default=96, help="tokens of a pair input")
    parser.add_argument("--public-limit", type=int, default=0, help="a seeded sample of the public pairs")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ADAPTER_PATH)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    pairs = training_pairs(args.events, args.public_limit)
    if args.limit and args.limit < len(pairs):
        keep = np.random.default_rng(SEED).permutation(len(pairs))[:args.limit]
        pairs = [pairs[k] for k in sorted(keep.tolist())]
    sources = sorted({p[3] for p in pairs})
    print("pairs by source: " + ", ".join(f"{s} {sum(p[3] == s for p in pairs)}" for s in sources), flush=True)
    enc = fit(pairs, epochs=args.epochs, encoder=CrossEncoder(max_length=args.max_length))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    enc.save(args.out, {"events": args.events, "pairs": len(pairs), "epochs": args.epochs,
                        "command": "python -m claims.training.cross_encoder " + " ".join(argv or sys.argv[1:])})
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
