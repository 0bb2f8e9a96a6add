"""Which language a comment is in: English, French, or both ("mixed").

A stop-word scoring rule, offline and explainable: each sentence gets one vote per English function
word and one per French function word (``stopwords.yml``; words spelt the same in both languages
vote for neither), plus one French vote per accented letter. A sentence belongs to the language with
more votes; a comment is ``mixed`` when it holds at least one sentence clearly in each language
(``min_votes`` or more, and a margin of at least two thirds), else the language with more votes
overall. Comments with no vote at all are ``und`` (undetermined). :func:`evaluate` measures the
accuracy against labels.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer

from playbook.feedback.redact import require_redacted
from playbook.feedback.words import word_lists

LABELS = ("en", "fr", "mixed", "und")
_ACCENTS = r"[éèêëàâçùûôîïœ]"
_SENTENCE_END = r"(?<=[.!?;])\s+|\n+"


@cache
def stopwords() -> dict[str, frozenset[str]]:
    """English and French function words that vote for their language (shared spellings removed)."""
    lists = word_lists()
    en, fr = lists["en"], lists["fr"]
    return {"en": en - fr, "fr": fr - en}


@cache
def _vectorizer() -> tuple[CountVectorizer, np.ndarray]:
    words = stopwords()
    vocabulary = sorted(words["en"] | words["fr"])
    vec = CountVectorizer(vocabulary=vocabulary, token_pattern=r"(?u)\b\w+\b", lowercase=True)
    side = np.array([1 if w in words["fr"] else -1 for w in vocabulary])
    return vec, side


def sentence_votes(texts: pd.Series) -> pd.DataFrame:
    """One row per sentence: ``comment`` (index label), ``en`` and ``fr`` vote counts."""
    plain = texts.fillna("").astype(str).str.replace(r"\[[A-Z]+\]", " ", regex=True)  # placeholders do not vote
    sentences = plain.str.split(_SENTENCE_END, regex=True).explode()
    vec, side = _vectorizer()
    counts = vec.transform(sentences.tolist())
    fr = np.asarray(counts[:, side == 1].sum(axis=1)).ravel()
    en = np.asarray(counts[:, side == -1].sum(axis=1)).ravel()
    fr = fr + sentences.str.lower().str.count(_ACCENTS).to_numpy()
    return pd.DataFrame({"comment": sentences.index, "en": en, "fr": fr})


def identify(texts: pd.Series, *, min_votes: int = 1) -> pd.Series:
    """``en``, ``fr``, ``mixed`` or ``und`` for each redacted comment (same index)."""
    texts = require_redacted(texts, "language identification")
    votes = sentence_votes(texts)
    total = votes["en"] + votes["fr"]
    clear = total >= min_votes
    votes["clear_en"] = clear & (votes["en"] >= 2 * votes["fr"]) & (votes["en"] > 0)
    votes["clear_fr"] = clear & (votes["fr"] >= 2 * votes["en"]) & (votes["fr"] > 0)
    per = votes.groupby("comment", sort=False)[["en", "fr", "clear_en", "clear_fr"]].sum()
    per = per.reindex(texts.index.unique())
    label = np.where(per["fr"] > per["en"], "fr", "en")
    label = np.where((per["en"] + per["fr"]) == 0, "und", label)
    label = np.where((per["clear_en"] > 0) & (per["clear_fr"] > 0), "mixed", label)
    result = pd.Series(label, index=per.index, name="language")
    return result.reindex(texts.index)


def evaluate(predicted: pd.Series, truth: pd.Series) -> tuple[float, pd.DataFrame]:
    """Accuracy and the confusion table (rows: labelled language, columns: identified language)."""
    accuracy = float((predicted.to_numpy() == truth.to_numpy()).mean())
    table = pd.crosstab(truth.rename("labelled"), predicted.rename("identified"))
    return accuracy, table
