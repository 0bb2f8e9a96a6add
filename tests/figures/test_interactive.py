"""Interactive charts: the Vega-Lite specification, the accessible figure and clear errors."""

import json

import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.figures import interactive
from playbook.figures.style import VEGA_MARKER


@pytest.fixture
def results():
    rows = [(s, lvl, f"{lvl}-{i}", score) for s in ("Equal", "Expert") for lvl in ("CSD", "Province")
            for i, score in enumerate([90.0, 10.0, 50.0, 70.0] if s == "Equal" else [20.0, 80.0, 60.0, 40.0])]
    return pd.DataFrame(rows, columns=["scenario", "level", "name", "score"]).assign(access=1.0, population=100)


def test_explorer_keeps_the_top_areas_of_every_scenario_and_level(results):
    chart = interactive.index_explorer(results, source="Source: test — demo data, synthetic.", top=2, lang="en")
    data = chart.spec["datasets"][chart.spec["data"]["name"]]
    kept = {(d["scenario"], d["level"], d["name"]) for d in data}
    assert kept == {("Equal", lvl, f"{lvl}-{i}") for lvl in ("CSD", "Province") for i in (0, 3)} | {
        ("Expert", lvl, f"{lvl}-{i}") for lvl in ("CSD", "Province") for i in (1, 2)}
    params = {p["name"]: p for p in chart.spec["params"]}
    assert params["sel_scenario"]["bind"]["options"] == ["Equal", "Expert"]
    assert params["sel_level"]["bind"]["options"] == ["CSD", "Province"]
    titles = [t["title"] for t in chart.spec["encoding"]["tooltip"]]
    assert titles[:2] == ["Area", "E-Vulnerability Index (0 = least, 100 = most vulnerable)"]
    assert "Access" in titles and "Population" in titles


def test_figure_has_alt_text_source_and_marker_in_both_languages(results):
    for lang, word in (("en", "Interactive bar chart"), ("fr", "Diagramme à barres interactif")):
        html = interactive.index_explorer(results, source="Source : essai.", lang=lang)._repr_html_()
        assert f'class="{VEGA_MARKER}"' in html and word in html and "Source : essai." in html
        spec = html.split('vegaEmbed("#', 1)[1].split(",", 1)[1].rsplit(",{actions", 1)[0]
        assert json.loads(spec)["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")


def test_script_cannot_be_closed_by_the_data():
    data = pd.DataFrame({"name": ["</script><b>x"], "score": [1.0], "scenario": ["a"], "level": ["b"]})
    html = interactive.index_explorer(data, source="s")._repr_html_()
    assert "</script><b>" not in html


def test_errors_name_the_missing_columns_and_require_alt_text(results):
    with pytest.raises(PlaybookError, match="scenario"):
        interactive.ranked_bars(results.drop(columns="scenario"), value="score", label="name",
                                selectors={"scenario": "S"}, title="t", value_title="v", source="s", alt_text="a")
    with pytest.raises(PlaybookError, match="alt text"):
        interactive.ranked_bars(results, value="score", label="name", selectors={"level": "L"},
                                title="t", value_title="v", source="s", alt_text="  ")
