"""Stance: cue lexicon rules, the classifier, and stance toward a group's claim."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from claims.records import STANCES, Attribution, ClaimGroup, Mention, Sentence
from claims.stance import StanceClassifier, StanceLexicon, assign_stances, default_lexicon
from claims.stance.assign import claim_part
from claims.stance.lexicon import content_words


def polarity(text: str) -> str:
    return default_lexicon().polarity(text)


def said(speaker: str, cue: str = "a déclaré", quote: str = "indirect") -> Attribution:
    return Attribution(speaker, cue, quote)


NARRATION = Attribution(None, None, "none")


def group_of(*items, gid: str = "c001") -> ClaimGroup:
    """A claim group from (article, text, attribution) triples."""
    mentions = []
    for i, (article, text, attribution) in enumerate(items):
        mentions.append(Mention(Sentence(article, i, text, 0, len(text)), 0.9, attribution))
    return ClaimGroup(gid, tuple(mentions))


def stances(group: ClaimGroup) -> list[str]:
    return [m.stance for m in group.mentions]


# -- lexicon rules -------------------------------------------------------------------------


def test_support_and_opposition_cues():
    assert polarity("Le syndicat soutient la réforme des retraites.") == "favor"
    assert polarity("Le syndicat condamne la réforme des retraites.") == "against"
    assert polarity("Le gouvernement a démenti cette information.") == "against"


def test_no_cue_is_neutral():
    assert polarity("La réunion se tiendra mardi à Bruxelles.") == "neutral"


def test_negation_turns_support_into_opposition():
    assert polarity("Le syndicat ne soutient pas la réforme.") == "against"
    assert polarity("Les alliés n'approuvent plus ce plan.") == "against"


def test_ne_que_is_a_restriction_not_a_negation():
    text = "Il ne soutiendra le texte que si les salaires augmentent."
    assert polarity(text) == "favor"
    assert default_lexicon().score(text).negation == 0.0


def test_false_negations_are_not_negations():
    lexicon = default_lexicon()
    assert lexicon.score("L'Ukraine ne cesse de demander des armes.").negation == 0.0
    assert lexicon.score("L'Otan soutient non seulement l'offensive, mais aussi Kiev.").negation == 0.0
    assert lexicon.score("L'Ukraine ne peut pas rejoindre l'alliance.").negation == 1.0


def test_conceded_clause_does_not_count():
    # "critiques" is an opposition cue, but the speaker concedes it and supports the project.
    assert polarity("Malgré les critiques, le maire soutient le projet.") == "favor"
    assert polarity("Bien que le projet soit critiqué, le maire le soutient.") == "favor"


def test_diminisher_reverses_support():
    assert polarity("Ces pays sont beaucoup moins enthousiastes à l'égard de l'adhésion.") == "against"


def test_opposition_clause_is_found():
    lexicon = default_lexicon()
    text = "L'OTAN n'est pas partie à la guerre, contrairement aux affirmations de Vladimir Poutine."
    assert "Poutine" in lexicon.opposed_text(text)
    assert lexicon.score(text).opposition == 1.0


def test_spoken_negation_without_ne():
    assert polarity("C'est pas bon pour le pays.") == "against"


def test_cues_carry_offsets():
    text = "Le ministre a condamné l'attaque."
    hit = next(default_lexicon().find_cues(text))
    assert text[hit.start:hit.end] == "condamné"
    assert hit.polarity == "against"


def test_focus_words_select_the_claim_clause():
    lexicon = default_lexicon()
    text = "Nous ne savons pas si elle réussira, mais les Ukrainiens progressent vers Bakhmout."
    focus = content_words("Les Ukrainiens progressent près de Bakhmout.")
    assert lexicon.score(text, focus).negation < 1.0


def test_custom_lexicon_file(tmp_path):
    path = tmp_path / "lexicon.tsv"
    path.write_text("# one cue\nfabuleux\tfavor\t1.0\teval\n", encoding="utf-8")
    lexicon = StanceLexicon(lexicon_path=path)
    assert lexicon.polarity("Un résultat fabuleux.") == "favor"
    assert lexicon.polarity("Le syndicat condamne la réforme.") == "neutral"


def test_bad_lexicon_polarity_is_rejected(tmp_path):
    path = tmp_path / "lexicon.tsv"
    path.write_text("fabuleux\tsuper\t1.0\teval\n", encoding="utf-8")
    with pytest.raises(ValueError, match="polarity"):
        StanceLexicon(lexicon_path=path)


# -- classifier ----------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{"C": 0}, {"cue_scale": -1.0}, {"class_weight": "auto"}, {"cv": 1}])
def test_bad_params_raise(params):
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError):
        StanceClassifier(**params).fit(rng.normal(size=(6, 4)), ["a"] * 6, ["favor", "against", "neutral"] * 2)


def test_unfitted_classifier_raises():
    with pytest.raises(ValueError, match="not fitted"):
        StanceClassifier().predict(np.zeros((1, 4)), ["texte"])


def test_unknown_label_raises():
    with pytest.raises(ValueError, match="labels"):
        StanceClassifier().fit(np.zeros((3, 4)), ["a", "b", "c"], ["favor", "against", "pro"])


def _toy_data():
    """Sentences whose embedding is random noise: only their cues tell the stance."""
    rng = np.random.default_rng(0)
    favor = ["Le maire soutient le projet.", "La ministre salue l'accord.", "Le parti approuve la loi.",
             "Le syndicat plaide pour la hausse.", "L'ONG se félicite du vote."] * 4
    against = ["Le maire condamne le projet.", "La ministre dénonce l'accord.", "Le parti rejette la loi.",
               "Le syndicat s'oppose à la hausse.", "L'ONG critique le vote."] * 4
    neutral = ["La réunion a lieu mardi.", "Le texte sera examiné en avril.", "Le sommet s'ouvre lundi.",
               "Le rapport paraîtra en juin.", "La séance a duré deux heures."] * 4
    texts = favor + against + neutral
    y = ["favor"] * 20 + ["against"] * 20 + ["neutral"] * 20
    return rng.normal(scale=0.05, size=(60, 8)).astype(np.float32), texts, y


def test_fit_learns_from_cues_and_round_trips(tmp_path):
    X, texts, y = _toy_data()
    clf = StanceClassifier(C=1.0, cue_scale=3.0).fit(X, texts, y)
    new = ["Le député soutient la réforme.", "Le député condamne la réforme.", "La séance a lieu jeudi."]
    vectors = np.zeros((3, 8), np.float32)
    assert clf.predict(vectors, new) == ["favor", "against", "neutral"]
    path = tmp_path / "weights.npz"
    clf.save(path, note="toy")
    loaded = StanceClassifier.load(path)
    np.testing.assert_allclose(loaded.predict_proba(vectors, new), clf.predict_proba(vectors, new), rtol=1e-5)
    assert loaded.metadata_["note"] == "toy"


def test_neutral_bias_makes_weak_evidence_neutral():
    X, texts, y = _toy_data()
    clf = StanceClassifier(C=1.0, neutral_bias=0.0).fit(X, texts, y)
    proba = clf.predict_proba(np.zeros((1, 8), np.float32), ["Le député soutient la réforme."])
    assert clf.decide(proba) == ["favor"]
    clf.neutral_bias_ = np.array([20.0, 20.0], np.float32)
    assert clf.decide(proba) == ["neutral"]


def test_wrong_embedding_size_raises(shipped):
    with pytest.raises(ValueError, match="dimensional"):
        shipped.predict(np.zeros((1, 10), np.float32), ["texte"])


@pytest.fixture(scope="session")
def encoder():
    from claims.stance import default_encoder

    return default_encoder()


@pytest.fixture(scope="session")
def shipped():
    return StanceClassifier.load_default()


def test_shipped_classifier_on_news_sentences(shipped, encoder):
    texts = ["Le gouvernement a condamné fermement l'attaque contre la mosquée.",
             "La ministre a promis une hausse des bourses étudiantes dès la rentrée.",
             "La réunion des ministres se tiendra mardi à Luxembourg."]
    atts = [said("gouvernement", "a condamné", "none"), said("la ministre", "a promis"), NARRATION]
    assert shipped.predict_texts(texts, atts, encoder=encoder) == ["against", "favor", "neutral"]


def test_shipped_classifier_on_tweets(shipped, encoder):
    texts = ["Bravo, excellent discours, je vote pour lui dimanche !",
             "Quel menteur, ce type est une honte pour le pays"]
    assert shipped.predict_texts(texts, encoder=encoder) == ["favor", "against"]


def test_predict_proba_rows_sum_to_one(shipped, encoder):
    texts = ["Le maire soutient le projet.", "La séance a lieu jeudi."]
    proba = shipped.predict_proba(encoder.encode(texts), texts, [said("le maire"), NARRATION])
    assert proba.shape == (2, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)


# -- stance toward a group's claim ---------------------------------------------------------


def test_contradicting_another_speaker_is_against(shipped):
    group = group_of(
        ("a1", "Le président russe Vladimir Poutine a décrit le conflit comme une guerre entre la Russie "
               "et toute la machine militaire occidentale.", said("Vladimir Poutine", "a décrit")),
        ("a2", "L'OTAN a souligné qu'elle n'était pas partie au conflit, contrairement aux affirmations "
               "du président russe Vladimir Poutine sur une guerre avec l'Occident.", said("OTAN", "a souligné")),
    )
    assert stances(assign_stances(group, classifier=shipped)) == ["favor", "against"]


def test_speakers_who_all_denounce_something_are_for_their_claim(shipped):
    # The claim is the criticism itself: the director who denounces it states it (favor).
    group = group_of(
        ("a1", "La réalisatrice a dénoncé une répression choquante des manifestations.",
         said("la réalisatrice", "a dénoncé")),
        ("a2", "« Les manifestations ont été réprimées de façon choquante », a fustigé la réalisatrice.",
         said("la réalisatrice", "a fustigé", "direct")),
    )
    assert stances(assign_stances(group, classifier=shipped)) == ["favor", "favor"]


def test_a_source_announcing_the_claim_is_for_it_and_narration_is_neutral(shipped):
    group = group_of(
        ("a1", "Le club a officiellement annoncé la signature du joueur pour cinq saisons.",
         said("le club", "a annoncé", "indirect")),
        ("a2", "Le joueur a signé pour cinq saisons avec le club.", NARRATION),
    )
    assert stances(assign_stances(group, classifier=shipped)) == ["favor", "neutral"]


def test_negating_the_claim_is_against(shipped):
    group = group_of(
        ("a1", "Kiev demande une voie rapide pour rejoindre l'OTAN.", said("Kiev", "demande", "none")),
        ("a2", "Le président ukrainien a réclamé que l'Ukraine puisse rejoindre l'OTAN rapidement.",
         said("Volodymyr Zelensky", "a réclamé")),
        ("a3", "La majorité des alliés estiment que l'Ukraine ne peut pas rejoindre l'OTAN tant qu'elle "
               "est en guerre.", said("alliés", "estiment")),
    )
    assert stances(assign_stances(group, classifier=shipped)) == ["favor", "favor", "against"]


def test_claim_stated_in_the_negative_by_most(shipped):
    # Most mentions deny it: the claim is the denial, and the one positive mention opposes it.
    group = group_of(
        ("a1", "Il n'y a aucun signe que la Russie se prépare à la paix, a déclaré le ministre.",
         said("le ministre")),
        ("a2", "La Russie ne se prépare pas à la paix, estime le secrétaire général.",
         said("le secrétaire général", "estime")),
        ("a3", "Moscou assure que la Russie se prépare à la paix.", said("Russie", "assure", "none")),
    )
    assert stances(assign_stances(group, classifier=shipped)) == ["favor", "favor", "against"]


def test_claim_part_keeps_the_speech_act_that_carries_the_claim():
    text = ("Le ministre réclame davantage de chars pour l'armée ukrainienne, et reproche à ses "
            "partenaires leur lenteur.")
    focus = content_words("Les alliés doivent livrer davantage de chars à l'armée ukrainienne.")
    assert claim_part(text, focus) == "Le ministre réclame davantage de chars pour l'armée ukrainienne"


@pytest.mark.parametrize("text", [
    "Le ministre réclame davantage de chars pour l'armée ukrainienne, et les combats continuent.",  # no act
    "Le ministre réclame des chars, et réclame des chars pour l'armée ukrainienne.",  # no clear winner
    "Le ministre réclame davantage de chars pour l'armée ukrainienne.",  # one act
])
def test_claim_part_leaves_other_sentences_whole(text):
    focus = content_words("Les alliés doivent livrer davantage de chars à l'armée ukrainienne.")
    if "et réclame" in text:
        focus = content_words("des chars")
    assert claim_part(text, focus) is None


def test_second_speech_act_on_another_object_does_not_turn_the_stance(shipped):
    group = group_of(
        ("a1", "Les alliés doivent livrer davantage de chars à l'armée ukrainienne, a estimé le chancelier.",
         said("le chancelier", "a estimé")),
        ("a2", "Le ministre ukrainien ne cesse de réclamer davantage de chars pour l'armée ukrainienne, et "
               "reproche à certains alliés de traîner les pieds.", said("le ministre ukrainien", "réclamer", "none")),
    )
    assert stances(assign_stances(group, classifier=shipped)) == ["favor", "favor"]


def test_narration_reports_without_side(shipped):
    group = group_of(
        ("a1", "Le sommet de l'OTAN se tiendra les 11 et 12 juillet à Vilnius.", NARRATION),
        ("a2", "Les dirigeants de l'OTAN se réuniront à Vilnius en juillet pour leur sommet.", NARRATION),
    )
    assert stances(assign_stances(group, classifier=shipped)) == ["neutral", "neutral"]


def test_assign_returns_a_new_group_and_uses_given_vectors(shipped, encoder):
    group = group_of(
        ("a1", "Le syndicat soutient la grève.", said("le syndicat", "soutient", "none")),
        ("a2", "Le patronat condamne la grève.", said("le patronat", "condamne", "none")),
    )
    group = dataclasses.replace(group, mentions=tuple(dataclasses.replace(m, row=i)
                                                      for i, m in enumerate(group.mentions)))
    rows = encoder.encode([m.sentence.text for m in group.mentions])
    result = assign_stances(group, rows, shipped)
    assert result is not group and result.id == group.id
    assert all(m.stance is None for m in group.mentions)
    assert stances(result) == ["favor", "against"]
    assert [m.sentence for m in result.mentions] == [m.sentence for m in group.mentions]


def test_every_mention_gets_a_stance(shipped):
    group = group_of(("a1", "Le texte a été adopté.", NARRATION), ("a2", "Le texte a été voté.", NARRATION),
                     ("a2", "Adopté !", said("la députée", "a lancé", "direct")))
    assert all(s in STANCES for s in stances(assign_stances(group, classifier=shipped)))


# -- demo corpus, end to end ---------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_groups(shipped, encoder):
    from claims.evaluation.gold import gold_groups, read_stance_gold

    groups, _, articles = gold_groups(read_stance_gold())
    return {g.id: assign_stances(g, None, shipped, encoder=encoder) for g in groups}, articles


def _stance_of(group: ClaimGroup, article_prefix: str, index: int) -> str:
    return next(m.stance for m in group.mentions
                if m.sentence.article.startswith(article_prefix) and m.sentence.index == index)


def test_demo_putin_favor_nato_against(demo_groups):
    groups, _ = demo_groups
    g = groups["g03"]
    assert _stance_of(g, "001", 16) == "favor"  # Poutine: "toute la machine militaire occidentale"
    assert _stance_of(g, "003", 4) == "against"  # OTAN: "contrairement aux affirmations du président russe"


def test_demo_membership_split(demo_groups):
    groups, _ = demo_groups
    g = groups["g04"]
    assert _stance_of(g, "003", 3) == "favor"  # Ukraine asks for a path to membership
    assert _stance_of(g, "004", 14) == "against"  # most members: cannot join while at war
    assert _stance_of(g, "003", 19) == "against"  # Peskov: preventing it is an unconditional goal


# -- target masking ------------------------------------------------------------------------


def test_target_and_rival_names_are_masked():
    from claims.stance.targets import RIVAL_PLACEHOLDER, TARGET_PLACEHOLDER, mask_target

    tweet = "@EmmanuelMacron bravo, Macron a écrasé Le Pen ! #Macron2017 #StopFN"
    about_macron = mask_target([tweet], "Emmanuel Macron")[0]
    about_lepen = mask_target([tweet], "Marine Le Pen")[0]
    for masked in (about_macron, about_lepen):
        assert "macron" not in masked.lower() and "pen" not in masked.lower() and "FN" not in masked
    assert about_macron.startswith(TARGET_PLACEHOLDER) and RIVAL_PLACEHOLDER in about_macron
    assert about_lepen.startswith(RIVAL_PLACEHOLDER) and TARGET_PLACEHOLDER in about_lepen
    # Words that merely contain a short alias are left alone.
    assert mask_target(["Le fnac et les pénalités."], "Marine Le Pen") == ["Le fnac et les pénalités."]


def test_unknown_target_is_masked_by_its_own_name():
    from claims.stance.targets import TARGET_PLACEHOLDER, mask_target

    assert mask_target(["Le maire Dupont soutient le projet."], "Dupont") == \
        [f"Le maire {TARGET_PLACEHOLDER} soutient le projet."]


def test_target_aliases_file_is_validated(tmp_path):
    from claims.stance.targets import TargetMasker

    path = tmp_path / "targets.tsv"
    path.write_text("Alice Martin\tMartin\n", encoding="utf-8")
    with pytest.raises(ValueError, match="tab-separated"):
        TargetMasker("Alice Martin", targets_path=path)


def test_same_stance_toward_either_target_after_masking(shipped, encoder):
    # The same words about either candidate get the same stance once names are masked.
    about_macron = "Macron est une honte, jamais je ne voterai pour Macron"
    about_lepen = "Le Pen est une honte, jamais je ne voterai pour Le Pen"
    assert shipped.predict_texts([about_macron], encoder=encoder, target="Emmanuel Macron") == \
        shipped.predict_texts([about_lepen], encoder=encoder, target="Marine Le Pen")
    # Insulting the rival is no longer read as opposing the target.
    pred = shipped.predict_texts(["Le Pen est une honte, votez Macron !"], encoder=encoder,
                                 target="Emmanuel Macron")
    assert pred == ["favor"]


# -- cues aimed at a masked target ---------------------------------------------------------


def test_call_to_vote_for_the_rival_counts_against_the_target():
    from claims.stance.target_cues import target_cues

    for_target = target_cues("Votez la cible dimanche !")
    for_rival = target_cues("Votez l'adversaire dimanche !")
    assert for_target.toward_favor > 0 and for_target.toward_against == 0
    assert for_rival.toward_against > 0 and for_rival.toward_favor == 0
    assert (for_rival.names_target, for_rival.names_rival) == (0.0, 1.0)


def test_cue_goes_to_the_name_between_the_same_punctuation():
    from claims.stance.target_cues import target_cues

    cues = target_cues("L'adversaire est une honte, la cible a été brillante.")
    assert cues.toward_favor > 0 and cues.toward_against == 0


def test_text_naming_nobody_is_about_the_target():
    from claims.stance.target_cues import target_cues

    assert target_cues("Quelle honte.").toward_against > 0
    assert target_cues("La réunion se tiendra mardi.") == (0.0, 0.0, 0.0, 0.0)


def test_a_claim_that_is_itself_a_criticism_is_favored_by_those_who_state_it():
    from claims.stance.assign import stated_as_most_state_it

    # Every sided mention reads "against": the claim is the criticism, its speakers are for it.
    assert stated_as_most_state_it(["against", "neutral", "against"]) == ["favor", "neutral", "favor"]
    # A dispute (one for, one against) keeps both readings; neutral-only groups are untouched.
    assert stated_as_most_state_it(["favor", "against", "against"]) == ["favor", "against", "against"]
    assert stated_as_most_state_it(["neutral", "neutral"]) == ["neutral", "neutral"]
