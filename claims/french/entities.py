"""Named countries, organisations and people-like targets: the French entity and alias tables.

Three tables, each answering its own question, all read here:

* ``entities_fr.tsv``: which country or organisation a sentence names ("Washington", "l'aide
  américaine" → ``US``), case- and accent-insensitive, demonyms included; the pair guard
  compares these (:func:`entity_mentions`);
* ``metonyms.tsv``: which body speaks when a name is a sentence's source ("Moscou" → "Russie"),
  case-sensitive, with the canonical speaker name the attribution reports (:class:`Metonyms`);
* ``stance_targets.tsv``: the names of a stance target (a candidate, her party, her hashtags),
  which stance masks as "la cible" (:func:`read_targets`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Union

from claims.french.resources import data_path, read_tsv
from claims.french.text import alternation, fold_french

ENTITIES_PATH = data_path("entities_fr.tsv")
METONYMS_PATH = data_path("metonyms.tsv")
TARGETS_PATH = data_path("stance_targets.tsv")


class EntityMention(NamedTuple):
    """A gazetteer entity found in a sentence."""

    id: str  # "US", "NATO"
    type: str  # "country", "org", "region"
    text: str
    start: int
    end: int
    adjective: bool  # the alias can be a demonym adjective ("allemande")


class _Gazetteer(NamedTuple):
    entity_re: re.Pattern
    aliases: dict[str, tuple[str, str, bool, bool]]  # alias → id, type, is name, is adjective


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    aliases: dict[str, tuple[str, str, bool, bool]] = {}
    for _, cols in read_tsv(ENTITIES_PATH):
        ent_id, ent_type, names, adjectives = (cols + [""])[:4]
        names_set = {fold_french(a) for a in names.split("|") if a}
        adj_set = {fold_french(a) for a in adjectives.split("|") if a}
        for alias in names_set | adj_set:
            aliases[alias] = (ent_id, ent_type, alias in names_set, alias in adj_set)
    return _Gazetteer(re.compile(rf"(?<![\w-])({alternation(aliases)})(?![\w-])"), aliases)


@lru_cache(maxsize=65536)
def entity_mentions(text: str) -> tuple[EntityMention, ...]:
    """Countries and organisations of ``entities_fr.tsv`` named in ``text``, in order."""
    gaz = _gazetteer()
    folded = fold_french(text)
    out = []
    for m in gaz.entity_re.finditer(folded):
        ent_id, ent_type, _, is_adj = gaz.aliases[re.sub(r"\s+", " ", m.group(1))]
        out.append(EntityMention(ent_id, ent_type, text[m.start():m.end()], m.start(), m.end(), is_adj))
    return tuple(out)


@dataclass
class Metonyms:
    """Names standing for a country or organisation when they speak ("Moscou" -> "Russie").

    Args:
        path: A TSV file as described at the top of ``claims/data/metonyms.tsv``.
    """

    path: Path = METONYMS_PATH
    canonical: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self):
        self.path = Path(self.path)
        for lineno, cols in read_tsv(self.path):
            if len(cols) < 2 or not cols[0].strip() or not cols[1].strip():
                raise ValueError(f"{self.path}:{lineno}: expected surface<TAB>canonical")
            self.canonical[cols[0].strip()] = cols[1].strip()
        names = sorted(self.canonical, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<![\w\-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w\-])")

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Return (start, end, canonical) of every body name in ``text``."""
        return [(m.start(), m.end(), self.canonical[m.group()]) for m in self._pattern.finditer(text)]


@lru_cache(maxsize=None)
def default_metonyms() -> Metonyms:
    """The packaged metonym table, read once."""
    return Metonyms()


def read_targets(path: Union[str, Path] = TARGETS_PATH) -> dict[str, list[str]]:
    """Target name -> aliases, from a ``target<TAB>alias<TAB>source`` file."""
    targets: dict[str, list[str]] = {}
    for lineno, columns in read_tsv(Path(path)):
        if len(columns) != 3 or not columns[0].strip() or not columns[1].strip():
            raise ValueError(f"{path}:{lineno}: expected target, alias and source, tab-separated")
        targets.setdefault(columns[0].strip(), []).append(columns[1].strip())
    return targets
