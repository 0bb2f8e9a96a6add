"""Statistical audit of an index (the OECD/JRC handbook's checks, as COINr's ``get_corr``,
``get_cronbach``, ``get_PCA`` and ``get_corr_flags``), at every level of the hierarchy.

- correlations (Pearson, pairwise complete) between normalised indicators, the scores of every
  aggregate (``dim:ID``) and the index;
- per indicator: correlation with its dimension and with the index, and flags: ``negative``
  (r < 0 with its dimension), ``weak`` (0 <= r < ``weak``, default 0.3), ``collinear``
  (r > ``collinear``, default 0.9, with another indicator of the same dimension);
- per aggregate, at every level: Cronbach's alpha ``k / (k - 1) (1 - sum var_i / sum cov_ij)`` of
  its children (the normalised indicators of a dimension of the lowest level, the scores of the
  sub-dimensions above), on the pairwise covariance matrix as COINr's ``get_cronbach``
  (``cronbach="complete"``: units with every child present only), the share of variance explained
  by the first principal component of their correlation matrix, and the correlation with the index;
  a hierarchy deeper than three levels adds the depth, the parent, the number of children, the
  correlation with the parent and the same flags as the indicators' (against the parent and the
  siblings);
- the ``(index)`` row: alpha of the children of the index, PCA of all indicators;
- PCA of all indicators: the share of variance of each component;
- the effect of removing each indicator (weight set to 0, the others renormalised): mean and
  largest absolute rank shift and the share of units that change quintile — all removals are
  computed at once, vectorised; deeper than three levels, the same for each aggregate (every
  indicator beneath it removed, its siblings renormalised).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from os import PathLike

import numpy as np
import pandas as pd

from playbook.errors import PlaybookError
from playbook.index import aggregate
from playbook.index.pipeline import build, score
from playbook.index.spec import Spec, load_spec, read_data

#: How Cronbach's alpha treats missing values: COINr's pairwise covariances, or complete units only.
CRONBACH = ("pairwise", "complete")


@dataclass
class Audit:
    """The audit tables of an index (``dimension_removal``: only for a hierarchy deeper than three levels)."""

    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    correlations: pd.DataFrame
    pca: pd.DataFrame
    removal: pd.DataFrame
    dimension_removal: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by title, in the order the CLI prints them."""
        corr = self.correlations.reset_index(names="")
        out = {"indicators": self.indicators, "dimensions": self.dimensions, "correlations": corr,
               "pca": self.pca, "removal of each indicator": self.removal}
        if self.dimension_removal is not None:
            out["removal of each dimension"] = self.dimension_removal
        return out


def cronbach_alpha(x: np.ndarray, missing: str = "pairwise") -> float:
    """Cronbach's alpha of the columns of ``x``: ``k / (k - 1) (1 - trace(C) / sum(C))`` for the
    covariance matrix ``C`` (sample covariances). ``missing="pairwise"``: each covariance on the units
    where both columns are present (R's ``cov(use = "pairwise.complete.obs")``, as COINr's
    ``get_cronbach``; a pair with fewer than two such units is left out of the sum, as there);
    ``"complete"``: units with a missing value are left out."""
    if missing not in CRONBACH:
        raise PlaybookError(f"unknown Cronbach option '{missing}'", field="cronbach", expected=" | ".join(CRONBACH))
    x = np.asarray(x, dtype=float)
    if missing == "complete":
        x = x[~np.isnan(x).any(axis=1)]
    k = x.shape[1]
    if k < 2 or len(x) < 2:
        return float("nan")
    cov = pd.DataFrame(x).cov().to_numpy()  # pairwise complete observations, ddof 1
    total = np.nansum(cov)
    return float(k / (k - 1) * (1 - np.nansum(np.diag(cov)) / total)) if total > 0 else float("nan")


