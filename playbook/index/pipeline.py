"""The index pipeline: screen -> impute -> treat -> normalise -> weight -> aggregate.

:func:`build` runs every step on a data table and returns a :class:`Result` that keeps each
intermediate data set by name (``raw``, ``imputed``, ``treated``, ``normalised``, ``dimensions``),
the weights used and every choice made, so the same index with one choice changed is one call:
``result.regenerate(aggregate="geometric")`` (COINr's "regenerate").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from playbook.errors import PlaybookError
from playbook.index import aggregate, weights
from playbook.index.impute import impute
from playbook.index.normalise import normalise
from playbook.index.spec import Spec, check_data, load_spec, read_data
from playbook.index.treat import treat

SCORE_COLUMNS = ("score", "rank", "quintile", "coverage")


@dataclass
class Prepared:
    """The data of a spec after screening, imputation, treatment and normalisation (NumPy arrays)."""

    ids: pd.Series
    raw: np.ndarray
    imputed: np.ndarray
    treated: np.ndarray
    normalised: np.ndarray
    treatment: pd.DataFrame
    population: np.ndarray | None = None
    groups: np.ndarray | None = None


@dataclass
class Result:
    """An index built from a spec and data: scores, every intermediate data set and every choice."""

    spec: Spec
    scores: pd.DataFrame
    datasets: dict[str, pd.DataFrame]
    weights: pd.DataFrame
    treatment: pd.DataFrame
    choices: dict[str, Any]
    data: pd.DataFrame = field(repr=False)

    @property
    def normalised(self) -> pd.DataFrame:
        """Unit id and one column per indicator, normalised (higher = more vulnerable)."""
        return self.datasets["normalised"]

    def regenerate(self, **changes: Any) -> Result:
        """The same index on the same data with some choices changed, e.g. ``aggregate="geometric"``."""
        return build(self.spec.with_changes(**changes), self.data)


def prepare(spec: Spec, data: pd.DataFrame, label: str = "<data>", *, impute_method: str | None = None,
            normalise_block: dict | None = None) -> Prepared:
    """Screen, impute, treat and normalise (the steps before weighting)."""
    raw = check_data(spec, data, label)
    groups = data[spec.impute["by"]].to_numpy() if spec.impute["method"].startswith("group_") else None
    method = impute_method or spec.impute["method"]
    if method.startswith("group_") and groups is None:
        raise PlaybookError("group imputation needs 'by' in the spec's impute block", path=spec.path, field="impute.by")
    imputed = impute(raw, method, groups)
    treated, treatment = treat(imputed, spec.treat, spec.indicator_ids)
    block = normalise_block or spec.normalise
    reference_row = None
    if block["method"] == "distance_to_reference":
        hits = np.flatnonzero(data[spec.unit_id].astype(str).to_numpy() == str(block["reference"]))
        if not len(hits):
            raise PlaybookError(f"reference unit '{block['reference']}' is not in the data", path=label,
                                field=spec.unit_id, expected="the id of one unit")
        reference_row = int(hits[0])
        if np.isnan(treated[reference_row]).any():
            raise PlaybookError(f"reference unit '{block['reference']}' has missing values", path=label,
                                field=spec.unit_id, expected="a reference unit with every indicator")
    goalposts = None
    if block["method"] == "goalposts":
        shared = block.get("goalposts")
        goalposts = np.array([i.goalposts or shared for i in spec.indicators], dtype=float)
    directions = np.array([i.direction for i in spec.indicators], dtype=float)
    normalised = normalise(treated, directions, block, goalposts=goalposts, reference_row=reference_row)
    population = None
    if spec.population:
        population = pd.to_numeric(data[spec.population], errors="coerce").to_numpy(dtype=float)
    return Prepared(data[spec.unit_id].reset_index(drop=True), raw, imputed, treated, normalised, treatment,
                    population, groups)


def score(spec: Spec, x: np.ndarray, w: np.ndarray, v: np.ndarray, method: str | None = None) -> dict[str, np.ndarray]:
    """Aggregate normalised values ``x`` (N, K) with weight draws ``w`` (B, K), ``v`` (B, P).

    Returns arrays ``dims`` (N, B, P), ``score``, ``coverage``, ``rank`` (N, B); below
    ``min_coverage`` the dimension score / index is NaN and so is the rank.
    """
    method = method or spec.aggregate["method"]
    names = spec.indicator_ids
    dims, dcov = aggregate.dimensions(x, w, spec.membership, method, names)
    dims = aggregate.apply_min_coverage(dims, dcov, spec.min_coverage)
    index, coverage = aggregate.index(dims, dcov, v, method)
    index = aggregate.apply_min_coverage(index, coverage, spec.min_coverage)
    return {"dims": dims, "score": index, "coverage": coverage, "rank": aggregate.ranks(index)}


def _rescale(values: np.ndarray, block: dict) -> np.ndarray:
    a, b = (float(x) for x in block.get("range", (0, 100)))
    lo, hi = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(hi > lo, a + (b - a) * (values - lo) / (hi - lo), (a + b) / 2)


def _frame(ids: pd.Series, name: str, values: np.ndarray, columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(values, columns=columns)
    out.insert(0, name, ids.to_numpy())
    return out


def build(spec: Spec | str | PathLike | dict, data: pd.DataFrame | str | PathLike) -> Result:
    """Build the index of ``spec`` on ``data`` (a DataFrame or a CSV path)."""
    spec = load_spec(spec)
    frame, label = read_data(data, spec)
    prep = prepare(spec, frame, label)
    w, v = weights.resolve(spec, prep.normalised)
    out = score(spec, prep.normalised, w[None, :], v[None, :])
    dims, index = out["dims"][:, 0, :], out["score"][:, 0]
    if spec.rescale:
        dims, index = _rescale(dims, spec.normalise), _rescale(index, spec.normalise)
    rank = aggregate.ranks(index)
    scores = _frame(prep.ids, spec.unit_id, dims, spec.dimension_ids)
    scores["score"] = index
    scores["rank"] = pd.array(np.where(np.isnan(rank), None, rank), dtype="Int64")
    quint = aggregate.quintiles(rank)
    scores["quintile"] = pd.array(np.where(np.isnan(quint), None, quint), dtype="Int64")
    scores["coverage"] = out["coverage"][:, 0]
    ids = spec.indicator_ids
    datasets = {
        "raw": _frame(prep.ids, spec.unit_id, prep.raw, ids),
        "imputed": _frame(prep.ids, spec.unit_id, prep.imputed, ids),
        "treated": _frame(prep.ids, spec.unit_id, prep.treated, ids),
        "normalised": _frame(prep.ids, spec.unit_id, prep.normalised, ids),
        "dimensions": scores[[spec.unit_id, *spec.dimension_ids]],
    }
    dim_of = [d.id for d in spec.dimensions for _ in d.indicators]
    table = pd.DataFrame({
        "level": ["indicator"] * len(ids) + ["dimension"] * len(spec.dimensions),
        "id": ids + spec.dimension_ids,
        "dimension": dim_of + spec.dimension_ids,
        "weight": np.concatenate([w, v]),
    })
    return Result(spec, scores, datasets, table, prep.treatment, spec.choices(), frame)


class Pipeline:
    """A spec bound to data: ``Pipeline(spec, data).run()``; ``.regenerate(**changes)`` rebuilds."""

    def __init__(self, spec: Spec | str | PathLike | dict, data: pd.DataFrame | str | PathLike) -> None:
        self.spec = load_spec(spec)
        self.data, self.label = read_data(data, self.spec)

    @property
    def choices(self) -> dict[str, Any]:
        return self.spec.choices()

    def run(self) -> Result:
        return build(self.spec, self.data)

    def regenerate(self, **changes: Any) -> Result:
        return build(self.spec.with_changes(**changes), self.data)
