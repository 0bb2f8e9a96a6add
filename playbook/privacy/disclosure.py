"""Disclosure control for every table the playbook displays or publishes.

Counts below a threshold are suppressed (shown as missing, with a flag), and counts can be rounded
to a base, as Statistics Canada rounds census counts. Apply :func:`protect` before a table leaves
the package; it returns a new table and never changes its input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from playbook.errors import PlaybookError
from playbook.paths import specs_dir

DEFAULT_THRESHOLD = 10
#: The disclosure rules of every published table.
RULES = specs_dir() / "disclosure.yml"


def protect(
    table: pd.DataFrame,
    counts: Sequence[str],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    rounding: int | None = None,
    dependent: Sequence[str] = (),
) -> pd.DataFrame:
    """Suppress counts below ``threshold`` (and the ``dependent`` columns of those rows, such as
    rates computed from them), then round the remaining counts to a multiple of ``rounding``.

    Adds a boolean column ``suppressed`` saying which rows lost values.
    """
    missing = [c for c in [*counts, *dependent] if c not in table.columns]
    if missing:
        raise PlaybookError(f"columns {missing} not in the table", field="counts", expected=f"among {list(table.columns)}")
    if threshold < 0 or (rounding is not None and rounding < 1):
        raise PlaybookError("threshold must be >= 0 and rounding >= 1", field="threshold/rounding")
    out = table.copy()
    values = out[list(counts)].astype("float64")
    small = values.lt(threshold) & values.notna()
    row_small = small.any(axis=1)
    out[list(counts)] = values.mask(small)
    for col in dependent:
        out[col] = out[col].astype("float64").mask(row_small)
    if rounding:
        out[list(counts)] = np.round(out[list(counts)] / rounding) * rounding
    out["suppressed"] = row_small.to_numpy()
    return out


# --- Publication-grade disclosure control ---------------------------------------------------------

@dataclass(frozen=True)
class Policy:
    """The disclosure rules applied to every published table (values from ``specs/disclosure.yml``).

    ``threshold``: counts below it are suppressed (primary suppression). ``min_respondents``: an
    estimate from fewer survey respondents is suppressed. ``rounding_base``: counts are randomly
    rounded to a multiple of it (unbiased, Statistics Canada style), with ``seed`` so a release is
    reproducible. Complementary suppression then hides a second cell wherever a suppressed one could
    be recovered by subtraction from a published total.
    """

    threshold: int = DEFAULT_THRESHOLD
    min_respondents: int = 30
    rounding_base: int = 5
    seed: int = 2021

    def __post_init__(self) -> None:
        if self.threshold < 0 or self.min_respondents < 0 or self.rounding_base < 1:
            raise PlaybookError("disclosure rules must be non-negative and the rounding base at least 1",
                                field="threshold/min_respondents/rounding_base", expected="threshold >= 0, base >= 1")

    @classmethod
    def from_yaml(cls, path) -> Policy:
        import yaml

        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        unknown = set(data) - {f for f in cls.__dataclass_fields__}
        if unknown:
            raise PlaybookError(f"unknown disclosure rule(s) {sorted(unknown)}", path=path,
                                expected=", ".join(cls.__dataclass_fields__))
        return cls(**data)


def random_round(values: pd.Series, base: int = 5, seed: int = 0) -> pd.Series:
    """Unbiased random rounding to a multiple of ``base``: a value with remainder ``r`` goes up with
    probability ``r / base``, down otherwise (exact multiples and missing values stay). Seeded."""
    x = values.astype("float64").to_numpy()
    lower = np.floor(x / base) * base
    remainder = x - lower
    draws = np.random.default_rng(seed).random(len(x))
    rounded = np.where(draws < remainder / base, lower + base, lower)
    return pd.Series(np.where(np.isnan(x), np.nan, rounded), index=values.index, name=values.name)


def complementary_suppression(values: pd.DataFrame, suppressed: pd.DataFrame) -> pd.DataFrame:
    """Extend a suppression mask so no suppressed cell of a table with published row and column
    totals can be recovered by subtraction: while a row or column holds exactly one suppressed cell,
    also suppress its smallest unsuppressed cell. Returns the new mask (same shape)."""
    mask = suppressed.to_numpy(dtype=bool).copy()
    data = values.to_numpy(dtype="float64")
    available = ~np.isnan(data)
    for _ in range(mask.size):  # each pass adds at least one cell, or stops
        changed = False
        for axis in (1, 0):
            view_mask = mask if axis == 1 else mask.T  # lines are rows (axis 1) or columns (axis 0)
            view_data = np.where(~view_mask & (available if axis == 1 else available.T),
                                 data if axis == 1 else data.T, np.inf)
            lines = np.flatnonzero(view_mask.sum(axis=1) == 1)
            lines = lines[np.isfinite(view_data[lines]).any(axis=1)]
            if lines.size:
                view_mask[lines, np.argmin(view_data[lines], axis=1)] = True  # writes through to mask
                changed = True
        if not changed:
            break
    return pd.DataFrame(mask, index=values.index, columns=values.columns)


def disclose(
    table: pd.DataFrame,
    *,
    name: str,
    policy: Policy,
    keys: Sequence[str],
    counts: Sequence[str] = (),
    dependent: Sequence[str] = (),
    respondents: str | None = None,
    estimates: Sequence[str] = (),
    margins: tuple[str, str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply ``policy`` to one table before it is published; return ``(table, report)``.

    * counts below the threshold are suppressed, with the ``dependent`` columns (rates) of the row;
    * ``estimates`` from fewer than ``policy.min_respondents`` (column ``respondents``) are suppressed;
    * ``margins = (row_key, column_key, count)`` declares that the table is a cross-tabulation whose
      row and column totals are published: complementary suppression is applied to ``count``;
    * the remaining counts are randomly rounded to ``policy.rounding_base``.

    The report has one line per suppressed cell: table, the row's keys, column and reason
    (``threshold``, ``respondents`` or ``complementary``).
    """
    needed = [*keys, *counts, *dependent, *estimates, *([respondents] if respondents else [])]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise PlaybookError(f"table '{name}' lacks columns {missing}", field=", ".join(missing),
                            expected=f"among {list(table.columns)}")
    out = table.copy()
    reasons: list[pd.DataFrame] = []

    def record(mask: pd.Series, column: str, reason: str) -> None:
        if mask.any():
            rows = out.loc[mask, list(keys)].astype(str)
            reasons.append(rows.assign(table=name, column=column, reason=reason))

    for column in counts:
        small = out[column].astype("float64").lt(policy.threshold) & out[column].notna()
        record(small, column, "threshold")
        out[column] = out[column].astype("float64").mask(small)
        for dep in dependent:
            out[dep] = out[dep].astype("float64").mask(small)
    if respondents:
        few = out[respondents].astype("float64").lt(policy.min_respondents)
        for column in estimates:
            record(few & out[column].notna(), column, "respondents")
            out[column] = out[column].astype("float64").mask(few)
    if margins:
        row_key, col_key, count = margins
        if table.duplicated([row_key, col_key]).any():
            raise PlaybookError(f"table '{name}' has several rows per {row_key} × {col_key}", field=f"{row_key}, {col_key}",
                                expected="one row per cell of the cross-tabulation")
        flag = out[count].isna() & table[count].notna()
        before = out.assign(_flag=flag).pivot(index=row_key, columns=col_key, values="_flag")
        before = before.astype("boolean").fillna(False).astype(bool)
        primary = table.pivot(index=row_key, columns=col_key, values=count).astype("float64")
        after = complementary_suppression(primary, before)
        extra = (after & ~before).stack()
        extra = extra[extra].index
        hit = pd.MultiIndex.from_frame(out[[row_key, col_key]]).isin(extra)
        record(pd.Series(hit, index=out.index), count, "complementary")
        out.loc[hit, count] = np.nan
        for dep in dependent:
            out.loc[hit, dep] = np.nan
    for i, column in enumerate(counts):
        out[column] = random_round(out[column], policy.rounding_base, seed=policy.seed + i)
    report = (pd.concat(reasons, ignore_index=True) if reasons
              else pd.DataFrame(columns=[*keys, "table", "column", "reason"]))
    return out, report[["table", *keys, "column", "reason"]]
