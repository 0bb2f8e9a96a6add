"""Catchment results as tables to share: labelled in the reader's language, after disclosure control.

:func:`reach_table` gives one row per area (the nearest point of each network, how far, how many
points of the first network within reach); :func:`point_table` one row per point (the people within
its reach); :func:`province_table` the distances summed up by province, with the provinces whose
source covers a network poorly withheld. Counts of people pass the disclosure rules of every table
of the playbook (:func:`playbook.privacy.protect`, ``specs/disclosure.yml``: suppressed under the
threshold, randomly rounded to the base); the score of an area whose population is suppressed is
suppressed with it.

Distances to a network are not reported for the areas of a province its source covers poorly
(``unreported``: see :mod:`playbook.service_points.networks`); the tables say which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from playbook import i18n, privacy
from playbook.codes import province_names
from playbook.geo import catchments as c


def km(value: float, lang: str | None = None) -> str:
    """A distance for a label: ``50`` -> "50", ``12.5`` -> "12.5" (French "12,5")."""
    return i18n.format_number(value, lang, 0 if float(value).is_integer() else 1)


@dataclass(frozen=True)
class Reach:
    """One network's catchments of the areas of a table: its id and name, :func:`~playbook.geo.catchments.area_catchments`
    of the areas (same order), the name shown for each point id (None: no nearest-point column) and,
    per area, whether its distances to this network are withheld (poor source coverage)."""

    network: str
    label: str
    nearest: pd.DataFrame
    names: pd.Series | None = None
    unreported: np.ndarray | None = None

    def withheld(self, n: int) -> np.ndarray:
        return np.zeros(n, dtype=bool) if self.unreported is None else np.asarray(self.unreported, dtype=bool)


def _column_labels(reach: Reach, first: bool, radius_km: float, lang: str) -> dict[str, str]:
    """The labels of a network's columns: the historical ones for Service Canada and the libraries."""
    radius = km(radius_km, lang)
    if reach.network == "service_canada":
        labels = {"nearest": i18n.t("catchments_col_nearest_sc", lang), "distance": i18n.t("catchments_col_distance_sc", lang),
                  "within": i18n.t("catchments_col_sc_within", lang, radius=radius)}
    else:
        labels = {"nearest": i18n.t("catchments_col_nearest_network", lang, network=reach.label),
                  "distance": i18n.t("catchments_col_distance_network", lang, network=reach.label),
                  "within": i18n.t("catchments_col_within_network", lang, network=reach.label, radius=radius)}
        if reach.network == "libraries":
            labels["distance"] = i18n.t("catchments_col_distance_library", lang)
    return labels if first else {"distance": labels["distance"]}


def reach_table(areas: pd.DataFrame, reaches: Sequence[Reach], *, radius_km: float, score_label: str,
                lang: str | None = None) -> pd.DataFrame:
    """Per area: DGUID, name, province, population, score; for the first network the nearest point
    (when its ``names`` are given), its distance and the points within ``radius_km``; for every other
    network the distance to its nearest point. Distances withheld for poor source coverage are empty,
    and a last column names the networks concerned. Sorted by the first network's distance, farthest first.

    ``areas``: ``id`` (DGUID), ``name``, ``pruid``, ``population``, ``score``.
    """
    lang = i18n.language(lang)
    n = len(areas)
    table = pd.DataFrame({
        "DGUID": areas["id"].to_numpy(),
        "name": areas["name"].to_numpy(),
        "province": province_names(areas["pruid"].astype(str), lang).to_numpy(),
        "population": areas["population"].to_numpy(),
        "score": areas["score"].to_numpy(),
    })
    labels = {"DGUID": "DGUID", "name": i18n.t("catchments_col_place", lang),
              "province": i18n.t("catchments_col_province", lang), "population": i18n.t("population_2021", lang),
              "score": score_label}
    withheld = pd.Series([""] * n, dtype="object")
    sort_key = None
    for k, reach in enumerate(reaches):
        hide = reach.withheld(n)
        names = _column_labels(reach, k == 0, radius_km, lang)
        distance = reach.nearest["distance_km"].round(1).to_numpy(float)
        columns = {"distance": np.where(hide, np.nan, distance)}
        if k == 0:
            sort_key = f"{reach.network}_distance"
            within = reach.nearest["points_within"].astype("Int64").to_numpy()
            columns["within"] = pd.array(within, dtype="Int64")
            columns["within"][hide] = pd.NA
            if reach.names is not None:
                nearest = reach.nearest["nearest_point"].astype(str).map(reach.names).astype("string").to_numpy()
                nearest[hide] = pd.NA
                columns = {"nearest": nearest, **columns}
        for key, values in columns.items():
            if key in names:
                table[f"{reach.network}_{key}"] = values
                labels[f"{reach.network}_{key}"] = names[key]
        withheld = withheld.where(~hide, withheld + np.where(withheld == "", "", "; ") + reach.label)
    if (withheld != "").any():
        table["unreported"] = withheld.replace("", pd.NA).to_numpy()
        labels["unreported"] = i18n.t("catchments_col_unreported", lang)
    table = privacy.protect(table, counts=["population"], dependent=["score"])
    table["population"] = table["population"].astype("Int64")
    if sort_key is not None:
        table = table.sort_values(sort_key, ascending=False, na_position="last")
    return table[list(labels)].rename(columns=labels)


