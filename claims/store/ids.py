"""Stable claim ids: what the groups of a new run change in the stored claims.

At each ingest the grouping runs again over the whole stored corpus (the vectors are stored,
so this is cheap), but its groups are not taken as they are: scores that depend on the corpus
(TF-IDF weights, hubness) shift a little with every article, and a stored claim must not
dissolve or be renamed because of that. So the stored claims are kept, and the new groups only
add to them:

- a mention is keyed by its article and sentence text (an unchanged sentence of a replaced
  article keeps its claim); *fresh* keys are the sentences of the articles just added or changed;
- every stored mention stays in its claim while its sentence exists;
- only a new group holding a fresh key changes anything; one made of stored sentences only is
  the re-run drifting (corpus-dependent weights, a vector index trained again), not new evidence;
- a new group that holds fresh keys and mentions of two or more stored claims is new evidence
  linking them: they are merged into the oldest, and the merge is reported with both ids;
- the other keys of such a group (fresh ones, and stored sentences that were in no claim) join
  the stored claim the group overlaps most, or, when it overlaps none, form a new claim;
- a stored claim with no mention left (its sentences changed) is retired; ids are never reused.
"""

from __future__ import annotations

from collections import Counter
from typing import Hashable, Mapping, NamedTuple, Sequence


class Resolution(NamedTuple):
    """The claims after an ingest and what happened to the stored ones.

    Attributes:
        members: claim id → its mention keys, for every active claim.
        new: ids created.
        kept: stored ids still active.
        merges: ``(kept_id, absorbed_id)`` for each stored claim absorbed into another.
        retired: stored ids left with no mention.
        next_number: the number the next new id will take.
    """

    members: dict[str, list]
    new: list[str]
    kept: list[str]
    merges: list[tuple[str, str]]
    retired: list[str]
    next_number: int


def claim_number(claim_id: str) -> int:
    """The number of an id such as ``"c012"``."""
    return int(claim_id.lstrip("c"))


def format_id(number: int, width: int) -> str:
    """``c`` and the number, zero-padded to ``width`` digits."""
    return f"c{number:0{width}d}"


def resolve_claims(stored: Mapping[Hashable, str], groups: Sequence[Sequence[Hashable]], fresh: set,
                   present: set, next_number: int, width: int = 3) -> Resolution:
    """The claims after an ingest (rules in the module doc); deterministic.

    Args:
        stored: mention key → stored claim id (active claims only).
        groups: the mention keys of each group of the new run, in the run's order.
        fresh: keys of the sentences of the articles added or changed by this ingest.
        present: every key of the corpus now (stored keys outside it are gone).
        next_number: number of the next id to create.
        width: digits of a new id.
    """
    before = set(stored.values())
    stored = {k: c for k, c in stored.items() if k in present}
    parent: dict[str, str] = {}  # union-find over stored ids linked by new evidence

    def root(c: str) -> str:
        while parent.get(c, c) != c:
            c = parent[c]
        return c

    # Only a group holding a fresh sentence changes anything: one made of stored sentences only
    # is the re-run drifting (corpus-dependent weights, a re-trained index), not new evidence.
    groups = [keys for keys in groups if any(k in fresh and k not in stored for k in keys)]
    for keys in groups:
        touched = sorted({stored[k] for k in keys if k in stored}, key=claim_number)
        if len(touched) > 1:
            for other in touched[1:]:
                a, b = sorted((root(touched[0]), root(other)), key=claim_number)
                if a != b:
                    parent[b] = a  # the oldest id is kept
    members: dict[str, list] = {}
    for key, claim in stored.items():
        members.setdefault(root(claim), []).append(key)
    new: list[str] = []
    for keys in groups:
        overlap = Counter(root(stored[k]) for k in keys if k in stored)
        joining = [k for k in dict.fromkeys(keys) if k not in stored]
        if not joining:
            continue
        if overlap:
            target = min(overlap, key=lambda c: (-overlap[c], claim_number(c)))
        else:
            target = format_id(next_number, width)
            next_number += 1
            new.append(target)
        members.setdefault(target, []).extend(joining)
        stored.update({k: target for k in joining})  # a key is in one claim, the first group's
    merges = sorted(((root(c), c) for c in parent), key=lambda p: claim_number(p[1]))
    kept = sorted((c for c in members if c not in new), key=claim_number)
    retired = sorted(before - set(kept) - {absorbed for _, absorbed in merges}, key=claim_number)
    return Resolution(members, new, kept, merges, retired, next_number)


__all__ = ["Resolution", "claim_number", "format_id", "resolve_claims"]
