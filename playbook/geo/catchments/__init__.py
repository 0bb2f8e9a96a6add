"""Service-point catchments: nearest point, points within reach, who each point serves, and what-if views.

- :mod:`.distance` — great-circle distance (BallTree, haversine, detour factor) or a supplied matrix;
- :mod:`.analysis` — per-area and per-point catchment tables, population-weighted centroids;
- :mod:`.scenarios` — vulnerability x distance matrix, coverage curves, what-if, greedy locations;

Everything is importable from ``playbook.geo.catchments``; the tables to share are in
:mod:`playbook.service_points.published`.
"""

from playbook.geo.catchments.analysis import (
    area_catchments,
    coverage,
    point_catchments,
    population_weighted_centroids,
    quintiles,
    vulnerable_flag,
)
from playbook.geo.catchments.distance import (
    EARTH_RADIUS_KM,
    DistanceSource,
    GreatCircle,
    TravelMatrix,
    brute_force_nearest,
    haversine_km,
)
from playbook.geo.catchments.scenarios import (
    DISTANCE_BANDS,
    Scenario,
    coverage_curve,
    distance_matrix,
    greedy_locations,
    quadrants,
    what_if,
)

__all__ = [
    "DISTANCE_BANDS",
    "EARTH_RADIUS_KM",
    "DistanceSource",
    "GreatCircle",
    "Scenario",
    "TravelMatrix",
    "area_catchments",
    "brute_force_nearest",
    "coverage",
    "coverage_curve",
    "distance_matrix",
    "greedy_locations",
    "haversine_km",
    "point_catchments",
    "population_weighted_centroids",
    "quadrants",
    "quintiles",
    "vulnerable_flag",
    "what_if",
]
