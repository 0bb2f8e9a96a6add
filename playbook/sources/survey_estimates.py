"""Weighted survey estimates with bootstrap intervals and Statistics Canada's quality flags.

A proportion is the weighted share of respondents with the outcome among those who answered. Its
sampling variance comes from the bootstrap replicate weights: the estimate is recomputed with each
replicate weight and ``var = mean((theta_r - theta)^2)`` (the variance formula that goes with the
Rao-Wu rescaled bootstrap weights Statistics Canada publishes). The interval is
``theta +/- z * se``, clipped to [0, 100].

Quality flags follow Statistics Canada's release guidelines for household surveys (values in
``specs/cius.yml``, section ``quality``): the coefficient of variation ``cv = 100 * se / theta``
up to 16.5% is acceptable (no flag), from 16.6% to 33.3% is marginal (flag ``E``, use with
caution), above 33.3% is unacceptable (flag ``F``, estimate not released). An estimate based on
fewer than ``min_respondents`` respondents (default 30) is suppressed (flag ``x``). The CV is that
of the proportion itself; for estimates of 0 it is undefined and no CV flag is given.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import norm

from playbook.errors import PlaybookError

DEFAULT_QUALITY = {"cv_marginal": 16.5, "cv_unacceptable": 33.3, "min_respondents": 30, "confidence": 0.95}


def quality_flags(cv: np.ndarray | pd.Series, n: np.ndarray | pd.Series, quality: dict | None = None) -> np.ndarray:
    """``""``, ``"E"``, ``"F"`` from the CV (in %), and ``"x"`` where fewer than ``min_respondents``."""
    q = DEFAULT_QUALITY | (quality or {})
    cv = np.asarray(cv, dtype=float)
    flags = np.where(cv > q["cv_unacceptable"], "F", np.where(cv > q["cv_marginal"], "E", ""))
    return np.where(np.asarray(n) < q["min_respondents"], "x", flags).astype(object)


def weighted_totals(
    y: np.ndarray, groups: np.ndarray, n_groups: int, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sums of ``w * y`` and of ``w`` per group for each weight column (``weights``: n x k), as two
    sparse-dense products (no copy of the weight matrix)."""
    ok = ~np.isnan(y)
    rows, cols = groups[ok], np.flatnonzero(ok)
    member = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(n_groups, len(y)))
    member_y = sparse.csr_matrix((y[ok], (rows, cols)), shape=(n_groups, len(y)))
    return member_y @ weights, member @ weights


def estimate(
    data: pd.DataFrame,
    outcome: str,
    weight: np.ndarray,
    replicates: np.ndarray | None = None,
    *,
    by: Sequence[str] = (),
    quality: dict | None = None,
) -> pd.DataFrame:
    """Weighted percentage of ``outcome`` (1/0/NaN) by the groups ``by``.

    Columns: the ``by`` columns, ``n`` (respondents who answered), ``population`` (sum of
    weights), ``estimate`` (%), ``se``, ``cv`` (%), ``lower``, ``upper``, ``flag`` and
    ``released`` (False where the flag is ``x`` or ``F``: the estimate, interval and CV are then
    blanked). Without replicate weights, ``se``, ``cv`` and the interval are missing.
    """
    q = DEFAULT_QUALITY | (quality or {})
    if outcome not in data.columns:
        raise PlaybookError(f"no outcome '{outcome}'", field=outcome, expected=f"one of {list(data.columns)}")
    missing = [b for b in by if b not in data.columns]
    if missing:
        raise PlaybookError(f"no grouping column {missing}", field="by", expected=f"among {list(data.columns)}")
    y = data[outcome].to_numpy(dtype=float)
    keys = data[list(by)].astype("string") if by else pd.DataFrame(index=data.index)
    usable = keys.notna().all(axis=1).to_numpy() if by else np.ones(len(data), bool)
    if by:
        codes, uniques = pd.MultiIndex.from_frame(keys[usable]).factorize(sort=True)
        table = uniques.to_frame(index=False)
        table.columns = list(by)
    else:
        codes, table = np.zeros(int(usable.sum()), int), pd.DataFrame(index=[0])
    g = len(table)
    full = np.zeros(len(y), int)
    full[usable] = codes
    y_used = np.where(usable, y, np.nan)
    num, den = weighted_totals(y_used, full, g, weight[:, None])
    n = np.bincount(codes[~np.isnan(y[usable])], minlength=g)
    with np.errstate(invalid="ignore", divide="ignore"):
        est = 100 * num[:, 0] / den[:, 0]
        if replicates is not None:
            rnum, rden = weighted_totals(y_used, full, g, replicates)
            theta = 100 * rnum / rden
    if replicates is not None:
        dev = (theta - est[:, None]) ** 2  # a group without respondents has no replicate estimate: NaN, quietly
        count = (~np.isnan(dev)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            se = np.sqrt(np.where(count > 0, np.nansum(dev, axis=1) / count, np.nan))
        z = norm.ppf(0.5 + q["confidence"] / 2)
        lower, upper = np.clip(est - z * se, 0, 100), np.clip(est + z * se, 0, 100)
        with np.errstate(invalid="ignore", divide="ignore"):
            cv = np.where(est > 0, 100 * se / est, np.nan)
    else:
        se = cv = lower = upper = np.full(g, np.nan)
    out = table.reset_index(drop=True)
    out["n"] = n
    out["population"] = den[:, 0]
    out["estimate"], out["se"], out["cv"], out["lower"], out["upper"] = est, se, cv, lower, upper
    out["flag"] = quality_flags(cv, n, q)
    out["released"] = ~out["flag"].isin(["x", "F"])
    out.loc[~out["released"], ["estimate", "se", "cv", "lower", "upper"]] = np.nan
    return out


def estimate_all(survey, outcomes: Sequence[str] | None = None, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """:func:`estimate` for several outcomes of a :class:`~playbook.sources.survey.Survey`, stacked
    with an ``outcome`` column."""
    outcomes = list(outcomes or survey.outcomes)
    parts = [
        estimate(survey.data, o, survey.weight, survey.replicates, by=by, quality=survey.spec.get("quality"))
        .assign(outcome=o)
        for o in outcomes
    ]
    out = pd.concat(parts, ignore_index=True)
    return out[["outcome", *[c for c in out.columns if c != "outcome"]]]
