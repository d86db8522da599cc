"""Reporting cues (verbs and source markers) found in French text, from ``reporting_cues.tsv``.

The one reader of that file: the attribution finds cues with :class:`CueLexicon`, and the
clause splitter (:mod:`claims.french.clauses`) strips the reporting frame with its forms.

The vocabulary lives in the data file; this module only knows French word order around it:
auxiliary + participle ("a déclaré", "a déjà promis", "a, pour sa part, condamné"), inversion
("a-t-il ajouté", "précise-t-elle"), pronominal verbs ("s'est dit"), an aspectual phrase before an
infinitive ("ne cesse de demander") and markers ("selon", "d'après").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator, NamedTuple, Optional, Sequence

from claims.french.resources import data_path, read_tsv
from claims.french.text import alternation

CUES_PATH = data_path("reporting_cues.tsv")

_KINDS = {"verb", "marker", "aux", "clitic", "aspect", "title", "adverb", "determiner", "conjunction",
          "epithet"}
_B = r"(?<![\w\-’'])"  # start of a word (not inside "d'après" nor "sous-entend")
_E = r"(?![\w\-])"  # end of a word
_CLOSING = "»”’'\""


def trie_alternation(forms) -> str:
    """The regex of :func:`claims.french.text.alternation` (spaces as ``\\s+``) for a pattern
    compiled with ``re.IGNORECASE``, written as a tree of shared prefixes.

    Python's ``re`` tries the branches of an alternation one by one at every position: with
    thousands of verb forms that was most of the attribution's own time. A prefix tree tries
    each letter once. It matches what the flat list matches, longest form first: the forms that
    match at one position are prefixes of one another (case aside; forms are lower-cased, the
    pattern ignores case), and each node tries its longer continuations before ending.
    """
    root: dict = {}
    for form in {f for f in forms if f}:
        low = form.lower()
        node = root
        for ch in low if len(low) == len(form) else form:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + emit(child)
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return "(?:" + "|".join(branches) + ")?"  # greedy: the longer forms first
        return body

    return emit(root) if root else "(?!)"


class CueMatch(NamedTuple):
    """One reporting cue in a text; offsets are into the text given to :meth:`CueLexicon.find`."""

    start: int
    end: int
    verb_start: int  # the word that carries the meaning (participle, finite verb, marker)
    verb_end: int
    lemma: str
    kind: str  # "verb" | "marker" | "aspect" (infinitive after "ne cesse de")
    text: str  # the cue as reported: "a déclaré", "a-t-il ajouté", "selon"
    clitic: Optional[str]  # subject pronoun of an inversion ("il"), else None
    needs: tuple[str, ...]


@dataclass
class CueLexicon:
    """Reporting verbs, markers and the small closed classes around them.

    Args:
        path: A TSV file in the format described at the top of ``claims/data/reporting_cues.tsv``.
    """

    path: Path = CUES_PATH
    finite: dict[str, list[str]] = field(default_factory=dict, init=False)
    participles: dict[str, list[str]] = field(default_factory=dict, init=False)
    needs: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False)
    markers: dict[str, str] = field(default_factory=dict, init=False)
    classes: dict[str, dict[str, list[str]]] = field(default_factory=dict, init=False)

    def __post_init__(self):
        self.path = Path(self.path)
        self._frames: set[str] = set()  # forms the clause splitter strips (rows not scoped "attribution")
        for lineno, cols in read_tsv(self.path):
            cols = (cols + [""] * 6)[:6]
            kind, lemma, forms, participle, needs, scope = (c.strip() for c in cols)
            frame = scope != "attribution"
            if kind not in _KINDS:
                raise ValueError(f"{self.path}:{lineno}: unknown kind {kind!r}")
            form_list = [f.strip() for f in forms.split(",") if f.strip()]
            if kind == "verb":
                for form in form_list:
                    self.finite.setdefault(form.lower(), []).append(lemma)
                self._frames.update(f.lower() for f in form_list + participle.split(",") if frame and f.strip())
                for form in participle.split(","):
                    form = form.strip().lower()
                    # a pronominal verb's participle agrees with its subject: "s'est dite", "se sont dits"
                    agreed = (form, form + "e", form + "s", form + "es") if self.is_pronominal(lemma) and \
                        form and not form.endswith("s") else (form,)
                    for f in agreed:
                        if f and lemma not in self.participles.get(f, []):
                            self.participles.setdefault(f, []).append(lemma)
                self.needs[lemma] = tuple(n.strip() for n in needs.split(",") if n.strip())
            elif kind == "marker":
                for form in form_list:
                    self.markers[form.lower()] = lemma
                self._frames.update(f.lower() for f in form_list if frame)
            else:
                self.classes.setdefault(kind, {}).setdefault(lemma, []).extend(form_list)
        self._compile()

    def words(self, kind: str) -> list[str]:
        """All forms of a closed class ("aux", "clitic", "title", ...), longest first."""
        forms = [f for fs in self.classes.get(kind, {}).values() for f in fs]
        return sorted(set(forms), key=len, reverse=True)

    def title_class(self, title: str) -> Optional[str]:
        """The class of a written title ("secrétaire général" -> "chef"), or None."""
        low = title.lower()
        for lemma, forms in self.classes.get("title", {}).items():
            if low in (f.lower() for f in forms):
                return lemma
        return None

    @staticmethod
    def is_pronominal(lemma: str) -> bool:
        return lemma.startswith(("se ", "s'", "s’"))

    def verb_forms(self, frames: bool = False) -> list[str]:
        """Every written form of a reporting verb: finite forms and participles (``frames``: only
        those the clause splitter strips, i.e. not the rows scoped to the attribution)."""
        forms = [*self.finite, *self.participles]
        return [f for f in forms if f in self._frames] if frames else forms

    def frame_markers(self) -> list[str]:
        """Source markers the clause splitter strips (not the rows scoped to the attribution)."""
        return [m for m in self.markers if m in self._frames]

    def _compile(self) -> None:
        aux, clitic = alternation(self.words("aux")), alternation(self.words("clitic"))
        adverb = r"(?:\w+ment|" + alternation(self.words("adverb")) + r")"
        between = rf"(?:(?:\s+{adverb}{_E})+|\s*,\s[^,.;:«»“”]{{1,30}},)?"
        part, fin = trie_alternation(self.participles), trie_alternation(self.finite)
        infinitives = trie_alternation(l for l in self.needs if not self.is_pronominal(l))
        refl = r"(?P<refl>s['’]|se\s+)?"
        flags = re.IGNORECASE
        self._patterns = [
            ("inv_compound", re.compile(
                rf"{_B}(?P<aux>{aux})(?:-t)?-(?P<cl>{clitic}){between}\s+(?P<verb>{part}){_E}", flags)),
            ("inv_simple", re.compile(rf"{_B}(?P<verb>{fin})(?:-t)?-(?P<cl>{clitic}){_E}", flags)),
            ("compound", re.compile(  # "l'a déclaré": an object pronoun may be elided onto the auxiliary
                rf"(?:(?<=\bl['’])|{_B}){refl}(?P<aux>{aux}){between}\s+(?P<verb>{part}){_E}", flags)),
            ("aspect", re.compile(
                rf"{_B}(?:{alternation(self.words('aspect'))})\s*(?P<verb>{infinitives}){_E}", flags)),
            ("simple", re.compile(rf"{_B}{refl}(?P<verb>{fin}){_E}", flags)),
            ("marker", re.compile(rf"{_B}(?P<verb>{trie_alternation(self.markers)}){_E}", flags)),
        ]
        self._aux_etre = {f.lower() for f in self.classes.get("aux", {}).get("être", [])}
        self._determiner = re.compile(
            rf"{_B}(?:{alternation(self.words('determiner'))})\s*$", flags)

    def find(self, text: str) -> list[CueMatch]:
        """Return the cues of ``text`` in text order, overlapping candidates resolved (longest wins)."""
        found: list[CueMatch] = []
        for name, pattern in self._patterns:
            for m in pattern.finditer(text):
                found.extend(self._matches(name, m))
        found.sort(key=lambda c: (c.start, -(c.end - c.start)))
        kept: list[CueMatch] = []
        for cue in found:
            if not kept or cue.start >= kept[-1].end:
                kept.append(cue)
        return kept

    def _matches(self, name: str, m: re.Match) -> Iterator[CueMatch]:
        verb = " ".join(m.group("verb").split())
        low = verb.lower()
        groups = m.groupdict()
        refl = groups.get("refl")
        aux = (groups.get("aux") or "").lower()
        if name == "marker":
            yield CueMatch(m.start(), m.end(), m.start("verb"), m.end("verb"),
                           self.markers[low], "marker", verb, None, ())
            return
        if name == "simple" and not refl and self._determiner.search(m.string, 0, m.start()):
            return  # "conférence de presse", "une menace": a noun
        if name == "aspect":
            lemmas = [low]
        elif name in ("compound", "inv_compound"):
            lemmas = self.participles.get(low, [])
        else:
            lemmas = self.finite.get(low, [])
        for lemma in lemmas:
            pronominal = self.is_pronominal(lemma)
            if pronominal != bool(refl) and name not in ("inv_compound", "inv_simple", "aspect"):
                continue
            if name == "compound" and (aux in self._aux_etre) != pronominal:
                continue  # "sont annoncés" is a passive, not a report
            if name == "compound":
                text = (refl or "") + m.group("aux") + " " + verb
            elif name == "inv_compound":
                text = m.group(0)[: m.end("cl") - m.start()] + " " + verb
            else:
                text = m.group(0) if name != "aspect" else verb
            start = m.start("refl") if refl else m.start()
            yield CueMatch(start, m.end(), m.start("verb"), m.end("verb"), lemma,
                           "aspect" if name == "aspect" else "verb", " ".join(text.split()),
                           (groups.get("cl") or "").lower() or None, self.needs.get(lemma, ()))
            return


_INCISE = re.compile(r"\s*,\s[^,.;:«»“”\"]{1,60},")
# nouns and number words that make a verb's object a figure (the "FIGURE" need)
_FIGURE_WORDS = {"bilan", "nombre", "chiffre", "décompte", "total", "deux", "trois", "quatre", "cinq",
                 "six", "sept", "huit", "neuf", "dix", "douze", "quinze", "vingt", "cent", "mille",
                 "centaines", "milliers", "dizaines", "millions", "milliards"}


def cue_is_postposed(text: str, cue: CueMatch) -> bool:
    """Tell whether a cue follows the words it reports: inverted, or after a comma or closing quote."""
    if cue.clitic:
        return True
    before = text[: cue.start].rstrip()
    return bool(before) and before[-1] in "," + _CLOSING


def cue_is_licensed(text: str, cue: CueMatch, quote_starts: Sequence[int]) -> bool:
    """Tell whether a verb that only reports with some complement has one here (see ``needs``)."""
    if not cue.needs or cue.kind == "marker":
        return True
    after = text[cue.end:]
    incise = _INCISE.match(after)  # "a indiqué, mardi dans la matinée, qu'au moins …"
    if incise:
        after = after[incise.end():]
    clause = re.split(r"[,;:.!?]", after, maxsplit=1)[0]
    if any(w.lower() in (n[1:] for n in cue.needs if n.startswith("-"))
           for w in re.findall(r"\w+['’]?", clause)[:10]):
        return False  # "a condamné X à cinq ans": a sentence, not a report
    if all(n.startswith("-") for n in cue.needs):
        return True
    if "INCISE" in cue.needs and cue_is_postposed(text, cue):
        return True
    if "QUOTE" in cue.needs:
        head = re.match(r"\s*(?:[^\s«“‘'\"]+\s+){0,2}", after)
        window = cue.end + (head.end() if head else 0)
        if any(cue.end <= q <= window + 1 for q in quote_starts):
            return True
    clause = re.split(r"[,;:.!?]", after, maxsplit=1)[0]  # the complement ends at punctuation
    words = [w.lower() for w in re.findall(r"\w+['’]?", clause)[:6]]
    words = [w[:-1] + "e" if w.endswith(("'", "’")) else w for w in words]  # qu' -> que, d' -> de
    if "FIGURE" in cue.needs and any(w[:1].isdigit() or w in _FIGURE_WORDS for w in words):
        return True  # "évoque 3 252 morts", "avance un bilan plus lourd": a figure is reported
    return any(n in words for n in cue.needs if n not in ("INCISE", "QUOTE", "FIGURE"))


@lru_cache(maxsize=None)
def default_lexicon() -> CueLexicon:
    """The packaged lexicon, read once."""
    return CueLexicon()
