"""Readings of figures added with the facts-tuning events e36-e38 (issue 14, facts14d).

Hand-written French sentences, never an article's; identical vectors (every cosine 1), so only
the reading of the figures decides: bare numbers a counted noun is said to reach, parts of a
total, amounts without a currency, what an amount pays for, figures per day or over several
years, amounts with their extras included, forecasts, and sentences restating one bundle.
"""

import numpy as np

from claims.facts import SlotBuilder, build_facts, stated_figures
from tests.test_facts_sources import _figure_facts, _parts


def _values(fact):
    return sorted(v.value for v in fact.versions)


def test_a_bare_number_a_counted_noun_is_said_to_reach_takes_its_kind():
    reached, = stated_figures("Le nombre de décès recensés dans la province s'élève désormais à 4 812.")
    assert reached.key == ("count", "dead", None) and reached.value == 4812.0
    level, = stated_figures("Les blessés sont de 1 230 selon le dernier pointage.")
    assert level.key[:2] == ("count", "injured")
    assert not stated_figures("Le prix du billet s'élève désormais à 12 selon la direction.")  # no counted noun


def test_an_editors_insertion_in_brackets_is_read_with_the_number():
    toll, = stated_figures("« Au total, 3 417 [décès] ont été enregistrés », a-t-il indiqué.")
    assert toll.key[:2] == ("count", "dead") and toll.value == 3417.0


def test_two_sources_counts_read_off_a_level_are_versions_of_one_toll():
    facts = _figure_facts([
        ("a1", "2024-03-02", "Selon le ministère, le nombre de morts s'élève à 4 812."),
        ("a2", "2024-03-02", "Pour l'ONG, les décès ont atteint 6 100 dans tout le pays."),
    ])
    fact, = facts
    assert _values(fact) == [4812.0, 6100.0] and fact.contested == 2


def test_a_part_named_after_its_total_is_never_a_version_of_the_total():
    part, = stated_figures("Parmi ces décès, 812 sont liés à des complications respiratoires.")
    assert part.key == ("count", "dead", "part")
    facts = _figure_facts([
        ("a1", "2024-03-02", "Les autorités ont recensé 4 812 décès depuis le début de la vague."),
        ("a2", "2024-03-02", "Parmi ces décès, 812 sont liés à des complications respiratoires."),
    ])
    assert not any(f.contested for f in facts)


def test_two_figures_summing_to_a_total_stated_elsewhere_are_its_parts():
    facts = _figure_facts([
        ("a1", "2024-03-02", "Au cours du mois, 4 812 décès ont été enregistrés dans les hôpitaux."),
        ("a2", "2024-03-02", "Sur la période, 812 décès sont dus aux complications et 4 000 décès aux autres causes."),
        ("a3", "2024-03-02", "Les hôpitaux ont enregistré 4 000 décès liés à d'autres causes."),
    ])
    assert not any(f.contested for f in facts)  # 812 and 4 000 are parts of 4 812, not its versions
    # Two places' tolls summing to the national one are sub-populations, left to the place rules.
    placed = stated_figures("La majorité des morts (68) sont à Valence, tandis que deux personnes sont mortes à Cuenca.")
    assert all(f.role is None for f in placed)


def test_a_bare_amount_takes_the_currency_of_the_corpus_unless_counts_are_in_millions_too():
    facts = _figure_facts([
        ("a1", "2025-06-23", "Le chantier a coûté 4,2 milliards d'euros selon l'auditeur public."),
        ("a2", "2025-06-23", "Le maître d'ouvrage évoque un coût de 2,5 milliards seulement."),
    ])
    fact, = facts
    assert _values(fact) == [2.5e9, 4.2e9] and {v.unit for v in fact.versions} == {"EUR"}
    people = _figure_facts([
        ("a1", "2025-06-23", "La marche a rassemblé 1,2 million de manifestants selon les syndicats."),
        ("a2", "2025-06-23", "Ils étaient 2,5 millions selon les organisateurs, un coût de 3 millions d'euros."),
    ])
    assert not any(v.unit == "EUR" and v.value == 2.5e6 for f in people for v in f.versions)


