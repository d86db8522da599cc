"""Against needs evidence in the speaker's words (issue 13, stance by the contract).

Every sentence here is made up for the test.
"""

from __future__ import annotations

from claims.records import Attribution
from claims.stance.assign import against_with_evidence, denies
from claims.stance.lexicon import content_words, default_lexicon

SAID = Attribution("Léa Morvan", "a déclaré", "indirect")
NARRATION = Attribution(None, None, "none")


def _run(texts, articles, stances, attributions, flipped=None):
    lexicon = default_lexicon()
    focus = [content_words(t) for t in texts]
    return against_with_evidence(stances, attributions, flipped or [False] * len(texts), texts, articles,
                                 focus, lexicon)


def test_a_source_stating_the_claim_without_opposition_words_is_for_it():
    texts = ["Léa Morvan a annoncé une victoire historique du parti aux régionales.",
             "Le parti a remporté les régionales, une victoire historique."]
    out = _run(texts, ["a", "b"], ["against", "neutral"], [SAID, NARRATION])
    assert out == ["favor", "neutral"]


def test_a_rejection_stays_against():
    texts = ["Léa Morvan a rejeté le projet de nouvelle piste à l'aéroport.",
             "Le projet de nouvelle piste à l'aéroport a été présenté lundi."]
    out = _run(texts, ["a", "b"], ["against", "neutral"], [SAID, NARRATION])
    assert out == ["against", "neutral"]


def test_criticism_the_other_articles_share_is_the_claim_itself():
    texts = ["Léa Morvan a dénoncé une réforme injuste et brutale.",
             "Selon l'opposition, qui dénonce la réforme, le texte est injuste."]
    out = _run(texts, ["a", "b"], ["against", "favor"], [SAID, Attribution("opposition", "selon", "indirect")])
    assert out[0] == "favor"


def test_criticism_of_what_others_report_stays_against():
    texts = ["Léa Morvan a condamné les livraisons de chars au pays voisin.",
             "Les livraisons de chars au pays voisin commenceront en mars."]
    out = _run(texts, ["a", "b"], ["against", "neutral"], [SAID, NARRATION])
    assert out[0] == "against"


def test_a_negated_claim_clause_stays_against():
    texts = ["Léa Morvan a affirmé que la centrale ne fermera pas en 2030.",
             "La centrale fermera en 2030."]
    out = _run(texts, ["a", "b"], ["against", "neutral"], [SAID, NARRATION], flipped=[True, False])
    assert out[0] == "against"


def test_denial_words():
    assert denies("Le ministère a démenti toute hausse des impôts.", set())
    assert not denies("Le ministère a annoncé une hausse des impôts.", set())
