import pytest

from claims.french.figure_conflicts import conflicting_quantities
from claims.french.numbers import Quantity, extract_quantities


def quantities(text):
    return [(q.slot, q.value, q.unit) for q in extract_quantities(text)]


@pytest.mark.parametrize("text, expected", [
    ("un milliard de dollars", ("money", 1e9, "USD")),
    ("1 milliard de dollars", ("money", 1e9, "USD")),
    ("une ligne de crédit d’un milliard de dollars", ("money", 1e9, "USD")),
    ("325 millions de dollars", ("money", 3.25e8, "USD")),
    ("cent millions d'euros", ("money", 1e8, "EUR")),
    ("1,5 milliard d'euros", ("money", 1.5e9, "EUR")),
    ("3 milliards de dollars", ("money", 3e9, "USD")),
    ("un billion de dollars", ("money", 1e12, "USD")),
    ("2,7 Md€", ("money", 2.7e9, "EUR")),
    ("des munitions de 155 mm", ("length", 155, "mm")),
    ("plus de 100 kilomètres carrés", ("area", 100, "km2")),
    ("plus de 22 millions de cartouches", ("count", 2.2e7, "cartouches")),
    ("une hausse de 12,5 %", ("percent", 12.5, "%")),
    ("il y a 14 mois", ("duration", 14, "mois")),
    ("séparatiste depuis 2014", ("year", 2014, None)),
    ("le 13 juin", ("date", 613, None)),
    ("le 1er juillet", ("date", 701, None)),
])
def test_reads_french_amounts_and_measures(text, expected):
    assert expected in quantities(text)


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\u2009"])
def test_spaces_separate_thousands(space):
    assert quantities(f"2{space}000 soldats") == [("count", 2000, "soldats")]


def test_spelled_and_digit_forms_give_the_same_value():
    spelled = quantities("quatorze chars")
    assert spelled == quantities("14 chars") == [("count", 14, "chars")]


def test_enumerations_share_the_unit_of_their_last_member():
    assert quantities("prévu les 11 et 12 juillet") == [("date", 711, None), ("date", 712, None)]
    assert quantities("des obus de 105 et 155 mm") == [("length", 105, "mm"), ("length", 155, "mm")]


@pytest.mark.parametrize("text", [
    "des avions de combat de 4e génération",
    "les avions MiG-29 et les F-16",
    "quatre chars Leopard 2 et des Challenger 2",
    "un programme d'aide",
])
def test_ordinals_model_names_and_articles_are_not_quantities(text):
    assert [q for q in extract_quantities(text) if q.unit != "chars"] == []


def test_offsets_point_at_the_figure():
    text = "Les États-Unis annoncent une rallonge de 325 millions de dollars."
    (q,) = extract_quantities(text)
    assert isinstance(q, Quantity)
    assert text[q.start:q.end] == q.text == "325 millions de dollars"


def test_different_amounts_of_the_same_currency_conflict():
    a = "les États-Unis annonçaient un programme d’aide de 400 millions de dollars"
    b = "les États-Unis annoncent une nouvelle rallonge de 325 millions de dollars"
    (qa, qb), = conflicting_quantities(a, b)
    assert (qa.value, qb.value, qa.unit) == (4e8, 3.25e8, "USD")


def test_spelled_and_digit_amounts_do_not_conflict():
    a = "Une ligne de crédits de 1 milliard de dollars pour des munitions de 155 mm."
    b = "Une ligne de crédit d'un milliard de dollars pour acheter des munitions de 155 mm."
    assert conflicting_quantities(a, b) == []


def test_a_million_is_not_a_billion():
    assert conflicting_quantities("1 million de dollars", "1 milliard de dollars")


def test_equal_values_written_differently_agree():
    assert not conflicting_quantities("1,5 milliard d'euros", "1 500 millions d'euros")
    assert not conflicting_quantities("155 mm", "15,5 cm")


def test_years_conflict():
    assert conflicting_quantities("En 2022, l'Otan a promis des armes.", "En 2023, l'Otan a promis des armes.")


def test_a_sentence_naming_more_figures_does_not_conflict():
    assert not conflicting_quantities("des obus de 105 et 155 mm", "des obus de 155 mm")


def test_bounds_and_approximations_are_ranges():
    assert not conflicting_quantities("plus de 100 kilomètres carrés", "120 kilomètres carrés")
    assert not conflicting_quantities("près de 50 pays", "48 pays")
    assert conflicting_quantities("moins de 100 kilomètres carrés", "120 kilomètres carrés")


def test_different_units_or_slots_never_conflict():
    assert not conflicting_quantities("400 millions de dollars", "325 millions d'euros")
    assert not conflicting_quantities("14 chars", "12 avions")
    assert not conflicting_quantities("le 13 juin", "en 2023")


