"""A table of comments in, an analysed table out: redaction always comes first.

:func:`analyse` takes a DataFrame with a text column, replaces that column by its redacted version
(:func:`~playbook.feedback.redact.redact_series`) and only then adds the language and, given a
trained classifier, the category with its confidence and routing. Sentiment is not added: the
lexicon of :mod:`~playbook.feedback.sentiment` did not beat "always the most common label" on
hand-written comments it had not been fixed on (issue 23). The raw text is not
kept in the result. :func:`read_comments` reads a CSV as published (every column as text, nothing
converted): UTF-8, UTF-16 with its byte-order mark or a named encoding (``cp1252``), comma, semicolon
or tab found from the header; HTML removed from the comments; a malformed row is an error naming its
line, never dropped. Empty comments are counted and get no category.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from playbook.errors import PlaybookError
from playbook.feedback import language
from playbook.feedback.classify import FeedbackClassifier
from playbook.feedback.redact import redact_series
from playbook.io import atomic_path

ADDED = ("language", "category", "confidence", "needs_review")


#: ``--encoding auto`` recognises these byte-order marks (longest first); otherwise the file must be UTF-8.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: ``--delimiter auto`` chooses among these, by their count in the header line.
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_MARKUP = re.compile(r"<[A-Za-z/!?][^>]*>|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
_BLOCK_TAGS = {"br", "p", "div", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}


class _PlainText(HTMLParser):
    """The text of an HTML fragment (stdlib parser): entities decoded, a line break for block tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """``text`` without HTML tags and with entities decoded (``&eacute;`` is ``é``); plain text unchanged."""
    if not _MARKUP.search(text):
        return text
    parser = _PlainText()
    parser.feed(text)
    parser.close()
    plain = "".join(parser.parts)
    return "\n".join(" ".join(line.split()) for line in plain.splitlines() if line.strip())


def _decode(raw: bytes, encoding: str, path: Path) -> tuple[str, str]:
    """The text of the file and the encoding used (``auto``: a byte-order mark, else UTF-8)."""
    if encoding == "auto":
        encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), "utf-8")
        auto = True
    else:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise PlaybookError(f"unknown encoding '{encoding}'", field="--encoding",
                                expected="auto, or a Python codec name such as utf-8, cp1252, latin-1, utf-16") from None
        auto = False
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        hint = ("a UTF-8 file, or its encoding named: --encoding cp1252 (Excel's 'CSV' on Windows), "
                "--encoding latin-1" if auto else f"a file in {encoding}, or another --encoding")
        shown = "UTF-8" if encoding.startswith("utf-8") else encoding
        raise PlaybookError(f"line {line}: byte {exc.start} is not {shown}", path=path, row=line - 1,
                            expected=hint) from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise PlaybookError(f"line {line}: a NUL byte", path=path, row=line - 1,
                            expected="a text file; UTF-16 without a byte-order mark needs --encoding utf-16-le "
                                     "(or utf-16-be)")
    return text.removeprefix("\ufeff"), encoding


