import pytest

from claims.french.negation import find_negations, is_negated, negation_conflict, polarity


@pytest.mark.parametrize("text", [
    "L’Ukraine ne peut pas rejoindre l’organisation tant qu’elle est en guerre.",
    "L’OTAN a longtemps souligné qu’elle n’était pas partie à la guerre.",
    "Je ne confirme jamais les rumeurs.",
    "Nous ne pouvons plus poursuivre à ce rythme.",
    "Personne ne peut prédire l'évolution sur le champ de bataille.",
    "Aucun accord n'a été trouvé.",
    "Aucun accord en vue.",
    "Il n’y a pas de signes que la Russie se prépare à la paix.",
    "Kiev a décidé de ne pas envoyer de troupes.",
    "Pas de cessez-le-feu en vue",
])
def test_negated(text):
    assert is_negated(text)
    assert polarity(text) == -1


@pytest.mark.parametrize("text", [
    "L'Ukraine peut rejoindre l'organisation.",
    "Kiev n’en est qu’aux premiers jours de son offensive.",  # restriction
    "Le président a dit qu’il ne participerait que si on lui offrait des engagements.",
    "Il ne reste plus que trois chars.",
    "L’Otan soutient l’offensive, non seulement sur le principe, mais aussi pour négocier.",
    "L'Ukraine ne cesse de demander davantage d'armes.",  # litotes: keeps asking
    "L'Otan n'a pas cessé de livrer des armes.",
    "Il partira avant qu'il ne soit trop tard.",  # expletive ne
    "L'Otan ne soutient pas seulement l'offensive.",  # not only
    "Il viendra sans doute.",
    "La Russie a condamné les livraisons d'armes.",
])
def test_not_negated(text):
    assert not is_negated(text)
    assert polarity(text) == 1


def test_sans_negates_its_complement_only():
    text = "Stoltenberg a annoncé de nouvelles livraisons, sans fournir de détails."
    assert not is_negated(text)
    assert is_negated(text, include_sans=True)
    (neg,) = find_negations(text)
    assert neg.kind == "sans" and neg.scope == ("fournir",)


def test_negation_reports_what_it_bears_on():
    text = "L'Ukraine ne peut pas rejoindre l'Otan."
    (neg,) = find_negations(text)
    assert neg.kind == "clausal"
    assert neg.scope == ("rejoindre",)
    assert text[neg.start:neg.end] == "ne peut pas"


def test_opposite_polarity_on_one_predicate_conflicts():
    assert negation_conflict("L’Ukraine ne peut pas rejoindre l’organisation.",
                             "L'Ukraine peut rejoindre l'organisation.")
    assert negation_conflict("Il n’y a pas de signes que la Russie se prépare à la paix.",
                             "Il y a des signes que la Russie se prépare à la paix.")


def test_same_polarity_or_other_predicate_does_not_conflict():
    assert not negation_conflict("L’Ukraine ne peut pas rejoindre l’Otan.",
                                 "L'Ukraine ne pourra pas rejoindre l'Otan.")
    assert not negation_conflict("L’Otan n’était pas partie à la guerre.",
                                 "L’Otan restait en dehors de la guerre.")
    assert not negation_conflict("Kiev n’en est qu’aux premiers jours de son offensive.",
                                 "Kiev en est aux premiers jours de son offensive.")
