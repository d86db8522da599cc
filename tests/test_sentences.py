"""Tests for claims.ingest.sentences: French sentence splitting with offsets into the original text."""

from pathlib import Path

import pytest

from claims.ingest.corpus import load_articles
from claims.records import Article
from claims.ingest.sentences import (SentenceSplitter, iter_corpus_sentences, read_abbreviations,
                              split_sentences)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(Article("t", text))]


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    articles, problems = load_articles([SEEDS])
    assert not problems
    return {a.id[:3]: a for a in articles}


@pytest.fixture(scope="module")
def seed_sentences(seeds) -> dict[str, list[str]]:
    return {key: [s.text for s in split_sentences(a)] for key, a in seeds.items()}


# --- plain sentences, abbreviations, apostrophes --------------------------------------------

def test_splits_plain_sentences():
    assert texts("L'Otan promet des armes. La Russie proteste ! Et après ? Rien…") == [
        "L'Otan promet des armes.", "La Russie proteste !", "Et après ?", "Rien…"]


@pytest.mark.parametrize("text", [
    "M. Stoltenberg a parlé à Kiev.",
    "Mme Frederiksen et MM. Rutte et Morawiecki sont venus.",
    "Le Dr. Martin soigne les blessés.",
    "George W. Bush et J.-M. Le Pen ne sont pas venus.",
    "Il est né en 50 av. J.-C. à Rome.",
])
def test_abbreviation_or_initial_does_not_end_sentence(text):
    assert texts(text) == [text]


def test_sentence_after_abbreviation_still_splits():
    assert texts("Précise M. Stoltenberg. Mme Dupont approuve.") == [
        "Précise M. Stoltenberg.", "Mme Dupont approuve."]


def test_abbreviations_are_read_from_data_file(tmp_path):
    words = tmp_path / "abbr.txt"
    words.write_text("# titles\nGén\n", encoding="utf-8")
    assert read_abbreviations(words) == {"Gén"}
    article = Article("t", "Le Gén. Dupont arrive.")
    with_list = SentenceSplitter(abbreviations=read_abbreviations(words))
    assert [s.text for s in with_list.split(article)] == ["Le Gén. Dupont arrive."]
    without = SentenceSplitter(abbreviations=[])
    assert [s.text for s in without.split(article)] == ["Le Gén.", "Dupont arrive."]


def test_apostrophes_are_not_quotes():
    text = ("Il faut s'assurer qu'ils aient des armes aujourd'hui, selon l'Otan. "
            "L'Alliance approuve.")
    assert texts(text) == [
        "Il faut s'assurer qu'ils aient des armes aujourd'hui, selon l'Otan.",
        "L'Alliance approuve."]


def test_etats_unis_and_lowercase_after_period():
    assert texts("Ils viennent des Etats-Unis. Le Danemark aussi. conférence.") == [
        "Ils viennent des Etats-Unis.", "Le Danemark aussi. conférence."]


# --- quotations ---------------------------------------------------------------------------

def test_quote_without_inner_sentence_end_stays_one_sentence():
    text = ("« Oui, l'Ukraine devrait avoir plus d'armes lourdes », a déclaré Jens Stoltenberg "
            "à La Haye. Il repart demain.")
    assert texts(text) == [
        "« Oui, l'Ukraine devrait avoir plus d'armes lourdes », a déclaré Jens Stoltenberg "
        "à La Haye.", "Il repart demain."]


def test_sentence_end_inside_quote_is_a_boundary():
    text = ("'Les forces mènent une contre-offensive. Elle vient de commencer', "
            "a souligné le secrétaire général de l'Otan.")
    assert texts(text) == ["'Les forces mènent une contre-offensive.",
                           "Elle vient de commencer', a souligné le secrétaire général de l'Otan."]


def test_guillemets_spanning_two_sentences():
    text = "« Nous avons besoin d'avions. Compte tenu des tactiques, c'est urgent », a-t-il ajouté."
    assert texts(text) == ["« Nous avons besoin d'avions.",
                           "Compte tenu des tactiques, c'est urgent », a-t-il ajouté."]


