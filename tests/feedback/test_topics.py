"""Topic discovery: shapes, determinism, representative comments, sizes over time."""

import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.feedback import topics
from playbook.feedback.redact import Redacted


@pytest.fixture(scope="module")
def english(corpus, redacted):
    keep = (corpus["language"] == "en").to_numpy()
    return redacted[keep].iloc[:1200], corpus.loc[keep, "date"].iloc[:1200]


def test_shapes(english):
    texts, dates = english
    found = topics.discover(texts, lang="en", n_topics=6, n_terms=10)
    assert found.terms.shape == (60, 4)
    assert sorted(found.terms["topic"].unique()) == list(range(1, 7))
    assert found.assignments.index.equals(texts.index)
    assert set(found.assignments["topic"]) <= set(range(0, 7))
    top = found.top_terms(5)
    assert len(top) == 6 and top["comments"].sum() <= len(texts)
    assert all(len(t.split(", ")) == 5 for t in top["terms"])
    reps = found.representatives(2)
    assert reps.groupby("topic").size().max() == 2
    assert not reps["text"].str.contains("@").any()  # redacted text only
    sizes = found.sizes_over_time(dates, freq="Q")
    assert sizes["comments"].sum() == len(texts)
    assert str(sizes["period"].iloc[0]).startswith("2023Q")


def test_deterministic(english):
    texts, _ = english
    a = topics.discover(texts, lang="en", n_topics=5, seed=3)
    b = topics.discover(texts, lang="en", n_topics=5, seed=3)
    pd.testing.assert_frame_equal(a.terms, b.terms)
    pd.testing.assert_frame_equal(a.assignments, b.assignments)


def test_placeholders_and_stop_words_never_name_a_topic(english):
    texts, _ = english
    terms = set(topics.discover(texts, lang="en", n_topics=6).terms["term"])
    assert not terms & {"name", "phone", "email", "the", "and"}


def test_errors(english):
    texts, _ = english
    with pytest.raises(PlaybookError, match="'en' or 'fr'"):
        topics.discover(texts, lang="de")
    with pytest.raises(PlaybookError, match="too few"):
        topics.discover(Redacted(["a b c"] * 10), lang="en", n_topics=8)
    with pytest.raises(PlaybookError, match="redacted"):
        topics.discover(pd.Series(["raw"] * 100), lang="en")


def test_service_words_name_topics_and_function_words_never_do():
    for lang in ("en", "fr"):
        stop = set(topics.topic_stopwords(lang))
        assert not stop & {"payment", "account", "form", "phone", "paiement", "compte", "formulaire"} - {"phone"}
        assert {"the", "and", "le", "les", "est", "pour", "cest", "jai"} <= stop  # both languages' function words
    assert {"payment", "paiement", "compte", "formulaire"} <= topics.service_words()


def test_topics_have_word_pairs_and_a_label_of_top_phrases(english):
    texts, _ = english
    found = topics.discover(texts, lang="en", n_topics=6)
    assert found.terms["term"].str.contains(" ").any()  # bigrams
    top = found.top_terms(6)
    assert list(top.columns) == ["topic", "label", "terms", "comments"]
    for label, terms in zip(top["label"], top["terms"], strict=True):
        parts = label.split(" / ")
        assert 1 <= len(parts) <= 2 and all(p in terms.split(", ") for p in parts)
    assert set(found.terms["term"]) & {"payment", "account", "online account", "direct deposit"}
