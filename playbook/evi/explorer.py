"""An interactive explorer of the E-Vulnerability Index (ipywidgets): change the dimension weights,
the normalisation, the aggregation, the geography level and the province; the map and the table
of the most vulnerable areas update live.

The same :meth:`Explorer.render` draws the live view and the static one shown in the built book
(where no Python kernel runs). Every view is rebuilt by the index engine from the spec with the
chosen changes, so the explorer can never disagree with the notebooks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from playbook import evi, i18n, privacy
from playbook.codes import PROVINCES, dguid, province_name, pruid_of
from playbook.errors import PlaybookError
from playbook.geo import maps
from playbook.i18n import t
from playbook.indicators import read_spec
from playbook.sources.boundaries import CSD_PROVINCES

NORMALISE = ("minmax", "percentile", "rank", "zscore")
AGGREGATE = ("arithmetic", "geometric", "harmonic", "minimum")
VIEW_LEVELS = ("province", "csd", "da", "cma_ca")
#: Provinces and territories with embedded census subdivision boundaries.
CSD_MAPS = {pruid_of(abbr.upper()): abbr for abbr in CSD_PROVINCES}


class Explorer:
    """The explorer's state and views. ``data`` is ``evi.indicator_data(...)`` (all levels)."""
    def __init__(self, data: pd.DataFrame, spec=None, *, source: str, lang: str | None = None, top: int = 10):
        self.data, self.spec, self.source = data, read_spec(spec), source
        self.lang, self.top = i18n.language(lang), top
        self.state: dict[str, Any] = {
            "weights": {d["id"]: float(d.get("weight", 1)) for d in self.spec["dimensions"]},
            "normalise": self.spec.get("normalise", {}).get("method", "minmax"),
            "aggregate": self.spec.get("aggregate", {}).get("method", "arithmetic"),
            "level": "province",
            "province": None,
        }

    def changes(self) -> dict[str, Any]:
        """The spec changes of the current state (dimension weights, normalisation, aggregation)."""
        dims = [{**d, "weight": self.state["weights"][d["id"]]} for d in self.spec["dimensions"]]
        low = 1 if self.state["aggregate"] in ("geometric", "harmonic") else 0  # these need positive values
        normalise = {"method": self.state["normalise"]}
        if self.state["normalise"] in ("minmax", "percentile"):
            normalise["range"] = [low, 100]
        return {"dimensions": dims, "normalise": normalise, "aggregate": {"method": self.state["aggregate"]}}

    def units(self) -> pd.DataFrame:
        """The areas compared: the level's areas, within the chosen province if any."""
        level = "csd" if self.state["level"] == "province" else self.state["level"]
        province = None if self.state["level"] == "province" else self.state["province"]
        return evi.at_level(self.data, level, province)

    def compute(self) -> tuple[Any, pd.DataFrame]:
        """The engine's result for the current state, and the areas it was built on."""
        units = self.units()
        return evi.compare.build(self.spec, units, **self.changes()), units

    def table(self, result, units: pd.DataFrame) -> pd.DataFrame:
        """The most vulnerable areas (or provinces), after disclosure control."""
        if self.state["level"] == "province":
            provinces = evi.results.rollup(result, "pruid", lang=self.lang).sort_values("rank")
            labels = {
                "rank": t("evi_rank_short", self.lang),
                "name": t("province_or_territory", self.lang),
                "score": t("evi_score", self.lang),
            }
            return provinces[list(labels)].rename(columns=labels).reset_index(drop=True)
        return evi.compare.top_areas(result, units, self.top, spec=self.spec, lang=self.lang)

    def figure(self, result, units: pd.DataFrame):
        """A map where boundaries are embedded, else bars of the top areas (a :class:`playbook.figures.Figure`)."""
        lang, level, province = self.lang, self.state["level"], self.state["province"]
        legend = t("evi_score", lang)
        if level == "province":
            provinces = evi.results.rollup(result, "pruid", lang=lang)
            provinces["DGUID"] = dguid("Province", provinces["pruid"])
            return maps.choropleth(
                evi.maps.boundaries("boundaries_provinces_2021"),
                "score",
                values=provinces,
                title=t("evi_fig_provinces_title", lang),
                source=self.source,
                legend_title=legend,
                place=t("evi_canada", lang),
                k=4,
                names="name",
                **evi.maps.map_options(lang),
            )
        scores = result.scores.merge(units[["DGUID", "GEO_NAME"]], on="DGUID")
        shapes, place = None, None
        if level == "da" and set(units["pruid"].dropna()) == {"11"}:
            shapes, place = evi.maps.boundaries("boundaries_pei_da_2021"), t("evi_pei", lang)
        elif level == "csd" and province in CSD_MAPS:
            shapes = evi.maps.boundaries(f"boundaries_csd_2021_{CSD_MAPS[province]}")
            place = province_name(province, lang)
        if shapes is None or not scores["DGUID"].isin(shapes["DGUID"]).any():
            best = scores.dropna(subset=["rank"]).nsmallest(15, "rank")
            return evi.method_charts.group_bars(
                best,
                "GEO_NAME",
                "score",
                title=t("evi_fig_explorer_top_title", lang),
                xlabel=legend,
                ylabel=t("evi_area", lang),
                source=self.source,
                lang=lang,
            )
        return maps.choropleth(
            shapes,
            "score",
            values=scores,
            title=t("evi_fig_explorer_map_title", lang, place=place),
            source=self.source,
            legend_title=legend,
            place=place,
            names="GEO_NAME",
            **evi.maps.map_options(lang),
        )

    def render(self) -> tuple[Any, pd.DataFrame]:
        """The figure (with alt text) and the table of the current state."""
        result, units = self.compute()
        return self.figure(result, units).show(), self.table(result, units)

    def update(self, **state: Any) -> tuple[Any, pd.DataFrame]:
        """Change the state (``weights={...}``, ``normalise=``, ``aggregate=``, ``level=``, ``province=``)
        and render it."""
        for key, value in state.items():
            if key not in self.state:
                raise PlaybookError(f"unknown setting '{key}'", field=key, expected=", ".join(self.state))
            self.state[key] = {**self.state[key], **value} if isinstance(value, Mapping) else value
        return self.render()

    def widgets(self):
        """The live explorer: sliders and dropdowns above the map and the table (needs a kernel)."""
        import ipywidgets as w
        from IPython.display import display

        lang = self.lang
        style = {"description_width": "11em"}
        sliders = {
            d: w.FloatSlider(value=v, min=0, max=5, step=0.5, description=label, style=style, continuous_update=False)
            for (d, v), label in zip(self.state["weights"].items(), evi.dimension_labels(self.spec, lang).values(), strict=True)
        }
        choices = {  # widget -> (its label's key, [(option label, value)])
            "normalise": ("evi_normalisation", [(t(f"evi_norm_{m}", lang), m) for m in NORMALISE]),
            "aggregate": ("evi_aggregation", [(t(f"evi_aggregate_{m}", lang), m) for m in AGGREGATE]),
            "level": ("evi_level", [(t(f"evi_view_{v}", lang), v) for v in VIEW_LEVELS]),
            "province": ("province_or_territory", [(t("evi_all_provinces", lang), None)]
                         + [(province_name(p, lang), p) for p in PROVINCES.index]),
        }
        pick = {
            name: w.Dropdown(options=options, value=self.state[name], description=t(label, lang), style=style)
            for name, (label, options) in choices.items()
        }
        figure_out, table_out, status = w.Output(), w.Output(), w.HTML()

        def refresh(_change=None) -> None:
            state = {k: c.value for k, c in pick.items()}
            state["weights"] = {d: s.value for d, s in sliders.items()}
            try:
                shown, table = self.update(**state)
            except PlaybookError as exc:
                status.value = f"<b>{t('evi_explorer_error', lang)}</b> {exc}"
                return
            status.value = ""
            figure_out.clear_output(wait=True)
            table_out.clear_output(wait=True)
            with figure_out:
                display(shown)
            with table_out:
                display(table.style.hide(axis="index").format(precision=1))

        for control in [*sliders.values(), *pick.values()]:
            control.observe(refresh, names="value")
        refresh()
        controls = w.HBox([w.VBox(list(sliders.values())), w.VBox(list(pick.values()))])
        return w.VBox([controls, status, figure_out, table_out])