def _delimiter(text: str, delimiter: str) -> str:
    """The field separator: ``auto`` counts commas, semicolons and tabs in the header line."""
    named = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t"}
    if delimiter != "auto":
        delimiter = named.get(delimiter, delimiter)
        if len(delimiter) != 1 or delimiter in "\"\r\n":
            raise PlaybookError(f"bad delimiter {delimiter!r}", field="--delimiter",
                                expected="auto, comma, semicolon, tab or one character other than a quote")
        return delimiter
    header = text.split("\n", 1)[0]
    outside = re.sub(r'"[^"]*"', "", header)  # separators inside a quoted column name do not count
    counts = {d: outside.count(d) for d in DELIMITERS}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _rows(text: str, delimiter: str, path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the rows; one error naming the lines of every malformed row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, starts, bad = [], [], []
    start = 1
    try:
        for row in reader:
            if row:  # a blank line is not a row
                rows.append(row)
                starts.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        what = ("a quote that is never closed" if "end of data" in str(exc) else
                f"a quote inside a field not quoted as a whole ({exc})" if "expected after" in str(exc) else
                f"not a well-formed CSV row ({exc})")
        raise PlaybookError(f"line {start}: {what}", path=path, row=start - 1,
                            expected='a closing quote for every opening one; a quote inside a quoted field '
                                     'is written twice ("")') from None
    if not rows:
        raise PlaybookError("the file is empty", path=path, expected="a header row and comments")
    header, data = rows[0], rows[1:]
    for row, line in zip(data, starts[1:], strict=True):
        if len(row) != len(header):
            bad.append((line, f"line {line} has {len(row)}"))
    if bad:
        shown = ", ".join(text for _, text in bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        sep = DELIMITERS.get(delimiter, repr(delimiter))
        raise PlaybookError(f"{len(bad)} row{'s' * (len(bad) > 1)} with a wrong number of fields: {shown}",
                            path=path, row=bad[0][0] - 1,  # rows are counted from the first after the header
                            expected=f"{len(header)} fields on every row, as in the header, separated by {sep}; "
                                     "another separator: --delimiter")
    return header, data


def read_comments(path: str | Path, text_column: str, *, encoding: str = "auto",
                  delimiter: str = "auto") -> pd.DataFrame:
    """Read a CSV of comments as published, every column as text; check that ``text_column`` exists.

    ``encoding``: ``auto`` reads UTF-8 with or without a byte-order mark and UTF-16/32 with one; any
    other Python codec name (``cp1252``, ``latin-1``) is used as given. ``delimiter``: ``auto`` takes
    the most frequent of comma, semicolon and tab in the header line, or give one (``;``, ``tab``).
    A row with a quote never closed or the wrong number of fields is an error naming its line.
    HTML tags and entities are removed from ``text_column`` (:func:`strip_html`). ``table.attrs``
    records ``encoding``, ``delimiter``, ``html`` (comments that held HTML) and ``empty`` (comments
    empty after that: :func:`empty_comments`).
    """
    path = Path(path)
    if not path.is_file():
        raise PlaybookError("file not found", path=path, expected="a CSV file of comments")
    text, used = _decode(path.read_bytes(), encoding, path)
    sep = _delimiter(text, delimiter)
    header, data = _rows(text, sep, path)
    columns, seen = [], {}
    for name in header:  # repeated column names get a suffix, as pandas does
        n = seen.get(name, 0)
        seen[name] = n + 1
        columns.append(name if n == 0 else f"{name}.{n}")
    table = pd.DataFrame(data, columns=columns, dtype=object) if data else pd.DataFrame(columns=columns, dtype=object)
    if text_column not in table.columns:
        hint = "" if len(columns) > 1 else f" (one column only: is the separator {DELIMITERS.get(sep, sep)!r} right? --delimiter)"
        raise PlaybookError(f"no column '{text_column}'{hint}", path=path, field=text_column,
                            expected=f"one of {', '.join(map(str, table.columns))}")
    original = table[text_column]
    table[text_column] = original.map(strip_html)
    table.attrs.update(encoding=used, delimiter=sep, html=int((table[text_column] != original).sum()),
                       empty=int(empty_comments(table[text_column]).sum()))
    return table


def empty_comments(texts: pd.Series) -> pd.Series:
    """True where a comment is empty or only white space (nothing to classify or learn from)."""
    return texts.fillna("").astype(str).str.strip() == ""


def redact_table(table: pd.DataFrame, text_column: str) -> pd.DataFrame:
    """``table`` with only ``text_column`` replaced by its redacted version."""
    out = table.copy()
    out[text_column] = redact_series(table[text_column]).to_numpy()
    return out


def analyse(table: pd.DataFrame, text_column: str, classifier: FeedbackClassifier | None = None,
            *, path: str | Path | None = None) -> pd.DataFrame:
    """Redact ``text_column``, then add the language and (with a classifier) the category."""
    clash = [c for c in ADDED if c in table.columns and c != text_column]
    if clash:
        raise PlaybookError(f"the input already has a column '{clash[0]}'", path=path, field=clash[0],
                            expected="no column named " + ", ".join(ADDED))
    out = table.copy()
    texts = redact_series(table[text_column])
    out[text_column] = texts.to_numpy()
    out["language"] = language.identify(texts).to_numpy()
    if classifier is not None:  # an empty comment gets no category, no confidence, no review
        keep = ~empty_comments(texts).to_numpy()
        out["category"], out["confidence"], out["needs_review"] = "", float("nan"), False
        if keep.any():
            predicted = classifier.predict(texts[keep])
            out.loc[keep, "category"] = predicted["category"].to_numpy()
            out.loc[keep, "confidence"] = predicted["confidence"].round(3).to_numpy()
            out.loc[keep, "needs_review"] = predicted["needs_review"].to_numpy()
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


def channel_label(channel: str, lang: str | None = None) -> str:
    """A channel of the comments in the page's language: the catalogue's label
    (``feedback_channel_<channel>``) where it has one, else the channel as the file writes it."""
    from playbook import i18n

    key = "feedback_channel_" + str(channel).replace("-", "_").replace(" ", "_")
    return i18n.t(key, lang) if key in i18n.catalogue() else str(channel)
