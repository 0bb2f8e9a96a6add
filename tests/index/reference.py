"""A reference implementation of the build written plainly with pandas, one step per operation.

It serves two purposes: an independent cross-check of the vectorised engine (tests compare both on
the same specs and data) and the baseline of ``bench/index_scale.py`` — the uncertainty analysis
written as a loop that rebuilds the pipeline with pandas for every run. It covers the methods the
uncertainty analysis draws (every imputation, normalisation and weighting method; arithmetic,
geometric, harmonic and minimum aggregation). Outlier treatment reuses :mod:`playbook.index.treat`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.errors import PlaybookError
from playbook.index import weights as weighting
from playbook.index.spec import Spec, check_data
from playbook.index.treat import treat


def _impute(frame: pd.DataFrame, spec: Spec, data: pd.DataFrame) -> pd.DataFrame:
    method = spec.impute["method"]
    if method == "none":
        return frame
    stat = "mean" if method.endswith("mean") else "median"
    overall = getattr(frame, stat)()
    if method.startswith("group_"):
        groups = data[spec.impute["by"]].to_numpy()
        frame = frame.fillna(frame.groupby(groups, dropna=False).transform(stat))
    return frame.fillna(overall)


def _normalise(y: pd.DataFrame, spec: Spec, raw: pd.DataFrame) -> pd.DataFrame:
    block = spec.normalise
    method = block["method"]
    a, b = (float(v) for v in block.get("range", (0, 100)))
    if method == "minmax":
        span = (y.max() - y.min()).replace(0, np.nan)
        return (a + (b - a) * (y - y.min()) / span).fillna((a + b) / 2).where(y.notna())
    if method == "zscore":
        sd = y.std().replace(0, np.nan)
        z = ((y - y.mean()) / sd).fillna(0.0).where(y.notna())
        return float(block.get("mean", 0)) + float(block.get("sd", 1)) * z
    ranks = y.rank(method="min")
    if method == "rank":
        return ranks
    if method == "percentile":
        return a + (b - a) * ((ranks - 1) / (y.count() - 1).replace(0, np.nan)).fillna(0.5).where(y.notna())
    directions = pd.Series({i.id: float(i.direction) for i in spec.indicators})
    if method == "goalposts":
        shared = block.get("goalposts")
        posts = pd.DataFrame([sorted(np.array(i.goalposts or shared, dtype=float) * i.direction)
                              for i in spec.indicators], index=y.columns, columns=["lo", "hi"])
        return a + (b - a) * ((y - posts["lo"]) / (posts["hi"] - posts["lo"])).clip(0, 1)
    ref = raw.loc[str(block["reference"])]
    if block.get("type", "ratio") == "difference":
        return (raw - ref) * directions
    return 100.0 * (raw / ref) ** directions


def _aggregate(long: pd.DataFrame, keys: list[str], method: str) -> pd.DataFrame:
    """Aggregate ``long`` (columns keys + value, weight) by ``keys``: value and weight present."""
    long = long[long["weight"] > 0]
    grouped = long.assign(
        wx=long["weight"] * long["value"],
        wlog=long["weight"] * np.log(long["value"].where(long["value"] > 0)),
        winv=long["weight"] / long["value"],
    ).groupby(keys, sort=False)
    w = grouped["weight"].sum()
    if method == "arithmetic":
        value = grouped["wx"].sum() / w
    elif method == "geometric":
        value = np.exp(grouped["wlog"].sum() / w)
    elif method == "harmonic":
        value = w / grouped["winv"].sum()
    elif method == "minimum":
        value = grouped["value"].min()
    else:
        raise PlaybookError(f"the pandas reference has no '{method}' aggregation", field="aggregate.method")
    return pd.DataFrame({"value": value, "weight": w})


def build_pandas(spec: Spec, data: pd.DataFrame) -> pd.DataFrame:
    """The scores table of :func:`playbook.index.build`, computed step by step with pandas."""
    check_data(spec, data)
    ids = data[spec.unit_id].astype(str).to_numpy()
    columns = {i.column: i.id for i in spec.indicators}
    raw = data[list(columns)].apply(pd.to_numeric, errors="coerce").rename(columns=columns)
    raw.index = ids
    imputed = _impute(raw, spec, data)
    treated = pd.DataFrame(treat(imputed.to_numpy(), spec.treat, spec.indicator_ids)[0], index=ids,
                           columns=spec.indicator_ids)
    directions = pd.Series({i.id: float(i.direction) for i in spec.indicators})
    normalised = _normalise(treated * directions, spec, treated)
    method = spec.aggregate["method"]
    if method in ("geometric", "harmonic") and (normalised <= 0).any().any():
        raise PlaybookError(f"{method} aggregation needs values > 0", field="aggregate.method")
    w, v = weighting.resolve(spec, normalised.to_numpy())
    meta = pd.DataFrame({"indicator": spec.indicator_ids, "weight": w,
                         "dimension": [d.id for d in spec.dimensions for _ in d.indicators]})
    long = normalised.rename_axis("unit").rename_axis("indicator", axis=1).stack().rename("value").reset_index()
    long = long.dropna(subset=["value"]).merge(meta, on="indicator")
    dims = _aggregate(long, ["unit", "dimension"], method).reset_index()
    totals = meta.groupby("dimension")["weight"].sum()
    dims["coverage"] = dims["weight"] / dims["dimension"].map(totals)
    # the threshold: the share of a dimension's indicators (of weight > 0) present (COINr's rule)
    counted = meta[meta["weight"] > 0].groupby("dimension")["indicator"].count()
    present = long[long["weight"] > 0].groupby(["unit", "dimension"])["indicator"].count()
    share = present.reindex(pd.MultiIndex.from_frame(dims[["unit", "dimension"]])).to_numpy() / dims["dimension"].map(
        counted).to_numpy()
    dims.loc[share < spec.min_coverage - 1e-9, "value"] = np.nan
    dim_weights = pd.Series(v, index=spec.dimension_ids)
    dims["weight"] = dims["dimension"].map(dim_weights / dim_weights.sum())
    coverage = (dims["coverage"] * dims["weight"]).groupby(dims["unit"]).sum()
    index = _aggregate(dims.dropna(subset=["value"]), ["unit"], method)["value"]
    # ... and the share of the dimensions (of weight > 0) available
    n_dims = int(((dim_weights > 0) & dim_weights.index.isin(counted.index)).sum())
    available = dims[dims["weight"] > 0].dropna(subset=["value"]).groupby("unit")["dimension"].count()
    index = index.where(available.reindex(index.index).fillna(0) / n_dims >= spec.min_coverage - 1e-9)
    scores = dims.pivot(index="unit", columns="dimension", values="value").reindex(index=ids, columns=spec.dimension_ids)
    scores["score"] = index.reindex(ids)
    scores["coverage"] = coverage.reindex(ids).fillna(0.0)
    scores["rank"] = scores["score"].rank(ascending=False, method="min").astype("Int64")
    n = scores["score"].count()
    scores["quintile"] = (5 - np.floor(5 * (scores["rank"] - 1) / max(n, 1))).astype("Int64")
    out = scores.rename_axis(spec.unit_id).reset_index()
    out = out[[spec.unit_id, *spec.dimension_ids, "score", "rank", "quintile", "coverage"]]
    out.columns.name = None
    return out
