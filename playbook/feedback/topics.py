"""Topic discovery per language: TF-IDF and non-negative matrix factorization (scikit-learn).

Topics are found without labels, one model per language (English and French words do not share
topics well). Each topic is a list of weighted terms; each comment gets the topic with the largest
weight (``0`` weight: no topic). The result gives the top terms, the comments that best represent
each topic (redacted, since only :class:`~playbook.feedback.redact.Redacted` text is accepted), and
topic sizes over time. The model is deterministic for a given ``seed`` (NNDSVDA initialisation).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from playbook.errors import PlaybookError
from playbook.feedback.redact import require_redacted
from playbook.feedback.sentiment import fold
from playbook.feedback.words import word_lists


@cache
def topic_stopwords(lang: str) -> list[str]:
    """Words that never name a topic in ``lang`` (folded: no accents, lowercase)."""
    lists = word_lists()
    words = set(lists[lang]) | set(lists["topic_extra"][lang])
    if lang == "en":
        words |= set(ENGLISH_STOP_WORDS)
    return sorted({fold(w) for w in words} | {"email", "phone", "sin", "postal", "address", "dob", "name"})


def _preprocess(text: str) -> str:
    import re

    return fold(re.sub(r"\[[A-Z]+\]", " ", text))


@dataclass
class Topics:
    """Topics found in one language's comments."""

    lang: str
    terms: pd.DataFrame  # topic, rank, term, weight
    assignments: pd.DataFrame  # index of the comment -> topic, weight
    texts: pd.Series  # the redacted comments the model saw

    def top_terms(self, n: int = 8) -> pd.DataFrame:
        """One row per topic: ``topic``, ``terms`` (the ``n`` heaviest, comma-separated), ``comments``."""
        sizes = self.assignments["topic"].value_counts()
        top = self.terms[self.terms["rank"] < n].groupby("topic")["term"].agg(", ".join)
        return pd.DataFrame({"topic": top.index, "terms": top.to_numpy(),
                             "comments": sizes.reindex(top.index).fillna(0).astype(int).to_numpy()})

    def representatives(self, k: int = 3) -> pd.DataFrame:
        """The ``k`` comments with the largest weight on each topic: ``topic, weight, text``."""
        assigned = self.assignments[self.assignments["topic"] > 0]
        ranked = assigned.sort_values(["topic", "weight"], ascending=[True, False], kind="stable")
        best = ranked.groupby("topic", sort=True).head(k)
        return pd.DataFrame({"topic": best["topic"].to_numpy(), "weight": best["weight"].round(3).to_numpy(),
                             "text": self.texts.loc[best.index].to_numpy()})

    def sizes_over_time(self, dates: pd.Series, freq: str = "Q") -> pd.DataFrame:
        """Comments per topic and period (``period``, ``topic``, ``comments``); ``dates`` aligned by index."""
        when = pd.to_datetime(dates.loc[self.assignments.index]).dt.to_period(freq)
        table = self.assignments.assign(period=when.to_numpy()).groupby(["period", "topic"]).size()
        return table.rename("comments").reset_index()


def discover(texts: pd.Series, *, lang: str, n_topics: int = 8, n_terms: int = 12, seed: int = 0,
             min_df: int = 5, max_df: float = 0.3) -> Topics:
    """Find ``n_topics`` topics in redacted comments written in ``lang`` (``"en"`` or ``"fr"``)."""
    texts = require_redacted(texts, "topic discovery")
    if lang not in ("en", "fr"):
        raise PlaybookError(f"unknown language '{lang}'", field="lang", expected="'en' or 'fr'")
    if len(texts) < n_topics * 5:
        raise PlaybookError(f"{len(texts)} comments are too few for {n_topics} topics", field="texts",
                            expected=f"at least {n_topics * 5}")
    vectorizer = TfidfVectorizer(preprocessor=_preprocess, stop_words=topic_stopwords(lang), min_df=min_df,
                                 max_df=max_df, sublinear_tf=True,
                                 token_pattern=r"(?u)\b[a-z][a-z]+\b")
    matrix = vectorizer.fit_transform(texts.to_numpy())
    model = NMF(n_components=n_topics, init="nndsvda", random_state=seed, max_iter=400)
    weights = model.fit_transform(matrix)
    vocabulary = vectorizer.get_feature_names_out()
    order = np.argsort(-model.components_, axis=1)[:, :n_terms]
    terms = pd.DataFrame([(t + 1, r, vocabulary[j], float(model.components_[t, j]))
                          for t in range(n_topics) for r, j in enumerate(order[t])],
                         columns=["topic", "rank", "term", "weight"])
    best = weights.argmax(axis=1)
    assignments = pd.DataFrame({"topic": np.where(weights.max(axis=1) > 0, best + 1, 0),
                                "weight": weights.max(axis=1)}, index=texts.index)
    return Topics(lang, terms, assignments, texts)
