"""Choropleth helper: classes from mapclassify, legend, points, catchments, alt text."""

import pandas as pd
import pytest

from playbook import figures
from playbook.errors import PlaybookError
from playbook.geo import maps
from playbook.sources.boundaries import read_boundaries


@pytest.fixture(scope="module")
def provinces():
    gdf = read_boundaries("boundaries_provinces_2021")
    return gdf.assign(value=gdf["PRUID"].astype(int).astype(float))  # 10 ... 62


def test_quantile_classes():
    classes, bins = maps.classify(pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, None]), k=5)
    assert classes.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, -1]
    assert bins == pytest.approx([2.8, 4.6, 6.4, 8.2, 10])
    assert maps.classify(pd.Series([1.0, 2.0]), k=5)[1] == [1.5, 2.0]  # two values: two classes, not five
    with pytest.raises(PlaybookError, match="no value to classify"):
        maps.classify(pd.Series([None, None], dtype=float), k=5)


def test_choropleth_with_points_and_catchments(provinces):
    points = pd.DataFrame({"lat": [45.42, 53.54], "lon": [-75.69, -113.49]})
    m = maps.choropleth(
        provinces,
        "value",
        title="Province codes",
        source="Source: test.",
        legend_title="Code",
        points={"Capitals": points},
        radius_km=100,
        lang="en",
    )
    legend = [t.get_text() for t in m.fig.axes[0].get_legend().get_texts()]
    assert legend[0] == "10 – 12" and "100 km catchment" in legend and "Capitals (2)" in legend
    assert m.alt.startswith("Map of 13 areas coloured in 5 classes of Code, from 10 (lightest) to 62 (darkest).")
    assert "2 Capitals" in m.alt
    html = m._repr_html_()
    assert 'alt="Map of 13 areas' in html and m._repr_html_() == html  # rendered once


def test_french_labels(provinces):
    m = maps.choropleth(
        provinces.assign(value=provinces["value"].where(provinces["PRUID"] != "62")),
        "value",
        title="Codes",
        source="Source : test.",
        legend_title="Code",
        lang="fr",
        k=4,
    )
    legend = [t.get_text() for t in m.fig.axes[0].get_legend().get_texts()]
    assert "Aucune donnée" in legend and m.alt.startswith("Carte de 13 territoires")
    m.show()


def test_values_joined_on_dguid_missing_hatched_and_extremes_named(provinces):
    values = provinces[["DGUID", "PRUID"]].assign(value=provinces["PRUID"].astype(float),
                                                 name=provinces["PRUID"].radd("P"))
    values = values[values["PRUID"] != "62"].drop(columns="PRUID")  # Nunavut: no row, no value
    m = maps.choropleth(provinces.drop(columns="value"), "value", values=values, names="name", place="Canada",
                        title="Codes", source="Source: test.", legend_title="Code", lang="en", k=4, decimals=1,
                        hatch_missing=True, missing_label="Suppressed or no score", figsize=None)
    assert isinstance(m, figures.Figure) and len(m.bins) == 4
    legend = [t.get_text() for t in m.fig.axes[0].get_legend().get_texts()]
    assert legend[0].startswith("10.0 – ") and legend[-1] == "Suppressed or no score"
    assert any(p.get_hatch() == "///" for p in m.fig.axes[0].get_legend().get_patches())
    assert m.alt.startswith("Choropleth map of Code for the 13 areas of Canada, in 4 classes by quantiles")
    assert "The highest value is in P61 (61.0); the lowest in P10 (10.0)" in m.alt
    assert "1 areas are hatched" in m.alt
    assert m.fig.axes[0].get_xlabel() == "Statistics Canada Lambert projection (EPSG:3347)"
