"""Tag comments with service categories (one or more per comment), with calibrated confidence and a
route to a person.

**Any tag set as it comes.** A labelled comment carries one or more tags (``online_account;payments_delays``,
separator ``;`` by default), ``other``, or nothing. ``other`` is reserved: it means "none of the known
tags" and is learnt from the data as the comments that have no known tag (tagged ``other``, or left
untagged: by default an untagged row counts as ``other``, ``untagged="refuse"`` refuses it instead;
``other`` written beside a real tag is dropped). Rare tags are kept: there is no minimum number of
examples, but a tag with fewer than :data:`RELIABLE_SUPPORT` examples is marked *unreliable* in the
scores and the model card. The categories come from ``specs/feedback_categories.yml`` (another
organization edits that file, or passes ``categories="data"`` to take the tags found in the labels).

**The model.** Each comment is represented by its multilingual sentence embedding
(:mod:`playbook.feedback.embeddings`: comments that mean the same thing are close, in English and
French alike, so a tag learnt from English comments helps with French ones), beside TF-IDF word
unigrams and bigrams and character n-grams (accents folded) at a lower weight. For each tag, a linear
support vector machine with balanced class weights (one-vs-rest) scores the comments; the scores are
turned into probabilities by Platt scaling fitted on out-of-fold scores (internal folds,
:class:`TagModel`). A comment gets every tag whose probability is at least 0.5; a comment with no
such tag gets ``other``. On the hand-written evaluation set (cross-validated, no demo comments), the
embeddings raised the share of comments sorted automatically at the 90 % target from 12 % (word
TF-IDF) or 23 % (word and character TF-IDF) to 55 %, all with thresholds chosen by the estimate; with
the lower bound that :func:`choose_threshold` now uses, 46 % at 0.92.

**Routing.** The confidence of a prediction is the probability that the whole predicted set is right
(tags taken as independent: the product of ``p`` for the tags given and ``1 - p`` for the others).
A prediction is *correct* only when the predicted set equals the labelled set exactly (every
predicted tag right and none missed; ``other`` is the empty set). :func:`choose_threshold` picks, in
cross-validation, the lowest confidence threshold at which the comments left to the machine reach the
target accuracy with a margin for chance (the lower bound of its confidence interval, not the
estimate); the others go to a person (``needs_review``).

A saved model is a joblib file plus a model card (``<model>.card.md``) that records the file's
SHA-256; :meth:`FeedbackClassifier.load` refuses a model whose checksum does not match its card.
joblib files can run code when loaded: load only models your team trained.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import sklearn
import yaml
from scipy.stats import norm
from sklearn.base import BaseEstimator, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC
from statsmodels.stats.proportion import proportion_confint

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.feedback.embeddings import SentenceEmbeddings, encoder_version
from playbook.feedback.redact import PLACEHOLDER, require_redacted
from playbook.io import atomic_path
from playbook.paths import specs_dir

CATEGORIES_FILE = specs_dir() / "feedback_categories.yml"
#: The reserved tag for "none of the known tags" (the empty set of tags).
OTHER = "other"
#: Below this many labelled examples a tag is kept, but its scores are marked unreliable.
RELIABLE_SUPPORT = 5
#: Comments featurised at once when predicting (their sentence embeddings and TF-IDF rows).
PREDICT_CHUNK = 10_000


def load_categories(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """The categories of a YAML file such as ``specs/feedback_categories.yml``: id -> {en, fr, description}.

    ``other`` is added (labels "Other" / "Autre") when the file has none."""
    path = Path(path or CATEGORIES_FILE)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PlaybookError("cannot read the categories: " + " ".join(str(exc).split()), path=path,
                            expected="a YAML mapping of category ids to en/fr labels") from None
    categories = raw.get("categories") if isinstance(raw, dict) else None
    if not isinstance(categories, dict) or len([c for c in categories if c != OTHER]) < 1:
        raise PlaybookError("no categories", path=path, field="categories", expected="a mapping of one or more ids")
    for cid, entry in categories.items():
        if not isinstance(entry, dict) or not {"en", "fr"} <= set(entry):
            raise PlaybookError("a category needs labels in English and French", path=path, field=str(cid),
                                expected="keys en and fr")
    return _with_other({str(k): v for k, v in categories.items()})


def _with_other(categories: dict) -> dict:
    if OTHER in categories:
        return categories
    return {**categories, OTHER: {"en": "Other", "fr": "Autre", "description": "None of the known tags."}}


def categories_from_labels(tag_sets) -> dict[str, dict[str, str]]:
    """Categories named after the tags found in the labels (the tag set as it comes): id -> {en, fr}."""
    found = sorted({t for tags in tag_sets for t in tags if t != OTHER})
    return _with_other({t: {"en": t, "fr": t} for t in found})


def parse_tags(labels: pd.Series, categories: dict | None = None, *, separator: str = ";",
               untagged: str = "other") -> pd.Series:
    """Each label as a sorted tuple of known tags (``()`` for ``other``).

    A label is one or more tags separated by ``separator``, ``other``, or empty. Empty labels are
    ``other`` (``untagged="other"``, the default) or refused (``untagged="refuse"``); ``other``
    beside a real tag is dropped; an unknown tag is an error naming its row."""
    if untagged not in ("other", "refuse"):
        raise PlaybookError(f"untagged='{untagged}'", field="untagged", expected="'other' or 'refuse'")
    name = str(labels.name or "label")
    known = set(categories) - {OTHER} if categories is not None else None
    out = []
    for row, value in enumerate(labels.tolist()):
        if isinstance(value, tuple | list | set | frozenset):
            parts = [str(v).strip() for v in value]
        else:
            value = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
            parts = [p.strip() for p in value.split(separator)] if separator else [value.strip()]
        parts = [p for p in parts if p]
        if not parts and untagged == "refuse":
            raise PlaybookError("an untagged comment", row=row + 1, field=name,
                                expected=f"one or more tags separated by '{separator}', or '{OTHER}'")
        if known is not None:
            for p in parts:
                if p != OTHER and p not in known:
                    raise PlaybookError(f"unknown category '{p}'", row=row + 1, field=name,
                                        expected=f"one of {', '.join(categories)}")
        out.append(tuple(sorted({p for p in parts if p != OTHER})))
    return pd.Series(out, index=labels.index, name=name, dtype=object)


def join_tags(tags: tuple[str, ...]) -> str:
    """A set of tags as text: ``"a;b"``, or ``"other"`` for the empty set."""
    return ";".join(tags) if tags else OTHER


def _clean(text: str) -> str:
    return PLACEHOLDER.sub(" ", text).lower()


#: The feature sets :func:`make_features` can combine.
FEATURES = ("sentences", "words", "chars")
#: The default: sentence embeddings, with word and character TF-IDF at a lower weight.
DEFAULT_FEATURES = ("sentences", "words", "chars")
#: The weight of the TF-IDF parts beside the sentence embeddings (both have unit-length rows).
TFIDF_WEIGHT = 0.3


def make_features(features=DEFAULT_FEATURES) -> FeatureUnion:
    """The unfitted features: any of ``"sentences"`` (multilingual sentence embeddings,
    :mod:`playbook.feedback.embeddings`), ``"words"`` (TF-IDF word unigrams and bigrams, accents
    folded) and ``"chars"`` (TF-IDF character 3- to 5-grams, which survive typos). Beside the
    embeddings, the TF-IDF parts are weighted :data:`TFIDF_WEIGHT`."""
    features = check_features(features)
    weight = TFIDF_WEIGHT if "sentences" in features else 1.0
    parts = []
    if "sentences" in features:
        parts.append(("sentences", SentenceEmbeddings()))
    if "words" in features:
        parts.append(("words", TfidfVectorizer(preprocessor=_clean, ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                               strip_accents="unicode", dtype=np.float32)))
    if "chars" in features:
        parts.append(("chars", TfidfVectorizer(preprocessor=_clean, analyzer="char_wb", ngram_range=(3, 5),
                                               min_df=2, max_features=60000, sublinear_tf=True,
                                               strip_accents="unicode", dtype=np.float32)))
    weights = {name: (1.0 if name == "sentences" else weight) for name, _ in parts}
    return FeatureUnion(parts, transformer_weights=weights)


def check_features(features, field: str = "features") -> tuple[str, ...]:
    """``features`` (names, or one name) in :data:`FEATURES` order; a :class:`PlaybookError` naming
    ``field`` for an unknown name or none."""
    features = (features,) if isinstance(features, str) else tuple(str(f).strip() for f in features)
    features = tuple(f for f in features if f)
    unknown = [f for f in features if f not in FEATURES]
    if not features or unknown:
        raise PlaybookError(f"unknown features {', '.join(unknown)}" if unknown else "no features", field=field,
                            expected="one or more of " + ", ".join(FEATURES) + " (separated by commas)")
    return tuple(f for f in FEATURES if f in features)


class TagModel(BaseEstimator):
    """One calibrated linear model per tag, on shared TF-IDF features (multi-label, one-vs-rest).

    Each tag's SVM (balanced class weights, so a tag with one example still pulls) is calibrated by
    Platt scaling on its out-of-fold scores (``inner_folds`` plain K folds, so a tag with a single
    example needs no stratification); the SVM is then refitted on every comment. A tag with no
    example gets probability 0."""

    def __init__(self, tags: tuple[str, ...] = (), *, features=DEFAULT_FEATURES, C: float = 0.3, inner_folds: int = 3,
                 seed: int = 0):
        self.tags = tags
        self.features = features
        self.C = C
        self.inner_folds = inner_folds
        self.seed = seed

    def _svm(self):
        return LinearSVC(C=self.C, class_weight="balanced", random_state=self.seed)

    def fit(self, texts, tag_sets):
        texts = np.asarray(texts, dtype=object)
        y = _indicator(tag_sets, self.tags)
        self.features_ = make_features(self.features)
        x = self.features_.fit_transform(texts)
        self.models_, self.platt_ = [], []
        folds = KFold(n_splits=min(self.inner_folds, len(texts)), shuffle=True, random_state=self.seed)
        for j in range(len(self.tags)):
            target = y[:, j]
            if target.min() == target.max():  # no example (or every comment): a constant
                self.models_.append(None)
                self.platt_.append(float(target.max()))
                continue
            scores = np.zeros(len(texts))
            for train, test in folds.split(x):
                if target[train].min() == target[train].max():
                    scores[test] = -1.0 if target[train].max() == 0 else 1.0
                else:
                    scores[test] = clone(self._svm()).fit(x[train], target[train]).decision_function(x[test])
            platt = LogisticRegression(C=1e4).fit(scores.reshape(-1, 1), target)
            self.platt_.append((float(platt.coef_[0, 0]), float(platt.intercept_[0])))
            self.models_.append(self._svm().fit(x, target))
        return self

    def predict_proba(self, texts) -> np.ndarray:
        """An ``(n comments, n tags)`` array of calibrated probabilities (:data:`PREDICT_CHUNK` comments
        at a time, so memory stays flat however many comments there are)."""
        texts = np.asarray(texts, dtype=object)
        out = np.zeros((len(texts), len(self.tags)))
        for start in range(0, len(texts), PREDICT_CHUNK):
            x = self.features_.transform(texts[start:start + PREDICT_CHUNK])
            rows = slice(start, start + x.shape[0])
            for j, (model, platt) in enumerate(zip(self.models_, self.platt_, strict=True)):
                if model is None:
                    out[rows, j] = platt
                else:
                    a, b = platt
                    out[rows, j] = 1.0 / (1.0 + np.exp(-(a * model.decision_function(x) + b)))
        return out


def _indicator(tag_sets, tags) -> np.ndarray:
    index = {t: j for j, t in enumerate(tags)}
    y = np.zeros((len(tag_sets), len(tags)), dtype=int)
    for i, found in enumerate(tag_sets):
        for t in found:
            if t in index:
                y[i, index[t]] = 1
    return y


def decide(proba: np.ndarray, tags, cut: float = 0.5) -> tuple[list[tuple[str, ...]], np.ndarray]:
    """The predicted tag sets (tags with probability >= ``cut``; the empty set is ``other``) and the
    routing confidence: the probability that the whole set is right, tags taken as independent."""
    tags = np.asarray(tags, dtype=object)
    chosen = proba >= cut
    sets = [tuple(tags[row]) for row in chosen]
    confidence = np.where(chosen, proba, 1.0 - proba).prod(axis=1) if proba.shape[1] else np.ones(len(proba))
    return sets, confidence


@dataclass
class Evaluation:
    """Cross-validated evaluation: predictions, per-tag scores, confusion, calibration, routing."""

    predictions: pd.DataFrame  # label, predicted (tags joined by ";", "other"), confidence, correct (exact set)
    scores: pd.DataFrame  # category, precision, recall, f1, support, reliable (+ macro average)
    confusion: pd.DataFrame  # rows: labelled tag, columns: predicted tag (comments with both)
    calibration: pd.DataFrame  # bin, confidence (mean), accuracy, comments
    routing: pd.DataFrame  # threshold, automatic (share), comments, accuracy_automatic, accuracy_lower
    accuracy: float  # exact set match
    probabilities: pd.DataFrame = field(default_factory=pd.DataFrame)  # one column per tag, out-of-fold


def tag_scores(truth, predicted, tags) -> pd.DataFrame:
    """Precision, recall, F1 and support (labelled comments) per tag, ``other`` (the empty set)
    included, plus the macro average over the tags that have a labelled example; ``reliable`` is
    False below :data:`RELIABLE_SUPPORT` labelled examples."""
    rows = []
    for tag in [*[t for t in tags if t != OTHER], OTHER]:
        def has(s, tag=tag):
            return len(s) == 0 if tag == OTHER else tag in s
        yt = np.array([has(s) for s in truth], dtype=bool)
        yp = np.array([has(s) for s in predicted], dtype=bool)
        tp, fp, fn = int((yt & yp).sum()), int((~yt & yp).sum()), int((yt & ~yp).sum())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        rows.append({"category": tag, "precision": p, "recall": r, "f1": f, "support": int(yt.sum()),
                     "reliable": bool(yt.sum() >= RELIABLE_SUPPORT)})
    scores = pd.DataFrame(rows)
    seen = scores[scores["support"] > 0]
    macro = {"category": "macro average", "precision": seen["precision"].mean(), "recall": seen["recall"].mean(),
             "f1": seen["f1"].mean(), "support": int(len(truth)), "reliable": bool(seen["reliable"].all())}
    return pd.concat([scores, pd.DataFrame([macro])], ignore_index=True)


def _evaluate(truth: pd.Series, proba: np.ndarray, tags: tuple[str, ...], bins: int = 10) -> Evaluation:
    predicted, confidence = decide(proba, tags)
    truth_sets = list(truth)
    correct = np.array([set(a) == set(b) for a, b in zip(truth_sets, predicted, strict=True)])
    preds = pd.DataFrame({"label": [join_tags(s) for s in truth_sets], "predicted": [join_tags(s) for s in predicted],
                          "confidence": confidence, "correct": correct}, index=truth.index)
    scores = tag_scores(truth_sets, predicted, tags)
    names = [*[t for t in tags if t != OTHER], OTHER]
    conf = pd.DataFrame(0, index=pd.Index(names, name="labelled"), columns=pd.Index(names, name="predicted"))
    for a, b in zip(truth_sets, predicted, strict=True):
        for ta in a or (OTHER,):
            for tb in b or (OTHER,):
                conf.loc[ta, tb] += 1
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges) - 1, 0, bins - 1)
    calibration = (pd.DataFrame({"bin": which, "confidence": confidence, "correct": correct})
                   .groupby("bin").agg(confidence=("confidence", "mean"), accuracy=("correct", "mean"),
                                       comments=("correct", "size")).reset_index())
    routing = routing_table(confidence, correct)
    probabilities = pd.DataFrame(proba, index=truth.index, columns=list(tags))
    return Evaluation(preds, scores, conf, calibration, routing, float(correct.mean()), probabilities)


def _tags_of(categories: dict) -> tuple[str, ...]:
    return tuple(c for c in categories if c != OTHER)


def _prepare(texts, labels, categories, separator, untagged):
    texts = require_redacted(texts, "the classifier")
    if isinstance(categories, str) and categories == "data":
        raw = parse_tags(pd.Series(labels, index=texts.index, name=getattr(labels, "name", None)), None,
                         separator=separator, untagged=untagged)
        categories = categories_from_labels(raw)
    categories = _with_other(categories or load_categories())
    tag_sets = parse_tags(pd.Series(labels, index=texts.index, name=getattr(labels, "name", None)), categories,
                          separator=separator, untagged=untagged)
    return texts, tag_sets, categories


def _folds(tag_sets: pd.Series, folds: int, seed: int):
    """Folds stratified on each comment's rarest tag (``other`` for none), so rare tags spread out."""
    counts = pd.Series([t for s in tag_sets for t in s]).value_counts()
    strata = [min(s, key=lambda t: (counts[t], t)) if s else OTHER for s in tag_sets]
    folds = max(2, min(folds, len(tag_sets)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a stratum smaller than the folds: spread as well as can be
        return list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(np.zeros(len(strata)),
                                                                                              strata))


def cross_validate(texts: pd.Series, labels: pd.Series, *, folds: int = 5, seed: int = 0, features=DEFAULT_FEATURES,
                   categories: dict | str | None = None, separator: str = ";", untagged: str = "other",
                   extra: tuple[pd.Series, pd.Series] | None = None) -> Evaluation:
    """Out-of-fold predictions of :class:`TagModel` (``folds`` folds stratified on the rarest tag) and their scores.

    ``extra`` (redacted texts and their labels, for example the demo corpus) is added to every
    training fold and never tested on: the scores are those of ``texts`` only."""
    texts, tag_sets, categories = _prepare(texts, labels, categories, separator, untagged)
    if extra is not None:
        extra = _prepare(extra[0], extra[1], categories, separator, untagged)[:2]
    return _cross_validate(texts, tag_sets, _tags_of(categories), folds=folds, seed=seed, features=features, extra=extra)


def _cross_validate(texts, tag_sets, tags, *, folds, seed, features, extra=None) -> Evaluation:
    values = texts.to_numpy()
    sets = list(tag_sets)
    more_values, more_sets = (extra[0].to_numpy(), list(extra[1])) if extra is not None else (values[:0], [])
    proba = np.zeros((len(values), len(tags)))
    for train, test in _folds(tag_sets, folds, seed):
        model = TagModel(tags, features=features, seed=seed).fit(np.concatenate([values[train], more_values]),
                                                           [sets[i] for i in train] + more_sets)
        proba[test] = model.predict_proba(values[test])
    return _evaluate(tag_sets, proba, tags)


#: The routing threshold needs the accuracy's lower bound, not its estimate, to reach the target: the
#: lower end of the Wilson score interval at one standard error (a one-sided 84 % bound). On the
#: hand-written set, the estimate alone (the lowest threshold whose measured accuracy reached 90 %)
#: gave 0.896 on the comments it had not seen, and below 0.90 in more than half of 40 random
#: splits; the bound gave 0.92, and 0.90 or more in 93 % of them (:func:`routing_cross_fitted`, seeds 0 to 39).
ROUTING_BOUND_ALPHA = 2 * float(norm.sf(1.0))


def routing_table(confidence: np.ndarray, correct: np.ndarray) -> pd.DataFrame:
    """For each threshold 0.00, 0.01, ..., 0.99: the share of comments at or above it (sorted
    automatically), how many, their accuracy and its lower bound (:data:`ROUTING_BOUND_ALPHA`)."""
    thresholds = np.round(np.arange(0.0, 1.0, 0.01), 2)
    above = np.asarray(confidence)[None, :] >= thresholds[:, None]
    count = above.sum(axis=1)
    right = (above & np.asarray(correct, dtype=bool)[None, :]).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy = np.where(count > 0, right / np.maximum(count, 1), np.nan)
        lower = proportion_confint(right, np.maximum(count, 1), alpha=ROUTING_BOUND_ALPHA, method="wilson")[0]
    return pd.DataFrame({"threshold": thresholds, "automatic": count / max(len(correct), 1), "comments": count,
                         "accuracy_automatic": accuracy, "accuracy_lower": np.where(count > 0, lower, np.nan)})


def choose_threshold(evaluation: Evaluation, target_accuracy: float = 0.9) -> float:
    """The lowest confidence threshold at which the lower bound of the automatically sorted comments'
    accuracy (:data:`ROUTING_BOUND_ALPHA`) reaches ``target_accuracy`` (0.99 when none does: nearly
    everything goes to a person). The fewer the labelled comments, the wider the bound and the
    fewer comments the machine is given."""
    ok = evaluation.routing[evaluation.routing["accuracy_lower"] >= target_accuracy]
    return float(ok["threshold"].min()) if len(ok) else 0.99


def routing_at(evaluation: Evaluation, threshold: float) -> dict[str, float]:
    """The share of comments sorted automatically at ``threshold`` and their accuracy (exact set)."""
    preds = evaluation.predictions
    automatic = preds["confidence"] >= threshold
    return {"threshold": float(threshold), "share_automatic": float(automatic.mean()),
            "accuracy_automatic": float(preds["correct"][automatic].mean()) if automatic.any() else float("nan"),
            "comments": int(len(preds))}


def routing_cross_fitted(evaluation: Evaluation, target_accuracy: float = 0.9, *, seed: int = 0,
                         repeats: int = 20) -> dict[str, float]:
    """Routing measured without choosing the threshold on the comments it is measured on: the
    out-of-fold predictions are split in two random halves; each half is routed with the threshold
    that :func:`choose_threshold` picks on the other half. Over ``repeats`` such splits, the share
    sorted automatically is the mean and the accuracy is pooled; ``accuracy_range`` gives the lowest
    and highest accuracy of a single split."""
    preds = evaluation.predictions
    confidence, correct = preds["confidence"].to_numpy(), preds["correct"].to_numpy()
    rng = np.random.default_rng(seed)
    automatic = np.zeros((repeats, len(preds)), dtype=bool)
    thresholds = []
    for r in range(repeats):
        half = rng.permutation(len(preds)) % 2 == 0
        for part in (half, ~half):
            chosen = choose_threshold(_evaluate_predictions(preds[~part]), target_accuracy)
            thresholds.append(chosen)
            automatic[r, part] = confidence[part] >= chosen
    per_split = [float(correct[a].mean()) for a in automatic if a.any()]
    return {"thresholds": thresholds, "share_automatic": float(automatic.mean()),
            "accuracy_automatic": float((automatic & correct).sum() / automatic.sum()) if automatic.any()
            else float("nan"),
            "accuracy_range": (min(per_split), max(per_split)) if per_split else (float("nan"), float("nan")),
            "comments": int(len(preds)), "repeats": int(repeats)}


def _evaluate_predictions(preds: pd.DataFrame) -> Evaluation:
    routing = routing_table(preds["confidence"].to_numpy(), preds["correct"].to_numpy())
    return Evaluation(preds, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), routing, float(preds["correct"].mean()))


