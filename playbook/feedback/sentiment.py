"""Sentiment of a comment (negative, neutral, positive) from a documented lexicon, offline.

The lexicon (``lexicon.yml``) lists English and French words and phrases that carry a positive or
negative tone; ``strong`` ones count double. A negator ("not", "never", "pas", "jamais") flips the
sign of the first sentiment word in the three tokens after it. The score is the sum divided by the square root of
a tenth of the number of words (so long comments do not win by length); it is ``neg`` below ``-cut``, ``pos``
above ``cut``, else ``neu``. Nothing is downloaded: the rule is the lexicon, which anyone can read
and extend. :func:`evaluate` measures it against labels, :func:`against_majority` against always
guessing the most common label.

Measured on the hand-written comments (``tests/feedback/handwritten_feedback.tsv``, issue 23), the
lexicon did not beat "always negative" in accuracy on the comments written after its faults were
fixed, so the book and ``feedback classify`` leave sentiment out; the module stays to measure a
better rule on a labelled sample.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from playbook.feedback.redact import require_redacted

LEXICON_FILE = Path(__file__).with_name("lexicon.yml")
LABELS = ("neg", "neu", "pos")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def fold(text: str) -> str:
    """Lowercase without accents: ``"Reçu"`` -> ``"recu"``."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@cache
def lexicon() -> tuple[dict[tuple[str, ...], float], frozenset[str]]:
    """Phrase (as a tuple of folded tokens) -> weight, and the set of negators."""
    raw = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    strong = {fold(w) for w in raw["strong"]}
    weights: dict[tuple[str, ...], float] = {}
    for sign, key in ((1.0, "positive"), (-1.0, "negative")):
        for word in raw[key]:
            w = fold(str(word))
            weights[tuple(w.replace("'", "").split())] = sign * (2.0 if w in strong else 1.0)
    return weights, frozenset(fold(str(n)).replace("'", "") for n in raw["negators"])


def score_one(text: str) -> float:
    """The lexicon score of one comment."""
    weights, negators = lexicon()
    tokens = [t.replace("'", "") for t in _TOKEN.findall(fold(re.sub(r"\[[A-Z]+\]", " ", text)))]
    total, flip_until, i = 0.0, -1, 0
    longest = max(len(k) for k in weights)
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            phrase = tuple(tokens[i:i + size])
            if phrase in weights:
                total += -weights[phrase] if i <= flip_until else weights[phrase]
                flip_until = -1  # a negator flips one sentiment word
                i += size
                break
        else:
            if tokens[i] in negators or tokens[i].endswith("nt") and tokens[i][:-2] + "n't" in negators:
                flip_until = i + 3
            i += 1
    return total / np.sqrt(max(len(tokens), 1) / 10)


def score(texts: pd.Series, *, cut: float = 0.3) -> pd.DataFrame:
    """``sentiment_score`` and ``sentiment`` (neg/neu/pos) for each redacted comment."""
    texts = require_redacted(texts, "sentiment")
    values = np.array([score_one(t) for t in texts], dtype=float)
    label = np.where(values < -cut, "neg", np.where(values > cut, "pos", "neu"))
    return pd.DataFrame({"sentiment_score": values, "sentiment": label}, index=texts.index)


def evaluate(predicted: pd.Series, truth: pd.Series) -> tuple[float, pd.DataFrame]:
    """Accuracy and confusion table (rows: labelled, columns: predicted)."""
    accuracy = float((predicted.to_numpy() == truth.to_numpy()).mean())
    return accuracy, pd.crosstab(truth.rename("labelled"), predicted.rename("predicted"))


def against_majority(predicted: pd.Series, truth: pd.Series, groups: pd.Series | None = None) -> pd.DataFrame:
    """The lexicon against the majority class ("always the most common label"), per group (for
    example the language) and overall: ``group, comments, majority, accuracy, macro_f1,
    majority_accuracy, majority_macro_f1``. A rule worth keeping beats the majority on both."""
    from sklearn.metrics import f1_score

    predicted = pd.Series(np.asarray(predicted), index=truth.index)
    groups = pd.Series("all", index=truth.index) if groups is None else pd.Series(np.asarray(groups), index=truth.index)
    rows = []
    for name, keep in [*((g, groups == g) for g in sorted(groups.unique())), ("all", groups.notna())]:
        if name == "all" and groups.nunique() == 1:
            continue
        y, p = truth[keep].astype(str), predicted[keep].astype(str)
        majority = y.value_counts().sort_index().idxmax()
        rows.append({"group": name, "comments": int(keep.sum()), "majority": majority,
                     "accuracy": float((y == p).mean()),
                     "macro_f1": float(f1_score(y, p, labels=list(LABELS), average="macro", zero_division=0)),
                     "majority_accuracy": float((y == majority).mean()),
                     "majority_macro_f1": float(f1_score(y, [majority] * len(y), labels=list(LABELS), average="macro",
                                                         zero_division=0))})
    return pd.DataFrame(rows)
