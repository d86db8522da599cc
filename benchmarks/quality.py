"""Claim-grouping quality on the hand-annotated demo corpus, every system on the same sentences.

``python -m benchmarks.quality`` scores, against ``benchmarks/gold/claims.jsonl`` (rules in
``benchmarks/gold/CLAIM_RULES.md``):

* the pipeline (:func:`claims.pipeline.analyze`) with each offline model;
* TF-IDF character n-grams grouped by :func:`claims.matching.grouping.group_embeddings`;
* ``sentence_transformers.util.community_detection`` and scikit-learn average-linkage
  ``AgglomerativeClustering`` on e5-small embeddings (the pipeline's encoder);
* an ablation of the pipeline: pair scoring (clause units with and without the TF-IDF
  score, whole-sentence cosine + TF-IDF, CSLS, plain cosine), and under each, each pair
  guard switched off;
* the default scoring with its threshold fitted on the gold by leave-one-article-out
  cross-validation (the CV figure), next to the in-sample best (an oracle).

No threshold is tuned on the gold. Each system runs at thresholds chosen elsewhere, marked
in its name: ``[shipped]`` the pipeline's calibrated ones (``claims/data/thresholds.json``,
whose ``method`` is printed); ``[sts]`` best F1 on STS-B-fr dev pairs scored >= 4 (the same rule);
``[checkthat]`` best F1 on CheckThat! 2020 train+dev tweet pairs making the same verified
claim (see :func:`benchmarks.public_eval.tuning_sets`). A threshold sweep on the gold is
printed too; its best value is an oracle, labelled as such. Writes
``benchmarks/results/quality.json``.
"""

from __future__ import annotations

import sys
import time
from typing import Callable, Optional, Sequence

import numpy as np

from benchmarks.machine import machine, write_results
from claims.evaluation.data import REPO
from claims.evaluation.gold import CLAIMS_GOLD as GOLD_PATH
from claims.evaluation.gold import SEEDS, Gold, align_gold, read_gold
from claims.evaluation.metrics import (leave_one_group_out, merged_distinct_claims, score_grouping,
                                       with_singletons)

RESULTS = REPO / "benchmarks" / "results" / "quality.json"
MODELS = ("e5-small-onnx", "e5-small", "e5-small-int8", "use", "minilm")
BASELINE_MODEL = "e5-small"  # embeddings the clustering baselines run on
MIN_ARTICLES = 2
WRONG_MERGES_KEPT = 30
DENSE_SWEEP = tuple(round(t, 2) for t in np.arange(0.80, 0.971, 0.01))
TFIDF_SWEEP = tuple(round(t, 2) for t in np.arange(0.10, 0.751, 0.05))
# Checks a reader looks for first: (kind, claim, other claim).
CHECKS = (("together", "credit-line-155mm", None), ("together", "heavy-weapons", None),
          ("apart", "us-aid-400m-2022-11", "us-aid-325m-2023-06"))


# -- systems ---------------------------------------------------------------------------------
def _keep_multi_article(groups: Sequence[Sequence[int]], article_ids: Sequence[str], n: int) -> list:
    """Labels from groups, keeping only groups spanning MIN_ARTICLES articles (the product's rule)."""
    labels: list = [None] * n
    for g, members in enumerate(groups):
        if len({article_ids[i] for i in members}) >= MIN_ARTICLES:
            for i in members:
                labels[i] = g
    return with_singletons(labels)


def group_vectors(vectors: np.ndarray, article_ids, threshold: float) -> list:
    """The project's grouping on any L2-normalised vectors, without guard or lexical score."""
    from claims.matching.grouping import group_embeddings

    return with_singletons(group_embeddings(vectors, article_ids, threshold, MIN_ARTICLES).labels.tolist())


def community_detection(vectors: np.ndarray, article_ids, threshold: float) -> list:
    """sentence-transformers community detection (pairs >= threshold), multi-article groups kept."""
    import torch
    from sentence_transformers.util import community_detection as detect

    groups = detect(torch.from_numpy(np.ascontiguousarray(vectors)), threshold=threshold,
                    min_community_size=2, batch_size=1024)
    return _keep_multi_article(groups, article_ids, len(vectors))


def agglomerative(vectors: np.ndarray, article_ids, threshold: float) -> list:
    """Average-linkage clustering on cosine distance cut at 1 - threshold."""
    from sklearn.cluster import AgglomerativeClustering

    flat = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                   distance_threshold=1.0 - threshold).fit_predict(vectors)
    groups: dict[int, list[int]] = {}
    for i, c in enumerate(flat.tolist()):
        groups.setdefault(c, []).append(i)
    return _keep_multi_article(list(groups.values()), article_ids, len(vectors))


