"""Which language a comment is in: English, French, both (``mixed``) or undetermined (``und``).

The detector is `Lingua <https://github.com/pemistahl/lingua-py>`_ (``lingua-language-detector``,
Apache-2.0): character n-gram models of each language, shipped inside the wheel, so nothing is
downloaded at run time. It is built once (:func:`detector`) from English and French plus
:data:`OTHER_LANGUAGES` (Spanish, Portuguese, German, Italian), which clients also write in: a comment
in one of them gives English and French little confidence and comes out ``und``. Every call is a
batch call (``compute_language_confidence_values_in_parallel``), run on all cores by Lingua.

The rule, for each redacted comment (placeholders such as ``[NAME]`` removed first, so they do not
vote; HTML is stripped earlier, when the file is read, :func:`playbook.feedback.pipeline.read_comments`):

1. ``en`` or ``fr``, whichever Lingua gives more confidence;
2. ``und`` when that confidence is below ``min_confidence`` (:data:`MIN_CONFIDENCE`), or below
   ``min_share`` (:data:`MIN_SHARE`) of the English and French confidence together (too close to
   call: ``on`` alone is English or French), or when the comment has no word: no letter (numbers,
   emoji), or only "words" with no vowel or a letter three times in a row (``zxcvbnm``, ``aaaa``);
3. ``mixed`` when the comment splits (at ``. ! ? ; : ,``, a line break, `` / `` or `` - ``) into at
   least one segment clearly English and one clearly French: the language holds at least
   ``mixed_share`` (:data:`MIXED_SHARE`) of the segment's confidence from a detector of English and
   French alone (three times faster than the full one; the ratio of the two is about the same).

The three numbers were calibrated on the hand-written evaluation set
(``tests/feedback/handwritten_feedback.tsv``: 470 comments on 7 December 2026, 328 of 3 words or more
in one language, 108 of 1-2 words, 34 ``mixed``; redacted as the pipeline does) and on 16 comments in
no official language (8 keyboard mashes, 8 sentences in Spanish, Portuguese, German and Italian). The
set labels every comment ``en``, ``fr`` or ``mixed``, so each ``und`` counts as an error there.

* ``min_confidence`` = 0.10: all 8 foreign sentences ``und`` from 0.08 up (7 of 8 below); 0.10 keeps
  a margin and costs one 1-2-word comment (82.4 % right with no threshold, 81.5 % at 0.10, 75 % at 0.20).
* ``min_share`` = 0.55: a lone ``on`` or ``no`` is ``und`` instead of a guess. Comments of 3 words or
  more: 98.5 % right (98.8 % at 0.50, 97.9 % at 0.60); 1-2 words: 81.5 % (83.3 % at 0.50).
* ``mixed_share`` = 0.70: 85 % of the ``mixed`` comments found and 2 of 436 one-language comments
  called ``mixed`` (0.65: 88 % and 3, with 98.2 % on 3 words or more; 0.80: 74 % and 2).

With these values ``und`` is 3.8 % of the set (nearly all 1-2-word comments such as ``n/a`` or an
emoji), and 6 of the 8 keyboard mashes are ``und`` (``asdfgh qwerty`` and ``blablabla`` are not: Lingua
spreads their confidence over the languages it knows and cannot say "none of them"). English and French
alone gave the same accuracy (98.5 % on 3 words or more, 82.4 % on 1-2 words) but only 1 of the 8
foreign sentences ``und``: hence the four other languages, at about a third of the speed (about 1,500
comments a second on 2 busy cores, against 15,000 for the former rule; ``bench/feedback.py``).
:func:`evaluate` measures the accuracy against labels. The former rule (votes of function words,
``stopwords.yml``: 98.5 % on 3 words or more, 51 % on 1-2 words, 59 % of ``mixed``) stays as
:func:`identify_by_function_words` for comparison.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from playbook.feedback.redact import require_redacted
from playbook.feedback.words import word_lists

LABELS = ("en", "fr", "mixed", "und")
#: Languages the detector knows besides English and French (ISO 639-1): a comment in one of them is ``und``.
OTHER_LANGUAGES = ("es", "pt", "de", "it")
#: Lowest Lingua confidence of the chosen official language (calibrated, see the module docstring).
MIN_CONFIDENCE = 0.10
#: Lowest share of the English + French confidence the chosen language must hold.
MIN_SHARE = 0.55
#: Share of a segment's English + French confidence that makes it clearly one language (for ``mixed``).
MIXED_SHARE = 0.70

_PLACEHOLDER = r"\[[A-Z]+\]"
_LETTER = r"[^\W\d_]"
_WORD = r"[^\W\d_]+"
#: Not an English or French word: no vowel (``zxcvbnm``, ``hjkl``) or a letter three times in a row (``aaaa``).
_NOT_A_WORD = r"[^aeiouyàâäéèêëîïôöûùüÿœæ]+|.*([^\W\d_])\1\1.*"
_SEGMENT_END = r"(?<=[.!?;:,])\s+|\s+[/-]\s+|\s*\n\s*"


@cache
def detector(languages: tuple[str, ...] = ("en", "fr", *OTHER_LANGUAGES)):
    """The Lingua detector of ``languages`` (ISO 639-1; by default English, French and
    :data:`OTHER_LANGUAGES`), models loaded once."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [IsoCode639_1.from_str(code) for code in languages]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_preloaded_language_models().build()