def test_closing_quote_then_attribution_stays_with_sentence():
    assert texts("“C'est fini.”, a-t-il ajouté. « Non ! », a-t-il dit.") == [
        "“C'est fini.”, a-t-il ajouté.", "« Non ! », a-t-il dit."]
    assert texts("« Pourquoi ? » s'interroge-t-il.") == ["« Pourquoi ? » s'interroge-t-il."]


def test_closing_quote_after_final_period_belongs_to_sentence():
    assert texts("Il viendra en “le futur proche.” Le Royaume-Uni a promis. « Non. » Puis rien.") \
        == ["Il viendra en “le futur proche.”", "Le Royaume-Uni a promis.", "« Non. »",
            "Puis rien."]


def test_two_quoted_statements_with_straight_quotes():
    text = ("'Les armements font la différence', a-t-il insisté. Mais 'nos stocks sont bas', "
            "a-t-il averti.")
    assert texts(text) == ["'Les armements font la différence', a-t-il insisté.",
                           "Mais 'nos stocks sont bas', a-t-il averti."]


def test_elision_inside_brackets_is_not_a_boundary():
    text = "« Je vous exhorte [...] À en faire plus. Ils en ont besoin », a-t-il dit."
    assert texts(text) == ["« Je vous exhorte [...] À en faire plus.",
                           "Ils en ont besoin », a-t-il dit."]


# --- lines, headlines, metadata and boilerplate ---------------------------------------------

def test_headlines_without_final_punctuation_are_sentences():
    text = ("L’Otan promet plus d’armes\n\nNouvelles annonces\n\n'Les combats sont acharnés'\n\n"
            "Le sujet sera discuté.")
    assert texts(text) == ["L’Otan promet plus d’armes", "Nouvelles annonces",
                           "'Les combats sont acharnés'", "Le sujet sera discuté."]


def test_hard_wrapped_sentence_is_joined_but_headline_line_is_not():
    text = "Titre sans point\nLe chef de l'Otan a déclaré\nque l'Ukraine recevrait des armes,\nJens a dit."
    assert texts(text) == ["Titre sans point",
                           "Le chef de l'Otan a déclaré\nque l'Ukraine recevrait des armes,\n"
                           "Jens a dit."]


def test_leading_date_token_is_not_part_of_first_sentence():
    article = Article("t", " date 2022-06 Le chef de l'OTAN a jugé. Il part.")
    first = next(split_sentences(article))
    assert first.text == "Le chef de l'OTAN a jugé."
    assert first.start == article.text.index("Le chef")


@pytest.mark.parametrize("line", [
    "À lire aussi", "A lire aussi : l'Otan à Vilnius", "Photo : AFP / John Doe",
    "© Reuters", "Reportage supplémentaire de Max Seddon à Riga", "ttn-fr-56", "/ATS", "(AFP)",
])
def test_boilerplate_lines_are_not_sentences(line):
    assert texts(f"Le sujet sera discuté.\n\n{line}\n\nIl part.") == [
        "Le sujet sera discuté.", "Il part."]


def test_stray_leading_token_is_dropped_and_sentence_kept():
    article = Article("t", "Avant.\n\nguillement Plus l’Ukraine reprend du territoire, mieux c'est.")
    sentences = list(split_sentences(article))
    assert sentences[1].text == "Plus l’Ukraine reprend du territoire, mieux c'est."
    assert sentences[1].start == article.text.index("Plus")


@pytest.mark.parametrize("mark", [" /ATS", " (Reuters)", " (AFP)", "/AFP"])
def test_trailing_agency_mark_is_not_part_of_last_sentence(mark):
    assert texts(f"Nous aurons des accords conséquents', a assuré Jens Stoltenberg.{mark}") == [
        "Nous aurons des accords conséquents', a assuré Jens Stoltenberg."]


def test_agency_name_inside_sentence_is_kept():
    text = "L'Agence France-Presse (AFP) a publié la dépêche."
    assert texts(text) == [text]