def scores_by(evaluation: Evaluation, groups: pd.Series) -> pd.DataFrame:
    """Per-tag scores (:func:`tag_scores`) within each group (for example the language): columns
    ``group`` then those of :attr:`Evaluation.scores`."""
    preds = evaluation.predictions
    groups = pd.Series(np.asarray(groups), index=preds.index)
    tags = list(evaluation.probabilities.columns)

    def sets(values):
        return [() if v == OTHER else tuple(v.split(";")) for v in values]

    parts = []
    for name in sorted(groups.dropna().unique()):
        keep = (groups == name).to_numpy()
        table = tag_scores(sets(preds["label"][keep]), sets(preds["predicted"][keep]), tags)
        parts.append(table.assign(group=name))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return out[["group", *[c for c in out.columns if c != "group"]]] if parts else out


@dataclass
class FeedbackClassifier:
    """A fitted model, its categories, its routing threshold and the evaluation it was trained with."""

    pipeline: TagModel
    categories: dict[str, dict[str, str]]
    threshold: float
    metrics: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(self.pipeline.tags)

    def probabilities(self, texts: pd.Series) -> pd.DataFrame:
        """The calibrated probability of each tag (one column per tag) for each redacted comment."""
        texts = require_redacted(texts, "the classifier")
        if len(texts) == 0:
            return pd.DataFrame(columns=list(self.tags), index=texts.index, dtype=float)
        return pd.DataFrame(self.pipeline.predict_proba(texts.to_numpy()), index=texts.index, columns=list(self.tags))

    def evaluate(self, texts: pd.Series, labels: pd.Series, *, separator: str = ";",
                 untagged: str = "other") -> Evaluation:
        """The scores of this model on labelled comments it was not trained on (for example a
        hand-labelled sample of real comments). A tag the model does not know counts as wrong."""
        texts = require_redacted(texts, "the classifier")
        tag_sets = parse_tags(pd.Series(labels, index=texts.index, name=getattr(labels, "name", None)), None,
                              separator=separator, untagged=untagged)
        return _evaluate(tag_sets, self.probabilities(texts).to_numpy(), self.tags)

    def predict(self, texts: pd.Series) -> pd.DataFrame:
        """``category`` (the tags joined by ``;``, or ``other``), ``confidence`` (that the whole set is
        right) and ``needs_review`` (confidence below the threshold) per comment."""
        proba = self.probabilities(texts)
        if len(proba) == 0:
            return pd.DataFrame({"category": [], "confidence": [], "needs_review": []}, index=proba.index)
        sets, confidence = decide(proba.to_numpy(), self.tags)
        return pd.DataFrame({"category": [join_tags(s) for s in sets], "confidence": confidence,
                             "needs_review": confidence < self.threshold}, index=proba.index)

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
        if not isinstance(data.get("pipeline"), TagModel):
            raise PlaybookError("a model of an earlier version of the playbook (one tag per comment)", path=path,
                                expected="a model written by this version's `feedback train`: train it again")
        trained_with = data.get("meta", {}).get("sentence_encoder")
        if trained_with and trained_with != encoder_version():
            raise PlaybookError(f"the model was trained with {trained_with}, and {encoder_version()} is installed",
                                path=path, expected="the same sentence encoder: train the model again")
        for v in _vectorizers(data["pipeline"]):
            v._stop_words_id = id(v.stop_words)  # validated when trained (see save)
        return cls(**data)


