"""Charts of the E-Vulnerability Index notebooks: each returns a :class:`playbook.figures.Figure`
(``.fig`` and ``.alt``), which displays itself with its alt text.

Every chart follows the house rules (title, axis labels, source line, colour-blind-safe palette).
Labels come from ``playbook/i18n/evi.yml``.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from playbook import figures, i18n
from playbook.codes import province_name
from playbook.i18n import format_percent, t
from playbook.sources import datasets

AGE_GROUPS = ["15 to 24 years", "25 to 44 years", "45 to 64 years", "65 years and over"]
CENTRES = ["Total population centre", "Urban centres", "Rural areas", "First Nations reserves"]


def category(text: str, lang: str | None = None) -> str:
    """The label of a category published in English (age group, population centre) in ``lang``."""
    key = "evi_cat_" + re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return t(key, lang) if key in i18n.catalogue() else text


def weights_chart(weights: pd.DataFrame, lang: str | None = None):
    """Horizontal bars: each indicator's share of the index (``evi.effective_weights``), by dimension."""
    lang = i18n.language(lang)
    data = weights.iloc[::-1]
    dims = list(dict.fromkeys(weights["dimension"]))
    colours = {d: figures.PALETTE[i] for i, d in enumerate(dims)}
    fig, ax = plt.subplots(figsize=(8, 0.38 * len(data) + 1.6))
    ax.barh(data["label"], data["share"], color=[colours[d] for d in data["dimension"]])
    handles = [
        Patch(color=colours[d], label=weights.loc[weights["dimension"] == d, "dimension_label"].iloc[0]) for d in dims
    ]
    ax.legend(handles=handles, title=t("evi_dimension", lang), loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    for y, share in enumerate(data["share"]):
        ax.text(share + 0.3, y, format_percent(share, lang), va="center", fontsize=8)
    ax.margins(x=0.12)
    figures.finish(
        fig,
        title=t("evi_fig_weights_title", lang),
        source=t("evi_source_spec", lang),
        xlabel=t("evi_share_of_index", lang),
        ylabel=t("evi_indicator", lang),
    )
    top = weights.sort_values("share", ascending=False).iloc[0]
    alt = t(
        "evi_fig_weights_alt",
        lang,
        n=len(weights),
        top=top["label"],
        top_share=format_percent(top["share"], lang),
        low=weights.sort_values("share").iloc[0]["label"],
        low_share=format_percent(weights["share"].min(), lang),
    )
    return figures.Figure(fig, alt)


def internet_use_by_age_chart(table: pd.DataFrame, lang: str | None = None):
    """Grouped bars: share of people using the internet in Canada, by age group and CIUS year."""
    lang = i18n.language(lang)
    canada = table[(table["geography"] == "Canada") & table["age_group"].isin(AGE_GROUPS)]
    wide = canada.pivot(index="age_group", columns="year", values="value").reindex(AGE_GROUPS)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    width = 0.8 / wide.shape[1]
    x = np.arange(len(wide))
    for i, year in enumerate(wide.columns):
        bars = ax.bar(x + i * width - 0.4 + width / 2, wide[year], width, label=str(year), color=figures.PALETTE[i])
        ax.bar_label(bars, labels=[format_percent(v, lang, 0) for v in wide[year]], fontsize=7, padding=2)
    ax.set_xticks(x, [category(a, lang) for a in wide.index])
    ax.set_ylim(0, 118)
    ax.legend(title=t("evi_year", lang), loc="upper center", ncol=wide.shape[1], fontsize=8, title_fontsize=8)
    figures.finish(
        fig,
        title=t("evi_fig_internet_age_title", lang),
        source=datasets.info("cius_sdg_17_8_1").source_line(lang),
        xlabel=t("evi_age_group", lang),
        ylabel=t("evi_pct_using_internet", lang),
    )
    last = wide.columns.max()
    alt = t(
        "evi_fig_internet_age_alt",
        lang,
        year=last,
        young=format_percent(wide.loc[AGE_GROUPS[0], last], lang),
        old=format_percent(wide.loc[AGE_GROUPS[-1], last], lang),
        old_first=format_percent(wide.loc[AGE_GROUPS[-1], wide.columns.min()], lang),
        first=wide.columns.min(),
    )
    return figures.Figure(fig, alt)


def seniors_by_province_chart(table: pd.DataFrame, year: int = 2022, lang: str | None = None):
    """Dot plot by province: internet use of people 65 and over against all people 15 and over."""
    lang = i18n.language(lang)
    rows = table[(table["year"] == year) & table["pruid"].notna()]
    wide = rows.pivot(index="pruid", columns="age_group", values="value")
    wide = wide.sort_values("65 years and over")
    names = wide.index.map(lambda p: i18n_province(p, lang))
    fig, ax = plt.subplots(figsize=(8, 5))
    y = np.arange(len(wide))
    ax.hlines(y, wide["65 years and over"], wide["Total, 15 years and over"], color="#999999", lw=1)
    ax.scatter(
        wide["65 years and over"], y, color=figures.PALETTE[3], label=category("65 years and over", lang), zorder=3
    )
    ax.scatter(
        wide["Total, 15 years and over"],
        y,
        color=figures.PALETTE[0],
        marker="s",
        label=category("Total, 15 years and over", lang),
        zorder=3,
    )
    ax.set_yticks(y, names)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    figures.finish(
        fig,
        title=t("evi_fig_seniors_title", lang, year=year),
        source=datasets.info("cius_sdg_17_8_1").source_line(lang),
        xlabel=t("evi_pct_using_internet", lang),
        ylabel=t("province_or_territory", lang),
    )
    gap = wide["Total, 15 years and over"] - wide["65 years and over"]
    alt = t(
        "evi_fig_seniors_alt",
        lang,
        year=year,
        low=names[0],
        low_value=format_percent(wide.iloc[0]["65 years and over"], lang),
        high=names[-1],
        high_value=format_percent(wide.iloc[-1]["65 years and over"], lang),
        gap_max=i18n_province(gap.idxmax(), lang),
        gap=i18n.format_number(gap.max(), lang, 1),
    )
    return figures.Figure(fig, alt)


def broadband_trend_chart(table: pd.DataFrame, lang: str | None = None):
    """Lines 2016 onwards: households with 50/10 Mbps available in Canada, by population centre."""
    lang = i18n.language(lang)
    canada = table[(table["geography"] == "Canada") & table["population_centre"].isin(CENTRES)]
    wide = canada.pivot(index="year", columns="population_centre", values="value")[CENTRES]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for i, centre in enumerate(CENTRES):
        ax.plot(wide.index, wide[centre], marker="os^D"[i], color=figures.PALETTE[i], label=category(centre, lang))
    ax.set_ylim(0, 105)
    ax.legend(loc="lower right")
    figures.finish(
        fig,
        title=t("evi_fig_broadband_trend_title", lang),
        source=datasets.info("crtc_sdg_17_6_1").source_line(lang),
        xlabel=t("evi_year", lang),
        ylabel=t("evi_pct_households_50_10", lang),
    )
    first, last = wide.index.min(), wide.index.max()
    alt = t(
        "evi_fig_broadband_trend_alt",
        lang,
        first=first,
        last=last,
        total_first=format_percent(wide.loc[first, CENTRES[0]], lang),
        total_last=format_percent(wide.loc[last, CENTRES[0]], lang),
        rural_last=format_percent(wide.loc[last, "Rural areas"], lang),
        fn_first=format_percent(wide.loc[first, "First Nations reserves"], lang),
        fn_last=format_percent(wide.loc[last, "First Nations reserves"], lang),
    )
    return figures.Figure(fig, alt)


def broadband_rural_chart(table: pd.DataFrame, year: int = 2021, lang: str | None = None):
    """Bars by province and territory: 50/10 availability in rural areas against urban centres."""
    lang = i18n.language(lang)
    rows = table[
        (table["year"] == year)
        & table["pruid"].notna()
        & table["population_centre"].isin(["Urban centres", "Rural areas"])
    ]
    wide = rows.pivot(index="pruid", columns="population_centre", values="value").sort_values("Rural areas")
    names = wide.index.map(lambda p: i18n_province(p, lang))
    fig, ax = plt.subplots(figsize=(8, 5.5))
    y = np.arange(len(wide))
    ax.barh(y - 0.2, wide["Urban centres"], 0.4, color=figures.PALETTE[0], label=category("Urban centres", lang))
    ax.barh(y + 0.2, wide["Rural areas"], 0.4, color=figures.PALETTE[1], label=category("Rural areas", lang))
    ax.set_yticks(y, names)
    ax.set_xlim(0, 105)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    missing = [n for n, v in zip(names, wide["Rural areas"], strict=True) if np.isnan(v)]
    figures.finish(
        fig,
        title=t("evi_fig_broadband_rural_title", lang, year=year),
        source=datasets.info("crtc_sdg_17_6_1").source_line(lang),
        xlabel=t("evi_pct_households_50_10", lang),
        ylabel=t("province_or_territory", lang),
    )
    known = wide["Rural areas"].dropna()
    alt = t(
        "evi_fig_broadband_rural_alt",
        lang,
        year=year,
        low=i18n_province(known.index[0], lang),
        low_value=format_percent(known.iloc[0], lang),
        high=i18n_province(known.index[-1], lang),
        high_value=format_percent(known.iloc[-1], lang),
        missing=", ".join(missing) or "—",
    )
    return figures.Figure(fig, alt)


def i18n_province(pruid: str, lang: str | None = None) -> str:
    """The name of province or territory ``pruid`` in ``lang``."""
    return province_name(pruid, lang)
