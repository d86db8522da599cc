"""Source attribution: quotes, cues, speakers on hand-made French sentences, then on the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.attribution import SpeakerAttributor, find_quotes
from claims.french.cues import CueLexicon, default_lexicon
from claims.french.entities import default_metonyms
from claims.records import Article, Sentence
from claims.ingest.sentences import split_sentences
from tests.attribution_helpers import run

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "benchmarks" / "gold" / "attribution.jsonl"


def quoted(article: Article, attribution) -> str:
    start, end = attribution.quote_span
    return article.text[start:end]


# -- quotes and cues (no model) -----------------------------------------------------------------

def test_straight_single_quotes_are_not_confused_with_apostrophes():
    text = "'Il faut s'assurer qu'ils aient des armes', a déclaré l'élu."
    spans = list(find_quotes(text))
    assert [text[q.inner_start:q.inner_end] for q in spans] == [
        "Il faut s'assurer qu'ils aient des armes"]


def test_quote_may_open_and_close_with_different_marks():
    text = "Il a dit que l'alliance “restera à vos côtés »."
    (span,) = find_quotes(text)
    assert text[span.inner_start:span.inner_end] == "restera à vos côtés"


def test_unclosed_quote_stops_at_the_paragraph_end():
    text = "« Nous partirons demain\n\nLe ministre est arrivé."
    (span,) = find_quotes(text)
    assert not span.closed and text[span.inner_start:span.inner_end] == "Nous partirons demain"


@pytest.mark.parametrize("text, cue", [
    ("« Oui », a-t-il ajouté.", "a-t-il ajouté"),
    ("« Oui », précise-t-elle.", "précise-t-elle"),
    ("La Russie a, pour sa part, condamné les livraisons.", "a condamné"),
    ("Le Royaume-Uni a déjà promis des chars.", "a promis"),
    ("L'Ukraine ne cesse de demander des armes.", "demander"),
    ("Il s'est dit prêt à négocier.", "s'est dit"),
    ("Selon le Kremlin, rien n'est décidé.", "Selon"),
    ("Le syndicat a d’ailleurs aussitôt réagi à la décision.", "a réagi"),
])
def test_cues_are_found_with_their_french_word_order(text, cue):
    found = default_lexicon().find(text)
    assert (found[0].text if found else None) == cue


@pytest.mark.parametrize("text", [
    "Il a parlé lors d'une conférence de presse à Kiev.",  # "presse" is a noun here
    "De nouveaux paquets seront annoncés vendredi.",  # a passive, not a report
    "Une menace pèse sur la région.",
])
def test_nouns_and_passives_are_not_cues(text):
    assert default_lexicon().find(text) == []


def test_lexicon_rejects_an_unknown_kind(tmp_path):
    path = tmp_path / "cues.tsv"
    path.write_text("verbe\tdire\tdit\tdit\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown kind"):
        CueLexicon(path)


@pytest.mark.parametrize("name, body", [("Moscou", "Russie"), ("Kyiv", "Ukraine"),
                                        ("Kremlin", "Russie"), ("Washington", "États-Unis")])
def test_metonyms_name_the_body(name, body):
    assert [c for _, _, c in default_metonyms().find(f"{name} a averti l'Occident.")] == [body]


# -- hand-made articles (spaCy) -----------------------------------------------------------------

def test_direct_quote_with_postposed_verb(attributor):
    _, results, article = run(attributor, "« La situation est grave », a déclaré Emmanuel Macron.")
    (result,) = results
    assert (result.speaker, result.cue, result.quote) == ("Emmanuel Macron", "a déclaré", "direct")
    assert quoted(article, result) == "La situation est grave"


def test_quote_over_two_sentences_attributed_at_its_end(attributor):
    text = ("Le ministre allemand de la Défense, Boris Pistorius, était à Berlin.\n\n"
            "« Nous avons reçu les chars. Ils seront déployés la semaine prochaine », "
            "a affirmé le ministre.")
    sentences, results, article = run(attributor, text)
    assert len(sentences) == 3
    assert [r.speaker for r in results] == [None, "Boris Pistorius", "Boris Pistorius"]
    assert [r.quote for r in results[1:]] == ["direct", "direct"]
    assert quoted(article, results[1]).startswith("Nous avons reçu les chars")


@pytest.mark.parametrize("text, speaker, content", [
    ("Selon le Kremlin, les négociations sont suspendues.", "Russie", "les négociations sont suspendues"),
    ("Les pourparlers reprendront lundi, selon Olaf Scholz.", "Olaf Scholz",
     "Les pourparlers reprendront lundi"),
    ("D'après Kyiv, la contre-offensive progresse.", "Ukraine", "la contre-offensive progresse"),
])
def test_source_markers(attributor, text, speaker, content):
    _, (result,), article = run(attributor, text)
    assert (result.speaker, result.quote) == (speaker, "indirect")
    assert quoted(article, result) == content


def test_indirect_speech_with_que(attributor):
    _, (result,), article = run(attributor,
                                "Moscou a averti que ces livraisons prolongeraient le conflit.")
    assert (result.speaker, result.cue, result.quote) == ("Russie", "a averti", "indirect")
    assert quoted(article, result) == "ces livraisons prolongeraient le conflit"


def test_pronoun_goes_to_the_speaker_not_to_a_person_named_in_between(attributor):
    text = ("« Nous soutiendrons l'Ukraine », a déclaré Olaf Scholz. "
            "Il s'exprimait aux côtés du président français Emmanuel Macron. "
            "« L'Europe doit rester unie », a-t-il ajouté.")
    _, results, _ = run(attributor, text)
    assert [r.speaker for r in results] == ["Olaf Scholz", None, "Olaf Scholz"]
    assert results[2].cue == "a-t-il ajouté"


def test_pronoun_goes_to_the_subject_of_a_narrated_sentence(attributor):
    text = ("« Sinon, la menace est réelle », a ajouté Dmitri Peskov. "
            "Le ministre ukrainien de la Défense, Oleksiy Reznikov, a remercié ses alliés. "
            "Mais il a également répété ses demandes d'avions de combat.")
    _, results, _ = run(attributor, text)
    assert [r.speaker for r in results] == ["Dmitri Peskov", None, "Oleksiy Reznikov"]


def test_role_resolves_to_the_person_the_article_introduced(attributor):
    text = ("Le secrétaire général de l'Otan, Jens Stoltenberg, est arrivé à Kiev. "
            "« Nous resterons aux côtés de l'Ukraine », a dit le chef de l'Otan. "
            "« Il faut plus d'armes », a insisté le secrétaire général de l'Alliance.")
    _, results, _ = run(attributor, text)
    assert [r.speaker for r in results] == [None, "Jens Stoltenberg", "Jens Stoltenberg"]


def test_surname_with_honorific_gets_the_full_name(attributor):
    text = ("Jens Stoltenberg s'est rendu à Kiev jeudi. "
            "« C'est important pour la suite », précise M. Stoltenberg.")
    _, results, _ = run(attributor, text)
    assert (results[1].speaker, results[1].cue) == ("Jens Stoltenberg", "précise")


def test_unknown_role_stays_a_role(attributor):
    _, (result,), _ = run(attributor, "« Rien n'est décidé », a indiqué le porte-parole du Kremlin.")
    assert result.speaker == "porte-parole du Kremlin"


@pytest.mark.parametrize("text", [
    "Le sommet se tiendra à Vilnius en juillet.",
    "Certains responsables estiment que la guerre durera.",  # anonymous source
    "La visite intervient alors que Kiev plaide pour davantage d'armes.",  # subordinate clause
    "Un « groupe de contact » se réunira vendredi.",  # quotation marks around a term
])
def test_narration_has_no_speaker(attributor, text):
    _, (result,), _ = run(attributor, text)
    assert (result.speaker, result.cue, result.quote, result.quote_span) == (None, None, "none", None)


def test_names_inside_the_quote_are_not_speakers(attributor):
    text = ("« Nous avons besoin d'avions », a déclaré Oleksiy Reznikov. "
            "« Le président Zelensky le demande aussi. »")
    _, results, _ = run(attributor, text)
    assert [r.speaker for r in results] == ["Oleksiy Reznikov", "Oleksiy Reznikov"]
    assert results[1].cue is None and results[1].quote == "direct"


def test_one_attribution_per_sentence_and_empty_input(attributor):
    article = Article(id="x", text="Une phrase.")
    assert attributor.attribute(article, []) == []
    sentence = Sentence("x", 0, "Une phrase.", 0, 11)
    assert len(attributor.attribute(article, [sentence])) == 1


# -- the demo corpus ----------------------------------------------------------------------------

def _seed(stem: str) -> tuple[Article, list[Sentence]]:
    path = next(SEEDS.glob(f"{stem}*.txt"))
    article = Article(id=path.stem, text=path.read_text(encoding="utf-8"))
    return article, list(split_sentences(article))


def _by_text(attributor, stem: str, start: str):
    article, sentences = _seed(stem)
    results = attributor.attribute(article, sentences)
    return next(r for s, r in zip(sentences, results) if s.text.startswith(start))


@pytest.mark.parametrize("stem, start, speaker, cue", [
    ("002", "'Les forces ukrainiennes", "Jens Stoltenberg", "a souligné"),  # quote ends a sentence later
    ("003", "Mais il a également répété", "Oleksiy Reznikov", "a répété"),
    # Zelenskyy is named in the sentence before
    ("003", "“L’OTAN est à vos côtés", "Jens Stoltenberg", "a-t-il ajouté"),
    ("004", "“C’est important", "Jens Stoltenberg", "précise"),
    ("001", "Bien que Stoltenberg insiste", "Russie", "a averti"),
    ("000", "Du côté étasunien", None, None),
])
def test_seed_sentences(attributor, stem, start, speaker, cue):
    result = _by_text(attributor, stem, start)
    assert (result.speaker, result.cue) == (speaker, cue)


def test_gold_rows_are_consistent():
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    assert rows
    for row in rows:
        assert row["quote"] in ("direct", "indirect", "none"), row
        if row["speaker"] is None:
            assert (row["cue"], row["quote"], row["quoted"]) == (None, "none", None), row
        else:
            assert row["quoted"] and row["quoted"] in row["sentence"], row


def test_attributor_rejects_a_missing_lexicon_file(tmp_path):
    with pytest.raises(ValueError, match="cues_path"):
        SpeakerAttributor(cues_path=tmp_path / "absent.tsv")


def test_docs_parsed_once_by_the_caller_give_the_same_attributions(attributor):
    from claims.french.nlp import parse

    text = ("Le secrétaire général de l'Otan, Jens Stoltenberg, a déclaré que l'Ukraine gagnerait. "
            "« Nous tiendrons », a-t-il ajouté.")
    article = Article(id="t", text=text)
    sentences = list(split_sentences(article))
    docs = parse([s.text for s in sentences], attributor.nlp)
    assert attributor.attribute(article, sentences, docs) == attributor.attribute(article, sentences)
    with pytest.raises(ValueError, match="parsed docs"):
        attributor.attribute(article, sentences, docs[:1])
    with pytest.raises(ValueError, match="does not match"):
        attributor.attribute(article, sentences, docs[::-1])
