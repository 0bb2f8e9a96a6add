"""Charts of the population-groups chapter, in both languages, meeting the figure rules."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from playbook import figures
from playbook.i18n import format_number, format_percent, t


def label(kind: str, value: str, lang: str | None = None) -> str:
    """``label("group", "seniors")`` -> "Seniors (65+)"."""
    return t(f"groups_{kind}_{value.lower().replace(' ', '_')}", lang)


def direct_chart(direct: pd.DataFrame, outcome: str, *, source: str, lang: str | None = None):
    """Dot chart with 95% intervals of one outcome for every group (Canada rows); returns a Figure."""
    d = direct[(direct["outcome"] == outcome) & (direct["geography"] == "01") & direct["released"]]
    d = d.sort_values("estimate").reset_index(drop=True)
    names = [label("group", g, lang) for g in d["group"]]
    fig, ax = plt.subplots(figsize=(8, 5))
    colours = [figures.PALETTE[1] if g == "everyone" else figures.PALETTE[0] for g in d["group"]]
    ax.errorbar(d["estimate"], np.arange(len(d)), xerr=[d["estimate"] - d["lower"], d["upper"] - d["estimate"]],
                fmt="none", ecolor="#555555", capsize=3)
    ax.scatter(d["estimate"], np.arange(len(d)), c=colours, zorder=3)
    ax.set_yticks(np.arange(len(d)), names)
    name = label("outcome", outcome, lang)
    figures.finish(fig, title=t("groups_fig_direct_title", lang, outcome=name), source=source,
                   xlabel=t("groups_percent", lang), ylabel=t("groups_group", lang))
    top, bottom = d.iloc[-1], d.iloc[0]
    everyone = d.loc[d["group"] == "everyone", "estimate"]
    alt = t("groups_fig_direct_alt", lang, outcome_lower=name.lower(), top=label("group", top["group"], lang),
            top_value=format_percent(top["estimate"], lang), bottom=label("group", bottom["group"], lang),
            bottom_value=format_percent(bottom["estimate"], lang),
            everyone=format_percent(everyone.iloc[0], lang) if len(everyone) else "—")
    return figures.Figure(fig, alt)


def validation_chart(metrics: pd.DataFrame, *, source: str, lang: str | None = None):
    """MAE and coverage by level for both methods (all outcomes); returns a Figure."""
    m = metrics[metrics["outcome"] == "all"].copy()
    levels = list(m["level"].cat.categories)
    fig, axes = plt.subplots(1, 2, figsize=(10, 5))
    width = 0.38
    for i, method in enumerate(["synthetic", "model"]):
        rows = m[m["method"] == method].set_index("level").reindex(levels)
        x = np.arange(len(levels)) + (i - 0.5) * width
        axes[0].bar(x, rows["mae"], width, label=label("method", method, lang), color=figures.PALETTE[i])
        axes[1].bar(x, 100 * rows["coverage"], width, label=label("method", method, lang), color=figures.PALETTE[i])
    for ax in axes:
        ax.set_xticks(np.arange(len(levels)), [textwrap.fill(label("level", lv, lang), 14) for lv in levels])
        ax.set_xlabel(t("groups_level", lang))
    axes[1].axhline(95, color="#000000", linestyle="--", linewidth=1, label=t("groups_target_coverage", lang))
    axes[0].set_ylabel(textwrap.fill(t("groups_mae", lang), 28))
    axes[1].set_ylabel(textwrap.fill(t("groups_coverage", lang), 28))
    axes[1].set_ylim(0, 100)
    handles, names = axes[1].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=3, fontsize=8, bbox_to_anchor=(0.5, 0.06), frameon=False)
    figures.finish(fig, title=t("groups_fig_validation_title", lang), source=source, ax=axes[0])
    fig.subplots_adjust(bottom=0.3)
    csd = m[m["level"] == "Census subdivision"].set_index("method")
    alt = t("groups_fig_validation_alt", lang, model_csd=format_number(csd.loc["model", "mae"], lang, 1),
            synthetic_csd=format_number(csd.loc["synthetic", "mae"], lang, 1),
            model_cov=format_percent(100 * csd.loc["model", "coverage"], lang, 0),
            synthetic_cov=format_percent(100 * csd.loc["synthetic", "coverage"], lang, 0))
    return figures.Figure(fig, alt)


def truth_scatter(estimates: pd.DataFrame, truth: pd.DataFrame, outcome: str, *, source: str,
                  lang: str | None = None):
    """Model-based CSD estimates against the truth for one outcome; returns a Figure."""
    e = estimates[(estimates["level"] == "Census subdivision") & (estimates["outcome"] == outcome)]
    m = e.merge(truth[truth["outcome"] == outcome][["DGUID", "truth"]], on="DGUID")
    fig, ax = plt.subplots(figsize=(8, 6))
    ax.scatter(m["truth"], m["estimate"], s=6, alpha=0.4, color=figures.PALETTE[0])
    lims = [min(m["truth"].min(), m["estimate"].min()), max(m["truth"].max(), m["estimate"].max())]
    ax.plot(lims, lims, color="#000000", linewidth=1)
    name = label("outcome", outcome, lang)
    figures.finish(fig, title=t("groups_fig_scatter_title", lang, outcome=name), source=source,
                   xlabel=t("groups_truth", lang), ylabel=t("groups_estimate", lang))
    alt = t("groups_fig_scatter_alt", lang, n=format_number(len(m), lang), outcome_lower=name.lower(),
            mae=format_number((m["estimate"] - m["truth"]).abs().mean(), lang, 1))
    return figures.Figure(fig, alt)
