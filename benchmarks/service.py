"""Latency of the service's nearest-sentence query on a 10,000-sentence store.

``python -m benchmarks.service [--sentences 10000] [--clients 20] [--requests 25] [--engine auto]
[--model NAME]``

The store holds STS-B-fr sentences (all splits, distinct, shuffled with seed 0, as
:mod:`benchmarks.group_sizes` takes them) as pseudo-articles of 20 sentences, one per
paragraph; it is built once with ``Store.ingest`` and kept under ``.cache/benchmarks``. A real
``claims serve`` (uvicorn, one process, the store built with the default model or ``--model``) runs
on 127.0.0.1; the service encodes queries with the store's model.
Queries are other STS-B-fr sentences, **each sent once**: no query repeats and ``/similar``
keeps no result or embedding cache, so every query is encoded and searched. The load comes
from :mod:`benchmarks.load_client`, a separate process (one keep-alive connection per client,
asyncio, little CPU):

* one client, one query at a time (the latency of an idle service);
* ``--clients`` clients at once, each sending ``--requests`` queries one after the other, no
  pause between them (a closed loop: the latency is the clients' number over the throughput).

Prints, per run, the 50th and 99th percentile and the mean of the latency seen by the client,
the queries answered per second, the server's own time per query from its ``Server-Timing``
header (waiting for a worker, encoding, searching, the whole handler), and the CPU time per
query of the server process and of the client process. Then, with the server stopped, the
query encoder alone (wall and CPU per query, batches of 1 and of 20), the figure to re-measure
on a quiet machine. Writes ``benchmarks/results/service.json`` (``service_MODEL.json`` for another
model than the default). The target: well under 100 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

import numpy as np

from benchmarks.group_sizes import SENTENCES_PER_ARTICLE, stsb_texts
from benchmarks.machine import describe, machine
from claims.evaluation.data import REPO
from claims.service.query_encoder import ENGINE_ENV, ENGINES

RESULTS = REPO / "benchmarks" / "results" / "service.json"
CACHE = REPO / ".cache" / "benchmarks"


def build_store(n: int, model: Optional[str] = None) -> Path:
    """A store of the first ``n`` STS-B-fr sentences as pseudo-articles, encoded by ``model``
    (default: the default model); built once, then reused."""
    from claims.settings import resolve_settings
    from claims.store import Store

    texts = stsb_texts()[:n]
    articles = {f"a{i // SENTENCES_PER_ARTICLE:05d}": "" for i in range(n)}
    for i, text in enumerate(texts):
        key = f"a{i // SENTENCES_PER_ARTICLE:05d}"
        articles[key] += text.rstrip() + ("" if text.rstrip()[-1:] in ".!?…" else ".") + "\n\n"
    from claims.models import DEFAULT_MODEL

    # the store holds one model's vectors: each model (and a new default) has its own store
    model = model or DEFAULT_MODEL
    digest = hashlib.sha256(json.dumps(articles, sort_keys=True).encode()).hexdigest()[:12]
    path = CACHE / f"service-store-{n}-{model}-{digest}"
    done = path / "complete"
    if done.exists():
        return path
    print(f"building the store of {n:,} sentences in {len(articles):,} articles at {path} (once)", flush=True)
    started = time.perf_counter()
    with Store.open(path, create=True) as store:
        store.ingest(articles, settings=resolve_settings(model))
    done.write_text(f"{time.perf_counter() - started:.1f} s\n")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, engine: str) -> tuple[subprocess.Popen, str]:
    """``claims serve`` on a free loopback port, once it answers /health."""
    import httpx

    port = free_port()
    process = subprocess.Popen([sys.executable, str(REPO / "cli.py"), "serve", "--store", str(store),
                                "--port", str(port)], cwd=REPO, env={**os.environ, ENGINE_ENV: engine})
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_clients(url: str, queries: list[str], clients: int, server_pid: int) -> dict:
    """:mod:`benchmarks.load_client` in its own process; its result and the server's CPU time."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(queries, f)
    try:
        before = cpu_seconds(server_pid)
        done = subprocess.run([sys.executable, "-m", "benchmarks.load_client", url, f.name, str(clients)],
                              capture_output=True, text=True, cwd=REPO)
        server_cpu = cpu_seconds(server_pid) - before
    finally:
        os.unlink(f.name)
    if done.returncode != 0:
        raise SystemExit(f"the load client failed: {done.stderr.strip()[-500:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["server_cpu_s"] = server_cpu
    return result


def summary(run: dict) -> dict:
    rows = run["rows"]
    ms = np.array([r["latency_ms"] for r in rows])

    def median(key: str) -> float:
        values = [r[key] for r in rows if key in r]
        return round(float(np.median(values)), 2) if values else float("nan")

    return {"queries": len(ms), "p50_ms": round(float(np.percentile(ms, 50)), 1),
            "p99_ms": round(float(np.percentile(ms, 99)), 1), "mean_ms": round(float(ms.mean()), 1),
            "max_ms": round(float(ms.max()), 1), "per_second": round(len(ms) / run["wall_s"], 1),
            "server_p50_ms": {key: median(key) for key in ("queue", "encode", "search", "app")},
            "mean_batch": round(float(np.mean([r.get("batch", 1) for r in rows])), 1),
            "server_cpu_ms_per_query": round(run["server_cpu_s"] * 1000 / len(ms), 2),
            "client_cpu_ms_per_query": round(run["client_cpu_s"] * 1000 / len(ms), 2),
            # the load client runs on the same cores: its part of the CPU both processes spent
            "client_cpu_share": round(run["client_cpu_s"] / max(run["client_cpu_s"] + run["server_cpu_s"], 1e-9), 3)}


def encoder_alone(model: str, engine: str, texts: list[str]) -> dict:
    """The query encoder without the service: wall and CPU ms per query, alone and 20 at once."""
    from claims.models import get_encoder
    from claims.service.query_encoder import query_encoder

    encoder, name = query_encoder(model, get_encoder(model), engine)
    if hasattr(encoder, "warm"):
        encoder.warm()
    encoder.encode(texts[:20], batch_size=64)
    out = {"engine": name}
    for size, label in ((1, "alone"), (20, "batch_20")):
        chunks = [texts[i:i + size] for i in range(20, len(texts), size)]
        cpu, began = time.process_time(), time.perf_counter()
        for chunk in chunks:
            encoder.encode(chunk, batch_size=64)
        n = sum(map(len, chunks))
        out[label] = {"wall_ms_per_query": round((time.perf_counter() - began) * 1000 / n, 2),
                      "cpu_ms_per_query": round((time.process_time() - cpu) * 1000 / n, 2)}
    return out


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="queries per client")
    parser.add_argument("--engine", choices=ENGINES, default="auto", help="the service's query engine")
    parser.add_argument("--model", default=None, help="the store's model (default: the default model)")
    args = parser.parse_args(argv)

    store = build_store(args.sentences, args.model)
    pool = stsb_texts()[args.sentences:]  # never in the store
    needed = 20 + 100 + args.clients * args.requests
    if len(pool) < needed + 120:
        raise SystemExit(f"need {needed + 120} query sentences beyond the store, STS-B-fr has {len(pool)}")
    process, url = start_server(store, args.engine)
    try:
        import httpx

        health = httpx.get(f"{url}/health", timeout=30).json()
        run_clients(url, pool[:20], 1, process.pid)  # warm: first requests, connection set-up
        loaded_before = machine()
        single = summary(run_clients(url, pool[20:120], 1, process.pid))
        concurrent = summary(run_clients(url, pool[120:needed], args.clients, process.pid))
    finally:
        process.terminate()
        process.wait(timeout=60)
    alone = encoder_alone(health["model"], args.engine, pool[needed:needed + 120])
    result = {"machine": loaded_before, "store": {"articles": health["articles"], "sentences": health["sentences"],
                                                  "claims": health["claims"], "model": health["model"]},
              "query_engine": health.get("query_engine"), "distinct_uncached_queries": True,
              "one_client": single, f"{args.clients}_clients": concurrent, "encoder_alone": alone,
              "load_avg_1m_after": machine()["load_avg_1m"]}
    print(f"machine: {describe(loaded_before)}")
    print(f"store: {health['sentences']:,} sentences, {health['articles']:,} articles, "
          f"{health['claims']:,} claims, model {health['model']}, queries on {health.get('query_engine')}; "
          f"every query distinct, nothing cached")
    for name, row in (("1 client", single), (f"{args.clients} clients", concurrent)):
        server = row["server_p50_ms"]
        print(f"{name:>11}: p50 {row['p50_ms']:7.1f} ms  p99 {row['p99_ms']:7.1f} ms  mean {row['mean_ms']:7.1f} ms"
              f"  max {row['max_ms']:7.1f} ms  {row['per_second']:6.1f} queries/s ({row['queries']} queries)")
        print(f"{'':>11}  server p50: queue {server['queue']} ms, encode {server['encode']} ms (batch of "
              f"{row['mean_batch']} on average), search {server['search']} ms, handler {server['app']} ms; "
              f"CPU per query: server {row['server_cpu_ms_per_query']} ms, client {row['client_cpu_ms_per_query']} ms "
              f"({row['client_cpu_share'] * 100:.1f} % of the two)")
    for label in ("alone", "batch_20"):
        row = alone[label]
        print(f"encoder alone ({alone['engine']}, {label.replace('_', ' ')}): {row['wall_ms_per_query']} ms wall, "
              f"{row['cpu_ms_per_query']} ms CPU per query")
    print(f"load average after: {result['load_avg_1m_after']}")
    from claims.models import DEFAULT_MODEL

    path = RESULTS if health["model"] == DEFAULT_MODEL else RESULTS.with_name(f"service_{health['model']}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
