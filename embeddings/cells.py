"""Cells of the IVF search: a PCA projection, k-means centroids, and which cell each vector probes."""

from __future__ import annotations

import numpy as np


def by_cell(probes: np.ndarray, nlist: int) -> tuple[np.ndarray, np.ndarray]:
    """Query ids grouped by probed cell, and where each cell's group starts."""
    flat = probes.ravel()
    order = np.argsort(flat, kind="stable")
    return order // probes.shape[1], np.searchsorted(flat[order], np.arange(nlist + 1))


def nearest(points: np.ndarray, centroids: np.ndarray, p: int) -> np.ndarray:
    """Indices of the ``p`` nearest centroids (L2) of each point, nearest first."""
    scores = points @ centroids.T - 0.5 * np.einsum("ij,ij->i", centroids, centroids)
    out = np.empty((len(points), p), np.int32)
    rows = np.arange(len(points))
    for rank in range(p):  # p is small: repeated argmax beats a partition
        out[:, rank] = best = scores.argmax(axis=1)
        scores[rows, best] = -np.inf
    return out


def pca(sample: np.ndarray, dim: int) -> np.ndarray:
    """(d, dim) projection on the sample's top principal axes."""
    centred = sample - sample.mean(axis=0)
    _, axes = np.linalg.eigh((centred.T @ centred).astype(np.float64))
    return np.ascontiguousarray(axes[:, ::-1][:, :dim], dtype=np.float32)


def kmeans(points: np.ndarray, nlist: int, rng, pool, iterations: int, chunk: int = 8192) -> np.ndarray:
    """Lloyd's k-means from random points; an emptied cell restarts at a random point."""
    centroids = points[rng.choice(len(points), nlist, replace=False)].copy()
    for _ in range(iterations):
        parts = pool.map(lambda s: nearest(points[s : s + chunk], centroids, 1)[:, 0],
                         range(0, len(points), chunk))
        assign = np.concatenate(list(parts))
        order = np.argsort(assign, kind="stable")
        used, starts, counts = np.unique(assign[order], return_index=True, return_counts=True)
        centroids[used] = np.add.reduceat(points[order], starts) / counts[:, None]
        empty = np.setdiff1d(np.arange(nlist), used)
        centroids[empty] = points[rng.choice(len(points), len(empty), replace=False)]
    return centroids