def test_amounts_paying_for_one_thing_are_versions_and_a_fee_is_never_a_salary():
    facts = _figure_facts([
        ("a1", "2023-08-15", "La transaction est estimée à 60 millions d'euros par la presse sportive."),
        ("a2", "2023-08-15", "L'indemnité de transfert a été négociée à 70 millions d'euros."),
        ("a3", "2023-08-15", "Le joueur touchera un salaire de 25 millions d'euros."),
    ])
    fee = [f for f in facts if f.contested]
    assert len(fee) == 1 and _values(fee[0]) == [60e6, 70e6]


def test_a_figure_per_day_or_over_two_years_is_not_a_version_of_a_plain_figure():
    daily, = stated_figures("Les experts estiment que 9 000 décès surviennent chaque jour dans le pays.")
    assert daily.period == "day"
    span, = stated_figures("Il aurait obtenu un salaire de 90 M€ pour les deux ans.")
    assert span.period == "deux years"
    facts = _figure_facts([
        ("a1", "2024-01-14", "Les autorités ont recensé 60 000 décès dans les hôpitaux."),
        ("a2", "2024-01-14", "Les experts estiment que 9 000 décès surviennent chaque jour dans le pays."),
        ("a3", "2024-01-14", "Le bilan officiel équivaut à 1 700 décès quotidiens."),
    ])
    daily_fact = [f for f in facts if f.contested]
    assert len(daily_fact) == 1 and _values(daily_fact[0]) == [1700.0, 9000.0]


def test_an_amount_with_bonuses_included_is_not_a_version_of_the_amount_without():
    base, full = stated_figures("Le club recevra 50 M€, et jusqu'à 65 M€ en y "
                                "ajoutant divers bonus.")
    assert base.role is None and full.role == "inclusive"
    assert stated_figures("Un transfert de 65 millions d'euros, bonus compris.")[0].role == "inclusive"


def test_a_forecast_is_not_a_version_of_the_cost_found_after():
    facts = _figure_facts([
        ("a1", "2025-06-23", "Initialement budgété à 1,2 milliard d'euros, le chantier a coûté 3 milliards d'euros."),
        ("a2", "2025-06-23", "Le coût du chantier atteint 3,4 milliards d'euros selon l'auditeur."),
    ])
    for fact in facts:
        assert 1.2e9 not in _values(fact) or not fact.contested


def test_two_sentences_restating_one_bundle_pair_figure_to_figure():
    facts = _figure_facts([
        ("a1", "2025-06-23", "L'auditeur chiffre le fonctionnement à 2,2 milliards d'euros, dont 0,9 milliard d'euros "
                             "pour la sécurité."),
        ("a2", "2025-06-23", "Soit 2,2 Md€ pour le fonctionnement et 0,9 Md€ pour la sécurité."),
    ])
    assert not any(f.contested for f in facts)
    builder = SlotBuilder()
    articles, rows, vectors = _parts([("a1", "2025-06-23", "Le fonctionnement coûte 2,2 milliards d'euros."),
                                      ("a2", "2025-06-23", "Le fonctionnement coûte 2,6 milliards d'euros.")])
    builder.fit([r.sentence.text for r in rows], vectors, ["2025-06-23"] * 2)
    assert builder.slots_  # one value each: still versions of one another


def test_two_parts_of_one_sum_are_never_versions_of_one_another():
    facts = _figure_facts([
        ("a1", "2024-03-02", "Au cours du mois, 4 812 décès ont été enregistrés dans les hôpitaux."),
        ("a2", "2024-03-02", "Le bilan se compose de 812 décès dus aux complications et de 4 000 décès dus à d'autres causes."),
        ("a3", "2024-03-02", "Sur ces décès, 812 sont dus aux complications."),
        ("a4", "2024-03-02", "En outre, 4 000 décès sont dus à d'autres causes, selon la même source."),
    ])
    assert not any(f.contested for f in facts)


