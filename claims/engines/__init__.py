"""Engines that run an analysis: ``local`` (this process) and ``ray`` (a Ray cluster).

Both return the same :class:`~claims.analysis.Analysis` for the same input and settings;
the Ray engine runs the per-article stages and the nearest-neighbour search on Ray and
keeps the grouping, stance and comparison code of the local one.

Example::

    from claims.engines import run_engine
    from claims.settings import resolve_settings
    analysis, report = run_engine("ray", ["seeds/"], resolve_settings("e5-small"))
"""

from __future__ import annotations

from typing import Optional

ENGINES = ("local", "ray")


def run_engine(engine: str, inputs, settings=None, *, address: Optional[str] = None, progress=None,
               **options):
    """Analyse ``inputs`` with ``engine``; returns ``(analysis, report)``.

    Args:
        engine: "local" (:func:`claims.pipeline.analyze`) or "ray"
            (:func:`claims.engines.ray_engine.analyze_on_ray`).
        inputs: articles as :func:`claims.pipeline.analyze` takes them.
        settings: resolved settings; default: the default model and options.
        address: the Ray cluster to use (ray only; None starts a local Ray).
        progress: ``progress(total)`` returns a callback advanced as sentences are encoded
            (local) or as partitions' articles are done, then chunks encoded (ray).
        **options: engine options (ray: ``work_dir``, ``partition_articles``, ``chunk_sentences``, ``num_cpus``,
            ``index_options``; local: ``index``).

    Returns:
        The analysis and the engine's report (None for the local engine; a
        :class:`~claims.engines.ray_engine.RayReport` for Ray).

    Raises:
        ValueError: for an unknown engine, or an address given to the local engine.
    """
    from claims.settings import resolve_settings

    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if settings is None:
        from claims.models import DEFAULT_MODEL, model_entry

        settings = resolve_settings(model_entry(DEFAULT_MODEL))
    if engine == "local":
        if address:
            raise ValueError("--address is for the ray engine")
        from claims.pipeline import analyze

        return analyze(inputs, settings.model.name, settings=settings, progress=progress, **options), None
    from claims.engines.ray_engine import analyze_on_ray

    return analyze_on_ray(inputs, settings, address=address, progress=progress, **options)


def store_analyzer(engine: str, address: Optional[str] = None, work_dir=None, **options):
    """What a store ingest analyses its corpus with: None for the local pipeline, else a function.

    The function, ``analyzer(articles, settings, progress=None) -> Analysis``, runs the Ray engine on the
    whole corpus; a partition that fails makes it raise (the store keeps its previous state,
    and the partitions written are reused by the next attempt).

    Raises:
        ValueError: for an unknown engine, or an address with the local engine.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if engine == "local":
        if address:
            raise ValueError("--address is for the ray engine")
        return None

    def analyzer(articles, settings, progress=None):
        from claims.engines.ray_engine import RayEngineError, analyze_on_ray

        analysis, report = analyze_on_ray(articles, settings, address=address, work_dir=work_dir,
                                          progress=progress, **options)
        if report.failed:
            raise RayEngineError(report.summary() + "\nnothing was stored; the next ingest reuses the "
                                 "partitions written")
        return analysis

    return analyzer


__all__ = ["ENGINES", "run_engine", "store_analyzer"]