def pca_shares(x: np.ndarray) -> np.ndarray:
    """Share of variance of each principal component of the correlation matrix (complete units)."""
    x = x[~np.isnan(x).any(axis=1)]
    if x.shape[1] < 2 or len(x) < 3:
        return np.ones(min(x.shape[1], 1))
    keep = x.std(axis=0) > 0
    values = np.linalg.eigvalsh(np.atleast_2d(np.corrcoef(x[:, keep], rowvar=False)))[::-1]
    return np.clip(values, 0, None) / np.clip(values, 0, None).sum()


def _removals(spec: Spec, x: np.ndarray, w: np.ndarray, v: np.ndarray, nominal: np.ndarray,
              removed: np.ndarray) -> dict[str, np.ndarray]:
    """Rank shifts for each row of ``removed`` (R, K): those indicators' weights set to 0, the
    aggregates left with none renormalised away (all removals in one vectorised call)."""
    ws = np.where(removed, 0.0, w[None, :])
    vs = v[None, :] * spec.alive(ws)
    ranks = score(spec, x, ws, vs, dims=False)["rank"]
    shift = np.abs(ranks - nominal[:, None])
    q0, q = aggregate.quintiles(nominal), aggregate.quintiles(ranks)
    both = ~np.isnan(q) & ~np.isnan(q0)[:, None]
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a removal that leaves no index at all: NaN
        return {
            "mean_abs_rank_shift": np.nanmean(shift, axis=0),
            "max_abs_rank_shift": np.nanmax(shift, axis=0),
            "share_quintile_changed": np.sum(both & (q != q0[:, None]), axis=0) / np.maximum(both.sum(axis=0), 1),
        }


def removal_effect(spec: Spec, x: np.ndarray, w: np.ndarray, v: np.ndarray, nominal: np.ndarray) -> pd.DataFrame:
    """Rank shifts when each indicator in turn is removed (all removals in one vectorised call)."""
    return pd.DataFrame({"indicator": spec.indicator_ids,
                         **_removals(spec, x, w, v, nominal, np.eye(len(w), dtype=bool))})


def dimension_removal_effect(spec: Spec, x: np.ndarray, w: np.ndarray, v: np.ndarray,
                             nominal: np.ndarray) -> pd.DataFrame:
    """Rank shifts when each aggregate of :attr:`Spec.node_ids` in turn is removed (every indicator
    beneath it), its siblings renormalised (COINr's ``remove_elements`` at each level)."""
    pos = {i: k for k, i in enumerate(spec.indicator_ids)}
    nodes = [d for level in spec.levels for d in level]
    removed = np.zeros((len(nodes), len(w)), dtype=bool)
    for r, d in enumerate(nodes):
        removed[r, [pos[i.id] for i in d.indicators]] = True
    return pd.DataFrame({"dimension": spec.node_ids, "depth": _depths(spec),
                         **_removals(spec, x, w, v, nominal, removed)})


def _depths(spec: Spec) -> list[int]:
    """The depth of each aggregate of :attr:`Spec.node_ids` (2: the parents of the indicators)."""
    return [lv + 2 for lv, level in enumerate(spec.levels) for _ in level]


def _flags(r_parent: float, r_siblings: pd.Series, weak: float, collinear: float) -> str:
    flags = []
    if r_parent < 0:
        flags.append("negative")
    elif r_parent < weak:
        flags.append("weak")
    if len(r_siblings) and (r_siblings > collinear).any():
        flags.append("collinear")
    return ",".join(flags)


