"""Panels: the same index over several periods (census years), on one common scale.

:func:`build_panel` takes a *long* table, one row per unit x period, and runs the spec's pipeline
once over the rows of every period together:

- **imputation** within each period (a 2016 gap is filled from 2016 values: ``mean`` / ``median``
  become the group version with the period as the group, or the period x ``by`` group);
- **treatment and normalisation pooled**: outlier bounds, min/max, mean/sd, ranks and percentiles
  are computed over the rows of *all* periods, so a score of 60 means the same in 2016 and in
  2021 and a unit whose raw values did not change keeps its score (with bounds computed per
  period, a unit's score moves when *other* units change);
- **weights** (PCA, optimised) from the pooled normalised data; **aggregation** row by row;
- **rank and quintile within each period** (1 = most vulnerable of that period).

``pooled=False`` treats and normalises each period on its own (what separate builds give), for
comparison. ``distance_to_reference`` takes the reference unit's row of the first period.

:func:`change` then gives, per unit, its score and rank in two periods, the change, the change
in rank and which periods it is present in: a unit present in one period only is reported
(``present`` = ``"only 2016"``), never dropped.

>>> panel = build_panel(spec, long, period="year", unit="code")   # doctest: +SKIP
>>> change(panel, 2016, 2021)                                     # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from playbook.errors import PlaybookError
from playbook.index import weights
from playbook.index.pipeline import _rescale, int_array, one_blas_thread, prepare, score
from playbook.index.spec import Spec, load_spec

#: Internal columns added to the pooled table (a unique row id, the imputation group).
ROW, GROUP = "_panel_row", "_panel_group"
STAGES = ("raw", "imputed", "treated", "normalised")


@dataclass
class PanelResult:
    """An index built over several periods: per unit x period scores, datasets and choices."""

    spec: Spec
    scores: pd.DataFrame  # unit, period, dimensions, score, rank, quintile, coverage
    datasets: dict[str, pd.DataFrame]  # raw, imputed, treated, normalised, dimensions (unit, period, ...)
    weights: pd.DataFrame
    treatment: pd.DataFrame
    choices: dict[str, Any]
    unit: str
    period: str
    periods: list
    data: pd.DataFrame = field(repr=False)

    def at(self, period: Any) -> pd.DataFrame:
        """The scores of one period (the unit column first, no period column)."""
        rows = self.scores[self.scores[self.period] == period]
        if rows.empty:
            raise PlaybookError(f"no period '{period}' in the panel", field=self.period,
                                expected=" | ".join(map(str, self.periods)))
        return rows.drop(columns=self.period).reset_index(drop=True)

    def regenerate(self, **changes: Any) -> PanelResult:
        """The same panel with some spec choices changed (``normalise="zscore"``), or ``pooled=False``."""
        pooled = changes.pop("pooled", self.choices["panel"]["pooled"])
        spec = self.spec.with_changes(**changes) if changes else self.spec
        return build_panel(spec, self.data, period=self.period, unit=self.unit, pooled=pooled)


def _check(data: pd.DataFrame, unit: str, period: str) -> None:
    for column in (unit, period):
        if column not in data.columns:
            raise PlaybookError(f"column '{column}' is not in the panel data", field=column,
                                expected=f"one of {', '.join(map(str, data.columns[:8]))}...")
    if data[[unit, period]].isna().any(axis=None):
        row = int(np.flatnonzero(data[[unit, period]].isna().any(axis=1).to_numpy())[0])
        raise PlaybookError("empty unit or period", row=row + 2, field=f"{unit}, {period}",
                            expected="a unit and a period on every row")
    dup = data.duplicated([unit, period]).to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0])
        raise PlaybookError(f"unit '{data[unit].iloc[row]}' appears twice in period '{data[period].iloc[row]}'",
                            row=row + 2, field=unit, expected="one row per unit x period")


def _row_spec(spec: Spec) -> tuple[Spec, str]:
    """The spec run on the pooled rows: a unique row id, and imputation within each period."""
    changes: dict[str, Any] = {"unit_id": ROW}
    method = spec.impute["method"]
    within = "none"
    if method != "none":
        changes["impute"] = {**spec.impute, "method": f"group_{method.removeprefix('group_')}", "by": GROUP}
        within = "period x " + spec.impute["by"] if method.startswith("group_") else "period"
    return spec.with_changes(**changes), within


def build_panel(spec: Spec | str | PathLike | dict, data: pd.DataFrame, *, period: str = "year",
                unit: str | None = None, pooled: bool = True) -> PanelResult:
    """Build ``spec`` on the long table ``data`` (one row per ``unit`` x ``period``).

    ``unit`` defaults to the spec's ``unit_id``. With ``pooled`` (the default) treatment and
    normalisation are computed over every period together; see the module docstring.
    """
    spec = load_spec(spec)
    unit = unit or spec.unit_id
    _check(data, unit, period)
    periods = sorted(pd.unique(data[period]).tolist())
    frame = data.sort_values(period, kind="stable").reset_index(drop=True)
    row_spec, within = _row_spec(spec)
    frame[ROW] = frame[period].astype(str) + "\x1f" + frame[unit].astype(str)
    group = frame[period].astype(str)
    if spec.impute["method"].startswith("group_"):
        group = group + "\x1f" + frame[spec.impute["by"]].astype(str)
    frame[GROUP] = group
    with one_blas_thread():
        if pooled:
            prep = prepare(row_spec, frame, "<panel>")
            arrays = {k: getattr(prep, k) for k in STAGES}
            treatment = prep.treatment.assign(**{period: "pooled"})
        else:  # each period on its own: one prepare per period (a handful), never per unit
            parts = [(p, prepare(row_spec, frame[frame[period] == p], f"<panel {p}>")) for p in periods]
            arrays = {k: np.vstack([getattr(prep, k) for _, prep in parts]) for k in STAGES}
            treatment = pd.concat([prep.treatment.assign(**{period: p}) for p, prep in parts], ignore_index=True)
        w, v = weights.resolve(row_spec, arrays["normalised"])
        out = score(row_spec, arrays["normalised"], w[None, :], v[None, :])
    dims, index = out["dims"][:, 0, :], out["score"][:, 0]
    if spec.rescale:
        dims, index = _rescale(dims, spec.normalise), _rescale(index, spec.normalise)
    keys = frame[[unit, period]]
    scores = pd.concat([keys, pd.DataFrame(dims, columns=spec.dimension_ids)], axis=1)
    scores["score"] = index
    rank = scores.groupby(period, sort=False)["score"].rank(method="min", ascending=False).to_numpy()
    n = scores.groupby(period, sort=False)["score"].transform("count").to_numpy()
    scores["rank"] = int_array(rank)
    with np.errstate(invalid="ignore"):
        scores["quintile"] = int_array(5.0 - np.floor(5.0 * (rank - 1.0) / np.maximum(n, 1)))
    scores["coverage"] = out["coverage"][:, 0]
    ids = spec.indicator_ids
    datasets = {k: pd.concat([keys, pd.DataFrame(arrays[k], columns=ids)], axis=1) for k in STAGES}
    datasets["dimensions"] = scores[[unit, period, *spec.dimension_ids]]
    dim_of = [d.id for d in spec.dimensions for _ in d.indicators]
    table = pd.DataFrame({
        "level": ["indicator"] * len(ids) + ["dimension"] * len(spec.dimensions),
        "id": ids + spec.dimension_ids,
        "dimension": dim_of + spec.dimension_ids,
        "weight": np.concatenate([w, v]),
    })
    choices = spec.choices()
    choices["panel"] = {
        "period": period, "unit": unit, "periods": periods, "pooled": pooled,
        "impute": f"within {within}" if within != "none" else "none",
        "treat": "pooled over periods" if pooled else "within each period",
        "normalise": "pooled over periods" if pooled else "within each period",
        "rank": "within each period",
        "rows": {str(p): int(c) for p, c in frame[period].value_counts(sort=False).items()},
    }
    return PanelResult(spec, scores, datasets, table, treatment, choices, unit, period, periods,
                       data.drop(columns=[ROW, GROUP], errors="ignore"))


def change(panel: PanelResult, from_period: Any, to_period: Any) -> pd.DataFrame:
    """Per unit: score and rank in ``from_period`` and ``to_period``, ``change`` (to - from),
    ``rank_change`` (from rank - to rank: positive = moved up towards the most vulnerable) and
    ``present`` (``"both"``, ``"only <from>"``, ``"only <to>"``); units in one period are kept,
    with empty changes. Rows: units of both periods first (largest increase first), then the others."""
    a, b = panel.at(from_period), panel.at(to_period)
    cols = [panel.unit, "score", "rank"]
    merged = a[cols].merge(b[cols], on=panel.unit, how="outer", suffixes=(f"_{from_period}", f"_{to_period}"),
                           indicator=True)
    s0, s1 = merged[f"score_{from_period}"], merged[f"score_{to_period}"]
    r0 = merged[f"rank_{from_period}"].astype("Float64")
    r1 = merged[f"rank_{to_period}"].astype("Float64")
    merged["change"] = s1 - s0
    merged["rank_change"] = (r0 - r1).astype("Int64")
    present = merged.pop("_merge").map({"both": "both", "left_only": f"only {from_period}",
                                        "right_only": f"only {to_period}"})
    merged["present"] = present.astype("string")
    order = np.lexsort((-merged["change"].fillna(-np.inf).to_numpy(), (present != "both").to_numpy()))
    return merged.iloc[order].reset_index(drop=True)


def only_one_period(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a :func:`change` table whose unit is present in one period only."""
    return table[table["present"] != "both"].reset_index(drop=True)
