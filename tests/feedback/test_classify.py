"""The service classifier: tags as they come (multi-label, other, rare tags), cross-validation, calibration,
routing, save/load with a model card."""

import numpy as np
import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.feedback import classify


@pytest.fixture(scope="module")
def sample(corpus, redacted):
    idx = corpus.sample(1500, random_state=0).index
    return redacted.loc[idx], corpus.loc[idx, "topic"]


@pytest.fixture(scope="module")
def trained(sample):
    texts, labels = sample
    return classify.train(texts, labels, folds=3, target_accuracy=0.9)


def test_categories_file():
    cats = classify.load_categories()
    assert list(cats)[-1] == "other" and len(cats) == 8
    assert all({"en", "fr"} <= set(c) for c in cats.values())


def test_categories_errors(tmp_path):
    bad = tmp_path / "c.yml"
    bad.write_text("categories:\n  a: {en: A}\n  b: {en: B, fr: B}\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match="field 'a'"):
        classify.load_categories(bad)


def test_cross_validation(trained, sample):
    model, ev = trained
    classes = list(classify.load_categories())  # the file's order, other last
    assert list(ev.scores["category"]) == [*classes, "macro average"]
    assert ev.confusion.shape == (len(classes), len(classes))
    assert ev.confusion.to_numpy().sum() >= len(sample[1])  # a comment given two tags counts twice
    assert np.isclose(ev.predictions["correct"].mean(), ev.accuracy)
    assert (ev.predictions["correct"] == (ev.predictions["label"] == ev.predictions["predicted"])).all()
    assert ev.accuracy > 0.7  # synthetic text: this checks the code, not real-world accuracy
    assert ev.scores["f1"].between(0, 1).all()


def test_calibration_is_sensible(trained):
    _, ev = trained
    cal = ev.calibration[ev.calibration["comments"] >= 30]
    # confident predictions are right more often than hesitant ones, and roughly as often as claimed
    assert cal["accuracy"].iloc[-1] > cal["accuracy"].iloc[0]
    assert (cal["accuracy"] - cal["confidence"]).abs().max() < 0.2


def test_routing(trained, sample):
    model, ev = trained
    assert model.threshold == classify.choose_threshold(ev, 0.9)
    row = ev.routing[ev.routing["threshold"] == model.threshold].iloc[0]
    assert row["accuracy_automatic"] >= 0.9
    predicted = model.predict(sample[0].iloc[:200])
    assert list(predicted.columns) == ["category", "confidence", "needs_review"]
    assert (predicted["needs_review"] == (predicted["confidence"] < model.threshold)).all()
    assert predicted["confidence"].between(0, 1).all()


def test_fixed_threshold(sample):
    model, _ = classify.train(sample[0], sample[1], folds=3, threshold=0.99)
    assert model.predict(sample[0].iloc[:50])["needs_review"].mean() > 0.5


def test_save_and_load(trained, sample, tmp_path):
    model, _ = trained
    path, card = model.save(tmp_path / "model.joblib")
    assert card.name == "model.joblib.card.md"
    text = card.read_text(encoding="utf-8")
    assert "Directive on Automated Decision-Making" in text and "not evidence" in text
    loaded = classify.FeedbackClassifier.load(path)
    pd.testing.assert_frame_equal(loaded.predict(sample[0].iloc[:30]), model.predict(sample[0].iloc[:30]))
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(PlaybookError, match="does not match its card"):
        classify.FeedbackClassifier.load(path)
    card.unlink()
    with pytest.raises(PlaybookError, match="no model card"):
        classify.FeedbackClassifier.load(path)


def test_unknown_label_names_the_row(sample):
    texts, labels = sample
    labels = labels.copy()
    labels.iloc[4] = "parking"
    with pytest.raises(PlaybookError, match=r"row 5, field 'topic': unknown category 'parking'"):
        classify.train(texts, labels.rename("topic"), folds=3)


def test_refuses_raw_text(sample):
    with pytest.raises(PlaybookError, match="redacted"):
        classify.cross_validate(pd.Series(sample[0].to_numpy()), sample[1])


def test_the_model_card_in_french_has_french_headings_and_numbers(trained):
    model, _ = trained
    card = classify.model_card(model, sha256="abc", lang="fr")
    assert card.startswith("# Fiche du modèle") and "## Limites" in card and "Directive sur la prise" in card
    assert "Model details" not in card and "labelled comments" not in card
    assert "- sha256: abc" in card  # the line a saved card is checked by
    threshold = f"{model.threshold:.2f}".replace(".", ",")
    assert f"inférieure à {threshold}" in card
    english = classify.model_card(model, sha256="abc")
    assert english.startswith("# Model card") and "- sha256: abc\n" in english


def test_parse_tags_multi_label_other_and_untagged():
    cats = classify.load_categories()
    labels = pd.Series(["online_account;payments_delays", "other", "", " wait_times ", "other;wait_times"], name="tags")
    assert classify.parse_tags(labels, cats).tolist() == [("online_account", "payments_delays"), (), (),
                                                          ("wait_times",), ("wait_times",)]
    assert classify.parse_tags(pd.Series(["a|b"]), None, separator="|").tolist() == [("a", "b")]
    with pytest.raises(PlaybookError, match="row 3, field 'tags': an untagged comment"):
        classify.parse_tags(labels, cats, untagged="refuse")
    assert classify.join_tags(()) == "other" and classify.join_tags(("a", "b")) == "a;b"


def test_decide_and_the_confidence_of_a_whole_set():
    sets, confidence = classify.decide(np.array([[0.9, 0.6, 0.1], [0.2, 0.1, 0.3]]), ("a", "b", "c"))
    assert sets == [("a", "b"), ()]
    assert np.allclose(confidence, [0.9 * 0.6 * 0.9, 0.8 * 0.9 * 0.7])


@pytest.fixture(scope="module")
def multi(corpus, redacted):
    """Demo comments with a second tag on some, a rare tag (3 examples) and untagged rows."""
    idx = corpus.sample(600, random_state=2).index
    texts, labels = redacted.loc[idx], corpus.loc[idx, "topic"].copy()
    pay = (labels == "payments_delays").to_numpy().nonzero()[0][:40]
    labels.iloc[pay] = "payments_delays;forms_documents"
    labels.iloc[:3] = "rare_tag"
    labels.iloc[3:30] = ""
    cats = classify.load_categories() | {"rare_tag": {"en": "Rare", "fr": "Rare"}}
    return texts, labels.rename("tags"), cats, corpus.loc[idx, "language"]


def test_multi_label_rare_tags_and_other(multi):
    texts, labels, cats, languages = multi
    model, ev = classify.train(texts, labels, categories=cats, folds=3, languages=languages)
    assert "rare_tag" in model.tags and classify.OTHER not in model.tags
    scores = ev.scores.set_index("category")
    assert scores.loc["rare_tag", "support"] == 3 and not scores.loc["rare_tag", "reliable"]
    assert scores.loc["other", "support"] >= 27  # untagged rows count as other
    assert scores.loc["wait_times", "reliable"]
    assert (ev.predictions["predicted"].str.contains(";")).any()  # two tags predicted for some comments
    assert set(model.metrics["macro_f1_by_language"]) == {"en", "fr"}
    card = classify.model_card(model)
    assert "Rare (unreliable, few examples)" in card and "tag right and none missed" in card
    assert "English: macro F1" in card
    predicted = model.predict(texts.iloc[:40])
    assert predicted["category"].map(lambda c: all(t in cats for t in c.split(";"))).all()
    assert ev.probabilities.shape == (len(texts), len(model.tags))


def test_the_tag_set_as_it_comes(multi):
    texts, labels, _, _ = multi
    model, ev = classify.train(texts, labels, categories="data", folds=3)
    assert "rare_tag" in model.tags and model.categories["rare_tag"] == {"en": "rare_tag", "fr": "rare_tag"}


def test_the_same_data_give_the_same_bytes(sample, tmp_path):
    texts, labels = sample[0].iloc[:300], sample[1].iloc[:300]
    first = classify.train(texts, labels, folds=3)[0].save(tmp_path / "a.joblib")[0]
    second = classify.train(texts, labels, folds=3)[0].save(tmp_path / "b.joblib")[0]
    assert first.read_bytes() == second.read_bytes()
