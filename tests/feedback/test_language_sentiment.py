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
