"""Distances between areas and service points: great circle (with a detour factor) or a supplied matrix.

Two interchangeable *distance sources* answer the same two questions, vectorised over all areas:

- :meth:`nearest` — for every area, the nearest point and its distance;
- :meth:`pairs` — every (area, point) pair closer than a radius, with its distance.

:class:`GreatCircle` measures along the sphere of radius :data:`EARTH_RADIUS_KM` (the mean Earth
radius, 6,371.0088 km) with scikit-learn's ``BallTree`` (haversine metric), then multiplies by a
``detour`` factor to approximate road distance (1.0 = straight line; road networks in Canada are
typically 1.2-1.4 times the straight line in settled areas, much more where roads are sparse, and
infinite where there are none: see the notebook "Mapping service points").
:class:`TravelMatrix` reads distances or travel times computed elsewhere (a routing engine, a
ferry timetable) from a CSV, so a user can replace straight lines without touching the analysis.

Areas and points are DataFrames with ``id``, ``lat`` and ``lon`` (decimal degrees, WGS84).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from os import PathLike
from typing import Protocol

import numpy as np
import pandas as pd
from sklearn.neighbors import BallTree

from playbook.errors import PlaybookError
from playbook.io import numbers

#: Mean Earth radius (IUGG), km: the sphere on which great-circle distances are measured.
EARTH_RADIUS_KM = 6371.0088


def _radians(frame: pd.DataFrame) -> np.ndarray:
    return np.radians(frame[["lat", "lon"]].to_numpy(dtype="float64"))


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km between (lat1, lon1) and (lat2, lon2), broadcasting like NumPy."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


class DistanceSource(Protocol):
    """What the catchment analysis needs from a source of distances (km or minutes)."""

    unit: str

    def nearest(self, areas: pd.DataFrame, points: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Per area: the position (0-based row) of the nearest point, and its distance (NaN if none)."""

    def pairs(self, areas: pd.DataFrame, points: pd.DataFrame, radius: float) -> pd.DataFrame:
        """All pairs within ``radius``: columns ``area`` and ``point`` (row positions) and ``distance``."""


@dataclass(frozen=True)
class GreatCircle:
    """Great-circle distance on a sphere of radius 6,371.0088 km, times ``detour`` (>= 1 for roads)."""

    detour: float = 1.0
    unit: str = field(default="km", init=False)

    def __post_init__(self) -> None:
        if not np.isfinite(self.detour) or self.detour <= 0:
            raise PlaybookError(f"detour factor {self.detour} is not positive", field="detour", expected="a number > 0, e.g. 1.3")

    def nearest(self, areas: pd.DataFrame, points: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        if len(points) == 0:
            return np.full(len(areas), -1), np.full(len(areas), np.nan)
        # small leaves: fewer haversine evaluations per query (3x faster than the default 40 here)
        tree = BallTree(_radians(points), metric="haversine", leaf_size=2)
        dist, idx = tree.query(_radians(areas), k=1)
        return idx[:, 0], dist[:, 0] * EARTH_RADIUS_KM * self.detour

    def pairs(self, areas: pd.DataFrame, points: pd.DataFrame, radius: float) -> pd.DataFrame:
        if len(points) == 0 or len(areas) == 0:
            return pd.DataFrame({"area": np.array([], int), "point": np.array([], int), "distance": np.array([], float)})
        # index the larger set, query with the smaller one: one result array per query
        small, large = (points, areas) if len(points) <= len(areas) else (areas, points)
        tree = BallTree(_radians(large), metric="haversine")
        idx, dist = tree.query_radius(_radians(small), r=radius / self.detour / EARTH_RADIUS_KM, return_distance=True)
        counts = np.fromiter((len(i) for i in idx), dtype=np.int64, count=len(idx))
        queried = np.repeat(np.arange(len(small)), counts)
        found = np.concatenate(idx).astype(np.int64)
        area, point = (found, queried) if small is points else (queried, found)
        return pd.DataFrame({"area": area, "point": point, "distance": np.concatenate(dist) * EARTH_RADIUS_KM * self.detour})


@dataclass(frozen=True)
class TravelMatrix:
    """Distances or travel times supplied by the user: a long table ``area_id, point_id, value``.

    Pairs absent from the table count as unreachable. Build it with :meth:`from_csv`.
    """

    table: pd.DataFrame  # columns area_id, point_id, value
    unit: str = "km"

    @classmethod
    def from_csv(cls, path: str | PathLike, *, value: str | None = None) -> TravelMatrix:
        """Read ``area_id, point_id`` and one value column (``distance_km`` or ``minutes``, or ``value``)."""
        try:
            raw = pd.read_csv(path, dtype={"area_id": str, "point_id": str})
        except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise PlaybookError(f"cannot read the travel matrix: {exc}", path=path) from None
        candidates = [value] if value else ["distance_km", "minutes"]
        found = [c for c in candidates if c in raw.columns]
        missing = [c for c in ("area_id", "point_id") if c not in raw.columns]
        if missing or not found:
            raise PlaybookError(
                f"columns {missing or candidates} missing",
                path=path,
                row=1,
                expected="area_id, point_id and distance_km (or minutes)",
            )
        column = found[0]
        values = numbers(raw[column].astype("string"), path=path, field=column, expected="a number >= 0",
                         required=True, minimum=0, noun="a distance")
        table = pd.DataFrame({"area_id": raw["area_id"], "point_id": raw["point_id"], "value": values})
        return cls(table, unit="min" if column == "minutes" else "km")

    def _indexed(self, areas: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
        area_pos = pd.Series(np.arange(len(areas)), index=areas["id"].astype(str))
        point_pos = pd.Series(np.arange(len(points)), index=points["id"].astype(str))
        t = self.table.assign(area=self.table["area_id"].map(area_pos), point=self.table["point_id"].map(point_pos))
        unknown = points["id"].astype(str)[~points["id"].astype(str).isin(self.table["point_id"])]
        if len(unknown):
            raise PlaybookError(
                f"point '{unknown.iloc[0]}' has no row in the travel matrix",
                field="point_id",
                expected="every point (including added ones) in the matrix",
            )
        t = t.dropna(subset=["area", "point"])
        return t.astype({"area": np.int64, "point": np.int64})

    def nearest(self, areas: pd.DataFrame, points: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        t = self._indexed(areas, points).sort_values(["area", "value"], kind="stable").drop_duplicates("area")
        idx = np.full(len(areas), -1)
        dist = np.full(len(areas), np.nan)
        idx[t["area"].to_numpy()] = t["point"].to_numpy()
        dist[t["area"].to_numpy()] = t["value"].to_numpy()
        return idx, dist

    def pairs(self, areas: pd.DataFrame, points: pd.DataFrame, radius: float) -> pd.DataFrame:
        t = self._indexed(areas, points)
        t = t[t["value"] <= radius]
        return pd.DataFrame({"area": t["area"].to_numpy(), "point": t["point"].to_numpy(), "distance": t["value"].to_numpy()})


def brute_force_nearest(areas: pd.DataFrame, points: pd.DataFrame, radius: float, detour: float = 1.0):
    """Baseline without a spatial index: the full area x point haversine matrix in NumPy.

    Returns ``(nearest position, distance, points within radius)``; used by the benchmark and tests.
    """
    d = (
        haversine_km(
            areas["lat"].to_numpy()[:, None],
            areas["lon"].to_numpy()[:, None],
            points["lat"].to_numpy()[None, :],
            points["lon"].to_numpy()[None, :],
        )
        * detour
    )
    idx = d.argmin(axis=1)
    return idx, d[np.arange(len(d)), idx], (d <= radius).sum(axis=1)