def test_ranges_agree_with_values_inside_them():
    assert not conflicting_quantities("entre 300 et 400 millions de dollars", "350 millions de dollars")
    assert not conflicting_quantities("de 3 à 5 chars", "4 chars")
    assert conflicting_quantities("de 3 à 5 chars", "7 chars")


def test_numeric_dates_give_a_date_and_a_year():
    assert quantities("le 14/06/2022") == [("date", 614, None), ("year", 2022, None)]
    assert quantities("publié le 2023-06-14") == [("year", 2023, None), ("date", 614, None)]


def test_neighbouring_rounded_percentages_conflict():
    assert conflicting_quantities("Le chômage a grimpé à 8,4 % en avril.", "Le chômage a grimpé à 8,5 % en avril.")
    assert not conflicting_quantities("Le chômage a grimpé à 8,4 % en avril.", "Le chômage atteint 8,43 %.")


def test_a_bound_reaches_one_step_of_the_figure_as_written():
    assert conflicting_quantities("au moins 41 personnes ont été tuées", "57 morts selon la préfecture")
    assert not conflicting_quantities("au moins 41 personnes ont été tuées", "41 morts selon la préfecture")
    assert not conflicting_quantities("plus de 200 morts", "240 morts")


def test_counts_are_compared_by_what_they_count():
    # a toll in three wordings
    assert conflicting_quantities("18 personnes ont péri", "un bilan de 25 victimes")
    assert conflicting_quantities("la mort de 18 habitants", "25 morts")
    # dead and injured are different facts
    assert not conflicting_quantities("18 morts", "25 blessés")
    assert not conflicting_quantities("18 personnes ont été tuées", "25 personnes ont été blessées")
    assert conflicting_quantities("12 grands électeurs", "15 grands votants")


def test_basis_points_percentage_points_and_percent_are_different_kinds():
    assert not conflicting_quantities("une hausse de 50 points de base", "un taux de 3,5 %")
    assert not conflicting_quantities("un taux de 3,5 %", "une hausse cumulée de 3,5 points de pourcentage")
    assert conflicting_quantities("relevé de 50 points de base", "relevé de 75 points de base")


def test_rough_scale_words_are_approximate():
    assert not conflicting_quantities("un millier de blessés", "1 040 blessés")
    assert conflicting_quantities("une dizaine de maires", "19 maires")


def test_a_previous_or_first_value_is_not_the_figure_stated():
    revised = "Le déficit a été revu à 5,4 %, contre une première estimation de 4,7 %."
    assert conflicting_quantities("Le déficit atteint 4,7 %.", revised)
    assert conflicting_quantities("Les loyers ont augmenté de 3 % après 2,4 % en mars.", "Les loyers ont augmenté de 2,4 %.")
    assert not conflicting_quantities("Les loyers ont augmenté de 3 % après 2,4 % en mars.", "Les loyers ont augmenté de 3 %.")
    # "contre" between two candidates is not a previous value
    assert not conflicting_quantities("Il obtient 52 % des voix contre 48 % pour son rival.", "Il obtient 52 % des voix.")


def test_a_part_given_with_dont_takes_the_unit_of_the_whole():
    assert not conflicting_quantities("Il a été condamné à trois ans de prison ferme.",
                                      "Il a été condamné à six ans de prison dont trois ferme.")


def test_an_age_is_not_a_duration():
    assert not conflicting_quantities("À 31 ans, la nageuse signe pour quatre saisons.",
                                      "Après plus de dix ans de carrière, la nageuse signe.")
    assert conflicting_quantities("La nageuse, âgée de 31 ans, signe.", "La nageuse, âgée de 29 ans, signe.")


def test_members_who_voted_are_votes():
    assert conflicting_quantities("Le texte a recueilli 212 voix.", "Seuls 97 sénateurs ont voté pour le texte.")


def test_stated_figures_sharing_a_value_do_not_conflict_over_a_previous_one():
    a = "Les prix de l'énergie ralentissent (9 % sur un an après 11,2 %), malgré une hausse de 4 % des tarifs."
    b = "Elle était de 11,2 % en mai et est désormais passée à 9 %."
    assert not conflicting_quantities(a, b)


def test_magnitudes_are_a_kind():
    assert conflicting_quantities("Une secousse de magnitude 6,1 a été ressentie.", "Une secousse de magnitude 5,4 a été ressentie.")
    assert not conflicting_quantities("un séisme de magnitude 6", "un séisme d'une magnitude de 6 degrés sur l'échelle de Richter")
    assert not conflicting_quantities("un séisme de magnitude 6,1", "6 blessés")
