"""Tables as readers see them: numbers in the page's language, counts as whole numbers, no index.

:func:`table` is what a notebook ends a cell with instead of ``frame.style.format(precision=1)``
(``frame.pipe(table, lang, 1)``): every number goes through :func:`playbook.i18n.format_number`,
the one place where numbers are formatted by locale (a decimal comma and narrow no-break spaces
between thousands in French), a column whose values are all whole numbers prints without
decimals, a year or a code stays as it is (``2021``, not ``2 021``), and a missing value prints as a
dash.

Every table a page shows has a caption saying what it is (``caption=``, a label of the catalogue in
the page's language; the HTML ``<caption>`` that screen readers announce with the table). When the
table's numbers are synthetic (``synthetic=True``, or the frame's ``attrs["synthetic"]``), the
caption ends with the same "Demo data, synthetic." notice the figures and the page banner use, unless
it already says so (a synthetic source line).

Three marks keep a French page honest about what is not French text: ``keys=True`` shows the column
names as code (the keys of a file, ``c1`` or ``pct_privacy_worries``, which are not words),
``code=[columns]`` shows the values of those columns as code (a database's table names and keys), and
``english=[columns]`` marks the values of those columns ``lang="en"`` (WCAG 3.1.2, language of
parts) on a page in another language: for genuine source data published in English only, such as
the Census Profile's own characteristic names, never for a label the playbook could translate.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from playbook import i18n

#: Printed for a missing value.
MISSING = "–"
#: A whole-number column whose values all lie in this range, named like a year, prints as is.
YEARS = (1800, 2200)
YEAR_NAMES = ("year", "année", "annee", "census_year", "cycle")
#: How a caption looks: above its table, left-aligned, in the body text's colour (whatever the theme,
#: light or dark: ``inherit``), so that it has the contrast of the text around it.
CAPTION_STYLE = [{"selector": "caption", "props": [("color", "inherit"), ("caption-side", "top"), ("text-align", "left")]}]
#: A numeric column named like an identifier (a geographic code, an id) prints its digits as they are.
CODE_NAMES = ("code", "uid", "dguid", "id", "identifiant", "characteristic")


def _is_code_column(name) -> bool:
    words = [w for w in str(name).lower().replace("_", " ").replace("(", " ").replace(")", " ").split() if w]
    return any(w in CODE_NAMES or w.endswith("uid") for w in words)


def _is_year_column(name, values: pd.Series) -> bool:
    text = str(name).lower()
    present = values.dropna()
    return any(word in text for word in YEAR_NAMES) and present.between(*YEARS).all()


def _whole(values: pd.Series) -> bool:
    present = values.dropna().to_numpy(dtype=float)
    return len(present) > 0 and bool(np.all(np.isfinite(present)) and np.all(present == np.round(present)))


def caption_text(caption: str | None, synthetic: bool, lang: str | None = None) -> str | None:
    """``caption``, ending with the synthetic notice when ``synthetic`` and it does not say so yet."""
    return i18n.with_synthetic_notice(caption, synthetic, lang)


def table(frame: pd.DataFrame, lang: str | None = None, precision: int = 1, *, index: bool = False,
          caption: str | None = None, synthetic: bool | None = None, keys: bool = False,
          english: tuple | list = (), code: tuple | list = ()) -> Styler:
    """``frame`` styled for a page in ``lang``: numbers by locale with ``precision`` decimals (whole
    numbers without), years as they are, missing values as a dash, no index unless ``index``;
    captioned ``caption``, with the synthetic notice when ``synthetic`` (default: the frame's
    ``attrs["synthetic"]``); column names as code when ``keys``, the values of the ``code`` columns
    as code, the values of the ``english`` columns marked as English on a page in another language."""
    lang = i18n.language(lang)
    if synthetic is None:
        synthetic = bool(frame.attrs.get("synthetic", False))
    formats = {}
    for column in frame.columns:
        values = frame[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        if _is_year_column(column, values) or (_is_code_column(column) and _whole(values)):
            formats[column] = lambda v: MISSING if pd.isna(v) else str(int(v))
            continue
        decimals = 0 if pd.api.types.is_integer_dtype(values) or _whole(values) else precision
        formats[column] = lambda v, d=decimals: MISSING if pd.isna(v) else i18n.format_number(float(v), lang, d)
    if lang != "en":
        for column in english:
            formats[column] = lambda v: MISSING if pd.isna(v) else f'<span lang="en">{html.escape(str(v))}</span>'
    for column in code:
        formats[column] = lambda v: MISSING if pd.isna(v) else f"<code>{html.escape(str(v))}</code>"
    styler = frame.style.format(formats, na_rep=MISSING)
    if keys:
        styler = styler.format_index(lambda c: f"<code>{html.escape(str(c))}</code>", axis="columns")
    text = caption_text(caption, synthetic, lang)
    if text:  # above the table, in the colour of the body text (the theme's muted grey is fainter)
        styler = styler.set_caption(text).set_table_styles(CAPTION_STYLE, overwrite=False)
    return styler if index else styler.hide(axis="index")
