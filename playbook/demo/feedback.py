"""A synthetic, labelled corpus of bilingual client comments (the feedback demo data).

Each comment has a date (2023–2024), a channel, a language (``en``, ``fr`` or ``mixed``), a service
category (:data:`~playbook.demo.feedback_phrases.CATEGORIES`), a sentiment (``neg``, ``neu``,
``pos``) and the character spans of the personal information it contains (``pii``: a JSON list of
``[start, end, type]``). It is built to be hard rather than clean: varied phrasing, typos and
missing accents, a second topic in many comments, ambiguous and off-topic comments, numbers that
look like phone numbers or SINs but are not (amounts, file numbers, dates), given names missing
from the redactor's gazetteer, and some label noise (a share of topic and sentiment labels are
deliberately wrong, as in real hand-labelled data). Topic shares move over time (a new sign-in
system in spring 2024, tax-season payment questions, summer passport queues) so trends show up.

Scores measured on this corpus say that the code works, not that it would work on real feedback.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from playbook.demo.feedback_phrases import (
    AREA_CODES,
    CATEGORIES,
    CLOSERS,
    CONNECTORS,
    DISTRACTORS,
    EMAIL_DOMAINS,
    HELD_OUT_GIVEN,
    OPENERS,
    PII_CONTEXTS,
    SENTENCES,
    SLOTS,
    STREETS,
    SURNAMES,
)
from playbook.feedback.redact import gazetteer, luhn_valid
from playbook.io import atomic_path

FILE_NAME = "feedback_comments_2023_2024.csv.gz"
#: Where the file goes under the data folder (``generate`` writes ``out_dir / RELATIVE``).
RELATIVE = Path("demo") / "feedback" / FILE_NAME
#: The seed of the committed file (the demo package's seed).
SEED = 2021
N_COMMENTS = 6000
CHANNELS = ("web form", "email", "phone transcript", "in-person survey", "social media")
TOPIC_NOISE = 0.05
SENTIMENT_NOISE = 0.07
_SENTIMENT_SHARE = {"neg": 0.55, "pos": 0.25, "neu": 0.20}
MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
COLUMNS = ["comment_id", "date", "channel", "language", "topic", "sentiment", "text", "pii"]
_TITLE_CONTEXT = ("Mr.", "Ms.", "M. ", "Mme", "agent", "agente")


def _given_names() -> list[str]:
    return sorted(gazetteer()["given"])


def _topic_weights(month: pd.Period) -> np.ndarray:
    """Topic shares by month: the trends the notebook should find."""
    w = np.array([1.3, 1.0, 0.9, 1.1, 0.9, 0.45, 0.4, 0.9])
    if pd.Period("2024-03", "M") <= month <= pd.Period("2024-07", "M"):
        w[1] *= 2.6  # the new sign-in system
    if month.month in (3, 4, 5):
        w[3] *= 1.7  # tax season and benefit recalculations
    if month.month in (6, 7, 8):
        w[0] *= 1.8  # summer passport queues
    return w / w.sum()


def _luhn_digits(rng: np.random.Generator, valid: bool) -> str:
    while True:
        digits = "".join(str(d) for d in rng.integers(0, 10, 9))
        if digits[0] not in "08" and luhn_valid(digits) == valid:
            return digits


def _pii_value(kind: str, lang: str, context: str, rng: np.random.Generator, given: list[str]) -> str:
    pick = lambda seq: seq[rng.integers(len(seq))]  # noqa: E731
    if kind == "PHONE":
        a, b, c = pick(AREA_CODES), f"{rng.integers(200, 999)}", f"{rng.integers(0, 10000):04d}"
        layouts = [
            f"({a}) {b}-{c}",
            f"{a}-{b}-{c}",
            f"{a} {b}-{c}",
            f"{a}.{b}.{c}",
            f"{a}{b}{c}",
            f"1-800-{b}-{c}",
            f"1 888 {b}-{c}",
            f"+1 {a} {b} {c}",
            f"{a} {b} {c}",
        ]
        phone = pick(layouts)
        if rng.random() < 0.15:
            phone += pick([" ext. ", " x", " poste ", " ext "]) + str(rng.integers(1, 9999))
        return phone
    if kind == "EMAIL":
        first, last = _plain(pick(given)).lower(), _plain(pick(SURNAMES)).lower().replace("'", "")
        user = pick([f"{first}.{last}", f"{first[0]}{last}", f"{first}{rng.integers(1, 99)}", f"{last}_{first}"])
        return f"{user}@{pick(EMAIL_DOMAINS)}"
    if kind == "SIN":
        d = _luhn_digits(rng, True)
        return pick([f"{d[:3]} {d[3:6]} {d[6:]}", f"{d[:3]}-{d[3:6]}-{d[6:]}", d])
    if kind == "POSTAL":
        letters, tail = "ABCEGHJKLMNPRSTVXY", "ABCEGHJKLMNPRSTVWXYZ"
        code = f"{pick(letters)}{rng.integers(10)}{pick(tail)}", f"{rng.integers(10)}{pick(tail)}{rng.integers(10)}"
        text = pick([f"{code[0]} {code[1]}", f"{code[0]}{code[1]}"])
        return text.lower() if rng.random() < 0.25 else text
    if kind == "ADDRESS":
        number = str(rng.integers(1, 9999))
        if rng.random() < 0.15:
            number = f"{rng.integers(1, 40)}-{number}"
        sep = ", " if lang == "fr" and rng.random() < 0.3 else " "
        return f"{number}{sep}{pick(STREETS[lang])}"
    if kind == "DOB":
        y, m, d = rng.integers(1935, 2005), rng.integers(1, 13), rng.integers(1, 29)
        months_en = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
        if lang == "fr":
            return pick([f"{d} {MONTHS_FR[m - 1]} {y}", f"{d:02d}/{m:02d}/{y}", f"{y}-{m:02d}-{d:02d}"])
        return pick(
            [f"{months_en[m - 1]} {d}, {y}", f"{m:02d}/{d:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{d} {months_en[m - 1]} {y}"]
        )
    # NAME: given names mostly from the gazetteer, some held out; title contexts take a surname
    first = pick(HELD_OUT_GIVEN) if rng.random() < 0.15 else pick(given)
    last = pick(SURNAMES)
    if any(cue in context for cue in _TITLE_CONTEXT):
        name = pick([last, f"{first} {last}"])
    else:
        name = pick([first, f"{first} {last}", f"{first} {last}"])
    return name.lower() if rng.random() < 0.03 else name


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typos(text: str, rng: np.random.Generator, rate: float) -> str:
    """Swap, drop or double letters and drop accents in a share ``rate`` of words."""
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) < 4 or rng.random() >= rate or "{" in w:
            continue
        kind, j = rng.integers(4), rng.integers(1, len(w) - 2)
        if kind == 0:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        elif kind == 1:
            w = w[:j] + w[j + 1 :]
        elif kind == 2:
            w = w[:j] + w[j] + w[j:]
        else:
            w = _plain(w)
        words[i] = w
    return " ".join(words)


def _fill(template: str, lang: str, rng: np.random.Generator) -> str:
    values = {k: v[rng.integers(len(v))] for k, v in SLOTS[lang].items()}
    return template.format(**values)


def _distractor(lang: str, rng: np.random.Generator) -> str:
    template = DISTRACTORS[lang][rng.integers(len(DISTRACTORS[lang]))]
    amount = rng.integers(20, 5000) + rng.integers(0, 100) / 100
    date = pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(rng.integers(0, 700)))
    return template.format(
        amount=f"{amount:,.2f}",
        amount_fr=f"{amount:,.2f}".replace(",", " ").replace(".", ","),
        date=pick_date(date, lang, rng),
        ref=f"{rng.integers(2019, 2025)}-{rng.integers(100, 999)}-{rng.integers(1000, 9999)}",
        ref9=_luhn_digits(rng, False),
        ref10=f"{rng.integers(200, 999)}{rng.integers(200, 999)}{rng.integers(0, 9999):04d}",
    )


def pick_date(date: pd.Timestamp, lang: str, rng: np.random.Generator) -> str:
    """A date written the way clients write them (ISO, numeric, or in words)."""
    words = date.strftime("%B %d, %Y") if lang == "en" else f"{date.day} {MONTHS_FR[date.month - 1]} {date.year}"
    forms = [date.strftime("%Y-%m-%d"), date.strftime("%d/%m/%Y"), words]
    return forms[rng.integers(len(forms))]


def _sentence(topic: str, lang: str, sentiment: str, rng: np.random.Generator) -> str:
    pool = SENTENCES[topic][lang][sentiment]
    return _fill(pool[rng.integers(len(pool))], lang, rng)


def _comment(rng: np.random.Generator, topic: str, lang: str, sentiment: str, given: list[str]) -> tuple[str, list]:
    """One comment as text plus its PII spans."""
    text_lang = lang if lang != "mixed" else ("fr" if rng.random() < 0.5 else "en")
    other_lang = {"en": "fr", "fr": "en"}[text_lang]
    parts: list[tuple[str, str | None]] = [(OPENERS[text_lang][rng.integers(len(OPENERS[text_lang]))], None)]
    parts.append((_sentence(topic, text_lang, sentiment, rng), None))
    second_lang = other_lang if lang == "mixed" else text_lang
    if lang == "mixed" or rng.random() < 0.35:  # a second sentence, often on another topic
        second = topic if rng.random() < 0.45 else CATEGORIES[rng.integers(len(CATEGORIES))]
        mood = sentiment if rng.random() < 0.7 else ("neg", "pos", "neu")[rng.integers(3)]
        conn = CONNECTORS[second_lang][rng.integers(len(CONNECTORS[second_lang]))]
        parts.append((conn + _sentence(second, second_lang, mood, rng), None))
    if rng.random() < 0.25:
        parts.append((" " + _distractor(second_lang, rng), None))
    n_pii = rng.choice([0, 1, 2, 3], p=[0.45, 0.33, 0.15, 0.07])
    for kind in rng.choice(
        ["NAME", "PHONE", "EMAIL", "SIN", "POSTAL", "ADDRESS", "DOB"],
        size=n_pii,
        p=[0.3, 0.2, 0.14, 0.08, 0.1, 0.1, 0.08],
        replace=False,
    ):
        ctx_lang = second_lang if rng.random() < 0.5 else text_lang
        contexts = PII_CONTEXTS[ctx_lang][kind]
        context = contexts[rng.integers(len(contexts))]
        before, after = context.split("{x}")
        value = _pii_value(kind, ctx_lang, context, rng, given)
        if kind == "POSTAL" and rng.random() < 0.5 and ctx_lang == "fr":
            before = "Montréal (Québec) " if rng.random() < 0.5 else before
        parts += [(" " + before, None), (value, kind), (after, None)]
    closer = CLOSERS[second_lang][rng.integers(len(CLOSERS[second_lang]))]
    parts.append((closer, None))
    rate = rng.choice([0.0, 0.03, 0.08], p=[0.5, 0.35, 0.15])
    text, spans, lower = "", [], rng.random() < 0.06
    for piece, kind in parts:
        if kind is None:
            piece = _typos(piece, rng, rate)
            piece = piece.lower() if lower else piece
        else:
            spans.append([len(text), len(text) + len(piece), kind])
        text += piece
    stripped = len(text) - len(text.lstrip())
    return text.strip(), [[s - stripped, e - stripped, k] for s, e, k in spans]


def comments(n: int = N_COMMENTS, seed: int = SEED) -> pd.DataFrame:
    """``n`` labelled synthetic comments: ``comment_id, date, channel, language, topic, sentiment, text, pii``."""
    rng = np.random.default_rng(seed)
    given = _given_names()
    days = pd.date_range("2023-01-01", "2024-12-31", freq="D")
    dates = days[np.sort(rng.integers(0, len(days), n))]
    languages = rng.choice(["en", "fr", "mixed"], size=n, p=[0.54, 0.41, 0.05])
    sentiments = rng.choice(list(_SENTIMENT_SHARE), size=n, p=list(_SENTIMENT_SHARE.values()))
    rows = []
    weights = {m: _topic_weights(m) for m in dates.to_period("M").unique()}
    for i, (date, lang, sentiment) in enumerate(zip(dates, languages, sentiments, strict=True)):
        topic = CATEGORIES[rng.choice(len(CATEGORIES), p=weights[date.to_period("M")])]
        text, spans = _comment(rng, topic, lang, sentiment, given)
        if rng.random() < TOPIC_NOISE:
            topic = CATEGORIES[rng.integers(len(CATEGORIES))]
        if rng.random() < SENTIMENT_NOISE:
            sentiment = ("neg", "neu", "pos")[rng.integers(3)]
        rows.append(
            (
                f"C{i + 1:05d}",
                date.date().isoformat(),
                CHANNELS[rng.integers(len(CHANNELS))],
                lang,
                topic,
                sentiment,
                text,
                json.dumps(spans, ensure_ascii=False),
            )
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def read(path: str | Path) -> pd.DataFrame:
    """Read the corpus file; ``pii`` becomes a list of ``(start, end, type)`` per comment."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["date"] = pd.to_datetime(df["date"])
    df["pii"] = [[tuple(s) for s in json.loads(p)] for p in df["pii"]]
    return df


def generate(out_dir: Path, seed: int = SEED) -> list[Path]:
    """Write the corpus to ``out_dir / RELATIVE`` (the layout of ``data/``), gzip-compressed with a
    fixed timestamp so that the same seed gives the same bytes."""
    target = Path(out_dir) / RELATIVE
    body = comments(N_COMMENTS, seed).to_csv(index=False).encode("utf-8")
    with atomic_path(target) as tmp, open(tmp, "wb") as raw:
        # no file name and a fixed time in the gzip header: the same seed gives the same bytes
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
            gz.write(body)
    return [target]
