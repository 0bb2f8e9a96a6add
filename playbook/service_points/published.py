"""Catchment results as tables to share: labelled in the reader's language, after disclosure control.

:func:`area_table` gives one row per area (its nearest Service Canada point and library, how far,
how many points within reach); :func:`point_table` one row per point (the people within its reach).
Counts of people pass the disclosure rules of every table of the playbook (:func:`playbook.privacy.protect`,
``specs/disclosure.yml``: suppressed under the threshold, randomly rounded to the base); the score of an
area whose population is suppressed is suppressed with it.
"""

from __future__ import annotations

import pandas as pd

from playbook import i18n, privacy
from playbook.codes import province_names


def area_table(areas: pd.DataFrame, near_sc: pd.DataFrame, near_library: pd.DataFrame, points: pd.DataFrame,
               *, radius_km: float, score_label: str, lang: str | None = None) -> pd.DataFrame:
    """Per area: DGUID, name, province, population, score, the nearest Service Canada point and its
    distance, the Service Canada points within ``radius_km``, the distance to the nearest library.

    ``areas``: ``id`` (DGUID), ``name``, ``pruid``, ``population``, ``score``; ``near_sc`` and
    ``near_library``: :func:`~playbook.geo.catchments.area_catchments` of the same areas in the
    same order; ``points``: the Service Canada points (``id``, ``name_en``).
    """
    lang = i18n.language(lang)
    names = points.assign(id=points["id"].astype(str)).set_index("id")["name_en"]
    table = pd.DataFrame({
        "DGUID": areas["id"].to_numpy(),
        "name": areas["name"].to_numpy(),
        "province": province_names(areas["pruid"], lang).to_numpy(),
        "population": areas["population"].to_numpy(),
        "score": areas["score"].to_numpy(),
        "nearest_sc": near_sc["nearest_point"].map(names).to_numpy(),
        "distance_sc": near_sc["distance_km"].round(1).to_numpy(),
        "within_sc": near_sc["points_within"].to_numpy(),
        "distance_library": near_library["distance_km"].round(1).to_numpy(),
    })
    table = privacy.protect(table, counts=["population"], dependent=["score"])
    table["population"] = table["population"].astype("Int64")
    labels = {
        "DGUID": "DGUID",
        "name": i18n.t("catchments_col_place", lang),
        "province": i18n.t("catchments_col_province", lang),
        "population": i18n.t("population_2021", lang),
        "score": score_label,
        "nearest_sc": i18n.t("catchments_col_nearest_sc", lang),
        "distance_sc": i18n.t("catchments_col_distance_sc", lang),
        "within_sc": i18n.t("catchments_col_sc_within", lang, radius=i18n.format_number(radius_km, lang)),
        "distance_library": i18n.t("catchments_col_distance_library", lang),
    }
    return table.sort_values("distance_sc", ascending=False)[list(labels)].rename(columns=labels)


def point_table(per_point: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """Per point: name, province, the people within reach, their mean score, the most vulnerable
    within reach and those for whom it is the only point within reach.

    ``per_point``: :func:`~playbook.geo.catchments.point_catchments` (with ``sole=True``) joined
    with the points' ``name_en`` and ``province``.
    """
    lang = i18n.language(lang)
    others = [c for c in ("vulnerable_within", "sole_population", "sole_vulnerable") if c in per_point.columns]
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
    labels = {k: v for k, v in labels.items() if k in table.columns}
    return table.sort_values("population_within", ascending=False)[list(labels)].rename(columns=labels)