def area_table(areas: pd.DataFrame, near_sc: pd.DataFrame, near_library: pd.DataFrame | None, points: pd.DataFrame,
               *, radius_km: float, score_label: str, lang: str | None = None) -> pd.DataFrame:
    """:func:`reach_table` of the two embedded networks: the nearest Service Canada point (``points``:
    ``id``, ``name_en``) with its distance and the points within ``radius_km``, and the distance to the
    nearest library (``near_library``; None leaves it out)."""
    lang = i18n.language(lang)
    names = pd.Series(points["name_en"].to_numpy(), index=points["id"].astype(str))
    reaches = [Reach("service_canada", i18n.t("catchments_service_canada", lang), near_sc, names)]
    if near_library is not None:
        reaches.append(Reach("libraries", i18n.t("catchments_libraries", lang), near_library))
    return reach_table(areas, reaches, radius_km=radius_km, score_label=score_label, lang=lang)


def point_table(per_point: pd.DataFrame, *, lang: str | None = None, names: pd.Series | None = None,
                unreported: np.ndarray | None = None) -> pd.DataFrame:
    """Per point: id, name, province, the people within reach, their mean score, the most vulnerable
    within reach and those for whom it is the only point within reach.

    ``per_point``: :func:`~playbook.geo.catchments.point_catchments` (with ``sole=True``) joined
    with the points' ``name_en`` and ``province``. ``names`` (point id -> name shown, e.g. the
    generic labels of :func:`playbook.service_points.networks.point_names`) replaces the names and
    drops the ids (an office's id tells as much as its name). ``unreported`` (per point): the sole
    coverage of points in a province their source covers poorly is withheld (another point, missing
    from the source, may be near).
    """
    lang = i18n.language(lang)
    per_point = per_point.copy()
    if names is not None:
        per_point["name_en"] = per_point["id"].astype(str).map(names).to_numpy()
    others = [c for c in ("vulnerable_within", "sole_population", "sole_vulnerable") if c in per_point.columns]
    if unreported is not None:
        for col in ("sole_population", "sole_vulnerable"):
            if col in per_point:
                per_point[col] = per_point[col].where(~np.asarray(unreported, dtype=bool))
    # the mean score depends on the people within reach only; each other count stands alone
    table = privacy.protect(per_point, counts=["population_within"], dependent=["mean_score_within"])
    table = privacy.protect(table.drop(columns="suppressed"), counts=others)
    for col in ["population_within", *others]:
        table[col] = table[col].astype("Int64")
    table["mean_score_within"] = table["mean_score_within"].round(1)
    labels = {
        "id": "id",
        "name_en": i18n.t("catchments_col_point", lang),
        "province": i18n.t("catchments_col_province", lang),
        "population_within": i18n.t("catchments_col_population_within", lang),
        "mean_score_within": i18n.t("catchments_col_mean_score", lang),
        "vulnerable_within": i18n.t("catchments_col_vulnerable_within", lang),
        "sole_population": i18n.t("catchments_col_sole_population", lang),
        "sole_vulnerable": i18n.t("catchments_col_sole_vulnerable", lang),
    }
    if names is not None:
        labels.pop("id")
    labels = {k: v for k, v in labels.items() if k in table.columns}
    return table.sort_values("population_within", ascending=False)[list(labels)].rename(columns=labels)


