"""Tables for people: the groups of ``claims match``, and the tables of the other commands.

Cells are ``rich.text.Text``: rich would read the square brackets of editorial insertions
("dépendent de [ces livraisons]") as markup and drop them. Control characters and escape
sequences found in articles are shown as ``\\x1b``-style escapes, never sent raw to a terminal.
"""

from __future__ import annotations

import io
import re
from typing import Optional, Sequence

from claims.analysis import Analysis
from claims.output.records import group_records
from claims.records import ClaimGroup, Sentence

WIDTH = 160
CHUNK_ROWS = 500  # table rows printed at once (rich holds all segments of a print)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with control characters (escape sequences included) written as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def plain(text: Optional[str], style: str = ""):
    """A table cell that shows ``text`` as it is, made safe for a terminal."""
    from rich.text import Text

    return Text(visible(text or ""), style=style)


def _table(title: str, columns: Sequence[tuple[str, str]]):
    from rich.table import Table

    table = Table(title=plain(title), show_lines=True)
    for name, style in columns:
        table.add_column(name, style=style, overflow="fold")
    return table


def _render(table, width: Optional[int] = None) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=width or WIDTH, force_terminal=False).print(table)
    return buffer.getvalue()


def _render_in_chunks(table, rows: Sequence[tuple], width: Optional[int] = None,
                      chunk_rows: Optional[int] = None) -> str:
    """``table`` with ``rows`` added, as :func:`_render` prints it, ``chunk_rows`` rows at a time
    (default :data:`CHUNK_ROWS`).

    Rich builds every segment of what it prints before writing (about 10 KB a row), so a
    large corpus's table is printed in chunks: the column widths are those of the whole
    table (measured once, from the cells that decide them), and the chunks are joined by the
    row separator, so the text is the same as one table's.
    """
    from rich.console import Console
    from rich.measure import Measurement

    chunk_rows = chunk_rows or CHUNK_ROWS
    if len(rows) <= chunk_rows:
        for row in rows:
            table.add_row(*row)
        return _render(table, width)
    fixed = _fixed_widths_table()
    console = Console(file=io.StringIO(), width=width or WIDTH, force_terminal=False)
    # A column's measure is the largest minimum and the largest maximum of its cells: a
    # table holding, for each column, the row with each of those measures the same widths.
    deciding: set[int] = set()
    for c in range(len(table.columns)):
        sizes = [Measurement.get(console, console.options, row[c]) for row in rows]
        deciding.add(max(range(len(rows)), key=lambda r: sizes[r].minimum))
        deciding.add(max(range(len(rows)), key=lambda r: sizes[r].maximum))
    probe = _copy_columns(table, fixed, title=table.title)
    for r in sorted(deciding):
        probe.add_row(*rows[r])
    widths = probe.measured_widths(console)
    pieces = []
    for start in range(0, len(rows), chunk_rows):
        first, last = start == 0, start + chunk_rows >= len(rows)
        part = _copy_columns(table, fixed, title=table.title if first else None, show_header=first)
        part.widths = widths
        for row in rows[start:start + chunk_rows]:
            part.add_row(*row)
        text = _render(part, width)
        if not first:  # its top edge becomes the separator between two rows
            text = part.box.get_row(widths, "row", edge=True) + "\n" + text.split("\n", 1)[1]
        if not last:  # its bottom edge goes
            text = text[:text.rstrip("\n").rfind("\n") + 1]
        pieces.append(text)
    return "".join(pieces)


def _copy_columns(table, cls, **options):
    """A new table of class ``cls`` with ``table``'s columns and settings (no rows)."""
    new = cls(show_lines=table.show_lines, box=table.box, **options)
    for column in table.columns:
        new.add_column(column.header, style=column.style, overflow=column.overflow)
    return new


def _fixed_widths_table():
    from rich.table import Table

    class FixedWidths(Table):
        """A table whose column widths are given (``widths``), not measured from its rows."""

        widths: Optional[list[int]] = None

        def measured_widths(self, console) -> list[int]:
            options = console.options
            return self._calculate_column_widths(console, options.update_width(options.max_width - self._extra_width))

        def _calculate_column_widths(self, console, options):
            if self.widths is None:
                return super()._calculate_column_widths(console, options)
            return list(self.widths)

    return FixedWidths


def who_said_it(mention: dict):
    """Cell: the speaker, then its cue and quote type dimmed on a second line."""
    cell = plain(mention["speaker"])
    detail = " · ".join(x for x in (mention["cue"], mention["quote"] if mention["quote"] != "none" else None) if x)
    if mention["speaker"] and detail:
        cell.append("\n" + visible(detail), style="dim")
    return cell


def disagreement_summary(comparison: Optional[dict]) -> str:
    """One line saying what a group's articles disagree on, '' when nothing."""
    if not comparison:
        return ""
    parts = []
    stances = {k: v for k, v in (comparison.get("stances") or {}).items() if v}
    if "favor" in stances and "against" in stances:
        parts.append("stances: " + ", ".join(f"{k} {len(v)}" for k, v in sorted(stances.items())))
    for c in comparison.get("figure_conflicts") or []:
        parts.append(f"{c['slot']}: {c['value_a']:g} ({c['article_a']}) vs {c['value_b']:g} ({c['article_b']})")
    speakers = [s for s in (comparison.get("speakers") or {}) if s]
    if len(speakers) > 1:
        parts.append("speakers: " + ", ".join(speakers))
    return "; ".join(parts)


