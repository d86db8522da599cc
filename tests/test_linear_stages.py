"""Stages after encoding cost a group's size, not its square, and give what they gave before.

Issue 16: the table is printed in chunks (rich builds every segment of a print in memory),
group records find link partners by row, the stance evidence rule counts articles per term
once per group. Each is checked against the earlier, quadratic or all-at-once, form.
Every sentence here is made up for the test or generated.
"""

from __future__ import annotations

import random

import pytest

from claims import analyze
from claims.evaluation.data import EvalDataMissing
from claims.output import records as output_records
from claims.output import tables
from claims.records import Attribution
from claims.stance.assign import against_with_evidence
from claims.stance.lexicon import content_words, default_lexicon
from tests.fake_encoders import BagOfWords, registered


@pytest.fixture(scope="module")
def generated_analysis():
    from claims.evaluation.generated import generated_articles

    try:
        articles = generated_articles(240, per_article=8, paired_share=0.5, seed=3)
    except EvalDataMissing as exc:
        pytest.skip(f"STS-B-fr absent: {exc}")
    with registered(BagOfWords("fake-words", 64)):
        yield analyze(articles, model="fake-words", threshold=0.55, scoring="cosine", cache=False,
                      attribution=False, guard=False, stance=False)


@pytest.mark.parametrize("explain, width", [(False, None), (True, None), (False, 90)])
def test_a_table_printed_in_chunks_is_the_table_printed_at_once(generated_analysis, monkeypatch, explain, width):
    mentions = sum(len(g.mentions) for g in generated_analysis.groups)
    assert mentions > 40, "the corpus must give enough rows to need several chunks"
    monkeypatch.setattr(tables, "CHUNK_ROWS", 10 ** 9)
    whole = tables.groups_table(generated_analysis, width=width, explain=explain)
    printed = []
    render = tables._render
    monkeypatch.setattr(tables, "_render", lambda table, width=None: printed.append(1) or render(table, width))
    monkeypatch.setattr(tables, "CHUNK_ROWS", 7)
    chunked = tables.groups_table(generated_analysis, width=width, explain=explain)
    assert len(printed) >= mentions // 7  # it did print in chunks
    assert chunked == whole


def test_link_partners_found_by_row_are_those_a_scan_finds(generated_analysis):
    checked = 0
    for group in generated_analysis.groups:
        by_row = {m.row: m for m in reversed(group.mentions)}
        for m in group.mentions:
            assert output_records.link_record(m.link, group, by_row) == output_records.link_record(m.link, group)
            checked += m.link is not None and m.link.partner is not None
    assert checked > 0


def _against_reference(stances, attributions, flipped, texts, articles, focus, lexicon):
    """The rule as first written: each against source scans every mention of the other articles."""
    from claims.stance.assign import denies

    terms = [{h.term for h in lexicon.find_cues(t, f) if h.polarity == "against"} for t, f in zip(texts, focus)]
    out = list(stances)
    for i, stance in enumerate(stances):
        if stance != "against" or not attributions[i].speaker or flipped[i] or denies(texts[i], focus[i], lexicon):
            continue
        others = set().union(*(terms[j] for j in range(len(texts)) if articles[j] != articles[i]))
        if not terms[i] or terms[i] & others:
            out[i] = "favor"
    return out


def test_the_linear_evidence_rule_decides_as_the_scan_did():
    lexicon = default_lexicon()
    said = Attribution("Léa Morvan", "a déclaré", "indirect")
    phrases = ["a dénoncé une réforme injuste", "critique un projet coûteux", "salue une décision utile",
               "a regretté un discours brutal", "conteste le bilan annoncé", "estime la mesure nécessaire",
               "fustige une hausse des prix", "juge le texte inacceptable"]
    rng = random.Random(0)
    changed = 0
    for _ in range(40):
        n = rng.randrange(2, 12)
        texts = [f"Le maire {rng.choice(phrases)} et {rng.choice(phrases)}." for _ in range(n)]
        articles = [rng.choice("abcd") for _ in range(n)]
        stances = [rng.choice(["against", "against", "favor", "neutral"]) for _ in range(n)]
        attributions = [said if rng.random() < 0.7 else Attribution(None, None, "none") for _ in range(n)]
        flipped = [rng.random() < 0.1 for _ in range(n)]
        focus = [content_words(t) for t in texts]
        args = (stances, attributions, flipped, texts, articles, focus, lexicon)
        expected = _against_reference(*args)
        assert against_with_evidence(*args) == expected
        changed += expected != stances
    assert changed > 0  # the rule did turn some against sources to favor
