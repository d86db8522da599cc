"""The per-article stages of one partition, as they run on a Ray worker.

:func:`prepare_partition` (a Ray Data task) splits the partition's articles into
sentences, attributes them article by article and works out the pair guard's entity
roles, with one parse per sentence shared by both. :class:`EncodePartitions` (a Ray Data
actor: each one loads the encoder once) encodes the sentences and writes the partition's
Parquet file. Each stage calls the same functions as the local pipeline, so a partition's
output is the local pipeline's output for those articles.

An error inside a partition is caught and travels with the row, so the partition is
reported by name and the others go on; a worker that dies is retried by Ray. Two
environment variables inject faults for tests: ``CLAIMS_RAY_FAIL_PARTITIONS`` (partition
names, comma-separated, that raise) and ``CLAIMS_RAY_CRASH_ONCE`` (a partition whose
worker process dies the first time it runs, marked by a file in the work folder).
"""

from __future__ import annotations

import dataclasses
import json
import os
import traceback
from pathlib import Path

import numpy as np

FAIL_ENV = "CLAIMS_RAY_FAIL_PARTITIONS"
CRASH_ENV = "CLAIMS_RAY_CRASH_ONCE"


class InjectedFailure(RuntimeError):
    """The failure a test asked for (``CLAIMS_RAY_FAIL_PARTITIONS``)."""


def articles_to_json(articles) -> str:
    return json.dumps([dataclasses.asdict(a) for a in articles], ensure_ascii=False)


def articles_from_json(text: str):
    from claims.records import Article

    return [Article(**fields) for fields in json.loads(text)]


def _inject_faults(name: str, work_dir: str, faults: dict) -> None:
    if name in faults.get("fail", ()):
        raise InjectedFailure(f"failure injected in {name} ({FAIL_ENV})")
    if faults.get("crash_once") == name:
        marker = Path(work_dir) / f".{name}.crashed"
        if not marker.exists():
            marker.touch()
            os._exit(1)  # the worker process dies mid-task: Ray retries the task


def prepare_partition(row: dict) -> dict:
    """Sentences, attributions and guard roles of one partition (a row of the plan)."""
    out = {"name": row["name"], "input_hash": row["input_hash"], "error": "", "records": ""}
    try:
        _inject_faults(row["name"], row["work_dir"], json.loads(row["faults"]))
        out["records"] = json.dumps(_records(articles_from_json(row["articles"]), row["attribution"],
                                             row["guards"], row["cache"]), ensure_ascii=False)
    except Exception as exc:  # reported with the partition's name; the other partitions go on
        out["error"] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
    return out


def _records(articles, attribution: bool, guards: bool, cache: bool) -> dict:
    """Column lists of one partition's sentences (see :mod:`claims.engines.partitions`)."""
    from claims.attribution.corpus import _to_json, attribute_articles
    from claims.french.parses import Parses
    from claims.ingest import split_corpus
    from claims.pipeline import default_guard

    sentences = split_corpus(articles)
    texts = [s.text for s in sentences]
    memo = None
    if cache:
        from claims.memo import Memo

        memo = Memo()
    parses = Parses()
    roles: dict = {}
    if guards:
        known = default_guard(texts, memo, parses).known_roles()
        roles = {t: {role: sorted(map(list, by_role[role])) for role in by_role} for t, by_role in known.items()}
    attributions, names = [None] * len(sentences), {}
    if attribution:
        rows, article_of, tables = attribute_articles(articles, sentences, None, memo, parses)
        attributions = [json.dumps(_to_json(a), ensure_ascii=False) for a in rows]
        names = {articles[k].id: json.dumps(tables[k].to_json(), ensure_ascii=False) for k in set(article_of)}
    first_of = {}
    for pos, s in enumerate(sentences):
        first_of.setdefault(s.article, pos)
    return {
        "article": [s.article for s in sentences],
        "index": [s.index for s in sentences],
        "text": texts,
        "start": [s.start for s in sentences],
        "end": [s.end for s in sentences],
        "attribution": attributions,
        # an article's name table rides on its first sentence
        "names": [names.get(s.article) if first_of[s.article] == pos else None for pos, s in enumerate(sentences)],
        "roles": [json.dumps(roles[t], ensure_ascii=False) if t in roles else None for t in texts],
    }


class EncodePartitions:
    """A Ray Data actor: loads the encoder once, then encodes and writes partition after partition.

    Args:
        model: registered model name (or local folder) of the run.
        cache: serve vectors from the node's embedding cache, as the local engine does.
        work_dir: the folder the Parquet partitions are written to (shared by all nodes).
    """

    def __init__(self, model: str, cache: bool, work_dir: str):
        from claims.models import get_encoder

        self.encoder = get_encoder(model, cache=cache)
        self.work_dir = Path(work_dir)

    def __call__(self, batch: dict) -> dict:
        from claims.engines.partitions import write_partition

        errors, counts = [], []
        for name, input_hash, error, records in zip(batch["name"], batch["input_hash"], batch["error"],
                                                    batch["records"]):
            if error:
                errors.append(str(error))
                counts.append(0)
                continue
            try:
                columns = json.loads(records)
                vectors = (self.encoder.encode(columns["text"]) if columns["text"]
                           else np.zeros((0, self.encoder.dim), np.float32))
                write_partition(self.work_dir, str(name), str(input_hash), columns, vectors)
                errors.append("")
                counts.append(len(columns["text"]))
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")
                counts.append(0)
        return {"name": np.asarray(batch["name"], dtype=object), "error": np.asarray(errors, dtype=object),
                "sentences": np.asarray(counts, np.int64)}