def why_linked(link: Optional[dict]) -> str:
    """One line on what ties a mention to its group ('' when nothing does)."""
    if not link or not link["partner"]:
        return ""
    p = link["partner"]
    parts = [f"closest: {p['article']} #{p['index']}, score {link['score']:.3f} (cosine {link['cosine']:.3f}"
             + (f", tf-idf {link['lexical']:.3f})" if link["lexical"] is not None else ")")]
    for name in ("words", "entities", "figures"):
        if link[f"shared_{name}"]:
            parts.append(f"{name}: " + ", ".join(link[f"shared_{name}"]))
    return "↳ " + " · ".join(parts)


def groups_table(analysis: Analysis, groups: Optional[Sequence[ClaimGroup]] = None,
                 width: Optional[int] = None, explain: bool = False) -> str:
    """The claim groups, a row per mention, and a line per group on what its articles disagree on.

    With ``explain``, each mention's sentence is followed by why it is in its group.
    """
    shown = analysis.groups if groups is None else groups
    s = analysis.settings
    title = (f"{len(shown)} claim group{'' if len(shown) == 1 else 's'} ({s.model.name}, "
             f"{s.pair_score.name if s.pair_score else 'custom'} score, threshold {s.threshold})")
    table = _table(title, (("group", "bold"), ("article", "cyan"), ("date", ""), ("source", ""),
                           ("speaker", "magenta"), ("stance", ""), ("sentence", ""), ("cos to group", "")))
    rows = []
    for group in group_records(analysis, shown):
        for n, m in enumerate(group["mentions"]):
            sentence = plain(m["text"])
            if explain and why_linked(m["link"]):
                sentence.append("\n" + visible(why_linked(m["link"])), style="dim")
            rows.append((group["id"] if n == 0 else "", plain(m["article"]), plain(m["date"]),
                         plain(m["source"]), who_said_it(m), m["stance"] or "",
                         sentence, f"{m['score']:.3f}"))
        summary = disagreement_summary(group["comparison"])
        if summary:
            rows.append(("", "", "", "", "", "", plain(summary, "yellow"), ""))
    return _render_in_chunks(table, rows, width)


def shared_claims_table(a_id: str, b_id: str, shared: Sequence, width: Optional[int] = None) -> str:
    """The claims two articles share (:class:`claims.comparison.SharedClaim` records)."""
    table = _table(f"claims shared by {a_id} and {b_id}: {len(shared)}",
                   (("group", "bold"), ("article", "cyan"), ("speakers", "magenta"), ("stances", ""),
                    ("sentences", "")))
    for claim in shared:
        for n, (article, texts, speakers, stances) in enumerate((
                (a_id, claim.texts_a, claim.speakers_a, claim.stances_a),
                (b_id, claim.texts_b, claim.speakers_b, claim.stances_b))):
            table.add_row(claim.group_id if n == 0 else "", plain(article), plain(", ".join(speakers)),
                          ", ".join(stances), plain("\n".join(texts)))
        if claim.figure_conflicts:
            differs = "; ".join(f"{c.slot}: {c.text_a} vs {c.text_b}" for c in claim.figure_conflicts)
            table.add_row("", "", "", "", plain(f"differs: {differs}", "yellow"))
        elif claim.disputed:
            table.add_row("", "", "", "", plain("differs: opposite stances", "yellow"))
    return _render(table, width)


def nearest_table(model: str, found: Sequence[tuple[Sentence, float]], width: Optional[int] = None) -> str:
    """The sentences nearest to a text, ranked, with their cosine."""
    table = _table(f"nearest sentences ({model}, cosine)",
                   (("rank", ""), ("cosine", ""), ("article", "cyan"), ("sentence", "")))
    for rank, (sentence, score) in enumerate(found, 1):
        table.add_row(str(rank), f"{score:.3f}", plain(sentence.article), plain(sentence.text))
    return _render(table, width)


def speakers_table(rows: Sequence[dict], n_articles: int, width: Optional[int] = None) -> str:
    """Who is quoted, how often, in which articles."""
    table = _table(f"{len(rows)} speakers in {n_articles} articles",
                   (("speaker", "magenta"), ("also written", ""), ("sentences", ""), ("direct", ""),
                    ("indirect", ""), ("articles", "")))
    for r in rows:
        table.add_row(plain(r["speaker"]), plain(" / ".join(r.get("variants", []))), str(r["sentences"]),
                      str(r["direct"]), str(r["indirect"]), plain(", ".join(r["articles"])))
    return _render(table, width)


__all__ = ["disagreement_summary", "groups_table", "why_linked", "nearest_table", "plain", "shared_claims_table",
           "speakers_table", "visible", "who_said_it"]
