"""Statistical audit of an index (the OECD/JRC handbook's checks, as COINr's ``get_corr``,
``get_cronbach``, ``get_PCA`` and ``get_corr_flags``).

- correlations (Pearson, pairwise complete) between normalised indicators, dimension scores and
  the index;
- per indicator: correlation with its dimension and with the index, and flags: ``negative``
  (r < 0 with its dimension), ``weak`` (0 <= r < ``weak``, default 0.3), ``collinear``
  (r > ``collinear``, default 0.9, with another indicator of the same dimension);
- per dimension: Cronbach's alpha ``k / (k - 1) (1 - sum var_i / var(sum_i x_i))`` of its
  normalised indicators (complete units, sample variances), the share of variance explained by
  the first principal component of their correlation matrix, and the correlation with the index;
- PCA of all indicators: the share of variance of each component;
- the effect of removing each indicator (weight set to 0, the others renormalised): mean and
  largest absolute rank shift and the share of units that change quintile — all removals are
  computed at once, vectorised.
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike

import numpy as np
import pandas as pd

from playbook.index import aggregate
from playbook.index.pipeline import build, score
from playbook.index.spec import Spec, load_spec, read_data


@dataclass
class Audit:
    """The audit tables of an index."""

    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    correlations: pd.DataFrame
    pca: pd.DataFrame
    removal: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by title, in the order the CLI prints them."""
        corr = self.correlations.reset_index(names="")
        return {"indicators": self.indicators, "dimensions": self.dimensions, "correlations": corr,
                "pca": self.pca, "removal of each indicator": self.removal}


def cronbach_alpha(x: np.ndarray) -> float:
    """Cronbach's alpha of the columns of ``x`` (units with a missing value are left out)."""
    x = x[~np.isnan(x).any(axis=1)]
    k = x.shape[1]
    if k < 2 or len(x) < 2:
        return float("nan")
    total = x.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total)) if total > 0 else float("nan")


def pca_shares(x: np.ndarray) -> np.ndarray:
    """Share of variance of each principal component of the correlation matrix (complete units)."""
    x = x[~np.isnan(x).any(axis=1)]
    if x.shape[1] < 2 or len(x) < 3:
        return np.ones(min(x.shape[1], 1))
    keep = x.std(axis=0) > 0
    values = np.linalg.eigvalsh(np.atleast_2d(np.corrcoef(x[:, keep], rowvar=False)))[::-1]
    return np.clip(values, 0, None) / np.clip(values, 0, None).sum()


def removal_effect(spec: Spec, x: np.ndarray, w: np.ndarray, v: np.ndarray, nominal: np.ndarray) -> pd.DataFrame:
    """Rank shifts when each indicator in turn is removed (all removals in one vectorised call)."""
    k = len(w)
    ws = np.repeat(w[None, :], k, axis=0)
    ws[np.arange(k), np.arange(k)] = 0.0
    vs = v[None, :] * ((ws @ spec.membership) > 0)
    ranks = score(spec, x, ws, vs)["rank"]
    shift = np.abs(ranks - nominal[:, None])
    q0, q = aggregate.quintiles(nominal), aggregate.quintiles(ranks)
    both = ~np.isnan(q) & ~np.isnan(q0)[:, None]
    with np.errstate(invalid="ignore"):
        return pd.DataFrame({
            "indicator": spec.indicator_ids,
            "mean_abs_rank_shift": np.nanmean(shift, axis=0),
            "max_abs_rank_shift": np.nanmax(shift, axis=0),
            "share_quintile_changed": np.sum(both & (q != q0[:, None]), axis=0) / np.maximum(both.sum(axis=0), 1),
        })


def audit(spec: Spec | str | PathLike | dict, data: pd.DataFrame | str | PathLike, *, weak: float = 0.3,
          collinear: float = 0.9) -> Audit:
    """Audit the index of ``spec`` built on ``data``."""
    spec = load_spec(spec)
    frame, _label = read_data(data, spec)
    result = build(spec, frame)
    x = result.normalised[spec.indicator_ids].to_numpy()
    dims = result.scores[spec.dimension_ids].to_numpy()
    table = pd.concat([result.normalised[spec.indicator_ids], result.scores[spec.dimension_ids + ["score"]]], axis=1)
    table.columns = spec.indicator_ids + [f"dim:{d}" for d in spec.dimension_ids] + ["index"]
    corr = table.corr(method="pearson")
    rows = []
    for dim in spec.dimensions:
        ids = [i.id for i in dim.indicators]
        for ind in dim.indicators:
            r_dim, r_idx = corr.loc[ind.id, f"dim:{dim.id}"], corr.loc[ind.id, "index"]
            flags = []
            if r_dim < 0:
                flags.append("negative")
            elif r_dim < weak:
                flags.append("weak")
            others = corr.loc[ind.id, [o for o in ids if o != ind.id]]
            if len(others) and (others > collinear).any():
                flags.append("collinear")
            rows.append({"indicator": ind.id, "dimension": dim.id, "r_dimension": r_dim, "r_index": r_idx,
                         "flag": ",".join(flags)})
    dim_rows = []
    for p, dim in enumerate(spec.dimensions):
        cols = spec.membership[:, p] > 0
        dim_rows.append({"dimension": dim.id, "indicators": int(cols.sum()),
                         "cronbach_alpha": cronbach_alpha(x[:, cols]),
                         "pca_first_share": float(pca_shares(x[:, cols])[0]),
                         "r_index": corr.loc[f"dim:{dim.id}", "index"]})
    dim_rows.append({"dimension": "(index)", "indicators": len(spec.indicators), "cronbach_alpha": cronbach_alpha(dims),
                     "pca_first_share": float(pca_shares(x)[0]), "r_index": 1.0})
    shares = pca_shares(x)
    pca = pd.DataFrame({"component": np.arange(1, len(shares) + 1), "variance_share": shares,
                        "cumulative": np.cumsum(shares)})
    w = result.weights.query("level == 'indicator'")["weight"].to_numpy()
    v = result.weights.query("level == 'dimension'")["weight"].to_numpy()
    nominal = result.scores["rank"].to_numpy(dtype=float, na_value=np.nan)
    return Audit(pd.DataFrame(rows), pd.DataFrame(dim_rows), corr, pca, removal_effect(spec, x, w, v, nominal))
