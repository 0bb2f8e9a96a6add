"""Denominate (COINr's ``Denominate``): divide an indicator by a denominator column, e.g. per capita.

Declared per indicator in the spec: ``denominator: COLUMN`` and an optional ``scale`` (default 1),
so that ``x' = scale x / d``, e.g. ``scale: 1000`` for a rate per 1,000 people. Applied to the raw
values, before imputation. A missing or zero denominator gives a missing value (a rate per nobody is
undefined), never an infinite one. Indicators without a denominator are left as they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.errors import PlaybookError
from playbook.index.spec import Spec


def denominators(spec: Spec, data: pd.DataFrame, label: str = "<data>") -> np.ndarray | None:
    """The denominator of each indicator (N x K, NaN where none is declared), or None if none is."""
    columns = [i.denominator for i in spec.indicators]
    if not any(columns):
        return None
    out = np.full((len(data), len(columns)), np.nan)
    for k, column in enumerate(columns):
        if column is None:
            continue
        if column not in data.columns:
            raise PlaybookError(f"denominator column '{column}' of indicator '{spec.indicators[k].id}' is not in the "
                                "data", path=label, field=column, expected="a numeric column of the data")
        values = pd.to_numeric(data[column], errors="coerce")
        bad = values.isna().to_numpy() & data[column].notna().to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise PlaybookError(f"non-numeric denominator '{data[column].iloc[row]}'", path=label, row=row + 2,
                                field=column, expected="a number or an empty cell")
        out[:, k] = values.to_numpy(dtype=float)
    return out


def denominate(raw: np.ndarray, denominator: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``scale x / d`` for the columns with a denominator (not NaN in every row of ``denominator``).

    ``raw`` and ``denominator`` are (N x K), ``scale`` (K,); a zero or missing ``d`` gives NaN."""
    declared = ~np.isnan(denominator).all(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = scale * raw / np.where(denominator == 0, np.nan, denominator)
    return np.where(declared, ratio, raw)


def apply(spec: Spec, data: pd.DataFrame, raw: np.ndarray, label: str = "<data>") -> np.ndarray | None:
    """The denominated indicators of ``spec`` on ``data``, or None when no indicator has a denominator."""
    den = denominators(spec, data, label)
    if den is None:
        return None
    return denominate(raw, den, np.array([i.scale for i in spec.indicators], dtype=float))
