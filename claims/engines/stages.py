"""The stages of the Ray engine, as they run on Ray workers.

:func:`prepare_partition` (a Ray Data task) splits a partition's articles into sentences,
attributes them article by article and works out the pair guard's entity roles, with one
parse per sentence shared by both, and writes the partition's Parquet file.
:class:`EncodeChunks` (a Ray Data actor: each one loads the encoder once) encodes chunks of
the corpus's sentences in the local engine's batches (:mod:`claims.engines.batches`) and
writes each chunk's vectors. Each stage calls the same functions as the local pipeline, so
the output is the local pipeline's output.

An error inside a partition or a chunk is caught and travels with the row, so it is
reported by name and the others go on; a worker that dies is retried by Ray. Two
environment variables inject faults for tests: ``CLAIMS_RAY_FAIL_PARTITIONS`` (partition
or chunk names, comma-separated, that raise) and ``CLAIMS_RAY_CRASH_ONCE`` (a partition or
chunk whose worker process dies the first time it runs, marked by a file in the work folder).
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
    """Sentences, attributions and guard roles of one partition (a row of the plan), written
    to its Parquet file; returns its name, the error if any, and its number of sentences."""
    from claims.engines.partitions import write_partition

    out = {"name": row["name"], "error": "", "sentences": 0}
    try:
        _inject_faults(row["name"], row["work_dir"], json.loads(row["faults"]))
        records = _records(articles_from_json(row["articles"]), row["attribution"], row["guards"], row["cache"])
        write_partition(Path(row["work_dir"]), row["name"], row["input_hash"], records)
        out["sentences"] = len(records["text"])
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


class EncodeChunks:
    """A Ray Data actor: loads the encoder once, then encodes and writes chunk after chunk.

    A chunk (a row: ``name``, ``key``, ``texts`` as JSON) is a run of whole batches of the
    corpus's length order, so :meth:`Encoder.encode` batches it as the local engine does.

    Args:
        model: registered model name (or local folder) of the run.
        cache: serve vectors from the node's embedding cache, as the local engine does.
        work_dir: the folder the chunk files are written to (shared by all nodes).
        faults: the injected faults of a test (JSON, see the module's docstring).
    """

    def __init__(self, model: str, cache: bool, work_dir: str, faults: str = "{}"):
        from claims.models import get_encoder

        self.encoder = get_encoder(model, cache=cache)
        self.work_dir = work_dir
        self.faults = json.loads(faults)

    def __call__(self, batch: dict) -> dict:
        from claims.engines.batches import BATCH_SIZE
        from claims.engines.partitions import write_chunk

        errors = []
        for name, key, texts in zip(batch["name"], batch["key"], batch["texts"]):
            try:
                _inject_faults(str(name), self.work_dir, self.faults)
                texts = json.loads(texts)
                write_chunk(Path(self.work_dir), str(key), texts,
                            self.encoder.encode(texts, batch_size=BATCH_SIZE))
                errors.append("")
            except Exception as exc:  # reported with the chunk's name; the other chunks go on
                errors.append(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")
        return {"name": np.asarray(batch["name"], dtype=object), "error": np.asarray(errors, dtype=object)}
