
import numpy as np
import pytest

from claims.french.text import fold_french
from claims.matching.lexical import LexicalSimilarity

TEXTS = [
    "Les États-Unis ont annoncé une nouvelle aide de 325 millions de dollars.",
    "Les Etats-Unis annoncent une nouvelle aide de 325 millions de dollars.",
    "La Russie a condamné les livraisons d’armes de l’Occident.",
    "",
]


def test_fold_keeps_offsets_and_unifies_apostrophes():
    text = "L’OTAN n’était pas\u00a0«\u202fpartie\u202f»"
    folded = fold_french(text)
    assert len(folded) == len(text)
    assert folded.startswith("l'otan n'etait pas ")


def test_paraphrase_scores_above_unrelated():
    lex = LexicalSimilarity().fit(TEXTS)
    scores = lex.pair_scores([0, 0, 0], [1, 2, 3])
    assert scores.shape == (3,)
    assert np.all((scores >= 0) & (scores <= 1))
    assert scores[0] > 0.5 > scores[1]
    assert scores[2] == 0.0  # empty text


def test_scores_are_symmetric_and_self_is_one():
    lex = LexicalSimilarity().fit(TEXTS)
    assert lex.pair_scores([0, 2], [2, 0])[0] == pytest.approx(lex.pair_scores([0, 2], [2, 0])[1])
    assert lex.pair_scores([1], [1])[0] == pytest.approx(1.0, abs=1e-5)


def test_similarity_of_new_texts_matches_accents_and_apostrophes():
    lex = LexicalSimilarity().fit(TEXTS)
    assert lex.similarity("l’aide des États-Unis", "l'aide des Etats-Unis") == pytest.approx(1.0, abs=1e-5)


def test_bad_parameters_and_unfitted_use_fail_clearly():
    with pytest.raises(ValueError, match="kind"):
        LexicalSimilarity(kind="jaccard").fit(TEXTS)
    with pytest.raises(ValueError, match="ngram_range"):
        LexicalSimilarity(ngram_range=(5, 3)).fit(TEXTS)
    with pytest.raises(Exception, match="fit"):
        LexicalSimilarity().pair_scores([0], [1])
    with pytest.raises(IndexError):
        LexicalSimilarity().fit(TEXTS).pair_scores([0], [9])