def tfidf_vectors(texts: Sequence[str]) -> np.ndarray:
    """Dense L2-normalised TF-IDF character n-gram vectors (``claims.matching.lexical`` settings), fitted on ``texts``."""
    from claims.matching.lexical import LexicalSimilarity

    return LexicalSimilarity("tfidf-char").fit(texts).matrix_.toarray().astype(np.float32)


# -- scoring ---------------------------------------------------------------------------------
def checks(gold: Gold, sentences, pred) -> dict:
    """The must-match / must-not-match checks of CHECKS, as name -> bool."""
    out = {}
    for kind, claim, other in CHECKS:
        a = [i for i, c in enumerate(gold.main) if c == claim]
        b = [i for i, c in enumerate(gold.main) if c == (other or claim)]
        linked = any(pred[i] == pred[j] and sentences[i].article != sentences[j].article
                     for i in a for j in b)
        name = claim if kind == "together" else f"{claim} / {other}"
        out[f"{kind}: {name}"] = linked if kind == "together" else not linked
    return out


def score(gold: Gold, sentences, pred, **info) -> dict:
    """Scores, checks and the wrong merges of one prediction."""
    result = {**info, **score_grouping(gold.labels, pred, gold.ignore, gold.claims)}
    result["groups"] = len({p for p in pred if not (isinstance(p, tuple) and p[0] == "singleton")})
    result["checks"] = checks(gold, sentences, pred)
    result["wrong_merges"] = [  # the first few, to read; the count is merged_distinct_claims
        [gold.main[i], gold.main[j], sentences[i].text[:70], sentences[j].text[:70]]
        for i, j in merged_distinct_claims(gold.claims, pred)[:WRONG_MERGES_KEPT]]
    return result


def pipeline_labels(articles, model: str, **options):
    """Run the pipeline (no attribution or stance) and return (analysis, labels)."""
    from claims.pipeline import analyze

    analysis = analyze(articles, model=model, min_articles=MIN_ARTICLES, attribution=False,
                       stance=False, **options)
    return analysis, with_singletons(analysis.labels)


ABLATION_SCORINGS = ("clauses", "clauses-dense", "hybrid", "csls", "cosine")
ABLATION_GUARDS = ("all guards", "numbers guard off", "negation guard off", "entities guard off", "no guard")
CV_GRID = tuple(float(round(t, 3)) for t in np.arange(0.50, 0.951, 0.01))  # "hybrid" scale


def ablation_variants() -> dict:
    """Pipeline options for the ablation: each pair scoring, and under each, each guard off.

    "clauses" is the best pair of clause units by cosine + TF-IDF (the default);
    "clauses-dense" the same without TF-IDF; "hybrid" whole sentences by cosine + TF-IDF;
    "csls" hubness-corrected cosine; "cosine" the dense one alone.
    """
    from claims.french.nlp import french_nlp
    from claims.matching.pair_guards import PairGuard

    guards = {"all guards": {}}
    for name in ("numbers", "negation", "entities"):
        guards[f"{name} guard off"] = {"guard": PairGuard(**{name: False}, nlp=french_nlp())}
    guards["no guard"] = {"guard": None}
    return {f"scoring {s}, {g}": {"scoring": s, **options}
            for s in ABLATION_SCORINGS for g, options in guards.items()}


