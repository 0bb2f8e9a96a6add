"""Figures of the client-feedback notebook, in English or French, built to the house rules.

Each chart function returns a :class:`playbook.figures.Figure`: the finished matplotlib figure
(title, axis labels, source line saying the comments are synthetic) and its alt text, which displays
itself in the notebook.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from playbook import figures, i18n, privacy
from playbook.feedback import redact
from playbook.feedback.classify import Evaluation
from playbook.i18n import t


def source(lang: str | None = None) -> str:
    """The source line of every feedback figure (synthetic comments)."""
    return i18n.source_line(t("feedback_source", lang), synthetic=True, lang=lang)


def category_names(categories: dict, lang: str | None = None) -> dict[str, str]:
    """Category id -> label in ``lang``."""
    lang = i18n.language(lang)
    return {cid: c[lang] for cid, c in categories.items()}


def protected_table(table: pd.DataFrame, counts: list[str], labels: dict[str, str], *,
                    policy: privacy.Policy | None = None) -> pd.DataFrame:
    """``table`` through disclosure control (:func:`playbook.privacy.protect`, the rules of
    ``specs/disclosure.yml`` unless ``policy``), counts as whole numbers, columns renamed to ``labels``."""
    shown = privacy.protect(table, counts=counts, policy=policy)
    shown[counts] = shown[counts].round().astype("Int64")
    return shown[list(labels)].rename(columns=labels).round(3)


def redaction_chart(table: pd.DataFrame, lang: str | None = None):
    """Precision and recall of redaction per type (the output of :func:`redact.evaluate`)."""
    data = table[table["type"] != "ALL"]
    fig, ax = plt.subplots(figsize=(8, 4.2))
    y = np.arange(len(data))
    ax.barh(y - 0.2, data["recall"], height=0.4, color=figures.PALETTE[0], label=t("feedback_recall", lang))
    ax.barh(y + 0.2, data["precision"], height=0.4, color=figures.PALETTE[1], label=t("feedback_precision", lang))
    ax.set_yticks(y, [f"[{k}]" for k in data["type"]])
    ax.set_xlim(0.8, 1.005)
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    figures.finish(fig, title=t("feedback_fig_redaction_title", lang), source=source(lang),
                   xlabel=t("feedback_share", lang), ylabel=t("feedback_type", lang))
    by_type = table.set_index("type")
    alt = t("feedback_fig_redaction_alt", lang,
            min_pattern=i18n.format_percent(100 * by_type.loc[list(redact.PATTERN_TYPES), "recall"].min(), lang),
            name_recall=i18n.format_percent(100 * by_type.loc["NAME", "recall"], lang),
            name_precision=i18n.format_percent(100 * by_type.loc["NAME", "precision"], lang))
    return figures.Figure(fig, alt)


def language_chart(identified: pd.Series, lang: str | None = None, *, accuracy: float):
    """Comments by identified language; ``accuracy`` (0-1) of the identification is in the alt text."""
    order = [k for k in ("en", "fr", "mixed", "und") if k in set(identified)]
    counts = identified.value_counts().reindex(order)
    fig, ax = plt.subplots(figsize=(7, 3.2))
    bars = ax.barh([t(f"feedback_language_{k}", lang) for k in order], counts.to_numpy(),
                   color=figures.PALETTE[: len(order)])
    ax.bar_label(bars, labels=[i18n.format_number(v, lang) for v in counts], padding=3, fontsize=9)
    ax.margins(x=0.15)
    ax.invert_yaxis()
    figures.finish(fig, title=t("feedback_fig_language_title", lang), source=source(lang),
                   xlabel=t("feedback_comments_count", lang), ylabel=t("feedback_language", lang))
    every = identified.value_counts()
    alt = t("feedback_fig_language_alt", lang, en=i18n.format_number(every.get("en", 0), lang),
            fr=i18n.format_number(every.get("fr", 0), lang), mixed=i18n.format_number(every.get("mixed", 0), lang),
            accuracy=i18n.format_percent(100 * accuracy, lang))
    return figures.Figure(fig, alt)


def topic_sizes_chart(sizes: pd.DataFrame, lang: str | None = None, *, top_terms: pd.DataFrame, n_topics: int):
    """Comments per topic and quarter, stacked (the output of ``Topics.sizes_over_time``); the alt text
    names the largest topic of ``top_terms`` (the output of ``Topics.top_terms``) among ``n_topics``."""
    wide = sizes[sizes["topic"] > 0].pivot_table(index="period", columns="topic", values="comments", fill_value=0)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    bottom = np.zeros(len(wide))
    colours = figures.PALETTE + ["#999999", "#882255", "#44AA99"]
    for i, topic in enumerate(wide.columns):
        ax.bar(wide.index.astype(str), wide[topic], bottom=bottom, color=colours[i % len(colours)],
               label=f"{t('feedback_topic', lang)} {topic}")
        bottom += wide[topic].to_numpy()
    ax.legend(ncol=1, fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    figures.finish(fig, title=t("feedback_fig_topics_title", lang), source=source(lang),
                   xlabel=t("feedback_quarter", lang), ylabel=t("feedback_comments_count", lang))
    top = top_terms.sort_values("comments", ascending=False).iloc[0]
    alt = t("feedback_fig_topics_alt", lang, n=n_topics, terms=top["terms"], size=i18n.format_number(top["comments"], lang))
    return figures.Figure(fig, alt)


def confusion_chart(evaluation: Evaluation, categories: dict, lang: str | None = None):
    """The confusion matrix as shares of each labelled category (rows sum to 1)."""
    names = category_names(categories, lang)
    conf = evaluation.confusion
    share = conf.div(conf.sum(axis=1), axis=0)
    fig, ax = plt.subplots(figsize=(8.5, 7))
    image = ax.imshow(share.to_numpy(), cmap=figures.SEQUENTIAL, vmin=0, vmax=1)
    labels = [names.get(c, c) for c in share.index]
    ax.set_xticks(range(len(labels)), labels, rotation=40, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.grid(False)
    for (i, j), value in np.ndenumerate(share.to_numpy()):
        if value >= 0.01:
            ax.text(j, i, i18n.format_number(100 * value, lang), ha="center", va="center", fontsize=8,
                    color="black" if value > 0.5 else "white")
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04).set_label(t("feedback_share", lang))
    figures.finish(fig, title=t("feedback_fig_confusion_title", lang), source=source(lang),
                   xlabel=t("feedback_predicted_category", lang), ylabel=t("feedback_labelled_category", lang))
    recalls = evaluation.scores.set_index("category")["recall"].drop("macro average", errors="ignore")
    alt = t("feedback_fig_confusion_alt", lang, accuracy=i18n.format_percent(100 * evaluation.accuracy, lang),
            worst=names.get(recalls.idxmin(), recalls.idxmin()), worst_recall=i18n.format_percent(100 * recalls.min(), lang))
    return figures.Figure(fig, alt)


def calibration_chart(evaluation: Evaluation, threshold: float, lang: str | None = None, *, metrics: dict):
    """Left: reliability (accuracy by confidence). Right: share sorted automatically vs accuracy, by threshold.
    ``metrics`` (the model's, with ``share_automatic`` and ``accuracy_automatic``) go in the alt text."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.3))
    cal = evaluation.calibration[evaluation.calibration["comments"] >= 10]
    left.plot([0, 1], [0, 1], linestyle="--", color="#555555", label=t("feedback_perfect_calibration", lang))
    left.plot(cal["confidence"], cal["accuracy"], marker="o", color=figures.PALETTE[0])
    left.set_xlim(0, 1)
    left.set_ylim(0, 1)
    left.set_xlabel(t("feedback_confidence", lang))
    left.set_ylabel(t("feedback_accuracy", lang))
    left.legend(loc="upper left")
    routing = evaluation.routing
    right.plot(routing["threshold"], routing["automatic"], color=figures.PALETTE[1],
               label=t("feedback_share_automatic", lang))
    right.plot(routing["threshold"], routing["accuracy_automatic"], color=figures.PALETTE[2],
               label=t("feedback_accuracy_automatic", lang))
    right.axvline(threshold, color="#333333", linestyle=":",
                  label=t("feedback_chosen_threshold", lang, threshold=i18n.format_number(threshold, lang, 2)))
    right.set_ylim(0, 1.02)
    right.legend(loc="lower left", fontsize=8)
    figures.finish(fig, title=t("feedback_fig_calibration_title", lang), source=source(lang),
                   xlabel=t("feedback_threshold", lang), ylabel=t("feedback_share", lang), ax=right)
    alt = t("feedback_fig_calibration_alt", lang, threshold=i18n.format_number(threshold, lang, 2),
            automatic=i18n.format_percent(100 * metrics["share_automatic"], lang),
            accuracy=i18n.format_percent(100 * metrics["accuracy_automatic"], lang))
    return figures.Figure(fig, alt)


def monthly_shares(dates: pd.Series, categories: pd.Series) -> pd.DataFrame:
    """Percent of each month's comments in each category: index month, one column per category."""
    month = pd.to_datetime(dates).dt.to_period("M")
    counts = pd.crosstab(month.to_numpy(), categories.to_numpy())
    return counts.div(counts.sum(axis=1), axis=0) * 100


def trend_chart(shares: pd.DataFrame, categories: dict, lang: str | None = None, highlight: int = 4):
    """Monthly share of the ``highlight`` largest categories (the rest in grey)."""
    names = category_names(categories, lang)
    order = shares.mean().sort_values(ascending=False).index
    fig, ax = plt.subplots(figsize=(10.5, 4.6))
    x = shares.index.to_timestamp()
    for i, cat in enumerate(order):
        main = i < highlight
        ax.plot(x, shares[cat], color=figures.PALETTE[i] if main else "#BBBBBB", linewidth=2 if main else 1,
                label=names.get(cat, cat) if main else None)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_ylim(0, None)
    figures.finish(fig, title=t("feedback_fig_trends_title", lang), source=source(lang),
                   xlabel=t("feedback_month", lang), ylabel=t("feedback_share_of_comments", lang))
    top = shares.max().idxmax()
    alt = t("feedback_fig_trends_alt", lang, top=names.get(top, top), peak_month=str(shares[top].idxmax()),
            peak_share=i18n.format_percent(shares[top].max(), lang))
    return figures.Figure(fig, alt)