# --- records ----------------------------------------------------------------------------------

def test_offsets_and_indices_hold_on_seeds(seeds):
    for article in seeds.values():
        sentences = list(split_sentences(article))
        assert [s.index for s in sentences] == list(range(len(sentences)))
        for s in sentences:
            assert s.article == article.id
            assert article.text[s.start:s.end] == s.text == s.text.strip()
        assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:]))


def test_crlf_text_keeps_offsets():
    article = Article("t", "Titre\r\n\r\nLe chef parle. Il part.\r\n")
    assert [(s.text, article.text[s.start:s.end]) for s in split_sentences(article)] == [
        ("Titre", "Titre"), ("Le chef parle.", "Le chef parle."), ("Il part.", "Il part.")]


def test_empty_or_boilerplate_only_article_has_no_sentence():
    assert texts("") == []
    assert texts(" date 2023-06 \n\nÀ lire aussi\n\n/ATS") == []


def test_iter_corpus_sentences_chains_articles_in_order():
    articles = [Article("a", "Un. Deux."), Article("b", "Trois.")]
    assert [(s.article, s.index, s.text) for s in iter_corpus_sentences(articles)] == [
        ("a", 0, "Un."), ("a", 1, "Deux."), ("b", 0, "Trois.")]


# --- seeds, checked by hand ----------------------------------------------------------------

def test_sentence_counts_per_seed(seed_sentences):
    assert {k: len(v) for k, v in seed_sentences.items()} == {
        "000": 14, "001": 17, "002": 22, "003": 26, "004": 15}


def test_seed_002_quotes_and_headlines(seed_sentences):
    s = seed_sentences["002"]
    assert "'Les combats sont acharnés'" in s
    assert "Nouvelles annonces" in s
    i = s.index("'Les forces ukrainiennes mènent une contre-offensive de grande envergure.")
    assert s[i + 1].startswith("Elle vient de commencer")
    assert s[i + 1].endswith("', a souligné le secrétaire général de l'Otan.")
    assert ("'Les armements fournis par les pays de l'Otan sont utilisés pour la contre-offensive "
            "et ils font la différence', a-t-il insisté.") in s
    assert s[-1] == "Mais à Vilnius nous aurons des accords conséquents', a assuré Jens Stoltenberg."


def test_seed_000_quote_with_attribution_is_one_sentence(seed_sentences):
    s = seed_sentences["000"]
    assert s[0].startswith("Le chef de l'OTAN, Jens Stoltenberg")
    assert s[3].startswith("«Oui, l'Ukraine devrait avoir plus d'armes lourdes», a déclaré Jens")
    assert s[3].endswith("à la veille d'un important sommet.")
    assert s[4].startswith("L'OTAN a commencé à «intensifier»")
    assert "«Ce serait un échec total et un désastre pour l'Union européenne, nos valeurs, et " \
           "pour l'Otan», a-t-il jugé" in s


def test_seed_001_headline_and_subhead(seed_sentences):
    s = seed_sentences["001"]
    assert s[0] == "L’Otan promet plus d’armes lourdes pour l’Ukraine"
    assert s[1].startswith("Les chefs militaires") and s[1].endswith("pour Kiev")
    assert s[2].endswith("en “le futur proche.”")


def test_seed_003_and_004_boilerplate(seed_sentences):
    s3, s4 = seed_sentences["003"], seed_sentences["004"]
    assert s3[-1] == ("Compte tenu des tactiques barbares du Kremlin, nous avons besoin d’avions "
                      "de combat de type OTAN », a-t-il ajouté.")
    assert not any("Reportage" in x or "ttn-fr" in x for x in s3)
    assert not any("lire aussi" in x or "guillement" in x for x in s4)
    assert ("Plus l’Ukraine peut reprendre du territoire dans cette contre-offensive, plus son "
            "poids sera élevé à la table des négociations.") in s4
    assert any(x.endswith("précise M. Stoltenberg.") for x in s4)
