"""A table of comments in, an analysed table out: redaction always comes first.

:func:`analyse` takes a DataFrame with a text column, replaces that column by its redacted version
(:func:`~playbook.feedback.redact.redact_series`) and only then adds the language, the sentiment
and, given a trained classifier, the category with its confidence and routing. The raw text is not
kept in the result. :func:`read_comments` reads a CSV as published (every column as text, nothing
converted), with errors that name the file, row and column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from playbook.errors import PlaybookError
from playbook.feedback import language, sentiment
from playbook.feedback.classify import FeedbackClassifier
from playbook.feedback.redact import redact_series
from playbook.io import atomic_path

ADDED = ("language", "sentiment", "sentiment_score", "category", "confidence", "needs_review")


def read_comments(path: str | Path, text_column: str) -> pd.DataFrame:
    """Read a CSV of comments, every column as text; check that ``text_column`` exists."""
    path = Path(path)
    if not path.is_file():
        raise PlaybookError("file not found", path=path, expected="a CSV file of comments")
    raw = path.read_bytes()
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[:exc.start].count(b"\n")  # the header is line 0, so this is the data row number
        raise PlaybookError(f"byte {exc.start} is not UTF-8", path=path, row=row,
                            expected="a UTF-8 file (save it as CSV UTF-8)") from None
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.ParserError as exc:
        import re

        line = re.search(r"line (\d+)", str(exc))
        raise PlaybookError(f"not a well-formed CSV: {str(exc).strip().splitlines()[-1]}", path=path,
                            row=int(line.group(1)) - 1 if line else None,
                            expected="the same number of fields on every row") from None
    except pd.errors.EmptyDataError:
        raise PlaybookError("the file is empty", path=path, expected="a header row and comments") from None
    if not isinstance(table.index, pd.RangeIndex):  # pandas took the first column as the index: a field too many
        raise PlaybookError("every row has one field more than the header", path=path, row=1,
                            expected="the same number of fields on every row as in the header") from None
    if text_column not in table.columns:
        raise PlaybookError(f"no column '{text_column}'", path=path, field=text_column,
                            expected=f"one of {', '.join(map(str, table.columns))}")
    return table


def redact_table(table: pd.DataFrame, text_column: str) -> pd.DataFrame:
    """``table`` with only ``text_column`` replaced by its redacted version."""
    out = table.copy()
    out[text_column] = redact_series(table[text_column]).to_numpy()
    return out


def analyse(table: pd.DataFrame, text_column: str, classifier: FeedbackClassifier | None = None,
            *, path: str | Path | None = None) -> pd.DataFrame:
    """Redact ``text_column``, then add language, sentiment and (with a classifier) the category."""
    clash = [c for c in ADDED if c in table.columns and c != text_column]
    if clash:
        raise PlaybookError(f"the input already has a column '{clash[0]}'", path=path, field=clash[0],
                            expected="no column named " + ", ".join(ADDED))
    out = table.copy()
    texts = redact_series(table[text_column])
    out[text_column] = texts.to_numpy()
    out["language"] = language.identify(texts).to_numpy()
    scored = sentiment.score(texts)
    out["sentiment"] = scored["sentiment"].to_numpy()
    out["sentiment_score"] = scored["sentiment_score"].round(3).to_numpy()
    if classifier is not None:
        predicted = classifier.predict(texts)
        out["category"] = predicted["category"].to_numpy()
        out["confidence"] = predicted["confidence"].round(3).to_numpy()
        out["needs_review"] = predicted["needs_review"].to_numpy()
    return out


def write_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a CSV atomically (nothing half-written on failure)."""
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False)
    return Path(path)


def sample_for_labelling(table: pd.DataFrame, text_column: str, n: int = 400, *, by: str | None = None,
                         seed: int = 0) -> pd.DataFrame:
    """A random sample of comments to label by hand, redacted, with empty columns for two labellers.

    With ``by`` (for example ``"channel"`` or ``"language"``) the sample is stratified: each group
    keeps its share of the comments, so no channel is missed by chance. Two people label the same
    comments independently (``label_1``, ``label_2``); :func:`agreement` then says how far to trust
    the labels before they are used to measure the classifier.
    """
    if n < 1 or n > len(table):
        raise PlaybookError(f"cannot draw {n} comments from {len(table)}", field="n", expected=f"1 to {len(table)}")
    if by is None:
        sample = table.sample(n, random_state=seed)
    else:
        sample = table.groupby(by, group_keys=False).sample(frac=n / len(table), random_state=seed)
    out = redact_table(sample, text_column)
    return out.assign(label_1="", label_2="")


def agreement(first: pd.Series, second: pd.Series) -> dict[str, float]:
    """How often two labellers agree: raw share and Cohen's kappa (agreement beyond chance)."""
    from sklearn.metrics import cohen_kappa_score

    a, b = first.astype(str).to_numpy(), second.astype(str).to_numpy()
    return {"agreement": float((a == b).mean()), "kappa": float(cohen_kappa_score(a, b))}
