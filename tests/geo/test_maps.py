"""Choropleth helper: classes from mapclassify, legend, points, catchments, alt text."""

import pandas as pd
import pytest

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