def audit(spec: Spec | str | PathLike | dict, data: pd.DataFrame | str | PathLike, *, weak: float = 0.3,
          collinear: float = 0.9, cronbach: str = "pairwise") -> Audit:
    """Audit the index of ``spec`` built on ``data`` (``cronbach``: ``pairwise`` | ``complete``, how
    Cronbach's alpha treats missing values, see :func:`cronbach_alpha`)."""
    if cronbach not in CRONBACH:
        raise PlaybookError(f"unknown Cronbach option '{cronbach}'", field="cronbach", expected=" | ".join(CRONBACH))
    spec = load_spec(spec)
    frame, _label = read_data(data, spec)
    result = build(spec, frame)
    ids, nodes = spec.indicator_ids, spec.node_ids
    x = result.normalised[ids].to_numpy()
    values = {**{i: x[:, k] for k, i in enumerate(ids)}, **{n: result.scores[n].to_numpy() for n in nodes}}
    table = pd.concat([result.normalised[ids], result.scores[nodes + ["score"]]], axis=1)
    table.columns = ids + [f"dim:{d}" for d in nodes] + ["index"]
    corr = table.corr(method="pearson")
    rows = []
    for dim in spec.dimensions:
        members = [i.id for i in dim.indicators]
        for ind in dim.indicators:
            r_dim = corr.loc[ind.id, f"dim:{dim.id}"]
            others = corr.loc[ind.id, [o for o in members if o != ind.id]]
            rows.append({"indicator": ind.id, "dimension": dim.id, "r_dimension": r_dim,
                         "r_index": corr.loc[ind.id, "index"], "flag": _flags(r_dim, others, weak, collinear)})
    deep = spec.depth > 3
    children = {d.id: [i.id for i in d.indicators] for d in spec.dimensions}
    children |= {d.id: [c.id for c in d.dimensions] for level in spec.levels[1:] for d in level}
    top = [d.id for d in spec.levels[-1]]
    label = {**{i: i for i in ids}, **{n: f"dim:{n}" for n in nodes}}
    dim_rows = []
    for node, parent, depth, d in zip(nodes, spec.parents, _depths(spec), (d for lv in spec.levels for d in lv),
                                      strict=True):
        kids = np.column_stack([values[c] for c in children[node]])
        row = {"dimension": node, "indicators": len(d.indicators), "cronbach_alpha": cronbach_alpha(kids, cronbach),
               "pca_first_share": float(pca_shares(kids)[0]), "r_index": corr.loc[f"dim:{node}", "index"]}
        if deep:
            up = "index" if parent is None else f"dim:{parent}"
            siblings = top if parent is None else children[parent]
            r_parent = corr.loc[f"dim:{node}", up]
            others = corr.loc[f"dim:{node}", [label[s] for s in siblings if s != node]]
            row = {"dimension": node, "depth": depth, "parent": parent or "(index)", "children": len(children[node]),
                   **{k: row[k] for k in ("indicators", "cronbach_alpha", "pca_first_share")},
                   "r_parent": r_parent, "r_index": row["r_index"], "flag": _flags(r_parent, others, weak, collinear)}
        dim_rows.append(row)
    index_row = {"dimension": "(index)", "indicators": len(ids),
                 "cronbach_alpha": cronbach_alpha(np.column_stack([values[t] for t in top]), cronbach),
                 "pca_first_share": float(pca_shares(x)[0]), "r_index": 1.0}
    if deep:
        index_row = {"dimension": "(index)", "depth": spec.depth, "parent": "", "children": len(top),
                     **{k: index_row[k] for k in ("indicators", "cronbach_alpha", "pca_first_share")},
                     "r_parent": np.nan, "r_index": 1.0, "flag": ""}
    dim_rows.append(index_row)
    shares = pca_shares(x)
    pca = pd.DataFrame({"component": np.arange(1, len(shares) + 1), "variance_share": shares,
                        "cumulative": np.cumsum(shares)})
    w = result.weights.query("level == 'indicator'")["weight"].to_numpy()
    v = result.weights.query("level == 'dimension'")["weight"].to_numpy()
    nominal = result.scores["rank"].to_numpy(dtype=float, na_value=np.nan)
    by_dimension = dimension_removal_effect(spec, x, w, v, nominal) if deep else None
    return Audit(pd.DataFrame(rows), pd.DataFrame(dim_rows), corr, pca, removal_effect(spec, x, w, v, nominal),
                 by_dimension)
