"""The word lists the feedback stages share, read once from ``stopwords.yml``.

The file holds, per language, the function words (``en``, ``fr``) that vote for a language
(:mod:`.language`), that are never a lowercase name (:mod:`.redact`) and never name a topic
(:mod:`.topics`, with the extra ``topic_extra`` words).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from playbook.io import read_yaml

STOPWORDS_FILE = Path(__file__).with_name("stopwords.yml")


@cache
def word_lists() -> dict:
    """The raw lists of ``stopwords.yml``: ``en``, ``fr`` and ``topic_extra`` (per language), as strings."""
    raw = read_yaml(STOPWORDS_FILE)
    return {
        "en": frozenset(map(str, raw["en"])),
        "fr": frozenset(map(str, raw["fr"])),
        "topic_extra": {lang: frozenset(map(str, words)) for lang, words in raw["topic_extra"].items()},
    }


def function_words() -> frozenset[str]:
    """Every English and French function word."""
    lists = word_lists()
    return lists["en"] | lists["fr"]
