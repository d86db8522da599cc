"""A light HTTP load client for the service benchmark, run in a process of its own.

``python -m benchmarks.load_client URL QUERIES.json CLIENTS`` prints one JSON line: each
query's latency as this client saw it, the server's own ``Server-Timing`` figures, and the
CPU time this process spent. Every client is one keep-alive HTTP/1.1 connection driven by
asyncio with hand-written requests: on a 2-core machine a thread per client with a full HTTP
library costs CPU the server then lacks (the previous benchmark's client shared the
server's cores that way), so the client is kept as cheap as ``wrk``-style load generators.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from urllib.parse import quote, urlsplit


def server_timing(header: str) -> dict[str, float]:
    """``"queue;dur=0.2, encode;dur=9.1, batch;desc=3"`` → ``{"queue": 0.2, "encode": 9.1, "batch": 3.0}``."""
    out = {}
    for part in header.split(","):
        name, *params = [p.strip() for p in part.split(";")]
        for param in params:
            key, _, value = param.partition("=")
            if key in ("dur", "desc"):
                try:
                    out[name] = float(value)
                except ValueError:
                    pass
    return out


async def one_client(host: str, port: int, texts: list[str], k: int, start: asyncio.Event, rows: list) -> None:
    reader, writer = await asyncio.open_connection(host, port)

    async def get(path: str) -> tuple[int, dict, bytes]:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        status = int((await reader.readline()).split()[1])
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            key, _, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        return status, headers, body

    await get("/health")  # the connection is open before the clock starts
    await start.wait()
    for text in texts:
        began = time.perf_counter()
        status, headers, body = await get(f"/similar?k={k}&text={quote(text)}")
        latency = time.perf_counter() - began
        if status != 200 or not json.loads(body)["results"]:
            raise RuntimeError(f"query failed ({status}): {body[:200]!r}")
        rows.append({"latency_ms": latency * 1000, **server_timing(headers.get("server-timing", ""))})
    writer.close()


async def run(url: str, queries: list[str], clients: int, k: int = 5) -> dict:
    """Latencies of ``queries`` shared among ``clients`` connections, each one query at a time."""
    parts = urlsplit(url)
    start, rows = asyncio.Event(), []
    tasks = [asyncio.create_task(one_client(parts.hostname, parts.port, queries[c::clients], k, start, rows))
             for c in range(clients)]
    await asyncio.sleep(0.5)  # every connection open
    cpu, began = time.process_time(), time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    return {"rows": rows, "wall_s": time.perf_counter() - began, "client_cpu_s": time.process_time() - cpu}


def main(argv=None) -> None:
    url, path, clients = (argv or sys.argv[1:])[:3]
    with open(path, encoding="utf-8") as f:
        queries = json.load(f)
    print(json.dumps(asyncio.run(run(url, queries, int(clients)))))


if __name__ == "__main__":
    main()
