"""Claim groups from sentence embeddings: sentences of different articles that state one claim.

The work is done in :func:`group_embeddings` (embedding level, no model needed);
:class:`ClaimGrouper` wraps it as a scikit-learn style estimator.

How a group forms:

1. Candidate pairs are each sentence's ``n_neighbors`` nearest neighbours in a FAISS index
   (exact or IVF, see :class:`embeddings.index.VectorIndex`).
2. A pair is linked when its similarity reaches ``threshold`` and the optional ``guard``
   lets it through (different figures, negation… see :mod:`claims.matching.pair_guards`).
3. Links between sentences of *different* articles form connected components. A sentence
   repeated inside one article (a pull quote) never forms a group on its own.
4. Each component is refined with average linkage over the same similarities, where a
   guarded pair counts as a cannot-link: a chain A~B~C does not merge A and C when they
   disagree on a figure, however many close pairs surround them (the tree is cut below any
   node holding a cannot-link). A component larger than ``REFINE_MAX`` (a long chain of near
   pairs, which grows with the corpus) is first cut into dense communities by Leiden on
   its links weighted by their score (constant Potts model, fixed seed), and each
   community is refined the same way: group sizes follow the data, not the corpus size.
5. Groups that span at least ``min_articles`` articles are kept; then every other
   sentence of those articles that restates the claim joins (all mentions of the claim):
   linked to a member of its own article, and close enough, on average, to the members
   from the other articles.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, NamedTuple, Optional, Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from embeddings.index import VectorIndex

PairScorer = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
PairGuardFn = Callable[[str, str], Optional[str]]

# Average linkage is O(m^2) in time and memory: a component larger than this is first cut
# into communities (Leiden) of at most this size, each then refined like a small component.
REFINE_MAX = 2000
SPLIT_SEED = 0  # seed of the community split: the same input always gives the same groups
# A community of a split component holds links weighing at least this share of its pairs
# (links weighted by score / mean score). Chosen on STS-B-fr pseudo-articles (10,000
# sentences, benchmarks/group_sizes.py): 0.1 keeps about 90 % of the paraphrase pairs (score >= 4)
# grouped and no group above 1 % of the corpus.
SPLIT_DENSITY = 0.1
_PAIR_CHUNK = 1 << 18  # pairs whose cosines are computed at once in a refinement
GUARD_ALL_PAIRS_MAX = 200  # components up to this size have every pair guarded
_BLOCKED = 4.0  # distance given to a guarded pair: far beyond any real cosine distance


class GroupingResult(NamedTuple):
    """Per-sentence outcome of grouping.

    ``labels[i]`` is the group number of sentence i (0..n_groups-1, in order of each
    group's first sentence) or -1; ``scores[i]`` its cosine to the group centroid (NaN
    when ungrouped); ``blocked`` lists the candidate pairs a guard refused, with reasons.
    """

    labels: np.ndarray
    scores: np.ndarray
    blocked: list[tuple[int, int, str]]


class _Edges(NamedTuple):
    i: np.ndarray
    j: np.ndarray
    score: np.ndarray


def _candidate_edges(embeddings, n_neighbors, index, pair_scorer) -> _Edges:
    """Unique pairs (i < j) among each sentence's nearest neighbours, with their score."""
    n = len(embeddings)
    k = min(n_neighbors + 1, n)
    neighbours = (index or VectorIndex()).fit(embeddings).search(embeddings, k)
    rows = np.repeat(np.arange(n), neighbours.ids.shape[1])
    cols = neighbours.ids.ravel()
    dense = neighbours.scores.ravel()
    keep = (cols >= 0) & (cols != rows)
    i, j, dense = np.minimum(rows, cols)[keep], np.maximum(rows, cols)[keep], dense[keep]
    # Each pair once, sorted by (i, j), keeping its first occurrence (one sort of one key).
    _, first = np.unique(i * n + j, return_index=True)
    i, j, dense = i[first], j[first], dense[first]
    score = pair_scorer(i, j, dense) if pair_scorer is not None else dense
    return _Edges(i, j, np.asarray(score, np.float32))