def _vectorizers(model) -> list:
    """The fitted text vectorizers of ``model`` (those that remember their stop-word check)."""
    found = [model] if hasattr(model, "_stop_words_id") else []
    for part in (model, getattr(model, "features_", None)):
        params = part.get_params(deep=True) if hasattr(part, "get_params") else {}
        found += [p for p in params.values() if hasattr(p, "_stop_words_id") and p is not model]
    return list({id(v): v for v in found}.values())


def card_path(model_path: str | Path) -> Path:
    """Where the model card of a model file lives."""
    model_path = Path(model_path)
    return model_path.with_name(model_path.name + ".card.md")


def _metrics(evaluation: Evaluation, threshold: float, target_accuracy: float, folds: int,
             languages: pd.Series | None) -> dict:
    preds = evaluation.predictions
    automatic = preds["confidence"] >= threshold
    metrics = {
        "accuracy": evaluation.accuracy,
        "macro_f1": float(evaluation.scores.iloc[-1]["f1"]),
        "per_class": evaluation.scores.round(3).to_dict(orient="records"),
        "folds": folds,
        "threshold": threshold,
        "target_accuracy": target_accuracy,
        "share_automatic": float(automatic.mean()),
        "accuracy_automatic": float(preds["correct"][automatic].mean()) if automatic.any() else float("nan"),
    }
    if languages is not None:
        by = {}
        lang = pd.Series(languages, index=preds.index).astype(str)
        for code in ("en", "fr"):
            keep = (lang == code).to_numpy()
            if keep.any():
                truth = [tuple(s.split(";")) if s != OTHER else () for s in preds["label"][keep]]
                pred = [tuple(s.split(";")) if s != OTHER else () for s in preds["predicted"][keep]]
                by[code] = float(tag_scores(truth, pred, evaluation.probabilities.columns).iloc[-1]["f1"])
        metrics["macro_f1_by_language"] = by
    return metrics


