from claims.french.dates import conflicting_times, share_a_time, time_mentions


def fields(text, reference=None):
    return [tuple(w[:4]) for w in time_mentions(text, reference)]


def test_weekdays_dates_months_and_years():
    assert fields("Le maire a démissionné jeudi.") == [(None, None, None, 3)]
    assert fields("Le maire a démissionné jeudi.", "2024-05") == [(2024, None, None, 3)]
    assert fields("Le vote a eu lieu le 1er juin 2023.") == [(2023, 6, 1, 3)]
    assert fields("Les prix ont baissé en février.", "2024-03") == [(2024, 2, None, None)]
    assert fields("La crue de fin 2018 reste dans les mémoires.") == [(2018, None, None, None)]
    assert fields("Le festival avait lieu le 14/07/2022.") == [(2022, 7, 14, 3)]


def test_a_day_without_year_takes_the_year_nearest_the_article():
    # an article of January 2024 speaking of "le 28 décembre" means December 2023
    assert fields("La tempête a frappé le 28 décembre.", "2024-01") == [(2023, 12, 28, 3)]


def test_relative_words_need_the_article_date():
    assert fields("Le pont a cédé hier.", "2024-05") == []
    assert fields("Le pont a cédé hier.", "2024-05-14") == [(2024, 5, 13, 0)]
    assert fields("Les ventes avaient chuté l'an dernier.", "2024-05") == [(2023, None, None, None)]


def test_spans_and_previous_values_are_not_points():
    assert fields("Le taux est au plus haut depuis 2008.") == []
    assert fields("Le chantier durera jusqu'en mars.", "2024-01") == []
    assert fields("Le taux le plus haut depuis la création de la monnaie en 1999.") == []
    assert fields("Les loyers ont progressé de 3 %, après avoir progressé de 2,5 % en janvier.", "2024-03") == []
    assert fields("Les réunions ont lieu tous les lundis et chaque jeudi.") == []


def test_conflicts_need_a_point_on_both_sides_and_none_compatible():
    assert conflicting_times("La séance s'est tenue jeudi.", "La séance s'est tenue lundi 20 mars.")
    assert not conflicting_times("La séance s'est tenue jeudi.", "La séance s'est tenue.")
    # the night from Friday to Saturday meets Saturday
    assert not conflicting_times("La secousse a eu lieu dans la nuit de vendredi à samedi.",
                                 "La secousse de samedi a surpris les habitants.")
    # 14 September 2023 was a Thursday
    assert not conflicting_times("La banque a relevé ses taux jeudi.", "La banque a relevé ses taux le 14 septembre.",
                                 "2023-09", "2023-09")
    assert conflicting_times("La banque a relevé ses taux mardi.", "La banque a relevé ses taux le 14 septembre.",
                             "2023-09", "2023-09")
    assert share_a_time("en mars 2024", "en mars", None, "2024-04")


def test_a_pages_own_date_is_not_the_claims():
    assert fields("Le musée rouvre ses portes Publié le jeudi 14 mars 2024 | Radio X") == []
    assert fields("Un rapport publié le 3 mai dénonce la pollution.", "2024-05") == [(2024, 5, 3, 4)]


def test_lists_of_days_share_their_month():
    assert fields("Le sommet est prévu les 11 et 12 juillet.") == [(None, 7, 11, None), (None, 7, 12, None)]
    assert not conflicting_times("Le sommet est prévu les 11 et 12 juillet.", "Le sommet s'ouvre le 11 juillet.")
