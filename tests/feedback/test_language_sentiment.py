"""Language identification and the sentiment lexicon."""

import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.feedback import language, sentiment
from playbook.feedback.redact import redact_series


def test_identify_by_hand():
    texts = redact_series([
        "I waited two hours on the phone and nobody answered.",
        "J'ai attendu deux heures au téléphone et personne n'a répondu.",
        "J'ai attendu deux heures. And then they hung up on me.",
        "Mon courriel est marie@exemple.ca",
        "12345",
    ])
    assert language.identify(texts).tolist() == ["en", "fr", "mixed", "fr", "und"]


def test_placeholders_do_not_vote():
    texts = redact_series(["tél. 613-555-0199 poste 22, merci de me rappeler svp"])
    assert language.identify(texts).tolist() == ["fr"]


def test_accuracy_on_the_labelled_corpus(corpus, redacted):
    accuracy, table = language.evaluate(language.identify(redacted), corpus["language"])
    assert accuracy >= 0.97
    assert table.loc["mixed", "mixed"] >= 0.9 * table.loc["mixed"].sum()


def test_identify_refuses_raw_text():
    with pytest.raises(PlaybookError, match="redacted"):
        language.identify(pd.Series(["hello"]))


@pytest.fixture(scope="module")
def hand_written_languages():
    """The hand-written evaluation set, redacted as the pipeline does: labels, identified languages, word counts."""
    from playbook.feedback.evalset import read_evalset

    comments = read_evalset()
    texts = redact_series(comments["text"])
    words = texts.str.replace(r"\[[A-Z]+\]", " ", regex=True).str.count(r"[^\W\d_]+")
    return pd.DataFrame({"truth": comments["language"].to_numpy(), "identified": language.identify(texts).to_numpy(),
                         "words": words.to_numpy()})


def test_language_targets_on_the_hand_written_set(hand_written_languages):
    """Issue 23: 98 % or more on comments of 3 words or more; the figures measured when the rule was
    calibrated (module docstring of playbook.feedback.language), less a margin, for the rest."""
    t = hand_written_languages
    right = t["truth"] == t["identified"]
    official = t["truth"].isin(["en", "fr"])
    assert right[official & (t["words"] >= 3)].mean() >= 0.98
    assert right[t["words"] <= 2].mean() >= 0.75  # 81 % when calibrated; the former rule: 51 %
    assert right[t["truth"] == "mixed"].mean() >= 0.75  # 85 % when calibrated; the former rule: 59 %
    assert (t["identified"] == "und").mean() <= 0.06  # 4 %, nearly all 1-2-word comments
    assert (t["identified"][t["truth"] != "mixed"] == "mixed").mean() <= 0.01


@pytest.mark.parametrize("text,label", [
    ("on", "und"),  # English or French: too close to call
    ("merci", "fr"),
    ("ok thanks", "en"),
    ("pas clair", "fr"),
    ("Service was quick. Merci beaucoup!", "mixed"),
    ("why is he on this page?", "en"),  # English "on" does not vote French
])
def test_short_comments(text, label):
    assert language.identify(redact_series([text])).iloc[0] == label


@pytest.mark.parametrize("text", [
    "zxcvbnm", "xkcd zzzz", "jjjjjjj", "hjkl hjkl",  # keyboard mashes with no vowel or a letter repeated
    "👍👍", "🙂", "12345", "2024-03-15 14:00", "???", "",
    "¿Dónde está la oficina de pasaportes?", "Preciso de ajuda com o meu passaporte",  # other languages
    "Ich brauche Hilfe mit meinem Antrag", "Ho bisogno di aiuto con il mio passaporto",
])
def test_no_language_is_und(text):
    assert language.identify(redact_series([text])).iloc[0] == "und"


def test_placeholders_are_ignored():
    texts = redact_series(["Merci Jean Tremblay", "Call Marie Côté at 613-555-0199", "613-555-0199"])
    assert texts.str.contains(r"\[").all()  # placeholders are there, and do not count as words
    assert language.identify(texts).tolist() == ["fr", "en", "und"]


def test_identify_keeps_the_index():
    texts = redact_series(pd.Series(["bonjour tout le monde", "hello everyone"], index=[7, 3]))
    assert language.identify(texts).to_dict() == {7: "fr", 3: "en"}


@pytest.mark.parametrize("text,label", [
    ("The agent was very helpful and kind.", "pos"),
    ("The agent was not helpful at all.", "neg"),
    ("L'agente était gentille et patiente.", "pos"),
    ("Le service n'était pas rapide, c'est inacceptable.", "neg"),
    ("Where is the form to renew my passport?", "neu"),
    ("Attente interminable, personne ne répond.", "neg"),
])
def test_sentiment_lexicon(text, label):
    assert sentiment.score(redact_series([text]))["sentiment"].iloc[0] == label


def test_negation_flips_the_sign():
    assert sentiment.score_one("helpful") > 0
    assert sentiment.score_one("not helpful") < 0
    assert sentiment.score_one("pas rapide") < 0
    assert sentiment.fold("Reçu ÉLEVÉ") == "recu eleve"


def test_sentiment_beats_the_majority_class(corpus, redacted):
    accuracy, _ = sentiment.evaluate(sentiment.score(redacted)["sentiment"], corpus["sentiment"])
    majority = corpus["sentiment"].value_counts(normalize=True).iloc[0]
    assert accuracy > majority + 0.05


@pytest.mark.parametrize("text", [
    "The patient sat in the lobby.",  # a noun, not a compliment
    "The content of the page.",
    "Je cherche de l'aide pour mon formulaire.",
    "Une personne au comptoir.",
])
def test_nouns_carry_no_tone(text):
    assert sentiment.score(redact_series([text]))["sentiment"].iloc[0] == "neu"


def test_nobody_and_a_french_negation_are_negative():
    assert sentiment.score_one("personne ne répond") < 0
    assert sentiment.score_one("le lien ne fonctionne pas") < 0
    assert sentiment.score_one("m'a aidé") > 0


def test_against_the_majority_class_by_hand():
    truth = pd.Series(["neg", "neg", "neg", "pos", "neu"])
    table = sentiment.against_majority(pd.Series(["neg", "neu", "neg", "pos", "neu"]), truth,
                                       pd.Series(["en", "en", "fr", "fr", "fr"]))
    assert table["group"].tolist() == ["en", "fr", "all"]
    row = table.set_index("group").loc["all"]
    assert row["majority"] == "neg" and row["majority_accuracy"] == 0.6 and row["accuracy"] == 0.8
    assert row["majority_macro_f1"] == pytest.approx(0.25)  # F1 0.75 for neg, 0 for the others