def run() -> dict:
    from benchmarks.public_eval import tune_thresholds, tuning_sets
    from claims.ingest.corpus import load_articles
    from claims.models import get_encoder
    from claims.ingest.sentences import split_sentences

    articles = load_articles([SEEDS]).articles
    sentences = [s for a in articles for s in split_sentences(a)]
    article_ids = [s.article for s in sentences]
    texts = [s.text for s in sentences]
    gold = align_gold(sentences, read_gold())
    for row in gold.unmatched:
        print(f"!! GOLD ROW NOT MATCHED ({row.article}, {row.claim}): {row.text[:80]!r}", file=sys.stderr)
    systems, sweeps, errors = [], {}, {}

    def attempt(name: str, fn: Callable[[], dict]) -> None:
        try:
            systems.append(fn())
            print(f"... {name}: pair F1 {systems[-1]['pair_f1']:.3f}", file=sys.stderr)
        except Exception as error:  # one broken system must not hide the others' figures
            errors[name] = f"{type(error).__name__}: {error}"
            print(f"!! {name} failed: {errors[name]}", file=sys.stderr)

    # Reference: what grouping nothing scores (B-cubed and V-measure reward it: most gold
    # sentences are unique).
    systems.append(score(gold, sentences, with_singletons([None] * len(sentences)),
                         system="reference: no grouping", family="reference",
                         threshold=float("nan"), tuned_on="-"))

    def pipeline_row(model: str, name: str, family: str, **options) -> dict:
        start = time.perf_counter()
        analysis, pred = pipeline_labels(articles, model, **options)
        if [s.text for s in analysis.sentences] != texts:
            raise RuntimeError("the pipeline split the corpus into other sentences")
        return score(gold, sentences, pred, system=name, family=family,
                     tuned_on=f"{analysis.settings.threshold.source} (claims/data/thresholds.json)",
                     threshold=round(analysis.settings.threshold.value, 4), seconds=round(time.perf_counter() - start, 1))

    for model in MODELS:
        name = f"pipeline {model} [shipped]"
        attempt(name, lambda: pipeline_row(model, name, "pipeline"))
    try:
        variants = ablation_variants()
    except (ImportError, TypeError) as error:
        variants, errors["ablation"] = {}, f"{type(error).__name__}: {error}"
    for label, options in variants.items():
        name = f"ablation {BASELINE_MODEL} {label}"
        attempt(name, lambda: pipeline_row(BASELINE_MODEL, name, "ablation", **options))

    try:  # one or two parameters fitted on news-like data: the threshold, cross-validated
        preds = {t: pipeline_labels(articles, BASELINE_MODEL, threshold=t)[1] for t in CV_GRID}
        cv = leave_one_group_out(gold.labels, preds, [s.article for s in sentences], gold.ignore)
        in_sample = max(CV_GRID, key=lambda t: score_grouping(gold.labels, preds[t], gold.ignore)["pair_f1"])
        cv["in_sample"] = {"threshold": in_sample, **score_grouping(gold.labels, preds[in_sample], gold.ignore)}
        sweeps[f"pipeline {BASELINE_MODEL} (default scoring)"] = {
            t: score_grouping(gold.labels, preds[t], gold.ignore, gold.claims) for t in CV_GRID}
    except Exception as error:
        cv, errors["cross-validation"] = {}, f"{type(error).__name__}: {error}"

    encoder = get_encoder(BASELINE_MODEL, cache=True)
    tuned = {t.name: tune_thresholds(t, {BASELINE_MODEL: encoder}) for t in tuning_sets()}
    if not tuned:
        print("no tuning data: baselines appear in the sweep on the gold only", file=sys.stderr)
    vectors = encoder.encode(texts)
    baselines = {
        "TF-IDF char + grouping": (group_vectors, tfidf_vectors(texts), "tfidf", TFIDF_SWEEP),
        f"community_detection {BASELINE_MODEL}": (community_detection, vectors, "dense", DENSE_SWEEP),
        f"agglomerative avg {BASELINE_MODEL}": (agglomerative, vectors, "dense", DENSE_SWEEP),
        f"grouping only {BASELINE_MODEL} dense": (group_vectors, vectors, "dense", DENSE_SWEEP),
    }
    for name, (fn, vecs, scale, sweep) in baselines.items():
        for tuning, entry in tuned.items():
            found = entry["tfidf"] if scale == "tfidf" else entry["models"][BASELINE_MODEL]["dense"]
            threshold = found["threshold"]
            attempt(name, lambda: score(gold, sentences, fn(vecs, article_ids, threshold),
                                        system=f"{name} [{tuning}]", family="baseline",
                                        threshold=threshold, tuned_on=entry["where"]))
        try:
            sweeps[name] = {t: score_grouping(gold.labels, fn(vecs, article_ids, t), gold.ignore,
                                              gold.claims) for t in sweep}
        except Exception as error:
            errors[f"{name} sweep"] = f"{type(error).__name__}: {error}"

    return {"machine": machine(), "gold": {
        "file": str(GOLD_PATH.relative_to(REPO)), "sentences": len(sentences),
        "claim_rows": sum(1 for c in gold.claims if c), "shared_claims": gold.shared,
        "required_pairs": score_grouping(gold.labels, gold.labels, gold.ignore)["gold_pairs"],
        "ignored_pairs": len(gold.ignore), "unmatched_rows": [r._asdict() for r in gold.unmatched]},
        "shipped_method": _shipped_method(), "tuning": tuned, "systems": systems,
        "sweeps_on_gold": {k: {str(t): v for t, v in s.items()} for k, s in sweeps.items()},
        "threshold_cv_on_gold": cv,
        "errors": errors}


