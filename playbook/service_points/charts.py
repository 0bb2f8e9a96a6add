"""Charts of the service-point mapping (notebook 30), in both languages, meeting the figure rules.

Each function returns a :class:`playbook.figures.Figure` (``.fig``, ``.alt``), which displays itself
with its alt text; titles, axis labels and alt texts come from ``playbook/i18n/catchments.yml``. The
maps are :func:`playbook.geo.maps.choropleth`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from playbook import figures
from playbook.i18n import format_number, format_percent, t
from playbook.service_points.published import km


def _lower_km(band: str) -> float:
    """Lower bound of a distance band label of :func:`playbook.geo.catchments.distance_matrix`
    (``"10–25"`` -> 10, ``"100+"`` -> 100)."""
    return float(str(band).split("–")[0].rstrip("+"))


def distance_matrix_chart(matrix: pd.DataFrame, *, radius_km: float, source: str, lang: str | None = None,
                          network: str | None = None):
    """Heat map of people (thousands) by vulnerability quintile and distance band to the nearest
    point of ``network`` (its name; default the Service Canada points) (``matrix`` from
    :func:`playbook.geo.catchments.distance_matrix`); the alt text gives the most vulnerable
    quintile's people at ``radius_km`` or more, and within it."""
    network = network or t("catchments_service_canada", lang)
    fig, ax = plt.subplots(figsize=(8, 5.2))
    labels = (matrix / 1000).map(lambda v: format_number(v, lang))
    sns.heatmap(matrix / 1000, annot=labels, fmt="", cmap=figures.SEQUENTIAL + "_r",
                cbar_kws={"label": t("catchments_people", lang) + " (000)"}, ax=ax)
    figures.finish(fig, title=t("fig_catchments_matrix_title", lang, unit="000", network=network), source=source,
                   xlabel=t("catchments_distance_band", lang, network=network), ylabel=t("catchments_quintile", lang))
    most = matrix.loc[5]
    far = most[[col for col in matrix.columns if _lower_km(col) >= radius_km]].sum()
    alt = t("fig_catchments_matrix_alt", lang, far=format_number(far, lang), near=format_number(most.sum() - far, lang),
            radius=km(radius_km, lang), network=network)
    return figures.Figure(fig, alt)


def coverage_curves_chart(curves: dict[str, pd.DataFrame], *, radius_km: float, source: str, lang: str | None = None):
    """Coverage curves of one or more networks (``{network label: coverage_curve(...)}``), for
    everyone (solid) and the most vulnerable quintile (dashed), with the radius marked; the alt text
    gives each network's shares within ``radius_km``."""
    fig, ax = plt.subplots(figsize=(8, 5.6))
    for (network, curve), colour in zip(curves.items(), figures.PALETTE, strict=False):
        ax.plot(curve["distance_km"], curve["share_all_pct"], color=colour,
                label=t("catchments_all_people", lang, network=network))
        ax.plot(curve["distance_km"], curve["share_vulnerable_pct"], color=colour, linestyle="--",
                label=t("catchments_vulnerable_people", lang, network=network))
    ax.axvline(radius_km, color="#555555", linewidth=0.8)
    ax.set_ylim(0, 100)
    ax.legend(fontsize=8, loc="lower right")
    figures.finish(fig, title=t("fig_catchments_curves_title", lang), source=source,
                   xlabel=t("catchments_distance_km", lang), ylabel=t("catchments_share_pct", lang))
    shares = []
    for network, curve in curves.items():
        distance = curve["distance_km"].to_numpy(float)  # the curve at the radius (interpolated)
        share_all = float(np.interp(radius_km, distance, curve["share_all_pct"].to_numpy(float)))
        share_vuln = float(np.interp(radius_km, distance, curve["share_vulnerable_pct"].to_numpy(float)))
        shares.append(t("fig_catchments_curves_alt_network", lang, network=network,
                        all=format_percent(share_all, lang), vulnerable=format_percent(share_vuln, lang)))
    alt = t("fig_catchments_curves_alt", lang, radius=km(radius_km, lang),
            shares="; ".join(shares))
    return figures.Figure(fig, alt)
