"""Stable claim ids: the groups of a new analysis named after the stored claims they overlap.

The grouping runs again over the whole stored corpus at each ingest; its groups are then
matched to the stored claims by how many mentions they share (a mention is keyed by its
article and its sentence text, so an unchanged sentence of a replaced article keeps its claim).
The pairs are taken by largest overlap first, each stored id given to at most one new group:
a group that shares nothing with a free stored claim gets a new id, and a stored claim whose
mentions all went to a group that already kept another id is reported as merged into it.
"""

from __future__ import annotations

from collections import Counter
from typing import Hashable, Mapping, NamedTuple, Sequence


class IdAssignment(NamedTuple):
    """The ids of the new groups and what happened to the stored claims.

    Attributes:
        ids: one id per new group, in the groups' order.
        new: ids created for groups that overlap no free stored claim.
        kept: stored ids carried on by a new group.
        merges: ``(kept_id, absorbed_id)`` for each stored claim absorbed into another.
        retired: stored ids no new group overlaps (their mentions left every group).
        next_number: the number the next new id will take.
    """

    ids: list[str]
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


def assign_ids(stored: Mapping[Hashable, str], groups: Sequence[Sequence[Hashable]], next_number: int,
               width: int = 3) -> IdAssignment:
    """Name new groups after the stored claims they share the most mentions with.

    Args:
        stored: mention key → stored (active) claim id.
        groups: the mention keys of each new group.
        next_number: number of the next id to create.
        width: digits of a new id.

    Returns:
        An :class:`IdAssignment`; deterministic (ties go to the older claim, then the earlier group).
    """
    overlaps = [Counter(stored[k] for k in keys if k in stored) for keys in groups]
    pairs = sorted(((-n, claim_number(old), g, old) for g, counts in enumerate(overlaps)
                    for old, n in counts.items()))
    ids: list = [None] * len(groups)
    used: set[str] = set()
    for _, _, g, old in pairs:
        if ids[g] is None and old not in used:
            ids[g] = old
            used.add(old)
    new = []
    for g in range(len(groups)):
        if ids[g] is None:
            ids[g] = format_id(next_number, width)
            new.append(ids[g])
            next_number += 1
    # A stored claim that overlaps some group but kept no id was absorbed: into the group
    # holding most of its mentions (the older kept id on a tie). That group always kept a
    # stored id: had it been free, the absorbed claim would have gone to it.
    absorbed: dict[str, str] = {}
    for _, _, g, old in pairs:
        if old not in used and old not in absorbed:
            absorbed[old] = ids[g]
    retired = sorted(set(stored.values()) - used - set(absorbed), key=claim_number)
    merges = sorted(((kept, old) for old, kept in absorbed.items()), key=lambda p: claim_number(p[1]))
    kept = sorted(used, key=claim_number)
    return IdAssignment(ids, new, kept, merges, retired, next_number)


__all__ = ["IdAssignment", "assign_ids", "claim_number", "format_id"]