def train(texts: pd.Series, labels: pd.Series, *, categories: dict | str | None = None, target_accuracy: float = 0.9,
          threshold: float | None = None, folds: int = 5, seed: int = 0, features=DEFAULT_FEATURES,
          separator: str = ";", untagged: str = "other", languages: pd.Series | None = None,
          data_note: str = "") -> tuple[FeedbackClassifier, Evaluation]:
    """Cross-validate, choose the routing threshold, then fit on all the labelled comments.

    ``labels``: one or more tags per comment (see :func:`parse_tags`); ``categories``: a mapping (default
    ``specs/feedback_categories.yml``) or ``"data"`` for the tags found in the labels; ``languages``
    (optional, aligned with ``texts``) adds the macro F1 per language to the metrics."""
    texts, tag_sets, categories = _prepare(texts, labels, categories, separator, untagged)
    tags = _tags_of(categories)
    if not any(tag_sets):
        raise PlaybookError("no comment has a known tag", field=str(tag_sets.name),
                            expected="at least one comment tagged with one of " + ", ".join(tags))
    if len(texts) < 2 * max(folds, 2):
        raise PlaybookError(f"{len(texts)} labelled comments are too few for {folds}-fold cross-validation",
                            field=str(tag_sets.name), expected=f"at least {2 * max(folds, 2)}")
    features = check_features(features)
    evaluation = _cross_validate(texts, tag_sets, tags, folds=folds, seed=seed, features=features)
    chosen = choose_threshold(evaluation, target_accuracy) if threshold is None else float(threshold)
    model = TagModel(tags, features=features, seed=seed).fit(texts.to_numpy(), list(tag_sets))
    metrics = _metrics(evaluation, chosen, target_accuracy, folds, languages)
    meta = {"comments": int(len(tag_sets)), "trained": dt.date.today().isoformat(), "data": data_note,
            "scikit_learn": sklearn.__version__, "seed": seed, "features": list(features), "separator": separator,
            "untagged": untagged, "sentence_encoder": encoder_version() if "sentences" in features else ""}
    return FeedbackClassifier(model, categories, chosen, metrics, meta), evaluation


