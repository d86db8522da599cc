import numpy as np
import pytest

from claims.french.clauses import content_span, split_clauses
from claims.matching.clauses import ClauseScorer
from claims.matching.grouping import group_embeddings


class BagEncoder:
    """A tiny deterministic encoder: one dimension per known word, L2-normalised."""

    words = ("ligne", "crédit", "milliard", "munitions", "stocks", "sommet", "vilnius", "réunion", "armes")

    def encode(self, texts, **_):
        rows = []
        for text in texts:
            low = text.lower()
            row = np.array([low.count(w) for w in self.words] + [0.3], np.float32)
            rows.append(row / np.linalg.norm(row))
        return np.vstack(rows)


def test_trailing_reporting_frame_is_not_content():
    text = "«L'Ukraine devrait avoir plus d'armes lourdes», a déclaré Jens Stoltenberg à La Haye."
    start, end = content_span(text)
    assert text[start:end] == "L'Ukraine devrait avoir plus d'armes lourdes"


def test_leading_speaker_and_que_are_not_content():
    text = "Le chef de l'OTAN, Jens Stoltenberg, a jugé le 14 juin que l'Ukraine avait besoin d'armes."
    start, end = content_span(text)
    assert text[start:end] == "l'Ukraine avait besoin d'armes"


def test_sentence_without_frame_is_kept_whole():
    text = "Une ligne de crédit d'un milliard de dollars a été adoptée."
    assert content_span(text) == (0, len(text))
    assert list(split_clauses(text)) == []


def test_long_sentence_splits_at_mais_and_quotes():
    text = ("Kiev n'en est qu'aux premiers jours de son offensive dans le Donbass, mais affirme "
            "avancer vers le sud «à un bon rythme malgré les pertes».")
    units = list(split_clauses(text))
    kinds = {u.kind for u in units}
    assert {"quote", "clause"} <= kinds
    assert any(u.text.startswith("mais affirme") for u in units)
    for u in units:
        assert text[u.start:u.end] == u.text


def test_min_words_must_be_positive():
    with pytest.raises(ValueError):
        list(split_clauses("Une phrase.", min_words=0))


def test_best_clause_pair_beats_whole_sentence_cosine():
    texts = ["Une ligne de crédit d'un milliard pour des munitions a été adoptée, mais le sommet de "
             "Vilnius et la réunion des armes et des stocks occupent les alliés.",
             "Une ligne de crédit d'un milliard pour des munitions.",
             "Le sommet de Vilnius."]
    encoder = BagEncoder()
    vectors = encoder.encode(texts)
    whole = float(vectors[0] @ vectors[1])
    scorer = ClauseScorer(lexical_weight=0.0).fit(texts, vectors, encoder)
    best = scorer(np.array([0]), np.array([1]))[0]
    assert best > whole + 0.1
    flat = ClauseScorer(lexical_weight=0.0, clauses=False).fit(texts, vectors, encoder)
    assert flat(np.array([0]), np.array([1]))[0] == pytest.approx(whole, abs=1e-5)
    # In the grouping, the clause match links the pair the whole-sentence cosine misses.
    threshold = (best + whole) / 2
    labels = group_embeddings(vectors, ["a", "b", "c"], threshold, pair_scorer=scorer).labels
    assert labels[0] == labels[1] != -1
    assert group_embeddings(vectors, ["a", "b", "c"], threshold).labels[1] == -1


def test_lexical_weight_mixes_tfidf_into_the_score():
    texts = ["aussi longtemps qu'il le faudra", "aussi longtemps qu'il le faudra, promet-il", "rien à voir"]
    vectors = np.eye(3, dtype=np.float32)  # dense cosines all 0: only the lexical part can link
    scorer = ClauseScorer(lexical_weight=1.0, clauses=False).fit(texts, vectors)
    scores = scorer(np.array([0, 0]), np.array([1, 2]))
    assert scores[0] > 0.3 > scores[1]


def test_scores_are_symmetric_and_vectorised():
    texts = ["Le sommet de Vilnius aura lieu en juillet, a-t-il ajouté.", "Vilnius: un sommet en juillet.",
             "Des munitions; des stocks; une ligne de crédit d'un milliard de dollars."]
    encoder = BagEncoder()
    scorer = ClauseScorer().fit(texts, encoder.encode(texts), encoder)
    i, j = np.array([0, 0, 1]), np.array([1, 2, 2])
    assert np.allclose(scorer(i, j), scorer(j, i))
    assert np.allclose(scorer(i, j), [scorer(i[k:k + 1], j[k:k + 1])[0] for k in range(3)])


def test_clauses_need_an_encoder_and_a_valid_weight():
    texts = ["Un long texte sur Vilnius, mais aussi sur les munitions et les stocks d'armes."]
    with pytest.raises(ValueError):
        ClauseScorer().fit(texts, np.ones((1, 3), np.float32))
    with pytest.raises(ValueError):
        ClauseScorer(lexical_weight=-1).fit(texts, np.ones((1, 3), np.float32), BagEncoder())


def test_figure_bonus_lifts_pairs_that_agree_on_a_figure_only():
    texts = ["Le séisme a fait au moins 296 morts, selon le ministère.",
             "Les autorités font état de 296 morts dans la nuit.",
             "Les autorités font état de 632 morts dans la nuit.",
             "Les secours poursuivent leurs recherches dans la nuit."]
    vectors = np.eye(4, dtype=np.float32)
    plain = ClauseScorer(lexical_weight=0.5, clauses=False).fit(texts, vectors)
    bonus = ClauseScorer(lexical_weight=0.5, clauses=False, figure_bonus=0.1).fit(texts, vectors)
    i, j = np.array([0, 0, 0, 1]), np.array([1, 2, 3, 3])
    lift = bonus(i, j) - plain(i, j)
    assert np.allclose(lift, [0.1, 0.0, 0.0, 0.0])  # 296 / 296 agree; 296 / 632 disagree; no figure
    assert np.allclose(bonus(j, i), bonus(i, j))
    with pytest.raises(ValueError):
        ClauseScorer(figure_bonus=-0.1).fit(texts, vectors)


@pytest.mark.parametrize("clauses", [True, False])
def test_a_scorer_prepared_from_the_texts_scores_as_one_fitted_at_once(clauses):
    """The pipeline prepares the TF-IDF, figures and clauses while the vectors are being
    encoded; a texts-only preparation of other texts is not reused."""
    texts = ["Le sommet de Vilnius a promis un milliard de dollars d'armes, a déclaré le ministre.",
             "Un milliard pour des munitions, mais les stocks sont vides, selon l'état-major.",
             "La réunion de Vilnius a promis des armes pour un milliard de dollars.",
             "Les stocks de munitions sont vides."]
    vectors = BagEncoder().encode(texts)
    i, j = np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3])
    options = dict(lexical_weight=0.5, clauses=clauses, figure_bonus=0.06)
    at_once = ClauseScorer(**options).fit(texts, vectors, BagEncoder())(i, j)
    prepared = ClauseScorer(**options).prepare(texts).fit(texts, vectors, BagEncoder())(i, j)
    other = ClauseScorer(**options).prepare(texts[:2]).fit(texts, vectors, BagEncoder())(i, j)
    assert np.array_equal(at_once, prepared) and np.array_equal(at_once, other)
    assert (at_once > 0).all()
