"""The Ray engine: the per-article stages on a Ray cluster, then the grouping of the local engine.

1. The corpus is cut into partitions of consecutive articles (:mod:`claims.engines.partitions`);
   a partition whose Parquet file exists with the same input hash is reused (a rerun resumes).
2. Ray Data runs :func:`~claims.engines.stages.prepare_partition` on the others as tasks
   (splitting, attribution, guard roles; each writes its partition's file).
3. The driver reads the partitions' sentences, puts the distinct ones in the local engine's
   length order (:mod:`claims.engines.batches`) and cuts it into chunks of whole batches;
   :class:`~claims.engines.stages.EncodeChunks`, on a pool of actors (each loads the encoder
   once), encodes the chunks not yet on disk. Same batches, same vectors as the local engine,
   even for an encoder whose vectors depend on their batch mates (int8).
4. The driver gives speakers their corpus-wide names and runs :func:`claims.pipeline.analyze`
   on the prepared sentences and vectors with a :class:`~claims.engines.cell_search.RayCellIndex`:
   the nearest-neighbour search runs as per-cell Ray tasks; pair scoring, grouping, stance and
   comparison are the local code.

A partition that fails for good is named in the :class:`RayReport`; the analysis holds the
others. With no address a local Ray is started with the machine's cores, no dashboard,
logging to a temporary folder; it is shut down at the end.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

import numpy as np

from claims.engines import partitions as parts_io
from claims.engines.batches import BATCH_SIZE, CHUNK_BATCHES, chunk_bounds, length_order
from claims.engines.stages import CRASH_ENV, FAIL_ENV, EncodeChunks, articles_to_json, prepare_partition

ENCODER_ACTORS_MAX = None  # default: one encoder actor per CPU of the cluster
# Parsing and encoding are two phases one after the other (the encoder batches need every
# sentence first), so each holds whole CPUs: fractional CPUs ran 4 parsing tasks per core,
# each process with its own spaCy, and measured 5 times slower than the local engine.
ACTOR_CPUS, TASK_CPUS = 1.0, 1.0
TASK_RETRIES = 3  # Ray retries of a task (restarts of an actor) whose worker process died


class RayEngineError(RuntimeError):
    """The Ray engine could not run (Ray missing, cluster unreachable, every partition failed)."""


@dataclass
class RayReport:
    """What the Ray engine did with each partition.

    Attributes:
        work_dir: where the partition files are.
        written: partitions processed by this run.
        reused: partitions whose file an earlier run wrote from the same input.
        failed: partition name -> reason, for partitions left out of the analysis.
        chunks: encoding chunks (runs of whole batches) encoded by this run.
        chunks_reused: encoding chunks an earlier run wrote.
        seconds: wall time of each phase ("start", "partitions", "encode", "assemble", "analyze").
        cell_tasks: nearest-neighbour cell tasks run (0 when the search ran on the driver).
        shipped_bytes: vector bytes sent to those tasks.
        returned_pairs: candidate pairs those tasks sent back.
    """

    work_dir: Path
    written: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    chunks: int = 0
    chunks_reused: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    cell_tasks: int = 0
    shipped_bytes: int = 0
    returned_pairs: int = 0

    def summary(self) -> str:
        line = (f"ray engine: {len(self.written)} partitions written, {len(self.reused)} reused, "
                f"{len(self.failed)} failed; {self.chunks} encoding chunks encoded, {self.chunks_reused} "
                f"reused (work folder {self.work_dir})")
        return "\n".join([line] + [f"  partition {name} failed: {reason.splitlines()[0]}"
                                   for name, reason in sorted(self.failed.items())])


@contextmanager
def ray_session(address: Optional[str] = None, num_cpus: Optional[int] = None) -> Iterator[None]:
    """Ray connected to ``address``, or a local Ray on this machine's cores, for the block.

    An already initialised Ray (a test's, a notebook's) is used as it is and left running.
    """
    try:
        import ray
    except ImportError:  # pragma: no cover - ray is a dependency
        raise RayEngineError("the ray engine needs the 'ray[data]' package") from None
    if ray.is_initialized():
        yield
        return
    if address:
        try:
            ray.init(address=address, logging_level="ERROR", log_to_driver=False)
        except Exception as exc:
            raise RayEngineError(f"cannot connect to the Ray cluster at {address}: {exc}") from None
    else:
        ray.init(num_cpus=num_cpus or os.cpu_count() or 1, include_dashboard=False,
                 _temp_dir=tempfile.mkdtemp(prefix="claims-ray-"), logging_level="ERROR",
                 log_to_driver=False, configure_logging=True)
    try:
        yield
    finally:
        ray.shutdown()


def default_work_dir(stamp: str) -> Path:
    """The work folder of a corpus when none is given: under the cache folder, by input."""
    from embeddings.paths import cache_dir

    return cache_dir(None) / "ray-work" / stamp[:16]


def _faults() -> str:
    fail = [n.strip() for n in os.environ.get(FAIL_ENV, "").split(",") if n.strip()]
    return json.dumps({"fail": fail, "crash_once": os.environ.get(CRASH_ENV, "")})


def _quiet_data_context():
    import ray.data

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.max_errored_blocks = -1  # a block lost for good (its worker died past the retries) drops only itself
    logging.getLogger("ray.data").setLevel(logging.WARNING)


def _collect(ds, size: dict, progress, total_label: int) -> dict:
    """name -> error ("" when done) of every row the dataset returns, advancing ``progress``."""
    advance = progress(total_label) if progress else None
    out = {}
    for row in ds.iter_rows():
        out[row["name"]] = row["error"] or ""
        if advance is not None:
            advance(size.get(row["name"], 0))
    return out


def run_partitions(todo: list[parts_io.Partition], work_dir: Path, settings, report: RayReport,
                   progress=None) -> None:
    """Prepare the partitions as Ray Data tasks; failures go to ``report.failed`` by name.

    ``progress(total)`` returns a callback advanced by each finished partition's articles.
    """
    import ray.data

    if not todo:
        return
    _quiet_data_context()
    faults = _faults()
    rows = [{"name": p.name, "input_hash": p.input_hash, "articles": articles_to_json(p.articles),
             "work_dir": str(work_dir), "faults": faults, "attribution": bool(settings.attribution),
             "guards": bool(settings.guards), "cache": bool(settings.cache)} for p in todo]
    with warnings.catch_warnings():
        # Ray Data's own default is endless retries; a partition that kills its worker every
        # time must end as a failure. Ray 2.60 has no named parameter for the retry counts.
        warnings.simplefilter("ignore", DeprecationWarning)
        ds = (ray.data.from_items(rows, override_num_blocks=len(rows))
              .map(prepare_partition, num_cpus=TASK_CPUS, max_retries=TASK_RETRIES))
    size = {p.name: len(p.articles) for p in todo}
    done = _collect(ds, size, progress, sum(size.values()))
    for p in todo:
        if p.name not in done:
            report.failed[p.name] = "its worker failed past Ray's retries"
        elif done[p.name]:
            report.failed[p.name] = done[p.name]
        else:
            report.written.append(p.name)


def encode_chunks(texts: list[str], work_dir: Path, settings, report: RayReport, progress=None,
                  per_chunk: int = BATCH_SIZE * CHUNK_BATCHES):
    """The vectors of the sorted distinct ``texts``, encoded chunk by chunk (``per_chunk``
    sentences, whole batches) on the actor pool; chunks already on disk are read back.

    Returns ``(vectors, failed)``: vectors with rows of failed chunks left zero, and
    chunk name -> reason for the chunks that failed.
    """
    import ray
    import ray.data

    bounds = chunk_bounds(len(texts), per_chunk)
    keys = [parts_io.chunk_key(settings.model.cache_key, texts[a:b]) for a, b in bounds]
    names = [f"chunk-{k:05d}" for k in range(len(bounds))]
    todo = [k for k, key in enumerate(keys) if not parts_io.chunk_path(work_dir, key).exists()]
    report.chunks, report.chunks_reused = len(todo), len(bounds) - len(todo)
    failed = {}
    if todo:
        _quiet_data_context()
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        actors = min(len(todo), ENCODER_ACTORS_MAX or cpus)
        rows = [{"name": names[k], "key": keys[k], "texts": json.dumps(texts[slice(*bounds[k])], ensure_ascii=False)}
                for k in todo]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ds = (ray.data.from_items(rows, override_num_blocks=len(rows))
                  .map_batches(EncodeChunks, batch_size=1, compute=ray.data.ActorPoolStrategy(size=actors),
                               num_cpus=ACTOR_CPUS,
                               fn_constructor_kwargs={"model": settings.model.name, "cache": bool(settings.cache),
                                                      "work_dir": str(work_dir), "faults": _faults()},
                               max_restarts=TASK_RETRIES, max_task_retries=TASK_RETRIES))
        size = {names[k]: bounds[k][1] - bounds[k][0] for k in todo}
        done = _collect(ds, size, progress, len(texts))
        for k in todo:
            reason = done.get(names[k], "its worker failed past Ray's retries")
            if reason:
                failed[names[k]] = reason
    if not failed:  # chunks of earlier corpora or failed runs are never read again
        used = {parts_io.chunk_path(work_dir, key) for key in keys}
        for path in parts_io.chunk_path(work_dir, "x").parent.glob("vectors-*.parquet"):
            if path not in used:
                path.unlink(missing_ok=True)
    vectors = np.zeros((len(texts), settings.model.dim), np.float32)
    for k, ((a, b), key) in enumerate(zip(bounds, keys)):
        if names[k] not in failed:
            vectors[a:b] = parts_io.read_chunk(parts_io.chunk_path(work_dir, key), texts[a:b])
    return vectors, failed


def analyze_on_ray(inputs, settings, *, address: Optional[str] = None, work_dir=None,
                   partition_articles: int = parts_io.DEFAULT_PARTITION_ARTICLES,
                   num_cpus: Optional[int] = None, index_options: Optional[dict] = None, progress=None,
                   chunk_sentences: int = BATCH_SIZE * CHUNK_BATCHES):
    """Analyse ``inputs`` with the Ray engine; returns ``(Analysis, RayReport)``.

    Args:
        inputs: articles as :func:`claims.pipeline.analyze` takes them.
        settings: resolved :class:`~claims.settings.Settings` (a registered model name).
        address: a Ray cluster (``ray start --head`` prints it); None starts a local Ray.
        work_dir: the folder of the partition files (on a cluster, one every node sees);
            default: under the cache folder, one per corpus and settings.
        partition_articles: articles per partition.
        chunk_sentences: sentences per encoding chunk given to an actor (whole batches).
        num_cpus: CPUs of the local Ray (default: the machine's cores).
        index_options: parameters of the :class:`~claims.engines.cell_search.RayCellIndex`.
        progress: ``progress(total)`` returns a callback advanced by the articles of each
            partition done, then (a second call) by the sentences of each chunk encoded.

    Raises:
        RayEngineError: when no partition could be processed.
    """
    from claims.engines.cell_search import RayCellIndex
    from claims.ingest import resolve_articles
    from claims.pipeline import analyze

    articles = resolve_articles(inputs)
    stamp = json.dumps([settings.model.cache_key, settings.attribution, settings.guards,
                        parts_io.stage_fingerprint()])
    plan = parts_io.plan_partitions(articles, partition_articles, stamp)
    work_dir = Path(work_dir) if work_dir else default_work_dir(hashlib.sha256(
        "".join(p.input_hash for p in plan).encode()).hexdigest())
    work_dir.mkdir(parents=True, exist_ok=True)
    report = RayReport(work_dir)
    todo = []
    for p in plan:
        if parts_io.is_done(work_dir, p):
            report.reused.append(p.name)
        else:
            todo.append(p)
    clock = time.perf_counter()
    with ray_session(address, num_cpus):
        report.seconds["start"] = time.perf_counter() - clock
        clock = time.perf_counter()
        run_partitions(todo, work_dir, settings, report, progress)
        report.seconds["partitions"] = time.perf_counter() - clock
        clock = time.perf_counter()
        data = {p.name: parts_io.read_partition(parts_io.partition_path(work_dir, p.name))
                for p in plan if p.name not in report.failed}
        ordered, _ = length_order([s.text for d in data.values() for s in d.sentences])
        vectors, failed_chunks = encode_chunks(ordered, work_dir, settings, report, progress, chunk_sentences)
        if failed_chunks:
            _drop_partitions_of(failed_chunks, chunk_bounds(len(ordered), chunk_sentences), ordered, data, report)
        report.seconds["encode"] = time.perf_counter() - clock
        kept = [p for p in plan if p.name in data]
        if not kept:
            raise RayEngineError("every partition failed:\n" + report.summary())
        clock = time.perf_counter()
        prepared, guard = assemble(kept, data, dict(zip(ordered, vectors)), settings)
        report.seconds["assemble"] = time.perf_counter() - clock
        clock = time.perf_counter()
        index = RayCellIndex(**(index_options or {}))
        analysis = analyze(prepared.articles, settings.model.name, settings=settings,
                           guard=guard if settings.guards else False, index=index, prepared=prepared)
        report.seconds["analyze"] = time.perf_counter() - clock
        report.cell_tasks = getattr(index, "cell_tasks_", 0)
        report.shipped_bytes = getattr(index, "shipped_bytes_", 0)
        report.returned_pairs = getattr(index, "returned_pairs_", 0)
    return analysis, report


def _drop_partitions_of(failed_chunks: dict, bounds: list, ordered: list[str], data: dict,
                        report: RayReport) -> None:
    """Leave out the partitions holding a sentence of a failed chunk, naming the chunk."""
    lost = {}
    for k, (a, b) in enumerate(bounds):
        name = f"chunk-{k:05d}"
        if name in failed_chunks:
            lost.update(dict.fromkeys(ordered[a:b], name))
    for part in list(data):
        chunk = next((lost[s.text] for s in data[part].sentences if s.text in lost), None)
        if chunk is not None:
            reason = failed_chunks[chunk]
            report.failed[part] = f"encoding {chunk} failed: {reason}"
            del data[part]


def assemble(kept: list[parts_io.Partition], data: dict, vector_of: dict, settings):
    """The prepared corpus (with its vectors) and its pair guard from the partitions' data, in order."""
    from claims.attribution.canon import ArticleNames, canonical_speakers
    from claims.attribution.corpus import _from_json
    from claims.matching.pair_guards import PairGuard
    from claims.pipeline import Prepared

    articles, sentences, raw, tables, article_of, roles = [], [], [], [], [], {}
    for p in kept:
        part = data[p.name]
        position = {}
        for a in p.articles:
            position[a.id] = len(articles)
            articles.append(a)
            tables.append(ArticleNames.from_json(part.names[a.id]) if a.id in part.names else ArticleNames())
        sentences.extend(part.sentences)
        article_of.extend(position[s.article] for s in part.sentences)
        raw.extend(part.raw_attributions)
        roles.update(part.roles)
    attributions = None
    if settings.attribution:
        attributions = canonical_speakers([_from_json(r) for r in raw], article_of, tables)
    guard = PairGuard().remember_roles(roles) if settings.guards else None
    matrix = np.zeros((len(sentences), settings.model.dim), np.float32)
    for row, s in enumerate(sentences):
        matrix[row] = vector_of[s.text]
    return Prepared(articles, sentences, attributions, matrix), guard
