"""Method charts of the E-Vulnerability Index notebooks (distributions, treatment, normalisation,
rank comparisons, correlations, sensitivity, rank intervals, group bars).

Each function returns a :class:`playbook.figures.Figure` (``.fig``, ``.alt``), which displays itself
with its alt text. The
``source`` argument is the full source line (``evi.source_line(lang)`` for the demo data).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from playbook import figures, i18n
from playbook.i18n import format_number, t


def _grid(n: int, cols: int = 4, size: float = 2.2):
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.4 * cols, size * rows + 1.2), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, axes.flat


def distributions_chart(
    data: pd.DataFrame, labels: dict[str, str], *, source: str, lang: str | None = None, title: str | None = None
):
    """Small multiples: the histogram of each indicator (``labels``: column -> label)."""
    lang = i18n.language(lang)
    fig, axes = _grid(len(labels))
    skew = {}
    for ax, (col, label) in zip(axes, labels.items(), strict=False):
        values = data[col].dropna()
        ax.hist(values, bins=30, color=figures.PALETTE[0])
        ax.set_title(label, fontsize=8, fontweight="normal", wrap=True)
        ax.tick_params(labelsize=7)
        skew[label] = values.skew()
    first = axes[0]
    figures.finish(
        fig,
        title=title or t("evi_fig_distributions_title", lang),
        source=source,
        xlabel=t("evi_value", lang),
        ylabel=t("evi_areas", lang),
        ax=first,
    )
    most = max(skew, key=lambda k: abs(skew[k]))
    alt = t(
        "evi_fig_distributions_alt",
        lang,
        n=len(labels),
        units=len(data),
        most=most,
        skew=format_number(skew[most], lang, 1),
    )
    return figures.Figure(fig, alt)


def before_after_chart(
    before: pd.Series,
    after: pd.Series,
    label: str,
    *,
    source: str,
    lang: str | None = None,
    titles: tuple[str, str] | None = None,
):
    """Two histograms of one indicator: before and after a treatment (such as winsorisation)."""
    lang = i18n.language(lang)
    fig, (a, b) = plt.subplots(1, 2, figsize=(8, 3.6))
    a.hist(before.dropna(), bins=40, color=figures.PALETTE[3])
    b.hist(after.dropna(), bins=40, color=figures.PALETTE[0])
    a.set_title(titles[0] if titles else t("evi_before", lang), fontsize=9)
    b.set_title(titles[1] if titles else t("evi_after", lang), fontsize=9)
    b.set_xlabel(label)
    figures.finish(
        fig,
        title=t("evi_fig_treatment_title", lang, indicator=label),
        source=source,
        xlabel=label,
        ylabel=t("evi_areas", lang),
        ax=a,
    )
    alt = t(
        "evi_fig_treatment_alt",
        lang,
        indicator=label,
        max_before=format_number(before.max(), lang, 1),
        max_after=format_number(after.max(), lang, 1),
        skew_before=format_number(before.skew(), lang, 1),
        skew_after=format_number(after.skew(), lang, 1),
    )
    return figures.Figure(fig, alt)


def methods_chart(values: dict[str, pd.Series], label: str, *, source: str, lang: str | None = None):
    """Small multiples: one indicator after each normalisation method (``values``: method label -> values)."""
    lang = i18n.language(lang)
    fig, axes = _grid(len(values), cols=2 if len(values) == 4 else min(len(values), 3), size=2.4)
    for i, (ax, (name, series)) in enumerate(zip(axes, values.items(), strict=False)):
        ax.hist(series.dropna(), bins=30, color=figures.PALETTE[i % len(figures.PALETTE)])
        ax.set_title(name, fontsize=9)
        ax.tick_params(labelsize=7)
    figures.finish(
        fig,
        title=t("evi_fig_methods_title", lang, indicator=label),
        source=source,
        xlabel=t("evi_normalised_value", lang),
        ylabel=t("evi_areas", lang),
        ax=axes[0],
    )
    ranges = "; ".join(f"{k}: {format_number(v.min(), lang, 1)} – {format_number(v.max(), lang, 1)}" for k, v in values.items())
    alt = t("evi_fig_methods_alt", lang, indicator=label, n=len(values), ranges=ranges)
    return figures.Figure(fig, alt)


def rank_scatter(a: pd.Series, b: pd.Series, label_a: str, label_b: str, *, title: str, source: str, lang: str | None = None):
    """Ranks of the same areas under two choices; points on the diagonal did not move."""
    lang = i18n.language(lang)
    both = pd.DataFrame({"a": a.astype("float64"), "b": b.astype("float64")}).dropna()
    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    ax.scatter(both["a"], both["b"], s=4, alpha=0.4, color=figures.PALETTE[0])
    top = float(max(both.max()))
    ax.plot([1, top], [1, top], color=figures.PALETTE[3], lw=1)
    figures.finish(fig, title=title, source=source, xlabel=label_a, ylabel=label_b)
    rho = both["a"].corr(both["b"], method="spearman")
    shift = (both["a"] - both["b"]).abs()
    alt = t(
        "evi_fig_rank_scatter_alt",
        lang,
        a=label_a,
        b=label_b,
        n=len(both),
        rho=format_number(rho, lang, 2),
        mean=format_number(shift.mean(), lang, 0),
        moved=format_number(100 * (shift > len(both) / 10).mean(), lang, 0),
    )
    return figures.Figure(fig, alt)


def correlation_heatmap(corr: pd.DataFrame, *, source: str, lang: str | None = None, title: str | None = None):
    """A correlation matrix as a colour grid (-1 to 1, diverging, colour-blind-safe), values printed."""
    lang = i18n.language(lang)
    n = len(corr)
    fig, ax = plt.subplots(figsize=(0.55 * n + 3, 0.5 * n + 2))
    image = ax.imshow(corr.to_numpy(dtype=float), cmap="PuOr_r", vmin=-1, vmax=1)
    ax.set_xticks(range(n), corr.columns, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(n), corr.index, fontsize=7)
    for (i, j), value in np.ndenumerate(corr.to_numpy(dtype=float)):
        if not np.isnan(value):
            ax.text(
                j,
                i,
                format_number(value, lang, 1),
                ha="center",
                va="center",
                fontsize=6,
                color="white" if abs(value) > 0.6 else "black",
            )
    ax.grid(False)
    fig.colorbar(image, ax=ax, shrink=0.7).set_label(t("evi_correlation", lang))
    figures.finish(
        fig,
        title=title or t("evi_fig_corr_title", lang),
        source=source,
        xlabel=t("evi_indicator", lang),
        ylabel=t("evi_indicator", lang),
    )
    values = corr.where(~np.eye(n, dtype=bool)).stack()
    hi, lo = values.idxmax(), values.idxmin()
    alt = t(
        "evi_fig_corr_alt",
        lang,
        n=n,
        hi_a=hi[0],
        hi_b=hi[1],
        hi=format_number(values.max(), lang, 2),
        lo_a=lo[0],
        lo_b=lo[1],
        lo=format_number(values.min(), lang, 2),
    )
    return figures.Figure(fig, alt)


def sobol_chart(sobol: pd.DataFrame, labels: dict[str, str], *, source: str, lang: str | None = None):
    """Bars of first-order and total Sobol indices for each uncertain choice."""
    lang = i18n.language(lang)
    data = sobol.assign(label=sobol["factor"].map(lambda f: labels.get(f, f))).sort_values("ST")
    y = np.arange(len(data))
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(data) + 1.8))
    ax.barh(y + 0.2, data["S1"].clip(lower=0), 0.4, color=figures.PALETTE[0], label=t("evi_sobol_first", lang))
    ax.barh(y - 0.2, data["ST"].clip(lower=0), 0.4, color=figures.PALETTE[1], label=t("evi_sobol_total", lang))
    ax.set_yticks(y, data["label"])
    ax.legend(loc="lower right", fontsize=8)
    figures.finish(
        fig,
        title=t("evi_fig_sobol_title", lang),
        source=source,
        xlabel=t("evi_sobol_index", lang),
        ylabel=t("evi_choice", lang),
    )
    top = data.iloc[-1]
    alt = t(
        "evi_fig_sobol_alt",
        lang,
        n=len(data),
        top=top["label"],
        st=format_number(top["ST"], lang, 2),
        s1=format_number(top["S1"], lang, 2),
        low=data.iloc[0]["label"],
    )
    return figures.Figure(fig, alt)


def rank_interval_chart(table: pd.DataFrame, *, name: str, source: str, lang: str | None = None):
    """Nominal rank (dot) and 5–95 % rank interval (line) of the areas in ``table`` (top first)."""
    lang = i18n.language(lang)
    data = table.iloc[::-1]
    y = np.arange(len(data))
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(data) + 1.8))
    ax.hlines(y, data["rank_p05"], data["rank_p95"], color=figures.PALETTE[5], lw=3)
    ax.scatter(data["rank"].astype(float), y, color=figures.PALETTE[3], zorder=3, s=18, label=t("evi_rank", lang))
    ax.scatter(data["median_rank"], y, color=figures.PALETTE[7], marker="|", zorder=4, s=80, label=t("evi_median_rank", lang))
    ax.set_yticks(y, data[name], fontsize=7)
    ax.legend(loc="lower right", fontsize=8)
    figures.finish(
        fig,
        title=t("evi_fig_rank_interval_title", lang, n=len(data)),
        source=source,
        xlabel=t("evi_rank_axis", lang),
        ylabel=t("evi_area", lang),
    )
    width = data["rank_p95"] - data["rank_p05"]
    alt = t(
        "evi_fig_rank_interval_alt",
        lang,
        n=len(data),
        first=table[name].iloc[0],
        widest=data.loc[width.idxmax(), name],
        lo=format_number(data.loc[width.idxmax(), "rank_p05"], lang),
        hi=format_number(data.loc[width.idxmax(), "rank_p95"], lang),
        narrow=int((width <= len(data)).sum()),
    )
    return figures.Figure(fig, alt)


def group_bars(
    table: pd.DataFrame,
    group: str,
    value: str,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    lang: str | None = None,
    decimals: int = 1,
):
    """Horizontal bars of ``value`` by ``group`` (sorted), labelled; for roll-ups and group views."""
    lang = i18n.language(lang)
    data = table.sort_values(value)
    fig, ax = plt.subplots(figsize=(8, max(4.0, 0.38 * len(data) + 2.4)))
    bars = ax.barh(data[group].astype(str), data[value], color=figures.PALETTE[0])
    ax.bar_label(bars, labels=[format_number(v, lang, decimals) for v in data[value]], padding=3, fontsize=8)
    ax.margins(x=0.12)
    figures.finish(fig, title=title, source=source, xlabel=xlabel, ylabel=ylabel)
    alt = t(
        "evi_fig_group_bars_alt",
        lang,
        what=xlabel,
        n=len(data),
        high=data[group].iloc[-1],
        high_value=format_number(data[value].iloc[-1], lang, decimals),
        low=data[group].iloc[0],
        low_value=format_number(data[value].iloc[0], lang, decimals),
    )
    return figures.Figure(fig, alt)


def change_chart(
    table: pd.DataFrame,
    from_year: int,
    to_year: int,
    *,
    source: str,
    lang: str | None = None,
    title: str | None = None,
):
    """The index of each area in ``from_year`` (x) against ``to_year`` (y), with the no-change
    diagonal: above it the index rose. ``table`` has ``score_<year>`` columns
    (:func:`playbook.index.change`); areas found in one year only are left out of the chart."""
    lang = i18n.language(lang)
    x, y = table[f"score_{from_year}"], table[f"score_{to_year}"]
    both = x.notna() & y.notna()
    x, y = x[both].to_numpy(dtype=float), y[both].to_numpy(dtype=float)
    diff = y - x
    fig, ax = plt.subplots(figsize=(6.5, 6.5))
    lo, hi = (float(min(x.min(), y.min())), float(max(x.max(), y.max()))) if len(x) else (0.0, 100.0)
    ax.plot([lo, hi], [lo, hi], color="0.4", linewidth=1, linestyle="--", label=t("evi_fig_change_no_change", lang))
    ax.scatter(x, y, s=10, alpha=0.6, color=np.where(diff > 0, figures.PALETTE[1], figures.PALETTE[0]),
               edgecolor="none")
    ax.set_aspect("equal", adjustable="box")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    figures.finish(fig, title=title or t("evi_fig_change_title", lang, from_year=from_year, to_year=to_year),
                   source=source, xlabel=t("evi_panel_score", lang, year=from_year),
                   ylabel=t("evi_panel_score", lang, year=to_year))
    alt = t("evi_fig_change_alt", lang, n=len(x), from_year=from_year, to_year=to_year, up=int((diff > 0).sum()),
            down=int((diff < 0).sum()), median=format_number(float(np.median(diff)) if len(diff) else float("nan"),
                                                              lang, 1))
    return figures.Figure(fig, alt)
