"""Tables as readers see them: numbers in the page's language, counts as whole numbers, no index.

:func:`table` is what a notebook ends a cell with instead of ``frame.style.format(precision=1)``
(``frame.pipe(table, lang, 1)``): every number goes through :func:`playbook.i18n.format_number`,
the one place where numbers are formatted by locale (a decimal comma and narrow no-break spaces
between thousands in French), a column whose values are all whole numbers prints without
decimals, a year or a code stays as it is (``2021``, not ``2 021``), and a missing value prints as a
dash.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from playbook import i18n

#: Printed for a missing value.
MISSING = "–"
#: A whole-number column whose values all lie in this range, named like a year, prints as is.
YEARS = (1800, 2200)
YEAR_NAMES = ("year", "année", "annee", "census_year", "cycle")
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


def table(frame: pd.DataFrame, lang: str | None = None, precision: int = 1, *, index: bool = False) -> Styler:
    """``frame`` styled for a page in ``lang``: numbers by locale with ``precision`` decimals (whole
    numbers without), years as they are, missing values as a dash, no index unless ``index``."""
    lang = i18n.language(lang)
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
    styler = frame.style.format(formats, na_rep=MISSING)
    return styler if index else styler.hide(axis="index")