def province_table(areas: pd.DataFrame, reaches: Sequence[Reach], *, radius_km: float,
                   lang: str | None = None) -> pd.DataFrame:
    """Per network and province: the people, the share of them within ``radius_km`` of a point and
    the people farther (or with no point in reach); both empty, and marked, where the network's
    source covers the province poorly. People counts pass disclosure control."""
    lang = i18n.language(lang)
    frames = []
    for reach in reaches:
        distance = reach.nearest["distance_km"].to_numpy(float)
        population = areas["population"].fillna(0).to_numpy(float)
        frame = pd.DataFrame({"pruid": areas["pruid"].astype(str).to_numpy(), "population": population,
                              "near": population * (distance <= radius_km), "hide": reach.withheld(len(areas))})
        by = frame.groupby("pruid", sort=True).agg(population=("population", "sum"), near=("near", "sum"),
                                                   hide=("hide", "any")).reset_index()
        by["network"] = reach.label
        frames.append(by)
    table = pd.concat(frames, ignore_index=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["within_pct"] = (100 * table["near"] / table["population"].where(table["population"] > 0)).where(~table["hide"])
    table["far"] = (table["population"] - table["near"]).where(~table["hide"])
    table["note"] = np.where(table["hide"], i18n.t("catchments_distance_withheld", lang), "")
    table = privacy.protect(table, counts=["population"], dependent=["within_pct"])
    table = privacy.protect(table.drop(columns="suppressed"), counts=["far"])
    for col in ("population", "far"):
        table[col] = table[col].astype("Int64")
    radius = km(radius_km, lang)
    labels = {"network": i18n.t("catchments_col_network", lang), "province": i18n.t("catchments_col_province", lang),
              "population": i18n.t("population_2021", lang),
              "within_pct": i18n.t("catchments_col_within_pct", lang, radius=radius),
              "far": i18n.t("catchments_col_far", lang, radius=radius), "note": i18n.t("catchments_col_coverage", lang)}
    table["province"] = province_names(table["pruid"], lang)
    return table[list(labels)].rename(columns=labels)


def what_if_table(areas: pd.DataFrame, points: pd.DataFrame, per_point: pd.DataFrame, *, names: pd.Series,
                  radius_km: float, source=None, lang: str | None = None, withheld: np.ndarray | None = None) -> pd.DataFrame:
    """Three what-if scenarios, after disclosure control: close the point that is the *only* one within
    reach for the most people of the most vulnerable quintile (``per_point``: :func:`~playbook.geo.catchments.point_catchments`
    with ``sole=True``; points ``withheld`` are not candidates, their source being incomplete), open a
    point in the most populous area of the "most vulnerable, far" quadrant, and double the radius.

    Scenarios are named with ``names`` (point id -> the name shown: generic labels while the score is
    synthetic) and the areas' ``name`` (already withheld while synthetic). Columns: ``scenario``, then
    the people and most vulnerable people gaining and losing coverage (labelled in ``lang``)."""
    lang = i18n.language(lang)
    candidates = per_point if withheld is None else per_point[~np.asarray(withheld, dtype=bool)]
    busiest = candidates.sort_values(["sole_vulnerable", "sole_population"], ascending=False).iloc[0]
    near = c.area_catchments(areas, points, radius_km, source)
    far = ~(near["distance_km"] <= radius_km).to_numpy()
    vulnerable = c.vulnerable_flag(areas)
    pool = areas[vulnerable & far] if (vulnerable & far).any() else areas[far] if far.any() else areas
    target = pool.sort_values("population", ascending=False).iloc[0]
    scenarios = {
        i18n.t("catchments_scenario_close", lang, name=names[str(busiest["id"])]):
            c.what_if(areas, points, radius=radius_km, close=[busiest["id"]], source=source),
        i18n.t("catchments_scenario_add", lang, name=target["name"]):
            c.what_if(areas, points, radius=radius_km, add=[target["id"]], source=source),
        i18n.t("catchments_scenario_radius", lang, before=km(radius_km, lang), after=km(2 * radius_km, lang)):
            c.what_if(areas, points, radius=radius_km, new_radius=2 * radius_km, source=source),
    }
    summary = pd.concat({name: s.summary for name, s in scenarios.items()}).droplevel(1).reset_index(names="scenario")
    counts = ["people_gaining", "people_losing", "vulnerable_gaining", "vulnerable_losing"]
    shown = privacy.protect(summary, counts=counts)
    labels = {"scenario": i18n.t("catchments_col_scenario", lang)} | {k: i18n.t(f"catchments_col_{k}", lang) for k in counts}
    return shown[list(labels)].rename(columns=labels)
