"""Decision views on catchments: the vulnerability x distance matrix, coverage curves, what-if
scenarios (close a point, add one, change the radius) and a greedy suggestion of new locations.

All views count **people** (area populations), not areas, and are vectorised over areas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from playbook.errors import PlaybookError
from playbook.geo.catchments.analysis import coverage, quintiles, vulnerable_flag
from playbook.geo.catchments.distance import DistanceSource, GreatCircle

#: Default distance bands (km) of the vulnerability x distance matrix.
DISTANCE_BANDS = (0, 10, 25, 50, 100, np.inf)


def distance_matrix(nearest: pd.DataFrame, areas: pd.DataFrame, *, bands=DISTANCE_BANDS) -> pd.DataFrame:
    """People by vulnerability quintile (rows, 1-5) and distance band to the nearest point (columns).

    ``nearest`` is the output of :func:`~playbook.geo.catchments.analysis.area_catchments` for the
    same areas (same order); ``areas`` has ``population`` and ``quintile`` (or ``score``).
    """
    q = areas["quintile"] if "quintile" in areas else quintiles(areas["score"])
    labels = [f"{lo:g}–{hi:g}" if np.isfinite(hi) else f"{lo:g}+" for lo, hi in zip(bands[:-1], bands[1:], strict=True)]
    band = pd.cut(nearest["distance_km"].to_numpy(), bins=list(bands), labels=labels, right=False, include_lowest=True)
    table = pd.crosstab(
        pd.Series(q.to_numpy(), name="quintile"),
        pd.Series(band, name="distance_km"),
        values=areas["population"].to_numpy(),
        aggfunc="sum",
        dropna=False,
    ).fillna(0)
    return table.reindex(index=range(1, 6), columns=labels, fill_value=0)


def quadrants(nearest: pd.DataFrame, areas: pd.DataFrame, *, radius: float) -> pd.DataFrame:
    """The four quadrants of need and access: most vulnerable quintile or not x within ``radius`` or not.

    Returns people and areas per quadrant (``vulnerable``: bool, ``far``: bool).
    """
    far = ~(nearest["distance_km"].to_numpy() <= radius)
    frame = pd.DataFrame(
        {"vulnerable": vulnerable_flag(areas), "far": far, "population": areas["population"].to_numpy(), "areas": 1}
    )
    return (
        frame.groupby(["vulnerable", "far"])
        .sum()
        .reindex(pd.MultiIndex.from_product([[True, False], [True, False]], names=["vulnerable", "far"]), fill_value=0)
        .reset_index()
    )


def coverage_curve(nearest: pd.DataFrame, areas: pd.DataFrame, distances=None) -> pd.DataFrame:
    """Share (%) of all people and of the most vulnerable quintile whose nearest point is within d km.

    Returns ``distance_km, share_all_pct, share_vulnerable_pct`` for each d in ``distances``.
    """
    distances = np.arange(0, 201, 5) if distances is None else np.asarray(distances, float)
    d = nearest["distance_km"].to_numpy(float)
    pop = areas["population"].fillna(0).to_numpy(float)
    vuln = vulnerable_flag(areas)

    def share(weights: np.ndarray) -> np.ndarray:
        order = np.argsort(np.where(np.isnan(d), np.inf, d), kind="stable")
        cumulative = np.concatenate([[0.0], np.cumsum(weights[order])])
        reached = np.searchsorted(np.where(np.isnan(d), np.inf, d)[order], distances, side="right")
        total = weights.sum()
        return 100 * cumulative[reached] / total if total > 0 else np.full(len(distances), np.nan)

    return pd.DataFrame({"distance_km": distances, "share_all_pct": share(pop), "share_vulnerable_pct": share(pop * vuln)})


@dataclass(frozen=True)
class Scenario:
    """Result of :func:`what_if`: per area before/after, and a one-row summary of who gains or loses."""

    areas: pd.DataFrame
    summary: pd.DataFrame


def _add_points(points: pd.DataFrame, add, areas: pd.DataFrame) -> pd.DataFrame:
    """``add``: a DataFrame ``id, lat, lon``, or a list of ``(id, lat, lon)`` or of area ids (their centroid)."""
    if add is None or len(add) == 0:
        return points
    if isinstance(add, pd.DataFrame):
        new = add[["id", "lat", "lon"]]
    else:
        rows = []
        by_id = areas.set_index(areas["id"].astype(str))
        for item in add:
            if isinstance(item, tuple | list) and len(item) == 3:
                rows.append({"id": str(item[0]), "lat": float(item[1]), "lon": float(item[2])})
            elif str(item) in by_id.index:
                area = by_id.loc[str(item)]
                rows.append({"id": f"new@{item}", "lat": float(area["lat"]), "lon": float(area["lon"])})
            else:
                raise PlaybookError(f"cannot add point '{item}'", field="add", expected="(id, lat, lon) or the id of an area")
        new = pd.DataFrame(rows)
    return pd.concat([points[["id", "lat", "lon"]], new], ignore_index=True)


def what_if(
    areas: pd.DataFrame,
    points: pd.DataFrame,
    *,
    radius: float,
    close=(),
    add=None,
    new_radius: float | None = None,
    source: DistanceSource | None = None,
) -> Scenario:
    """Compare coverage now with coverage after closing points (ids in ``close``), adding points
    (``add``: ``(id, lat, lon)`` tuples, area ids meaning "at that area's centroid", or a DataFrame)
    and/or changing the radius to ``new_radius``.

    ``Scenario.areas``: ``id, population, vulnerable, covered_before, covered_after, change``
    (``"gains"``, ``"loses"`` or ``""``), ``distance_before``, ``distance_after``.
    ``Scenario.summary``: people and vulnerable people gaining and losing coverage, and covered after.
    """
    source = source or GreatCircle()
    unknown = set(map(str, close)) - set(points["id"].astype(str))
    if unknown:
        raise PlaybookError(f"cannot close unknown point(s) {sorted(unknown)}", field="close", expected="ids of existing points")
    after_points = points[~points["id"].astype(str).isin(set(map(str, close)))]
    after_points = _add_points(after_points, add, areas)
    radius_after = radius if new_radius is None else new_radius
    before = coverage(areas, points, radius, source)
    after = coverage(areas, after_points, radius_after, source)
    _, d_before = source.nearest(areas, points)
    _, d_after = source.nearest(areas, after_points)
    pop = areas["population"].fillna(0).to_numpy(float)
    vuln = vulnerable_flag(areas)
    change = np.where(after & ~before, "gains", np.where(before & ~after, "loses", ""))
    table = pd.DataFrame(
        {
            "id": areas["id"].to_numpy(),
            "population": pop,
            "vulnerable": vuln,
            "covered_before": before,
            "covered_after": after,
            "change": change,
            "distance_before": d_before,
            "distance_after": d_after,
        }
    )
    gains, loses = change == "gains", change == "loses"
    summary = pd.DataFrame(
        [
            {
                "areas_gaining": int(gains.sum()),
                "areas_losing": int(loses.sum()),
                "people_gaining": pop[gains].sum(),
                "people_losing": pop[loses].sum(),
                "vulnerable_gaining": pop[gains & vuln].sum(),
                "vulnerable_losing": pop[loses & vuln].sum(),
                "people_covered_before": pop[before].sum(),
                "people_covered_after": pop[after].sum(),
            }
        ]
    )
    return Scenario(table, summary)


def greedy_locations(
    areas: pd.DataFrame,
    points: pd.DataFrame,
    *,
    k: int,
    radius: float,
    candidates: pd.DataFrame | None = None,
    source: DistanceSource | None = None,
) -> pd.DataFrame:
    """Greedy choice of ``k`` new locations that maximise the vulnerable people newly covered.

    Candidates default to the area centroids. At each step the candidate covering the most vulnerable
    people not yet within ``radius`` of a point is chosen (the classic greedy for maximum coverage,
    within 1 - 1/e of the optimum). Returns ``rank, id, lat, lon, vulnerable_gained,
    people_gained, vulnerable_covered_pct`` (cumulative), one row per chosen location; stops early
    when no candidate adds anyone.
    """
    if k < 1:
        raise PlaybookError(f"k = {k}", field="k", expected="a whole number >= 1")
    source = source or GreatCircle()
    candidates = areas[["id", "lat", "lon"]] if candidates is None else candidates[["id", "lat", "lon"]]
    pop = areas["population"].fillna(0).to_numpy(float)
    vuln_pop = pop * vulnerable_flag(areas)
    uncovered = ~coverage(areas, points, radius, source)
    pairs = source.pairs(areas, candidates, radius)
    reach = sparse.csr_matrix(
        (np.ones(len(pairs)), (pairs["point"].to_numpy(), pairs["area"].to_numpy())),
        shape=(len(candidates), len(areas)),
    )
    total_vuln = vuln_pop.sum()
    covered_vuln = vuln_pop[~uncovered].sum()
    chosen = []
    for rank in range(1, k + 1):  # k iterations, each one sparse product over all areas
        gain = reach @ (vuln_pop * uncovered)
        best = int(np.argmax(gain))
        if gain[best] <= 0:
            break
        reached = reach[best].indices
        newly = reached[uncovered[reached]]
        covered_vuln += vuln_pop[newly].sum()
        chosen.append(
            {
                "rank": rank,
                "id": candidates["id"].iloc[best],
                "lat": candidates["lat"].iloc[best],
                "lon": candidates["lon"].iloc[best],
                "vulnerable_gained": vuln_pop[newly].sum(),
                "people_gained": pop[newly].sum(),
                "vulnerable_covered_pct": 100 * covered_vuln / total_vuln if total_vuln else np.nan,
            }
        )
        uncovered[newly] = False
    return pd.DataFrame(
        chosen, columns=["rank", "id", "lat", "lon", "vulnerable_gained", "people_gained", "vulnerable_covered_pct"]
    )
