"""Fact slots above claims: the question a claim answers, and the versions the articles give.

:func:`build_facts` turns an analysis's rows and groups into :class:`Fact` s;
:func:`most_contested` lists the disputed ones, most contested first (``claims disputes``).
"""

from claims.facts.build import build_facts, fact_of_rows, most_contested
from claims.facts.figures import StatedFigure, stated_figures
from claims.facts.slots import SlotBuilder
from claims.facts.versions import KINDS, Difference, Fact, FactMention, Version, fact_as_dict

__all__ = ["Difference", "Fact", "FactMention", "KINDS", "SlotBuilder", "StatedFigure", "Version", "build_facts",
           "fact_as_dict", "fact_of_rows", "most_contested", "stated_figures"]