def _features_text(meta: dict, lang: str) -> str:
    """The model's features in words (``meta["features"]``; an older model's ``chars`` flag)."""
    features = meta.get("features") or (["words", "chars"] if meta.get("chars") else ["words"])
    encoder = meta.get("sentence_encoder") or encoder_version()
    return i18n.format_list([i18n.t(f"feedback_card_feature_{f}", lang, encoder=encoder) for f in features], lang)


def model_card(clf: FeedbackClassifier, *, sha256: str = "", lang: str | None = "en") -> str:
    """A model card in Markdown (after Mitchell et al., 2019): what the model is for and how well it
    did, in ``lang`` (the card saved beside a model is English; a page shows it in its language)."""
    lang = i18n.language(lang)
    m, meta = clf.metrics, clf.meta
    nan = float("nan")

    def num(value, decimals):
        return i18n.format_number(float(value), lang, decimals)

    names = {cid: c.get(lang, cid) for cid, c in clf.categories.items()}
    names["macro average"] = i18n.t("feedback_macro_average", lang)
    unreliable = i18n.t("feedback_card_unreliable", lang)
    rows = "\n".join(f"| {names.get(r['category'], r['category'])}{'' if r.get('reliable', True) else ' ' + unreliable} "
                     f"| {num(r['precision'], 2)} | {num(r['recall'], 2)} "
                     f"| {num(r['f1'], 2)} | {num(r['support'], 0)} |" for r in m.get("per_class", []))
    by_language = m.get("macro_f1_by_language") or {}
    by_language = "; ".join(i18n.t("feedback_card_macro_language", lang, language=i18n.t(f"feedback_language_{k}", lang),
                                   f1=num(v, 3)) for k, v in by_language.items())
    card = i18n.t(
        "feedback_card", lang,
        features=_features_text(meta, lang),
        sklearn=meta.get("scikit_learn", "?"), seed=meta.get("seed", 0), trained=meta.get("trained", "?"),
        comments=num(meta["comments"], 0) if "comments" in meta else "?", data=meta.get("data", ""),
        threshold=num(clf.threshold, 2),
        categories="\n".join(f"- `{cid}`: {c[lang]}" for cid, c in clf.categories.items()),
        folds=m.get("folds", "?"), accuracy=num(m.get("accuracy", nan), 3), macro_f1=num(m.get("macro_f1", nan), 3),
        by_language=(by_language + ".") if by_language else "",
        share=i18n.format_percent(100 * m.get("share_automatic", nan), lang, 0),
        accuracy_automatic=num(m.get("accuracy_automatic", nan), 3), target=num(m.get("target_accuracy", nan), 2),
        reliable=RELIABLE_SUPPORT, rows=rows)
    head, _, rest = card.partition("\n\n## ")
    details, _, after = rest.partition("\n\n")
    return f"{head}\n\n## {details}\n- sha256: {sha256}\n\n{after}"
