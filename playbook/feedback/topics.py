"""Topic discovery per language: TF-IDF and non-negative matrix factorization (scikit-learn).

Topics are found without labels, one model per language (English and French words do not share
topics well). The terms are words and word pairs (bigrams) after the function words of both
languages are taken out; the service vocabulary (payment, account, form, phone, paiement, compte,
formulaire...) is kept, since it is what topics are about. Each topic is a list of weighted terms and
a short label made of its top phrases (:meth:`Topics.top_terms`); each comment gets the topic with the
largest weight (``0`` weight: no topic). The result gives the top terms, the comments that best represent
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
from playbook.feedback.words import STOPWORDS_FILE, word_lists
from playbook.io import read_yaml


@cache
def service_words() -> frozenset[str]:
    """The service vocabulary (``service_words`` of ``stopwords.yml``, folded): words such as payment,
    account, form, phone, paiement, compte, formulaire that name a topic even where they also vote
    for a language."""
    raw = read_yaml(STOPWORDS_FILE).get("service_words") or {}
    return frozenset(fold(str(w)) for words in raw.values() for w in words)


@cache
def topic_stopwords(lang: str) -> list[str]:
    """Words that never name a topic in ``lang`` (folded: no accents, lowercase): the function words of
    both languages (comments mix them) and scikit-learn's English list, the extra words of
    ``stopwords.yml``, and the placeholders, but not the service vocabulary (:func:`service_words`)."""
    lists = word_lists()
    words = set(lists["en"]) | set(lists["fr"]) | set(ENGLISH_STOP_WORDS)
    words |= set(lists["topic_extra"]["en"]) | set(lists["topic_extra"]["fr"])
    folded = {fold(w).replace("'", "") for w in words} - service_words()
    return sorted(folded | {"email", "phone", "sin", "postal", "address", "dob", "name"} - {""})


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

    def labels(self, k: int = 2, among: int = 6) -> pd.Series:
        """A label per topic: ``k`` phrases of its ``among`` heaviest terms, word pairs first ("direct
        deposit" rather than "direct" and "deposit"), a word left out when a chosen pair holds it,
        joined by " / "."""
        out = {}
        for topic, group in self.terms.sort_values(["topic", "rank"]).groupby("topic"):
            top = list(group["term"])[:among]
            chosen: list[str] = []
            for term in [t for t in top if " " in t] + [t for t in top if " " not in t]:
                words = set(term.split())
                if len(chosen) < k and not any(words & set(c.split()) for c in chosen):
                    chosen.append(term)
            out[topic] = " / ".join(sorted(chosen, key=top.index))
        return pd.Series(out, name="label")

    def top_terms(self, n: int = 8) -> pd.DataFrame:
        """One row per topic: ``topic``, ``label`` (:meth:`labels`), ``terms`` (the ``n`` heaviest,
        comma-separated), ``comments``."""
        sizes = self.assignments["topic"].value_counts()
        top = self.terms[self.terms["rank"] < n].groupby("topic")["term"].agg(", ".join)
        return pd.DataFrame({"topic": top.index, "label": self.labels().reindex(top.index).to_numpy(),
                             "terms": top.to_numpy(),
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
                                 max_df=max_df, sublinear_tf=True, ngram_range=(1, 2),
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
