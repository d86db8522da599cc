"""Partitions of a corpus and the Parquet files of the engine's work folder.

A partition is a run of consecutive articles (``part-00000``, ``part-00001``…). Its input
hash covers the articles' fields, the model's cache key, the settings the per-article stages
read and a fingerprint of the code and data they run, so a file is reused only when it would
be written again identically. One file per partition holds one row per sentence: the
sentence, its attribution as the article names it, the article's name table and the entity
roles the pair guard needs. The vectors are in other files, one per encoding chunk (a run of
whole encoder batches, :mod:`claims.engines.batches`), named by a digest of the model and the
chunk's texts: a chunk is encoded again only if it is not on disk. Files are written under
a temporary name and renamed, so a file is either whole or absent.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import NamedTuple, Optional, Sequence

import numpy as np

from claims.records import Article, Sentence

HASH_KEY = b"claims.input_hash"
DEFAULT_PARTITION_ARTICLES = 100  # ~2,000 sentences of news text: one encoder call stays efficient


class Partition(NamedTuple):
    """A run of articles processed as one task, and where its output goes."""

    name: str
    start: int  # position of its first article in the corpus
    articles: tuple[Article, ...]
    input_hash: str


def stage_fingerprint() -> str:
    """Digest of the code and data of the per-article stages (reading, splitting, attribution, guard)."""
    from claims.memo import fingerprint

    return fingerprint("ingest", "attribution", "french", "matching", "data", "engines")


def plan_partitions(articles: Sequence[Article], per_partition: int, stamp: str) -> list[Partition]:
    """Consecutive runs of ``per_partition`` articles, each with its input hash.

    Args:
        articles: the corpus, in row order.
        per_partition: articles per partition (>= 1).
        stamp: what else the output depends on (model, settings, code fingerprint).
    """
    if per_partition < 1:
        raise ValueError(f"articles per partition must be >= 1, got {per_partition}")
    parts = []
    for k, start in enumerate(range(0, len(articles), per_partition)):
        chunk = tuple(articles[start : start + per_partition])
        digest = hashlib.sha256(stamp.encode())
        for a in chunk:
            digest.update(json.dumps(dataclasses.astuple(a), ensure_ascii=False).encode())
        parts.append(Partition(f"part-{k:05d}", start, chunk, digest.hexdigest()[:32]))
    return parts


def partition_path(work_dir: Path, name: str) -> Path:
    return Path(work_dir) / f"{name}.parquet"


def stored_hash(path: Path) -> Optional[str]:
    """The input hash a partition file was written for, or None when absent or unreadable."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except (OSError, ValueError):
        return None
    value = meta.get(HASH_KEY)
    return value.decode() if value else None


def is_done(work_dir: Path, part: Partition) -> bool:
    """Whether the partition's file exists and was written from the same input."""
    return stored_hash(partition_path(work_dir, part.name)) == part.input_hash


def _write_atomically(table, path: Path) -> Path:
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)
    return path


def write_partition(work_dir: Path, part_name: str, input_hash: str, records: dict) -> Path:
    """Write one partition's sentence records atomically; returns the path.

    ``records`` maps column names to equal-length lists (see :func:`read_partition`).
    """
    import pyarrow as pa

    table = pa.table({name: pa.array(values) for name, values in records.items()})
    table = table.replace_schema_metadata({HASH_KEY: input_hash.encode()})
    return _write_atomically(table, partition_path(work_dir, part_name))


def chunk_key(model_key: str, texts: Sequence[str]) -> str:
    """The file name stem of an encoding chunk: a digest of the model and the chunk's texts."""
    digest = hashlib.sha256(model_key.encode())
    for text in texts:
        digest.update(b"\0" + text.encode())
    return "vectors-" + digest.hexdigest()[:32]


def chunk_path(work_dir: Path, key: str) -> Path:
    return Path(work_dir) / "vectors" / f"{key}.parquet"


def write_chunk(work_dir: Path, key: str, texts: Sequence[str], vectors: np.ndarray) -> Path:
    """Write the vectors of one encoding chunk (with their texts) atomically; returns the path."""
    import pyarrow as pa

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1] if vectors.ndim == 2 else 0
    table = pa.table({"text": pa.array(list(texts), pa.string()),
                      "vector": pa.FixedSizeListArray.from_arrays(pa.array(vectors.ravel()), dim)})
    path = chunk_path(work_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    return _write_atomically(table, path)


def read_chunk(path: Path, texts: Sequence[str]) -> np.ndarray:
    """The vectors of an encoding chunk, checked against the texts it should hold."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    if table.column("text").to_pylist() != list(texts):
        raise ValueError(f"{path} holds other sentences than its name says")
    flat = table.column("vector").combine_chunks()
    dim = flat.type.list_size
    return np.asarray(flat.values.to_numpy(zero_copy_only=False), np.float32).reshape(-1, dim)


class PartitionData(NamedTuple):
    """What one partition file holds, decoded."""

    sentences: list[Sentence]
    raw_attributions: list[Optional[list]]  # attribution rows as each article names speakers
    names: dict[str, dict]  # article id -> ArticleNames JSON
    roles: dict[str, dict]  # sentence text -> pair guard entity roles JSON


def read_partition(path: Path) -> PartitionData:
    """Decode a partition file written by :func:`write_partition`."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    col = {name: table.column(name).to_pylist() for name in table.column_names}
    sentences = [Sentence(*fields) for fields in zip(col["article"], col["index"], col["text"],
                                                      col["start"], col["end"])]
    raw = [json.loads(a) if a else None for a in col["attribution"]]
    names: dict[str, dict] = {}
    roles: dict[str, dict] = {}
    for article, table_json, text, role_json in zip(col["article"], col["names"], col["text"], col["roles"]):
        if table_json:
            names[article] = json.loads(table_json)
        if role_json:
            roles[text] = json.loads(role_json)
    return PartitionData(sentences, raw, names, roles)