def _guarded(edges: _Edges, texts, guard, blocked) -> np.ndarray:
    """Mask of the edges the guard lets through; refused ones are appended to ``blocked``."""
    ok = np.ones(len(edges.i), bool)
    if guard is None or texts is None:
        return ok
    for e, (a, b) in enumerate(zip(edges.i.tolist(), edges.j.tolist())):
        reason = guard(texts[a], texts[b])
        if reason:
            ok[e] = False
            blocked.append((a, b, reason))
    return ok


def _refine(members: np.ndarray, embeddings, threshold, pair_scorer, is_blocked,
            blocked_among=None) -> list[np.ndarray]:
    """Split one component with average linkage; guarded pairs are cannot-links.

    ``blocked_among(members)``, when given, returns the positions (p, q) of the known
    cannot-links among ``members`` at once; it replaces the pair-by-pair ``is_blocked`` for
    parts too large to have every pair guarded (the two agree there).
    """
    if len(members) < 2 or len(members) > REFINE_MAX:
        return [members]
    sub = embeddings[members]
    ii, jj = np.triu_indices(len(members), 1)
    sim = np.empty(len(ii), np.float32)
    for start in range(0, len(ii), _PAIR_CHUNK):  # bounded memory: not (m^2 / 2) x d at once
        a, b = ii[start : start + _PAIR_CHUNK], jj[start : start + _PAIR_CHUNK]
        sim[start : start + len(a)] = np.einsum("ij,ij->i", sub[a], sub[b])
    if pair_scorer is not None:
        sim = pair_scorer(members[ii], members[jj], sim)
    dist = 1.0 - np.asarray(sim, np.float64)
    if blocked_among is not None and len(members) > GUARD_ALL_PAIRS_MAX:
        p, q = blocked_among(members)
        if len(p):
            m = len(members)  # position of pair (p < q) in the condensed upper triangle
            dist[p * m - p * (p + 1) // 2 + (q - p - 1)] = _BLOCKED
    else:
        for p, (a, b) in enumerate(zip(members[ii].tolist(), members[jj].tolist())):
            if is_blocked(a, b, len(members)):
                dist[p] = _BLOCKED
    tree = linkage(np.clip(dist, 0.0, None), method="average")
    hard = np.flatnonzero(dist >= _BLOCKED)
    if not len(hard):
        flat = fcluster(tree, t=1.0 - threshold, criterion="distance")
        return [members[flat == c] for c in np.unique(flat)]
    return [members[part] for part in _cut_tree(tree, len(members), 1.0 - threshold, ii[hard], jj[hard])]


def _cut_tree(tree: np.ndarray, m: int, cutoff: float, p: np.ndarray, q: np.ndarray) -> list[np.ndarray]:
    """Flat clusters of an average-linkage tree: the highest nodes merged at ``cutoff`` or below
    that hold no cannot-link pair (p[k], q[k]) (leaf positions).

    Average linkage alone can merge a cannot-link pair when many close pairs outweigh it; here
    a refused pair never ends in one cluster.
    """
    parent = np.full(2 * m - 1, -1, np.int64)
    parent[tree[:, 0].astype(np.int64)] = np.arange(m, 2 * m - 1)
    parent[tree[:, 1].astype(np.int64)] = np.arange(m, 2 * m - 1)
    tainted = np.zeros(2 * m - 1, bool)  # the node holds a cannot-link pair
    for a, b in zip(p.tolist(), q.tolist()):
        ancestors = set()
        while a >= 0:
            ancestors.add(a)
            a = parent[a]
        while b not in ancestors:
            b = parent[b]
        while b >= 0 and not tainted[b]:  # the lowest common ancestor and all above it
            tainted[b] = True
            b = parent[b]
    clusters, todo = [], [2 * m - 2]
    while todo:
        node = todo.pop()
        if node < m:
            clusters.append(np.array([node]))
        elif tree[node - m, 2] <= cutoff and not tainted[node]:
            leaves, stack = [], [node]
            while stack:
                k = stack.pop()
                if k < m:
                    leaves.append(k)
                else:
                    stack.extend((int(tree[k - m, 0]), int(tree[k - m, 1])))
            clusters.append(np.sort(np.array(leaves, np.int64)))
        else:
            todo.extend((int(tree[node - m, 0]), int(tree[node - m, 1])))
    return sorted(clusters, key=lambda c: int(c[0]))


def split_component(members: np.ndarray, i: np.ndarray, j: np.ndarray, weight: np.ndarray,
                    max_size: int = REFINE_MAX, density: float = SPLIT_DENSITY,
                    seed: int = SPLIT_SEED) -> list[np.ndarray]:
    """Cut a connected set of sentences into dense communities of at most ``max_size``.

    Leiden with the constant Potts model on the links (i, j) between ``members`` (sorted
    sentence numbers), each weighted by its score relative to the mean score of the links:
    a community is kept when its links weigh more than ``density`` times its number of
    pairs. Restatements of one claim link to one another and stay together; a chain of
    near pairs, whose pairs are mostly unlinked, is cut however long it is. A community
    still larger than ``max_size`` is cut again at twice the density, and one Leiden
    leaves whole is cut into consecutive runs of its members. The random generator is
    reseeded for every cut, so the parts depend only on the input.
    """
    import random

    import igraph

    if len(members) <= max_size:
        return [members]
    parts: list[np.ndarray] = []
    todo = [(members, i, j, weight / max(float(np.mean(weight)), 1e-12), density)]
    try:
        while todo:
            nodes, a, b, w, resolution = todo.pop()
            if len(nodes) <= max_size:
                parts.append(nodes)
                continue
            la, lb = np.searchsorted(nodes, a), np.searchsorted(nodes, b)
            graph = igraph.Graph(n=len(nodes), edges=np.column_stack([la, lb]).tolist())
            igraph.set_random_number_generator(random.Random(seed))
            found = graph.community_leiden(objective_function="CPM", weights=w.astype(float).tolist(),
                                           resolution=resolution, n_iterations=-1)
            label = np.asarray(found.membership, np.int64)
            if label.max() == 0:  # Leiden leaves it whole: consecutive runs
                parts.extend(nodes[s : s + max_size] for s in range(0, len(nodes), max_size))
                continue
            inside = label[la] == label[lb]
            for c in range(int(label.max()) + 1):
                keep = inside & (label[la] == c)
                todo.append((nodes[label == c], a[keep], b[keep], w[keep], 2 * resolution))
    finally:
        igraph.set_random_number_generator(random)
    return sorted(parts, key=lambda part: int(part[0]))


def group_embeddings(
    embeddings: np.ndarray,
    article_ids: Sequence[str],
    threshold: float,
    min_articles: int = 2,
    *,
    n_neighbors: int = 20,
    texts: Optional[Sequence[str]] = None,
    guard: Optional[PairGuardFn] = None,
    pair_scorer: Optional[PairScorer] = None,
    index: Optional[VectorIndex] = None,
) -> GroupingResult:
    """Group sentences of different articles that state the same claim.

    Args:
        embeddings: (n, d) L2-normalised sentence vectors.
        article_ids: the article of each sentence.
        threshold: similarity a pair needs to be linked (on the ``pair_scorer`` scale if
            given, else cosine).
        min_articles: distinct articles a group must span.
        n_neighbors: neighbours looked up per sentence.
        texts: sentence texts, needed by ``guard``.
        guard: ``guard(text_a, text_b)`` returns a reason to refuse the pair, or None.
        pair_scorer: ``pair_scorer(i, j, dense)`` turns dense cosines of pairs (i, j) into
            the similarity compared with ``threshold`` (e.g. a dense + lexical hybrid).
        index: the vector index to use (default: exact or IVF chosen by size).

    Returns:
        A :class:`GroupingResult`.
    """
    embeddings = np.ascontiguousarray(embeddings, dtype=np.float32)
    n = len(embeddings)
    if len(article_ids) != n:
        raise ValueError(f"{len(article_ids)} article ids for {n} embeddings")
    if texts is not None and len(texts) != n:
        raise ValueError(f"{len(texts)} texts for {n} embeddings")
    if min_articles < 1:
        raise ValueError(f"min_articles must be >= 1, got {min_articles}")
    if n_neighbors < 1:
        raise ValueError(f"n_neighbors must be >= 1, got {n_neighbors}")
    labels = np.full(n, -1, np.int64)
    scores = np.full(n, np.nan, np.float32)
    blocked: list[tuple[int, int, str]] = []
    if n < 2:
        return GroupingResult(labels, scores, blocked)

    _, article_codes = np.unique(np.asarray(article_ids, dtype=object).astype(str), return_inverse=True)
    edges = _candidate_edges(embeddings, n_neighbors, index, pair_scorer)
    above = edges.score >= threshold
    edges = _Edges(edges.i[above], edges.j[above], edges.score[above])
    ok = _guarded(edges, texts, guard, blocked)
    cannot_link = {(a, b) for a, b, _ in blocked}

    def is_blocked(a: int, b: int, size: int) -> bool:
        # Pairs never retrieved as neighbours were not guarded yet; check them in small
        # components, where a chain could otherwise join two different figures.
        if (a, b) in cannot_link:
            return True
        if guard is None or texts is None or size > GUARD_ALL_PAIRS_MAX:
            return False
        reason = guard(texts[a], texts[b])
        if reason:
            cannot_link.add((a, b))
            blocked.append((a, b, reason))
        return bool(reason)
    edges = _Edges(edges.i[ok], edges.j[ok], edges.score[ok])
    cross = article_codes[edges.i] != article_codes[edges.j]

    graph = coo_matrix((np.ones(int(cross.sum())), (edges.i[cross], edges.j[cross])), shape=(n, n))
    n_comp, comp = connected_components(graph, directed=False)
    sizes = np.bincount(comp, minlength=n_comp)
    by_comp = np.argsort(comp, kind="stable")  # members of component c: by_comp[starts[c]:starts[c+1]]
    starts = np.r_[0, np.cumsum(sizes)]
    ci, cj, cw = edges.i[cross], edges.j[cross], edges.score[cross]
    order = np.argsort(comp[ci], kind="stable")  # links of component c: order[link_starts[c]:...]
    link_starts = np.searchsorted(comp[ci][order], np.arange(n_comp + 1))

    partners: dict[int, list[int]] = defaultdict(list)  # the guard's refusals so far, by sentence
    for a, b in cannot_link:
        partners[a].append(b)

    def blocked_among(members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # Positions (p < q) in ``members`` (sorted) of the cannot-links among them. Pairs the
        # guard refuses later lie inside parts small enough to be guarded pair by pair.
        inside = set(members.tolist())
        pairs = [(a, b) for a in members.tolist() for b in partners.get(a, ()) if b in inside]
        if not pairs:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        p, q = np.searchsorted(members, np.array(pairs, np.int64).T)
        return np.minimum(p, q), np.maximum(p, q)

    groups: list[np.ndarray] = []
    for c in np.flatnonzero(sizes > 1):
        members = by_comp[starts[c] : starts[c + 1]]
        if len(members) <= REFINE_MAX:
            pieces = [members]
        else:
            links = order[link_starts[c] : link_starts[c + 1]]
            pieces = split_component(members, ci[links], cj[links], np.maximum(cw[links], 1e-6), REFINE_MAX)
        for piece in pieces:
            for part in _refine(piece, embeddings, threshold, pair_scorer, is_blocked,
                                blocked_among if len(members) > REFINE_MAX else None):
                if len(np.unique(article_codes[part])) >= min_articles:
                    groups.append(part)

    groups = _attach_same_article_mentions(groups, edges, article_codes, embeddings, threshold, pair_scorer,
                                           is_blocked)
    groups.sort(key=lambda g: int(g.min()))
    for g, members in enumerate(groups):
        labels[members] = g
        centroid = embeddings[members].mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        scores[members] = embeddings[members] @ centroid
    return GroupingResult(labels, scores, blocked)


def _attach_same_article_mentions(groups, edges: _Edges, article_codes, embeddings, threshold,
                                  pair_scorer, is_blocked=None) -> list[np.ndarray]:
    """Add ungrouped sentences that restate a group's claim inside one of its articles.

    A candidate is linked to a member of its own article; it joins when its mean score to
    the members from *other* articles also reaches the threshold, so a sentence that is
    merely close to its neighbour in the same article (same speaker, same paragraph) does not;
    nor does one in a cannot-link with a member (``is_blocked(a, b, size)``).
    """
    n = len(article_codes)
    owner = np.full(n, -1, np.int64)
    for g, members in enumerate(groups):
        owner[members] = g
    candidates: dict[int, set[int]] = defaultdict(set)
    for a, b in zip(edges.i.tolist(), edges.j.tolist()):
        if article_codes[a] == article_codes[b]:
            for member, other in ((a, b), (b, a)):
                if owner[member] >= 0 and owner[other] < 0:
                    candidates[int(owner[member])].add(other)
    best: dict[int, tuple[float, int]] = {}
    for g in sorted(candidates):
        members = groups[g]
        for c in sorted(candidates[g]):
            if is_blocked is not None and any(is_blocked(min(c, int(x)), max(c, int(x)), len(members))
                                              for x in members):
                continue
            others = members[article_codes[members] != article_codes[c]]
            dense = embeddings[others] @ embeddings[c]
            scores = pair_scorer(np.full(len(others), c), others, dense) if pair_scorer is not None else dense
            mean = float(np.mean(scores))
            if mean >= threshold and mean > best.get(c, (-np.inf, -1))[0]:
                best[c] = (mean, g)
    added = defaultdict(list)
    for sentence, (_, g) in best.items():
        added[g].append(sentence)
    return [np.sort(np.concatenate([m, np.array(added[g], np.int64)])) if added[g] else m
            for g, m in enumerate(groups)]


class ClaimGrouper:
    """Scikit-learn style wrapper of :func:`group_embeddings`.

    Args:
        threshold: similarity needed to link two sentences.
        min_articles: distinct articles a group must span.
        n_neighbors: neighbours looked up per sentence.
        guard: optional pair guard (see :func:`group_embeddings`).
        pair_scorer: optional pair similarity (see :func:`group_embeddings`).
        index: "auto", "exact", "ivf" or "hnsw".

    Attributes:
        labels_: group number per sentence, -1 when in no group.
        scores_: similarity of each sentence to its group centroid (NaN when ungrouped).
        n_groups_: number of groups found.
        blocked_: pairs the guard refused, as (i, j, reason).
    """

    def __init__(self, threshold: float = 0.9, min_articles: int = 2, n_neighbors: int = 20,
                 guard: Optional[PairGuardFn] = None, pair_scorer: Optional[PairScorer] = None,
                 index: str = "auto"):
        self.threshold = threshold
        self.min_articles = min_articles
        self.n_neighbors = n_neighbors
        self.guard = guard
        self.pair_scorer = pair_scorer
        self.index = index

    def fit(self, embeddings: np.ndarray, article_ids: Sequence[str],
            texts: Optional[Sequence[str]] = None) -> "ClaimGrouper":
        """Group ``embeddings``; ``texts`` are needed only when a guard is set."""
        if not -1.0 <= self.threshold <= 1.0 and self.pair_scorer is None:
            raise ValueError(f"threshold must be a cosine in [-1, 1], got {self.threshold}")
        result = group_embeddings(
            embeddings, article_ids, self.threshold, self.min_articles,
            n_neighbors=self.n_neighbors, texts=texts, guard=self.guard,
            pair_scorer=self.pair_scorer, index=VectorIndex(kind=self.index),
        )
        self.labels_, self.scores_, self.blocked_ = result
        self.n_groups_ = int(result.labels.max() + 1) if len(result.labels) else 0
        return self

    def fit_predict(self, embeddings, article_ids, texts=None) -> np.ndarray:
        """Fit and return ``labels_``."""
        return self.fit(embeddings, article_ids, texts).labels_
