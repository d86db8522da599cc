"""Latency of the service's nearest-sentence query on a 10,000-sentence store.

``python -m benchmarks.service [--sentences 10000] [--clients 20] [--requests 25]``

The store holds STS-B-fr sentences (all splits, distinct, shuffled with seed 0, as
:mod:`benchmarks.group_sizes` takes them) as pseudo-articles of 20 sentences, one per
paragraph; it is built once with ``Store.ingest`` and kept under ``.cache/benchmarks``. A real
``claims serve`` (uvicorn, one process, default model e5-small) runs on 127.0.0.1; queries are
other STS-B-fr sentences, each sent once (no cache can answer them), with httpx:

* one client, one query at a time (the latency of an idle service);
* ``--clients`` clients at once, each sending ``--requests`` queries one after the other.

Prints the 50th and 99th percentile and the mean of the latency seen by the client, and the
queries answered per second; writes ``benchmarks/results/service.json``. The target is a
latency well under 100 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

from benchmarks.group_sizes import SENTENCES_PER_ARTICLE, stsb_texts
from benchmarks.machine import describe, machine
from claims.evaluation.data import REPO

RESULTS = REPO / "benchmarks" / "results" / "service.json"
CACHE = REPO / ".cache" / "benchmarks"


def build_store(n: int) -> Path:
    """A store of the first ``n`` STS-B-fr sentences as pseudo-articles (built once, then reused)."""
    from claims.store import Store

    texts = stsb_texts()[:n]
    articles = {f"a{i // SENTENCES_PER_ARTICLE:05d}": "" for i in range(n)}
    for i, text in enumerate(texts):
        key = f"a{i // SENTENCES_PER_ARTICLE:05d}"
        articles[key] += text.rstrip() + ("" if text.rstrip()[-1:] in ".!?…" else ".") + "\n\n"
    digest = hashlib.sha256(json.dumps(articles, sort_keys=True).encode()).hexdigest()[:12]
    path = CACHE / f"service-store-{n}-{digest}"
    done = path / "complete"
    if done.exists():
        return path
    print(f"building the store of {n:,} sentences in {len(articles):,} articles at {path} (once)", flush=True)
    started = time.perf_counter()
    with Store.open(path, create=True) as store:
        store.ingest(articles)
    done.write_text(f"{time.perf_counter() - started:.1f} s\n")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path) -> tuple[subprocess.Popen, str]:
    """``claims serve`` on a free loopback port, once it answers /health."""
    import httpx

    port = free_port()
    process = subprocess.Popen([sys.executable, str(REPO / "cli.py"), "serve", "--store", str(store),
                                "--port", str(port)], cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"claims serve exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("claims serve did not start")


def run_clients(url: str, queries: list[str], clients: int) -> tuple[list[float], float]:
    """Latencies (s) of ``queries`` shared among ``clients`` threads, and the wall time."""
    import httpx

    shares = [queries[c::clients] for c in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[str] = []
    start = threading.Barrier(clients)

    def client(c: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            http.get("/health")  # connection open before the clock starts
            start.wait()
            for text in shares[c]:
                t0 = time.perf_counter()
                answer = http.get("/similar", params={"text": text, "k": 5})
                latencies[c].append(time.perf_counter() - t0)
                if answer.status_code != 200 or not answer.json()["results"]:
                    failures.append(answer.text[:200])

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    if failures:
        raise SystemExit(f"{len(failures)} queries failed, first: {failures[0]}")
    return [x for xs in latencies for x in xs], wall


def summary(latencies: list[float], wall: float) -> dict:
    ms = np.array(latencies) * 1000
    return {"queries": len(ms), "p50_ms": round(float(np.percentile(ms, 50)), 1),
            "p99_ms": round(float(np.percentile(ms, 99)), 1), "mean_ms": round(float(ms.mean()), 1),
            "max_ms": round(float(ms.max()), 1), "per_second": round(len(ms) / wall, 1)}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="queries per client")
    args = parser.parse_args(argv)

    store = build_store(args.sentences)
    pool = stsb_texts()[args.sentences:]  # never in the store
    needed = 20 + 100 + args.clients * args.requests
    if len(pool) < needed:
        raise SystemExit(f"need {needed} query sentences beyond the store, STS-B-fr has {len(pool)}")
    process, url = start_server(store)
    try:
        import httpx

        health = httpx.get(f"{url}/health", timeout=30).json()
        run_clients(url, pool[:20], 1)  # warm: first requests, connection set-up
        single = summary(*run_clients(url, pool[20:120], 1))
        loaded_before = machine()
        concurrent = summary(*run_clients(url, pool[120:needed], args.clients))
    finally:
        process.terminate()
        process.wait(timeout=60)
    result = {"machine": loaded_before, "store": {"articles": health["articles"], "sentences": health["sentences"],
                                                  "claims": health["claims"], "model": health["model"]},
              "one_client": single, f"{args.clients}_clients": concurrent, "load_avg_1m_after": machine()["load_avg_1m"]}
    print(f"machine: {describe(loaded_before)}")
    print(f"store: {health['sentences']:,} sentences, {health['articles']:,} articles, "
          f"{health['claims']:,} claims, model {health['model']}")
    for name, row in (("1 client", single), (f"{args.clients} clients", concurrent)):
        print(f"{name:>11}: p50 {row['p50_ms']:7.1f} ms  p99 {row['p99_ms']:7.1f} ms  mean {row['mean_ms']:7.1f} ms"
              f"  max {row['max_ms']:7.1f} ms  {row['per_second']:6.1f} queries/s ({row['queries']} queries)")
    print(f"load average after: {result['load_avg_1m_after']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