def _shipped_method() -> Optional[str]:
    from claims.models import calibration_table

    try:
        return calibration_table().get("method")
    except (OSError, ValueError):
        return None


def report(result: dict) -> None:
    m, g = result["machine"], result["gold"]
    print(f"machine: {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']}")
    print(f"gold: {g['file']}: {g['sentences']} sentences, {g['claim_rows']} claim sentences, "
          f"{len(g['shared_claims'])} shared claims, {g['required_pairs']} required pairs, "
          f"{g['ignored_pairs']} allowed-not-required pairs, {len(g['unmatched_rows'])} unmatched rows\n")
    head = (f"{'system':52} {'thr':>6} {'pairP':>5} {'pairR':>5} {'pairF1':>6} {'B3F1':>5} {'ARI':>5} "
            f"{'V':>5} {'wrong':>5} {'grp':>3}  checks")
    print(head)
    print("-" * len(head))
    for s in result["systems"]:
        marks = "".join("✓" if ok else "✗" for ok in s["checks"].values())
        print(f"{s['system'][:52]:52} {s['threshold']:>6.3f} {s['pair_precision']:5.2f} {s['pair_recall']:5.2f} "
              f"{s['pair_f1']:6.3f} {s['bcubed_f1']:5.2f} {s['ari']:5.2f} {s['v_measure']:5.2f} "
              f"{s['merged_distinct_claims']:5d} {s['groups']:3d}  {marks}")
    print("\npairP/R/F1: over the required pairs (pairs sharing only an `also` claim are ignored).")
    print("B3F1, ARI, V: on the main-claim partition; B3F1 and V reward grouping nothing (reference")
    print("row), so compare systems on pair F1 and ARI. wrong: pairs of sentences stating different")
    print("gold claims put in one group. grp: groups found.")
    if result["systems"]:
        print("checks: " + ", ".join(result["systems"][0]["checks"]))
    print("\nthresholds, never tuned on the gold: [shipped] = the pipeline's calibrated ones, "
          f"claims/data/thresholds.json: {result.get('shipped_method')}")
    print("[sts] and [checkthat] = best F1 on these tuning splits:")
    for name, t in result["tuning"].items():
        models = ", ".join(f"{m} " + " ".join(f"{k} {v['threshold']} (F1 {v['f1']})" for k, v in d.items())
                           for m, d in t["models"].items())
        print(f"  [{name}] {t['where']} ({t['positive_pairs']:,} positive of {t['pairs']:,} pairs): "
              f"TF-IDF {t['tfidf']['threshold']} (F1 {t['tfidf']['f1']}); {models}")
    print("\nsweep on the gold (pair F1; its best value is an ORACLE, tuned on the data it reports on):")
    for name, sweep in result["sweeps_on_gold"].items():
        best = max(sweep, key=lambda t: sweep[t]["pair_f1"])
        cells = " ".join(f"{t}:{v['pair_f1']:.2f}" for t, v in sweep.items())
        print(f"  {name}: oracle best {best} -> F1 {sweep[best]['pair_f1']:.3f}\n    {cells}")
    _report_ablation(result["systems"])
    cv = result.get("threshold_cv_on_gold")
    if cv:
        ins = cv["in_sample"]
        print(f"\ndefault scoring with its threshold fitted on the gold: leave-one-article-out CV pair F1 "
              f"{cv['pair_f1']:.3f} (P {cv['pair_precision']:.2f}, R {cv['pair_recall']:.2f}; thresholds "
              f"{sorted(set(cv['chosen'].values()))}); in-sample best {ins['threshold']} -> "
              f"{ins['pair_f1']:.3f} (an ORACLE)")
    for name, error in result["errors"].items():
        print(f"!! {name}: {error}")


def _report_ablation(systems) -> None:
    f1 = {s["system"]: s["pair_f1"] for s in systems if s.get("family") == "ablation"}
    if not f1:
        return
    print(f"\nablation, {BASELINE_MODEL}, shipped threshold of each scoring (pair F1):")
    print(f"{'scoring':16}" + "".join(f"{g:>20}" for g in ABLATION_GUARDS))
    for scoring in ABLATION_SCORINGS:
        cells = [f1.get(f"ablation {BASELINE_MODEL} scoring {scoring}, {g}") for g in ABLATION_GUARDS]
        print(f"{scoring:16}" + "".join(f"{c:20.3f}" if c is not None else f"{'-':>20}" for c in cells))


def main() -> int:
    result = run()
    report(result)
    write_results(RESULTS, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