def test_amounts_far_apart_are_not_versions_and_a_sentence_naming_one_class_classes_its_amounts():
    facts = _figure_facts([
        ("a1", "2023-08-15", "Le salaire du joueur atteindrait 40 millions d'euros."),
        ("a2", "2023-08-15", "Son salaire serait de 55 millions d'euros et une prime de 300 000 euros par victoire."),
    ])
    fact, = [f for f in facts if f.contested]
    assert _values(fact) == [40e6, 55e6]
    fee = _figure_facts([
        ("a1", "2023-08-15", "Les conditions de ce transfert restent floues, le club toucherait 75 millions d'euros."),
        ("a2", "2023-08-15", "L'indemnité de transfert atteint 60 millions d'euros."),
    ])
    assert [_values(f) for f in fee if f.contested] == [[60e6, 75e6]]


def test_who_a_figure_is_given_by_or_for_is_not_what_it_measures():
    poll, = stated_figures("Une participation de 64 % est anticipée par l'institut Alpha pour Radio Nord et TV Sud.")
    assert not poll.names  # the institute and its clients are its sources
    bracket, = stated_figures("La participation nationale est estimée à 63,5 % (Beta) en fin de journée.")
    assert "beta" not in bracket.names and "estime" not in bracket.words


def test_estimates_of_the_turnout_by_several_institutes_are_versions_but_the_abstention_is_not():
    facts = _figure_facts([
        ("a1", "2024-06-30", "Une participation de 64 % est anticipée par l'institut Alpha pour Radio Nord."),
        ("a2", "2024-06-30", "La projection de l'institut Beta pour TV Sud s'élève à 66,5 % de participation."),
        ("a3", "2024-06-30", "L'abstention atteindrait 35 % selon l'institut Gamma."),
    ])
    fact, = [f for f in facts if f.contested]
    assert _values(fact) == [64.0, 66.5]


def _close_pair_facts(first, second, cosine=0.88):
    """Two sentences whose vectors have the given cosine: above the threshold for figures of one
    subject or class (0.85), below the one for percentages and amounts in general (0.93)."""
    articles, rows, _ = _parts([("a1", "2024-06-30", first), ("a2", "2024-06-30", second)])
    vectors = np.array([[1.0, 0.0], [cosine, (1 - cosine ** 2) ** 0.5]], dtype=np.float32)
    return [f for f in build_facts(articles, rows, (), vectors) if f.kind not in ("stance", "speaker")]


def test_two_turnouts_meet_at_a_lower_cosine_unless_one_names_a_part():
    same = _close_pair_facts("Une participation de 64 % est anticipée par l'institut Alpha.",
                             "La participation atteindrait 66,5 % selon l'institut Beta.")
    assert [_values(f) for f in same if f.contested] == [[64.0, 66.5]]
    part = _close_pair_facts("La participation nationale atteignait 59 % à midi.",
                             "Le département le moins mobilisé est le Val-Vert avec 47 % de participation à midi.")
    assert not any(f.contested for f in part)


def test_a_figure_within_a_range_another_outlet_gives_is_another_estimate():
    facts = _figure_facts([
        ("a1", "2024-06-30", "Le Bloc du Centre obtiendrait 21 à 22 % des voix selon les instituts."),
        ("a2", "2024-06-30", "Le Bloc du Centre obtiendrait 21,4 % des voix selon un institut."),
    ])
    fact, = facts
    assert fact.contested == 2 and {d.kind for d in fact.differences} <= {"disagreement", "update"}
    same = _figure_facts([("a1", "2024-06-30", "Le séisme a fait au moins 912 morts selon les secours."),
                          ("a2", "2024-06-30", "Le séisme a fait 912 morts selon les secours.")])
    assert all(not f.contested for f in same)  # the same value with and without a qualifier


def test_less_than_and_more_than_one_value_are_two_values():
    facts = _figure_facts([
        ("a1", "2023-08-15", "Le transfert rapporterait un peu moins de 40 millions d'euros au club."),
        ("a2", "2023-08-15", "Le transfert rapporterait plus de 40 millions d'euros au club."),
    ])
    fact, = facts
    assert fact.contested == 2
