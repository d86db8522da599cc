"""The Ray engine: the per-article stages on a Ray cluster, then the grouping of the local engine.

1. The corpus is cut into partitions of consecutive articles (:mod:`claims.engines.partitions`);
   a partition whose Parquet file exists with the same input hash is reused (a rerun resumes).
2. Ray Data runs the others: :func:`~claims.engines.stages.prepare_partition` as tasks
   (splitting, attribution, guard roles), then :class:`~claims.engines.stages.EncodePartitions`
   on a pool of actors (each loads the encoder once), which writes each partition's file.
3. The driver reads the files in order, gives speakers their corpus-wide names, and runs
   :func:`claims.pipeline.analyze` on the prepared sentences and vectors with a
   :class:`~claims.engines.cell_search.RayCellIndex`: the nearest-neighbour search runs as
   per-cell Ray tasks; pair scoring, grouping, stance and comparison are the local code.

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
from claims.engines.stages import CRASH_ENV, FAIL_ENV, EncodePartitions, articles_to_json, prepare_partition

ENCODER_ACTORS_MAX = None  # default: one encoder actor per CPU of the cluster
# An encoder actor per CPU holds 3/4 of it, so that the splitting and parsing tasks (1/4 each)
# always find room beside them: with whole CPUs the actors took every CPU and no task ran.
ACTOR_CPUS, TASK_CPUS = 0.75, 0.25
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
        seconds: wall time of each phase ("start", "partitions", "assemble", "analyze").
        cell_tasks: nearest-neighbour cell tasks run (0 when the search ran on the driver).
        shipped_bytes: vector bytes sent to those tasks.
        returned_pairs: candidate pairs those tasks sent back.
    """

    work_dir: Path
    written: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    cell_tasks: int = 0
    shipped_bytes: int = 0
    returned_pairs: int = 0

    def summary(self) -> str:
        line = (f"ray engine: {len(self.written)} partitions written, {len(self.reused)} reused, "
                f"{len(self.failed)} failed (work folder {self.work_dir})")
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


def run_partitions(todo: list[parts_io.Partition], work_dir: Path, settings, report: RayReport,
                   progress=None) -> None:
    """Process the partitions on Ray Data; failures go to ``report.failed`` by name.

    ``progress(total)`` returns a callback advanced by each finished partition's articles.
    """
    import ray
    import ray.data

    if not todo:
        return
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.max_errored_blocks = -1  # a block lost for good (its worker died past the retries) drops only itself
    faults = _faults()
    rows = [{"name": p.name, "input_hash": p.input_hash, "articles": articles_to_json(p.articles),
             "work_dir": str(work_dir), "faults": faults, "attribution": bool(settings.attribution),
             "guards": bool(settings.guards), "cache": bool(settings.cache)} for p in todo]
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    actors = min(len(todo), ENCODER_ACTORS_MAX or cpus)
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        # Ray Data's own default is endless retries; a partition that kills its worker every
        # time must end as a failure. Ray 2.60 has no named parameter for the retry counts.
        warnings.simplefilter("ignore", DeprecationWarning)
        ds = (ray.data.from_items(rows, override_num_blocks=len(rows))
              .map(prepare_partition, num_cpus=TASK_CPUS, max_retries=TASK_RETRIES)
              .map_batches(EncodePartitions, batch_size=1, compute=ray.data.ActorPoolStrategy(size=actors),
                           num_cpus=ACTOR_CPUS,
                           fn_constructor_kwargs={"model": settings.model.name, "cache": bool(settings.cache),
                                                  "work_dir": str(work_dir)},
                           max_restarts=TASK_RETRIES, max_task_retries=TASK_RETRIES))
    seen = set()
    size = {p.name: len(p.articles) for p in todo}
    advance = progress(sum(size.values())) if progress else None
    for row in ds.iter_rows():
        seen.add(row["name"])
        if advance is not None:
            advance(size.get(row["name"], 0))
        if row["error"]:
            report.failed[row["name"]] = row["error"]
        else:
            report.written.append(row["name"])
    for p in todo:
        if p.name not in seen:
            report.failed[p.name] = "its worker failed past Ray's retries"


def analyze_on_ray(inputs, settings, *, address: Optional[str] = None, work_dir=None,
                   partition_articles: int = parts_io.DEFAULT_PARTITION_ARTICLES,
                   num_cpus: Optional[int] = None, index_options: Optional[dict] = None, progress=None):
    """Analyse ``inputs`` with the Ray engine; returns ``(Analysis, RayReport)``.

    Args:
        inputs: articles as :func:`claims.pipeline.analyze` takes them.
        settings: resolved :class:`~claims.settings.Settings` (a registered model name).
        address: a Ray cluster (``ray start --head`` prints it); None starts a local Ray.
        work_dir: the folder of the partition files (on a cluster, one every node sees);
            default: under the cache folder, one per corpus and settings.
        partition_articles: articles per partition.
        num_cpus: CPUs of the local Ray (default: the machine's cores).
        index_options: parameters of the :class:`~claims.engines.cell_search.RayCellIndex`.
        progress: ``progress(total)`` returns a callback advanced by the articles of each
            partition done.

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
        kept = [p for p in plan if p.name not in report.failed]
        if not kept:
            raise RayEngineError("every partition failed:\n" + report.summary())
        clock = time.perf_counter()
        prepared, guard = assemble(kept, work_dir, settings)
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


def assemble(kept: list[parts_io.Partition], work_dir: Path, settings):
    """The prepared corpus (with its vectors) and its pair guard from the partition files, in order."""
    from claims.attribution.canon import ArticleNames, canonical_speakers
    from claims.attribution.corpus import _from_json
    from claims.matching.pair_guards import PairGuard
    from claims.pipeline import Prepared

    articles, sentences, raw, tables, article_of, vectors, roles = [], [], [], [], [], [], {}
    for p in kept:
        data = parts_io.read_partition(parts_io.partition_path(work_dir, p.name))
        position = {}
        for a in p.articles:
            position[a.id] = len(articles)
            articles.append(a)
            tables.append(ArticleNames.from_json(data.names[a.id]) if a.id in data.names else ArticleNames())
        sentences.extend(data.sentences)
        article_of.extend(position[s.article] for s in data.sentences)
        raw.extend(data.raw_attributions)
        vectors.append(data.vectors)
        roles.update(data.roles)
    attributions = None
    if settings.attribution:
        attributions = canonical_speakers([_from_json(r) for r in raw], article_of, tables)
    guard = PairGuard().remember_roles(roles) if settings.guards else None
    dim = settings.model.dim
    matrix = np.concatenate(vectors) if vectors else np.zeros((0, dim), np.float32)
    return Prepared(articles, sentences, attributions, matrix), guard
