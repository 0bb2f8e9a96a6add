"""Interactive charts that work on the static site without a kernel and without a CDN.

Charts are declared with Altair (Vega-Lite) and rendered in the browser by Vega-Embed, whose
JavaScript ships with the site (:mod:`playbook.book.site`). A chart is a :class:`VegaChart`: in the book
it becomes a ``<figure>`` with a text alternative, a caption and the source line. Where Vega-Embed
is not loaded (a notebook opened in JupyterLab), the text alternative is shown instead; use
``VegaChart.spec`` with ``altair.Chart.from_dict`` to view the chart there.

:func:`index_explorer` turns precomputed index results (several weighting scenarios and
geography levels) into a chart with a scenario selector, a geography selector and hover details:
the static counterpart of the live ipywidgets explorer.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass

import altair as alt
import pandas as pd

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.figures.style import PALETTE, VEGA_MARKER


@dataclass(frozen=True)
class VegaChart:
    """A Vega-Lite chart with its text alternative and source line."""

    spec: dict
    alt: str
    source: str
    caption: str | None = None

    @property
    def element_id(self) -> str:
        payload = json.dumps(self.spec, sort_keys=True, ensure_ascii=False)
        return "vega-" + hashlib.sha256(payload.encode()).hexdigest()[:12]

    def _repr_html_(self) -> str:
        spec = json.dumps(self.spec, ensure_ascii=False).replace("</", "<\\/")
        return _FIGURE.format(
            marker=VEGA_MARKER, id=self.element_id, spec=spec, alt=html.escape(self.alt),
            caption=html.escape(self.caption or ""), source=html.escape(self.source),
        )


# Vega-Embed renders the chart as SVG; without it (JupyterLab), the text alternative is shown.
_FIGURE = (
    '<figure class="{marker}"><div id="{id}"></div><p class="visually-hidden">{alt}</p>'
    '<figcaption>{caption} <span class="playbook-source">{source}</span></figcaption>'
    "<script>(function(){{var go=function(){{if(window.vegaEmbed){{"
    'vegaEmbed("#{id}",{spec},{{actions:false,renderer:"svg"}});'
    '}}else{{document.querySelector("#{id} + p").classList.remove("visually-hidden");}}}};'
    "if(document.readyState==='loading'){{document.addEventListener('DOMContentLoaded',go);}}else{{go();}}"
    "}})();</script></figure>"
)


def chart(altair_chart: alt.TopLevelMixin, *, alt_text: str, source: str, caption: str | None = None) -> VegaChart:
    """Wrap an Altair chart for the book (``alt_text`` is required: every figure has one)."""
    if not alt_text.strip():
        raise PlaybookError("an interactive chart needs alt text", field="alt_text", expected="a sentence saying what it shows")
    return VegaChart(altair_chart.to_dict(), alt_text, source, caption)


def ranked_bars(
    data: pd.DataFrame,
    *,
    value: str,
    label: str,
    selectors: dict[str, str],
    title: str,
    value_title: str,
    source: str,
    alt_text: str,
    tooltip: dict[str, str] | None = None,
    top: int = 20,
    label_title: str | None = None,
    value_format: str = ",.1f",
    domain: tuple[float, float] | None = None,
) -> VegaChart:
    """Horizontal bars of the ``top`` rows by ``value`` within each combination of ``selectors``
    (column → menu label), with a drop-down menu per selector and hover details (``tooltip``:
    column → label). Rows are ranked here, in the browser only filtered: the page stays small."""
    missing = [c for c in (value, label, *selectors, *(tooltip or {})) if c not in data.columns]
    if missing:
        raise PlaybookError("the chart's data lacks columns", field=", ".join(missing),
                            expected="the columns named in value, label, selectors and tooltip")
    keys = list(selectors)
    ranked = data.assign(_rank=data.groupby(keys)[value].rank(method="first", ascending=False))
    ranked = ranked.loc[ranked["_rank"] <= top, [label, value, *keys, *(tooltip or {})]]
    params, condition = [], None
    for column, menu in selectors.items():
        options = list(dict.fromkeys(data[column]))
        param = alt.param(name=f"sel_{column}", value=options[0],
                          bind=alt.binding_select(options=options, name=f"{menu} "))
        params.append(param)
        clause = alt.datum[column] == param
        condition = clause if condition is None else condition & clause
    scale = alt.Scale(domain=list(domain)) if domain else alt.Undefined
    tips = [alt.Tooltip(f"{label}:N", title=label_title or label),
            alt.Tooltip(f"{value}:Q", title=value_title, format=value_format)]
    tips += [alt.Tooltip(f"{c}:Q", title=t, format=",.1f") for c, t in (tooltip or {}).items()]
    bars = (
        alt.Chart(ranked)
        .mark_bar(color=PALETTE[0])
        .encode(
            x=alt.X(f"{value}:Q", title=value_title, scale=scale),
            y=alt.Y(f"{label}:N", sort=alt.EncodingSortField(value, order="descending"), title=None),
            tooltip=tips,
        )
        .add_params(*params)
        .transform_filter(condition)
        .properties(width=520, height=alt.Step(18), title=alt.TitleParams(title, anchor="start"))
    )
    return chart(bars, alt_text=alt_text, source=source)


def index_explorer(results: pd.DataFrame, *, source: str, top: int = 20, lang: str | None = None) -> VegaChart:
    """The most vulnerable areas under each precomputed scenario and geography level.

    ``results`` has one row per scenario × level × area with the columns ``scenario``, ``level``,
    ``name`` and ``score``, plus any of ``access``, ``comfort``, ``skills``, ``population`` to show
    on hover. The reader picks a scenario and a level; the chart shows the ``top`` areas with the
    highest score (the most vulnerable).
    """
    lang = i18n.language(lang)
    extra = {c: i18n.t(f"explorer_{c}", lang) for c in ("access", "comfort", "skills", "population")
             if c in results.columns}
    return ranked_bars(
        results, value="score", label="name", top=top,
        selectors={"scenario": i18n.t("explorer_scenario", lang), "level": i18n.t("explorer_level", lang)},
        title=i18n.t("explorer_title", lang, top=top), value_title=i18n.t("explorer_score", lang),
        source=source, tooltip=extra, domain=(0, 100), label_title=i18n.t("explorer_area", lang),
        alt_text=i18n.t("explorer_alt", lang, top=top, scenarios=results["scenario"].nunique(),
                        levels=results["level"].nunique()),
    )