def confidences(texts: list[str], *, others: bool = True) -> np.ndarray:
    """Lingua's confidence in English and in French for each text: an array of shape ``(n, 2)``.

    With ``others=False`` the detector knows English and French only (3 times faster; the two
    confidences then sum to 1 but keep about the same ratio)."""
    from lingua import Language

    codes, unique = pd.factorize(pd.Series(texts, dtype=object))  # the same comment is scored once
    found = detector() if others else detector(("en", "fr"))
    results = found.compute_language_confidence_values_in_parallel(list(unique))
    out = np.zeros((len(unique), 2))
    for i, values in enumerate(results):  # a few languages each: reading them out is cheap
        for value in values:
            if value.language == Language.ENGLISH:
                out[i, 0] = value.value
            elif value.language == Language.FRENCH:
                out[i, 1] = value.value
    return out[codes]


def _clear(conf: np.ndarray, share: float, min_confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Which rows are English, which French, with at least ``share`` of the two and ``min_confidence``."""
    total = conf.sum(axis=1)
    en = (conf[:, 0] >= min_confidence) & (conf[:, 0] >= share * total) & (conf[:, 0] > conf[:, 1])
    fr = (conf[:, 1] >= min_confidence) & (conf[:, 1] >= share * total) & (conf[:, 1] > conf[:, 0])
    return en, fr


def identify(texts: pd.Series, *, min_confidence: float = MIN_CONFIDENCE, min_share: float = MIN_SHARE,
             mixed_share: float = MIXED_SHARE) -> pd.Series:
    """``en``, ``fr``, ``mixed`` or ``und`` for each redacted comment (same index); the rule is in the module docstring."""
    texts = require_redacted(texts, "language identification")
    plain = texts.fillna("").astype(str).str.replace(_PLACEHOLDER, " ", regex=True).str.strip()
    plain = plain.reset_index(drop=True)  # positions from here on
    words = plain.str.lower().str.findall(_WORD).explode().dropna()
    real = ~words.str.fullmatch(_NOT_A_WORD)  # a comment of non-words only is und
    has_word = real.groupby(level=0).any().reindex(plain.index, fill_value=False).to_numpy()
    label = np.full(len(plain), "und", dtype=object)
    if has_word.any():
        conf = confidences(plain[has_word].tolist())
        en, fr = _clear(conf, min_share, min_confidence)
        label[has_word] = np.where(en, "en", np.where(fr, "fr", "und"))
        segments = plain[has_word].str.split(_SEGMENT_END, regex=True).explode()
        segments = segments[segments.str.contains(_LETTER, regex=True).fillna(False)]
        several = segments.index.value_counts()
        segments = segments[segments.index.isin(several.index[several > 1])]
        if len(segments):
            seg_en, seg_fr = _clear(confidences(segments.tolist(), others=False), mixed_share, 0.0)
            per = pd.DataFrame({"en": seg_en, "fr": seg_fr}, index=segments.index).groupby(level=0).any()
            mixed = per.index[(per["en"] & per["fr"]).to_numpy()].to_numpy()
            label[mixed] = "mixed"
    return pd.Series(label, index=texts.index, name="language")


def evaluate(predicted: pd.Series, truth: pd.Series) -> tuple[float, pd.DataFrame]:
    """Accuracy and the confusion table (rows: labelled language, columns: identified language)."""
    accuracy = float((predicted.to_numpy() == truth.to_numpy()).mean())
    table = pd.crosstab(truth.rename("labelled"), predicted.rename("identified"))
    return accuracy, table


# --- the former rule, kept for comparison -------------------------------------------------------

_ACCENTS = r"[éèêëàâçùûôîïœ]"
_SENTENCE_END = r"(?<=[.!?;])\s+|\n+"


@cache
def stopwords() -> dict[str, frozenset[str]]:
    """English and French function words that vote for their language (shared spellings removed)."""
    lists = word_lists()
    en, fr = lists["en"], lists["fr"]
    return {"en": en - fr, "fr": fr - en}


def identify_by_function_words(texts: pd.Series) -> pd.Series:
    """The former rule: one vote per English or French function word (and French accent) per sentence.

    A comment is ``mixed`` with a sentence clearly in each language (a margin of two thirds), else the
    language with more votes, ``und`` with no vote. Kept to compare speed and accuracy with :func:`identify`.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    texts = require_redacted(texts, "language identification")
    words = stopwords()
    vocabulary = sorted(words["en"] | words["fr"])
    side = np.array([1 if w in words["fr"] else -1 for w in vocabulary])
    vec = CountVectorizer(vocabulary=vocabulary, token_pattern=r"(?u)\b\w+\b", lowercase=True)
    plain = texts.fillna("").astype(str).str.replace(_PLACEHOLDER, " ", regex=True)
    sentences = plain.str.split(_SENTENCE_END, regex=True).explode()
    counts = vec.transform(sentences.tolist())
    fr = np.asarray(counts[:, side == 1].sum(axis=1)).ravel() + sentences.str.lower().str.count(_ACCENTS).to_numpy()
    en = np.asarray(counts[:, side == -1].sum(axis=1)).ravel()
    votes = pd.DataFrame({"comment": sentences.index, "en": en, "fr": fr})
    votes["clear_en"] = (votes["en"] >= 2 * votes["fr"]) & (votes["en"] > 0)
    votes["clear_fr"] = (votes["fr"] >= 2 * votes["en"]) & (votes["fr"] > 0)
    per = votes.groupby("comment", sort=False)[["en", "fr", "clear_en", "clear_fr"]].sum().reindex(texts.index.unique())
    label = np.where(per["fr"] > per["en"], "fr", "en")
    label = np.where((per["en"] + per["fr"]) == 0, "und", label)
    label = np.where((per["clear_en"] > 0) & (per["clear_fr"] > 0), "mixed", label)
    return pd.Series(label, index=per.index, name="language").reindex(texts.index)
