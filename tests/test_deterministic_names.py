"""One corpus, one set of speaker names, in every run.

Python gives each process its own string hash seed, which sets the order of a set of names.
When two people of the corpus share a surname ("Ann Romney", "Mitt Romney"), the surname
alone used to take whichever full name that order put first, so the same articles could name
a speaker differently from one run to the next (and a second process, or Ray, differently from
the first). Every name here is made up for the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SNIPPET = """
from claims.attribution.canon import ArticleNames, canonical_speakers
from claims.records import Attribution
names = ["Ann Romney", "Mitt Romney", "Paul Romney", "Jean Firmin", "Ton Firmin", "Voyons Firmin"]
tables = [ArticleNames(persons=[p]) for p in names] + [ArticleNames()]
said = [Attribution("Romney", "a dit", "indirect"), Attribution("Firmin", "a dit", "indirect")]
print([a.speaker for a in canonical_speakers(said, [len(names)] * 2, tables)])
"""


def test_a_surname_gets_the_same_full_name_whatever_the_hash_seed():
    found = set()
    for seed in range(6):
        env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(REPO)}
        done = subprocess.run([sys.executable, "-c", SNIPPET], env=env, cwd=REPO, capture_output=True,
                              text=True, check=True)
        found.add(done.stdout.strip())
    assert found == {"['Ann Romney', 'Jean Firmin']"}
