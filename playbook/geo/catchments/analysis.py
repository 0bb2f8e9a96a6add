"""Catchments: per area its nearest point and how many points are within reach; per point who lives
within reach, how vulnerable they are, and how many are in the most vulnerable quintile.

Each area is represented by one location (its population-weighted centroid where available, see
:func:`population_weighted_centroids`) and counted whole in a point's catchment when that location is
within the radius. Areas: ``id, lat, lon, population`` and optionally ``score`` (higher = more
vulnerable, as the EVI), ``quintile`` (1-5, 5 = most vulnerable) or a boolean ``vulnerable``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.errors import PlaybookError
from playbook.geo.catchments.distance import DistanceSource, GreatCircle

MOST_VULNERABLE = 5


def quintiles(score: pd.Series) -> pd.Series:
    """Quintile of each area by score: 1 (least vulnerable fifth of areas) to 5 (most vulnerable).

    Ties are broken by order of appearance so the five groups have equal numbers of areas; missing
    scores stay missing.
    """
    ranks = score.rank(method="first")
    out = pd.Series(pd.NA, index=score.index, dtype="Int64")
    valid = ranks.notna()
    if valid.sum() >= 5:
        out[valid] = pd.qcut(ranks[valid], 5, labels=False).astype("int64") + 1
    return out


def vulnerable_flag(areas: pd.DataFrame) -> np.ndarray:
    """Whether each area is in the most vulnerable quintile (``vulnerable``, else ``quintile`` == 5,
    else the top fifth of ``score``); all False when the areas carry no score."""
    if "vulnerable" in areas:
        return areas["vulnerable"].fillna(False).to_numpy(dtype=bool)
    q = areas["quintile"] if "quintile" in areas else quintiles(areas["score"]) if "score" in areas else None
    if q is None:
        return np.zeros(len(areas), dtype=bool)
    return (pd.Series(q).astype("Float64") == MOST_VULNERABLE).fillna(False).to_numpy(dtype=bool)


def population_weighted_centroids(parts: pd.DataFrame, *, by: str, weight: str = "population") -> pd.DataFrame:
    """Population-weighted centroid of each group of ``parts`` (e.g. the DAs of a CSD).

    ``parts`` has ``lat``, ``lon``, ``weight`` and the group column ``by``. The mean is taken on the
    unit sphere (3-D vectors), so it is right across the antimeridian and at high latitude. Groups
    whose weights are all zero fall back to the unweighted mean. Returns ``by, lat, lon``.
    """
    lat, lon = np.radians(parts["lat"].to_numpy(float)), np.radians(parts["lon"].to_numpy(float))
    w = parts[weight].fillna(0).to_numpy(float)
    xyz = pd.DataFrame({"x": np.cos(lat) * np.cos(lon), "y": np.cos(lat) * np.sin(lon), "z": np.sin(lat)})
    g = parts[by].to_numpy()
    weighted = (xyz.mul(w, axis=0)).groupby(g).sum()
    plain = xyz.groupby(g).sum()
    zero = weighted.abs().sum(axis=1) == 0
    weighted[zero] = plain[zero]
    x, y, z = weighted["x"], weighted["y"], weighted["z"]
    return pd.DataFrame(
        {
            by: weighted.index,
            "lat": np.degrees(np.arctan2(z, np.hypot(x, y))).to_numpy(),
            "lon": np.degrees(np.arctan2(y, x)).to_numpy(),
        }
    )


def _check(frame: pd.DataFrame, needed: list[str], what: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise PlaybookError(f"{what} lack columns {missing}", field=", ".join(missing), expected=f"columns {needed}")


def area_catchments(
    areas: pd.DataFrame, points: pd.DataFrame, radius: float, source: DistanceSource | None = None
) -> pd.DataFrame:
    """Per area: ``id, nearest_point, distance_km, points_within`` (in the source's unit).

    ``distance_km`` is missing and ``nearest_point`` empty when no point can be reached (a travel
    matrix without a row for the area).
    """
    source = source or GreatCircle()
    _check(areas, ["id", "lat", "lon"], "areas")
    _check(points, ["id", "lat", "lon"], "points")
    idx, dist = source.nearest(areas, points)
    pairs = source.pairs(areas, points, radius)
    ids = points["id"].astype(str).to_numpy()
    return pd.DataFrame(
        {
            "id": areas["id"].to_numpy(),
            "nearest_point": np.where(idx >= 0, ids[np.clip(idx, 0, None)] if len(ids) else "", ""),
            "distance_km": dist,
            "points_within": np.bincount(pairs["area"].to_numpy(), minlength=len(areas)),
        }
    )


def point_catchments(
    areas: pd.DataFrame,
    points: pd.DataFrame,
    radius: float,
    source: DistanceSource | None = None,
    *,
    sole: bool = False,
) -> pd.DataFrame:
    """Per point: ``id, areas_within, population_within, mean_score_within, vulnerable_within``
    (and ``sole_population, sole_vulnerable`` with ``sole=True``).

    ``mean_score_within`` is the population-weighted mean score of the areas within the radius
    (missing without a score); ``vulnerable_within`` counts the people living in areas of the most
    vulnerable quintile (see :func:`vulnerable_flag`). An area within reach of two points counts for
    both. ``sole_population`` and ``sole_vulnerable`` count only the people for whom this point is the
    only one within reach: who would lose coverage if it closed.
    """
    source = source or GreatCircle()
    _check(areas, ["id", "lat", "lon", "population"], "areas")
    pairs = source.pairs(areas, points, radius)
    a, p = pairs["area"].to_numpy(), pairs["point"].to_numpy()
    pop = areas["population"].fillna(0).to_numpy(float)
    n = len(points)
    out = pd.DataFrame(
        {
            "id": points["id"].to_numpy(),
            "areas_within": np.bincount(p, minlength=n),
            "population_within": np.bincount(p, weights=pop[a], minlength=n),
        }
    )
    if "score" in areas:
        score = areas["score"].to_numpy(float)
        scored = ~np.isnan(score[a])
        w = np.bincount(p[scored], weights=pop[a][scored], minlength=n)
        s = np.bincount(p[scored], weights=(pop * np.nan_to_num(score))[a][scored], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["mean_score_within"] = np.where(w > 0, s / np.where(w > 0, w, 1), np.nan)
    else:
        out["mean_score_within"] = np.nan
    has_vulnerability = any(c in areas for c in ("score", "quintile", "vulnerable"))
    vuln = vulnerable_flag(areas)
    out["vulnerable_within"] = np.bincount(p, weights=(pop * vuln)[a], minlength=n) if has_vulnerability else np.nan
    if sole:
        only = np.bincount(a, minlength=len(areas))[a] == 1  # pairs whose area has no other point within reach
        out["sole_population"] = np.bincount(p[only], weights=pop[a][only], minlength=n)
        out["sole_vulnerable"] = np.bincount(p[only], weights=(pop * vuln)[a][only], minlength=n) if has_vulnerability else np.nan
    return out


def coverage(areas: pd.DataFrame, points: pd.DataFrame, radius: float, source: DistanceSource | None = None) -> np.ndarray:
    """Boolean per area: is at least one point within ``radius``?"""
    pairs = (source or GreatCircle()).pairs(areas, points, radius)
    return np.bincount(pairs["area"].to_numpy(), minlength=len(areas)) > 0
