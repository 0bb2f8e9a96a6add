"""Sort comments into service categories, with calibrated confidence and a route to a human.

The model is a TF-IDF representation (word unigrams and bigrams, accents folded, plus character
n-grams that survive typos) and a linear support vector machine whose scores are turned into
probabilities by :class:`~sklearn.calibration.CalibratedClassifierCV` (Platt scaling on internal
folds). Comments whose top probability is below a threshold are routed to a person
(``needs_review``); :func:`choose_threshold` picks the lowest threshold at which the comments left
to the machine reach a target accuracy in cross-validation.

The categories come from ``specs/feedback_categories.yml``: another organization edits that file,
labels a sample of its own comments, and retrains (``python -m playbook feedback train``).

A saved model is a joblib file plus a model card (``<model>.card.md``) that records the file's
SHA-256; :meth:`FeedbackClassifier.load` refuses a model whose checksum does not match its card.
joblib files can run code when loaded: load only models your team trained.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import sklearn
import yaml
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.feedback.redact import require_redacted
from playbook.io import atomic_path
from playbook.paths import specs_dir

CATEGORIES_FILE = specs_dir() / "feedback_categories.yml"
_PLACEHOLDER = r"\[(?:EMAIL|PHONE|SIN|POSTAL|ADDRESS|DOB|NAME)\]"


def load_categories(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """The categories of a YAML file such as ``specs/feedback_categories.yml``: id -> {en, fr, description}."""
    path = Path(path or CATEGORIES_FILE)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PlaybookError("cannot read the categories: " + " ".join(str(exc).split()), path=path,
                            expected="a YAML mapping of category ids to en/fr labels") from None
    categories = raw.get("categories") if isinstance(raw, dict) else None
    if not isinstance(categories, dict) or len(categories) < 2:
        raise PlaybookError("no categories", path=path, field="categories", expected="a mapping of two or more ids")
    for cid, entry in categories.items():
        if not isinstance(entry, dict) or not {"en", "fr"} <= set(entry):
            raise PlaybookError("a category needs labels in English and French", path=path, field=str(cid),
                                expected="keys en and fr")
    return categories


def _clean(text: str) -> str:
    import re

    return re.sub(_PLACEHOLDER, " ", text).lower()


def make_pipeline(*, chars: bool = False, seed: int = 0) -> Pipeline:
    """The unfitted model: TF-IDF features and a calibrated linear SVM."""
    parts = [("words", TfidfVectorizer(preprocessor=_clean, ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                       strip_accents="unicode", dtype=np.float32))]
    if chars:
        parts.append(("chars", TfidfVectorizer(preprocessor=_clean, analyzer="char_wb", ngram_range=(3, 4),
                                               min_df=3, max_features=40000, sublinear_tf=True,
                                               strip_accents="unicode", dtype=np.float32)))
    svm = LinearSVC(C=0.3, class_weight="balanced", random_state=seed)
    return Pipeline([("features", FeatureUnion(parts)),
                     ("model", CalibratedClassifierCV(svm, method="sigmoid", cv=3))])


@dataclass
class Evaluation:
    """Cross-validated evaluation: predictions, per-class scores, confusion, calibration, routing."""

    predictions: pd.DataFrame  # label, predicted, confidence (one row per comment, out-of-fold)
    scores: pd.DataFrame  # category, precision, recall, f1, support (+ macro average)
    confusion: pd.DataFrame  # rows: labelled, columns: predicted
    calibration: pd.DataFrame  # bin, confidence (mean), accuracy, comments
    routing: pd.DataFrame  # threshold, automatic (share), accuracy_automatic
    accuracy: float


def _evaluate(labels: pd.Series, proba: np.ndarray, classes: list[str], bins: int = 10) -> Evaluation:
    predicted = np.asarray(classes)[proba.argmax(axis=1)]
    confidence = proba.max(axis=1)
    preds = pd.DataFrame({"label": labels.to_numpy(), "predicted": predicted, "confidence": confidence},
                         index=labels.index)
    p, r, f, s = precision_recall_fscore_support(preds["label"], preds["predicted"], labels=classes, zero_division=0)
    scores = pd.DataFrame({"category": classes, "precision": p, "recall": r, "f1": f, "support": s})
    macro = {"category": "macro average", "precision": p.mean(), "recall": r.mean(), "f1": f.mean(), "support": s.sum()}
    scores = pd.concat([scores, pd.DataFrame([macro])], ignore_index=True)
    confusion = pd.DataFrame(confusion_matrix(preds["label"], preds["predicted"], labels=classes),
                             index=pd.Index(classes, name="labelled"), columns=pd.Index(classes, name="predicted"))
    correct = preds["label"] == preds["predicted"]
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges) - 1, 0, bins - 1)
    calibration = (pd.DataFrame({"bin": which, "confidence": confidence, "correct": correct.to_numpy()})
                   .groupby("bin").agg(confidence=("confidence", "mean"), accuracy=("correct", "mean"),
                                       comments=("correct", "size")).reset_index())
    thresholds = np.round(np.arange(0.0, 1.0, 0.05), 2)
    routing = pd.DataFrame({
        "threshold": thresholds,
        "automatic": [(confidence >= t).mean() for t in thresholds],
        "accuracy_automatic": [correct[confidence >= t].mean() if (confidence >= t).any() else np.nan
                               for t in thresholds],
    })
    return Evaluation(preds, scores, confusion, calibration, routing, float(correct.mean()))


def _check_labels(labels: pd.Series, categories: dict) -> pd.Series:
    labels = labels.astype(str).str.strip()
    unknown = ~labels.isin(list(categories))
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise PlaybookError(f"unknown category '{labels.iloc[row]}'", row=row + 1, field=str(labels.name or "label"),
                            expected=f"one of {', '.join(categories)}")
    return labels


def cross_validate(texts: pd.Series, labels: pd.Series, *, folds: int = 5, seed: int = 0, chars: bool = False,
                   categories: dict | None = None) -> Evaluation:
    """Out-of-fold predictions of :func:`make_pipeline` (stratified ``folds``-fold) and their scores."""
    texts = require_redacted(texts, "the classifier")
    categories = categories or load_categories()
    labels = _check_labels(pd.Series(labels, index=texts.index), categories)
    classes = sorted(labels.unique())
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    proba = cross_val_predict(make_pipeline(chars=chars, seed=seed), texts.to_numpy(), labels.to_numpy(),
                              cv=splitter, method="predict_proba")
    return _evaluate(labels, proba, classes)


def choose_threshold(evaluation: Evaluation, target_accuracy: float = 0.9) -> float:
    """The lowest confidence threshold at which the automatically sorted comments reach ``target_accuracy``."""
    ok = evaluation.routing[evaluation.routing["accuracy_automatic"] >= target_accuracy]
    return float(ok["threshold"].min()) if len(ok) else 0.95


@dataclass
class FeedbackClassifier:
    """A fitted model, its categories, its routing threshold and the evaluation it was trained with."""

    pipeline: Pipeline
    categories: dict[str, dict[str, str]]
    threshold: float
    metrics: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    def predict(self, texts: pd.Series) -> pd.DataFrame:
        """``category``, ``confidence`` and ``needs_review`` (confidence below the threshold) per comment."""
        texts = require_redacted(texts, "the classifier")
        if len(texts) == 0:
            return pd.DataFrame({"category": [], "confidence": [], "needs_review": []}, index=texts.index)
        proba = self.pipeline.predict_proba(texts.to_numpy())
        classes = self.pipeline.classes_
        confidence = proba.max(axis=1)
        return pd.DataFrame({"category": classes[proba.argmax(axis=1)], "confidence": confidence,
                             "needs_review": confidence < self.threshold}, index=texts.index)

    def save(self, path: str | Path) -> tuple[Path, Path]:
        """Write the model (joblib) and its card (``<path>.card.md``, with the model's SHA-256).

        The same training gives the same bytes: scikit-learn's vectorizers keep the memory address of
        their stop-word list (``_stop_words_id``, a check that the list was validated), which is
        written as 0 and restored on :meth:`load`."""
        path = Path(path)
        vectorizers = _vectorizers(self.pipeline)
        kept = [v._stop_words_id for v in vectorizers]
        with atomic_path(path) as tmp:
            try:
                for v in vectorizers:
                    v._stop_words_id = 0
                joblib.dump({"pipeline": self.pipeline, "categories": self.categories, "threshold": self.threshold,
                             "metrics": self.metrics, "meta": self.meta}, tmp, compress=3)
            finally:
                for v, was in zip(vectorizers, kept, strict=True):
                    v._stop_words_id = was
            digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
            card = card_path(path)
            with atomic_path(card) as card_tmp:
                card_tmp.write_text(model_card(self, sha256=digest), encoding="utf-8")
        return path, card

    @classmethod
    def load(cls, path: str | Path) -> FeedbackClassifier:
        """Read a model saved by :meth:`save`, after checking its SHA-256 against its card."""
        path = Path(path)
        card = card_path(path)
        if not path.is_file():
            raise PlaybookError("model file not found", path=path, expected="a model written by `feedback train`")
        if not card.is_file():
            raise PlaybookError("the model has no model card beside it", path=card,
                                expected="the .card.md written with the model")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if f"sha256: {digest}" not in card.read_text(encoding="utf-8"):
            raise PlaybookError("the model does not match its card (changed or replaced)", path=path,
                                expected="the SHA-256 recorded in " + card.name)
        data = joblib.load(path)
        for v in _vectorizers(data["pipeline"]):
            v._stop_words_id = id(v.stop_words)  # validated when trained (see save)
        return cls(**data)


def _vectorizers(pipeline) -> list:
    """The fitted text vectorizers of ``pipeline`` (those that remember their stop-word check)."""
    found = [pipeline] if hasattr(pipeline, "_stop_words_id") else []
    params = pipeline.get_params(deep=True) if hasattr(pipeline, "get_params") else {}
    found += [p for p in params.values() if hasattr(p, "_stop_words_id") and p is not pipeline]
    return list({id(v): v for v in found}.values())


def card_path(model_path: str | Path) -> Path:
    """Where the model card of a model file lives."""
    model_path = Path(model_path)
    return model_path.with_name(model_path.name + ".card.md")


def train(texts: pd.Series, labels: pd.Series, *, categories: dict | None = None, target_accuracy: float = 0.9,
          threshold: float | None = None, folds: int = 5, seed: int = 0, chars: bool = False,
          data_note: str = "") -> tuple[FeedbackClassifier, Evaluation]:
    """Cross-validate, choose the routing threshold, then fit on all the labelled comments."""
    texts = require_redacted(texts, "the classifier")
    categories = categories or load_categories()
    labels = _check_labels(pd.Series(labels, index=texts.index), categories)
    counts = labels.value_counts()
    if len(counts) < 2 or counts.min() < folds:
        raise PlaybookError(f"too few labelled comments: '{counts.idxmin()}' has {counts.min()}",
                            field=str(labels.name or "label"),
                            expected=f"at least {folds} per category and 2 categories")
    evaluation = cross_validate(texts, labels, folds=folds, seed=seed, chars=chars, categories=categories)
    chosen = choose_threshold(evaluation, target_accuracy) if threshold is None else float(threshold)
    pipeline = make_pipeline(chars=chars, seed=seed).fit(texts.to_numpy(), labels.to_numpy())
    automatic = evaluation.predictions["confidence"] >= chosen
    correct = evaluation.predictions["label"] == evaluation.predictions["predicted"]
    metrics = {
        "accuracy": evaluation.accuracy,
        "macro_f1": float(evaluation.scores.iloc[-1]["f1"]),
        "per_class": evaluation.scores.round(3).to_dict(orient="records"),
        "folds": folds,
        "threshold": chosen,
        "target_accuracy": target_accuracy,
        "share_automatic": float(automatic.mean()),
        "accuracy_automatic": float(correct[automatic].mean()),
    }
    meta = {"comments": int(len(labels)), "trained": dt.date.today().isoformat(), "data": data_note,
            "scikit_learn": sklearn.__version__, "seed": seed, "chars": chars}
    return FeedbackClassifier(pipeline, categories, chosen, metrics, meta), evaluation


def model_card(clf: FeedbackClassifier, *, sha256: str = "", lang: str | None = "en") -> str:
    """A model card in Markdown (after Mitchell et al., 2019): what the model is for and how well it
    did, in ``lang`` (the card saved beside a model is English; a page shows it in its language)."""
    lang = i18n.language(lang)
    m, meta = clf.metrics, clf.meta
    nan = float("nan")

    def num(value, decimals):
        return i18n.format_number(float(value), lang, decimals)

    names = {cid: c.get(lang, cid) for cid, c in clf.categories.items()}
    rows = "\n".join(f"| {names.get(r['category'], r['category'])} | {num(r['precision'], 2)} | {num(r['recall'], 2)} "
                     f"| {num(r['f1'], 2)} | {num(r['support'], 0)} |" for r in m.get("per_class", []))
    card = i18n.t(
        "feedback_card", lang,
        features=i18n.t("feedback_card_features_chars" if meta.get("chars") else "feedback_card_features", lang),
        sklearn=meta.get("scikit_learn", "?"), seed=meta.get("seed", 0), trained=meta.get("trained", "?"),
        comments=num(meta["comments"], 0) if "comments" in meta else "?", data=meta.get("data", ""),
        threshold=num(clf.threshold, 2),
        categories="\n".join(f"- `{cid}`: {c[lang]}" for cid, c in clf.categories.items()),
        folds=m.get("folds", "?"), accuracy=num(m.get("accuracy", nan), 3), macro_f1=num(m.get("macro_f1", nan), 3),
        share=i18n.format_percent(100 * m.get("share_automatic", nan), lang, 0),
        accuracy_automatic=num(m.get("accuracy_automatic", nan), 3), target=num(m.get("target_accuracy", nan), 2),
        rows=rows)
    head, _, rest = card.partition("\n\n## ")
    details, _, after = rest.partition("\n\n")
    return f"{head}\n\n## {details}\n- sha256: {sha256}\n\n{after}"
