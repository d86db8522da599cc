"""The faster paths give the answers of the plain ones: text folding, lemmas, chunked parsing."""

import unicodedata

import pytest

from claims.french.text import _CHAR_MAP, fold_french

SAMPLES = [
    "L’Élysée a « démenti » l'information — jeudi\u00a0soir, à 20\u202fh.",
    "İstanbul, ǅemal, Straße, STRASSE, ﬁnal, ΣΟΦΊΑ ς, Œuvre, x\u0301, ǲ, ᾈ, ÿ, Ñ",
    "tab\there\nnew line\r`quote´ ‘single’ “double” – ‐ ‑",
    "",
]


def _fold_reference(text: str, strip_accents: bool = True) -> str:
    """The character loop fold_french replaced."""
    out = []
    for ch in text:
        ch = _CHAR_MAP.get(ch, ch)
        low = ch.lower()
        if len(low) == 1:
            ch = low
        if strip_accents and not ch.isascii():
            parts = unicodedata.normalize("NFD", ch)
            if len(parts) > 1 and all(unicodedata.combining(c) for c in parts[1:]):
                ch = parts[0]
        out.append(ch)
    return "".join(out)


@pytest.mark.parametrize("strip", [True, False])
def test_fold_french_is_the_character_loop(strip):
    every_latin = "".join(chr(c) for c in range(32, 0x2200))
    for text in SAMPLES + [every_latin]:
        folded = fold_french(text, strip)
        assert folded == _fold_reference(text, strip)
        assert len(folded) == len(text)  # offsets found in folded text hold in the original


def _seed_corpus():
    from claims.evaluation.data import REPO
    from claims.ingest import resolve_articles, split_corpus

    articles = resolve_articles([REPO / "seeds"])
    return articles, split_corpus(articles)


def test_fast_lemma_index_gives_spacys_lemmas():
    spacy = pytest.importorskip("spacy")
    from claims.french.nlp import SPACY_MODEL, _fast_lemma_index, french_nlp

    try:
        fast = french_nlp()
    except RuntimeError:
        pytest.skip("spaCy model fr_core_news_md is not installed")
    plain = spacy.load(SPACY_MODEL)
    _, sentences = _seed_corpus()
    texts = [s.text for s in sentences]
    lemmas = [[t.lemma_ for t in d] for d in plain.pipe(texts)]
    assert [[t.lemma_ for t in d] for d in fast.pipe(texts)] == lemmas
    _fast_lemma_index(fast)  # a second call changes nothing
    assert [[t.lemma_ for t in d] for d in fast.pipe(texts[:5])] == lemmas[:5]


def test_chunked_parses_give_the_per_article_attributions(attributor, monkeypatch):
    """Parsing many articles in one stream, in chunks freed when done, changes no attribution."""
    import claims.attribution.corpus as corpus
    from claims.french.parses import Parses

    articles, sentences = _seed_corpus()
    per_article = corpus.attribute_corpus(articles, sentences, attributor)  # parses each article alone
    monkeypatch.setattr(corpus, "PARSE_CHUNK", 30)  # several chunks on the seeds
    parses = Parses()
    chunked = corpus.attribute_corpus(articles, sentences, None, None, parses)
    assert chunked == per_article
    assert any(a.speaker for a in chunked)
    assert parses._docs == {}  # every doc freed once read
    assert parses.parsed_ >= len({s.text for s in sentences})


def test_chunks_cover_every_article_in_order():
    from claims.attribution.corpus import _chunks

    items, sizes = list(range(7)), [1500, 400, 300, 2500, 10, 10, 1990]
    chunks = _chunks(items, sizes)
    assert [k for c in chunks for k in c] == items
    assert all(c for c in chunks)
    assert all(sum(sizes[k] for k in c) <= 2000 or len(c) == 1 for c in chunks)
    assert _chunks([], []) == []


def _longest_reference(index, tokens):
    """The first-letter scan longest_matches replaced."""
    found, i = [], 0
    while i < len(tokens):
        best = None
        for p in index.get(tokens[i].norm[:1], []):
            if p.match(tokens, i) and (best is None or len(p.parts) > len(best.parts)):
                best = p
        if best is None:
            i += 1
            continue
        found.append((i, i + len(best.parts), best))
        i += len(best.parts)
    return found


@pytest.mark.parametrize("remembered", [50_000, 3])  # 3: the memo of candidates is cleared over and over
def test_phrase_matches_are_the_first_letter_scans(monkeypatch, remembered):
    import claims.french.phrases
    from claims.french.negation_scope import _markers
    from claims.french.phrases import longest_matches, phrase, phrase_index
    from claims.french.text import cue_tokens
    from claims.stance.lexicon import StanceLexicon

    monkeypatch.setattr(claims.french.phrases, "SEEN_WORDS", remembered)
    lexicon = StanceLexicon()
    indexes = [lexicon._cues, *lexicon._kinds.values(), *_markers().values()]
    # ties of length between a whole word and a prefix: list order decides
    indexes.append(phrase_index([phrase("ne cess*", "a"), phrase("ne cesse", "b"), phrase("ne", "c"),
                                 phrase("n*", "d")]))
    _, sentences = _seed_corpus()
    texts = [s.text for s in sentences] + ["Il ne cesse de dire qu'il ne cessera pas, bien que non."]
    hits = 0
    for index in indexes:
        for text in texts:
            tokens = cue_tokens(text)
            got = longest_matches(index, tokens)
            assert got == _longest_reference(index, tokens)
            assert longest_matches(dict(index), tokens) == got  # a plain dict of lists too
            hits += len(got)
    assert hits > 50


def test_cue_prefix_tree_finds_the_flat_alternations_cues(monkeypatch):
    import claims.french.cues as cues
    from claims.french.text import alternation

    _, sentences = _seed_corpus()
    texts = [s.text for s in sentences] + [
        "« Nous ne céderons pas », a-t-il ajouté, selon l'AFP.", "Selon les experts, il l'a déclaré hier.",
        "Il s'est dit prêt ; elle ne cesse de demander des armes, a précisé à ses yeux le ministre."]
    fast = [cues.CueLexicon().find(t) for t in texts]
    monkeypatch.setattr(cues, "trie_alternation", alternation)
    flat = [cues.CueLexicon().find(t) for t in texts]
    assert fast == flat
    assert sum(map(len, fast)) > 30
    assert cues.trie_alternation is alternation  # the patch took: the comparison was real


def test_trie_alternation_prefers_the_longest_form():
    import re

    from claims.french.cues import trie_alternation

    pattern = re.compile(rf"(?:{trie_alternation(['selon', 'Selon les', 'a dit', 'a'])})\b", re.IGNORECASE)
    assert pattern.match("selon les experts").group() == "selon les"
    assert pattern.match("Selon   lui").group() == "Selon"
    assert pattern.match("a  dit-il").group() == "a  dit"
    assert re.fullmatch(trie_alternation([]), "") is None
