"""Stance classifier alternatives, scored like the shipped one: Macron training rows only.

The shipped classifier (``python -m claims.training.stance``) is a logistic regression on frozen
e5-small embeddings plus cue features. This benchmark checks whether a richer representation
would do better, with the same protocol: 5-fold cross-validation over the E-FRA Macron
``Training`` rows, the hand-written rows in every training fold, out-of-fold macro-F1 of the
Macron rows. No test row is read.

* **other frozen embeddings**: USE multilingual, MiniLM, and concatenations with e5-small,
  each with the shipped classifier settings and the C grid of :mod:`claims.training.stance`;
* **fine-tuning** (``--finetune K``): the top K transformer layers of e5-small trained with a
  linear head (cross-entropy, square-root balanced class weights, AdamW), one fold seed;
  about 2 minutes per fold and K=2 on two cores.

Run: ``python -m benchmarks.stance_alternatives [--finetune 2]``. Writes
``benchmarks/results/stance_alternatives.json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.machine import describe, machine, write_results
from claims.evaluation.data import EvalDataMissing
from claims.records import STANCES
from claims.stance.classifier import macro_f1
from claims.training.stance import C_GRID, cross_validate, training_rows

RESULTS_PATH = Path(__file__).resolve().parent / "results" / "stance_alternatives.json"
SHIPPED = {"cue_scale": 10.0, "target_focus": True, "class_weight": "sqrt_balanced", "neutral_bias": 0.0}
EMBEDDINGS = {"e5-small (shipped)": ("e5-small",), "use": ("use",), "e5-small + use": ("e5-small", "use"),
              "e5-small + minilm": ("e5-small", "minilm"), "e5-small + use + minilm": ("e5-small", "use", "minilm")}


def frozen_embeddings(rows) -> dict[str, dict[str, float]]:
    """Macron CV macro-F1 per embedding combination and C, with the shipped settings."""
    from claims.models import get_encoder

    texts = [r.text for r in rows]
    vectors = {name: get_encoder(name, cache=True).encode(texts)
               for name in sorted({n for names in EMBEDDINGS.values() for n in names})}
    table = {}
    for label, names in EMBEDDINGS.items():
        X = np.hstack([vectors[n] for n in names])
        table[label] = {f"C={C}": round(cross_validate(dict(SHIPPED, C=C), X, rows)[0], 4) for C in C_GRID}
        print(f"  {label:<26} " + "  ".join(f"{k} {v:.3f}" for k, v in table[label].items()), flush=True)
    return table


def finetune_cv(rows, top_layers: int, epochs: int = 4, lr: float = 5e-5, seed: int = 1) -> float:
    """Out-of-fold macro-F1 of e5-small with its top layers fine-tuned and a linear head."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sklearn.model_selection import StratifiedKFold

    from embeddings.e5 import build_e5_model

    torch.set_num_threads(2)
    model_st = SentenceTransformer(str(build_e5_model()), device="cpu")
    tokenizer, encoder = model_st.tokenizer, model_st[0].auto_model
    initial = {k: v.clone() for k, v in encoder.state_dict().items()}
    texts = ["query: " + r.text for r in rows]
    y = np.array([STANCES.index(r.stance) for r in rows])
    tweets = np.flatnonzero([r.source.startswith("efra") for r in rows])
    always = np.flatnonzero([not r.source.startswith("efra") for r in rows])

    def pooled(batch):
        b = tokenizer(batch, padding=True, truncation=True, max_length=96, return_tensors="pt")
        mask = b["attention_mask"].unsqueeze(-1).float()
        return (encoder(**b).last_hidden_state * mask).sum(1) / mask.sum(1)

    def fit_predict(train, held):
        torch.manual_seed(seed)
        encoder.load_state_dict(initial)
        for p in encoder.parameters():
            p.requires_grad = False
        tuned = [p for layer in encoder.encoder.layer[-top_layers:] for p in layer.parameters()]
        for p in tuned:
            p.requires_grad = True
        head = torch.nn.Linear(encoder.config.hidden_size, len(STANCES))
        counts = np.bincount(y[train], minlength=len(STANCES))
        weights = torch.tensor(np.sqrt(len(train) / (len(STANCES) * counts)), dtype=torch.float32)
        loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
        optimiser = torch.optim.AdamW([{"params": tuned, "lr": lr}, {"params": head.parameters(), "lr": 1e-3}],
                                      weight_decay=0.01)
        order_rng = np.random.default_rng(seed)
        encoder.train()
        for _ in range(epochs):
            order = order_rng.permutation(train)
            for i in range(0, len(order), 16):
                idx = order[i:i + 16]
                loss = loss_fn(head(pooled([texts[j] for j in idx]) * 10), torch.tensor(y[idx]))
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
        encoder.eval()
        with torch.no_grad():
            return np.concatenate([head(pooled([texts[j] for j in held[i:i + 64]]) * 10).argmax(1).numpy()
                                   for i in range(0, len(held), 64)])

    pred = np.empty(len(tweets), int)
    folds = StratifiedKFold(5, shuffle=True, random_state=seed).split(tweets, y[tweets])
    for n, (train_f, held_f) in enumerate(folds):
        t0 = time.perf_counter()
        pred[held_f] = fit_predict(np.concatenate([tweets[train_f], always]), tweets[held_f])
        print(f"  fine-tuning fold {n + 1}/5: {time.perf_counter() - t0:.0f}s", flush=True)
    return macro_f1(y[tweets], pred)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--finetune", type=int, metavar="K", default=0,
                        help="also fine-tune the top K layers of e5-small (0: skip)")
    args = parser.parse_args(argv)
    try:
        rows = training_rows()
    except EvalDataMissing as error:
        print(f"skipped: E-FRA training data not found ({error})")
        return 0
    info = machine()
    print(f"machine: {describe(info)}")
    print("Macron CV macro-F1 (5 folds x 3 seeds), shipped settings, frozen embeddings:")
    results = {"machine": info, "frozen_embeddings": frozen_embeddings(rows)}
    if args.finetune:
        t0 = time.perf_counter()
        f1 = finetune_cv(rows, args.finetune)
        results["finetune"] = {"top_layers": args.finetune, "cv_macro_f1": round(f1, 4),
                               "seconds": round(time.perf_counter() - t0)}
        print(f"fine-tuned top {args.finetune} layers of e5-small + linear head: Macron CV macro-F1 {f1:.3f} "
              f"(one fold seed)")
    write_results(RESULTS_PATH, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
