"""How close a quantised build of e5-small stays to the float32 model.

``python -m benchmarks.encoder_fidelity [--models e5-small-int8,e5-small-ov-int8] [--folders PATH,...]``

For each build: the cosine between its vector and the float32 ONNX vector (``e5-small-onnx``)
of the same text, minimum and mean, on

* ``pool``: 1,000 sentences of 18-30 words from the pool of :mod:`benchmarks.end_to_end`
  (news-length sentences, what ``claims match`` and ``claims ingest`` encode);
* ``queries``: 500 STS-B-fr sentences the service benchmark sends as queries (never in its
  store): short texts, where int8 builds drift most;

and the Spearman correlation of the cosine with the gold score on STS-B-fr **dev** (1,500
pairs). ``--folders`` adds OpenVINO folders built by other recipes (read with
:meth:`embeddings.openvino_e5.OpenVinoInt8E5Encoder.from_folder`). The float32 vectors are
cached under ``.cache/benchmarks``. Nothing here is tuned on: these are report figures.
Writes ``benchmarks/results/encoder_fidelity.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.machine import describe, machine
from claims.evaluation.data import REPO

RESULTS = REPO / "benchmarks" / "results" / "encoder_fidelity.json"
CACHE = REPO / ".cache" / "benchmarks"
REFERENCE = "e5-small-onnx"
POOL_SIZE, QUERY_SIZE = 1000, 500
QUERY_OFFSET = 10_000  # the service benchmark's store holds the first 10,000 STS-B-fr sentences


def text_sets() -> dict[str, list[str]]:
    """The texts compared: news-length pool sentences and short service-like queries."""
    from benchmarks.end_to_end import french_sentences
    from benchmarks.group_sizes import stsb_texts

    pool = [s for s in french_sentences() if 18 <= len(s.split()) <= 30][:POOL_SIZE]
    queries = stsb_texts()[QUERY_OFFSET:QUERY_OFFSET + QUERY_SIZE]
    return {"pool": pool, "queries": queries}


def stsb_dev() -> tuple[list[str], list[str], np.ndarray]:
    from claims.evaluation.data import read_stsb_fr

    pairs = read_stsb_fr("dev")
    return [p.sentence1 for p in pairs], [p.sentence2 for p in pairs], np.array([p.score for p in pairs])


def reference_vectors(texts: list[str]) -> np.ndarray:
    """float32 ONNX vectors of ``texts`` (cached by the texts' hash)."""
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:12]
    path = CACHE / f"fidelity-{REFERENCE}-{digest}.npy"
    if path.exists():
        return np.load(path)
    from claims.models import get_encoder

    vectors = get_encoder(REFERENCE).encode(texts, batch_size=32)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(x, y).correlation)


def fidelity(encoder, sets: dict[str, list[str]], refs: dict[str, np.ndarray]) -> dict:
    """Cosine to the float32 vectors per text set, and STS-B-fr dev Spearman, of ``encoder``."""
    out = {}
    for name, texts in sets.items():
        cosine = np.einsum("ij,ij->i", encoder.encode(texts, batch_size=32), refs[name])
        worst = int(np.argmin(cosine))
        out[name] = {"min": round(float(cosine.min()), 5), "mean": round(float(cosine.mean()), 5),
                     "p1": round(float(np.percentile(cosine, 1)), 5), "worst_text": texts[worst]}
    left, right, gold = stsb_dev()
    a, b = encoder.encode(left, batch_size=32), encoder.encode(right, batch_size=32)
    out["stsb_fr_dev"] = round(spearman(np.einsum("ij,ij->i", a, b), gold), 4)
    return out


def load(name: str):
    """A registered model by name, or an OpenVINO folder by path."""
    if Path(name).is_dir():
        from embeddings.openvino_e5 import OpenVinoInt8E5Encoder

        return OpenVinoInt8E5Encoder.from_folder(name)
    from claims.models import get_encoder

    return get_encoder(name)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.encoder_fidelity", description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="e5-small-int8,e5-small-ov-int8", help="registered models, comma-separated")
    parser.add_argument("--folders", default="", help="OpenVINO folders of other build recipes, comma-separated")
    args = parser.parse_args(argv)
    names = [n for n in args.models.split(",") + args.folders.split(",") if n.strip()]
    sets = text_sets()
    left, right, gold = stsb_dev()
    refs = {name: reference_vectors(texts) for name, texts in sets.items()}
    ref_dev = np.einsum("ij,ij->i", reference_vectors(left), reference_vectors(right))
    info = machine()
    print(f"machine: {describe(info)}")
    print(f"{REFERENCE} (reference): STS-B-fr dev Spearman {spearman(ref_dev, gold):.4f}")
    print(f"{'build':44} {'pool min':>9} {'mean':>8} {'queries min':>12} {'mean':>8} {'STS-B dev':>10}")
    results = {"machine": info, "reference_stsb_fr_dev": round(spearman(ref_dev, gold), 4), "builds": {}}
    for name in names:
        started = time.perf_counter()
        row = results["builds"][name] = fidelity(load(name.strip()), sets, refs)
        row["seconds"] = round(time.perf_counter() - started, 1)
        print(f"{name.strip()[-44:]:44} {row['pool']['min']:9.4f} {row['pool']['mean']:8.5f} "
              f"{row['queries']['min']:12.4f} {row['queries']['mean']:8.5f} {row['stsb_fr_dev']:10.4f}", flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
    sys.exit(0)