#: Precomputed scenarios of the static explorer: label key -> changes of the explorer's state.
SCENARIOS = {
    "evi_scenario_spec": {},
    "evi_scenario_access": {"weights": {"access": 2.0}},
    "evi_scenario_geometric": {"aggregate": "geometric"},
    "evi_scenario_percentile": {"normalise": "percentile"},
}
#: Levels built for the static explorer (provinces are rolled up from the census subdivisions).
STATIC_LEVELS = ("csd", "cma_ca", "da")


def scenario_table(data: pd.DataFrame, spec=None, *, lang: str | None = None) -> pd.DataFrame:
    """Every precomputed scenario × level × area, for ``playbook.figures.interactive.index_explorer``:
    ``scenario, level, name, score, access, comfort, skills, population`` (populations after
    disclosure control, :func:`playbook.privacy.protect`: under the threshold suppressed with the
    row's scores, others randomly rounded to the base)."""
    lang = i18n.language(lang)
    frames = []
    for key, change in SCENARIOS.items():
        explorer = Explorer(data, spec, source="", lang=lang)
        explorer.state.update({k: v for k, v in change.items() if k != "weights"})
        explorer.state["weights"].update(change.get("weights", {}))
        dims = list(explorer.state["weights"])
        for level in STATIC_LEVELS:
            explorer.state["level"] = level
            try:
                result, units = explorer.compute()
            except PlaybookError:  # a level absent from the data (e.g. no CMA/CA rows)
                continue
            table = result.scores.merge(units[["DGUID", "GEO_NAME", "population"]], on="DGUID")
            table = table.rename(columns={"GEO_NAME": "name"})[["name", *dims, "score", "population"]]
            frames.append(table.assign(scenario=t(key, lang), level=t(f"evi_view_{level}", lang)))
            if level == "csd":
                provinces = evi.results.rollup(result, "pruid", lang=lang)[["name", *dims, "score", "population"]]
                frames.append(provinces.assign(scenario=t(key, lang), level=t("evi_view_province", lang)))
    out = pd.concat(frames, ignore_index=True).dropna(subset=["score"])
    out = privacy.protect(out, counts=["population"], dependent=[*dims, "score"])
    return out.dropna(subset=["score"]).drop(columns="suppressed").reset_index(drop=True)
