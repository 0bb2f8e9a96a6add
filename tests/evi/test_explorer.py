"""The explorer: state changes rebuild the index; the widgets are wired to the state."""

import matplotlib
import pytest

from playbook import evi, privacy
from playbook.errors import PlaybookError

matplotlib.use("Agg")


@pytest.fixture
def explorer(indicator_data):
    return evi.explorer.Explorer(indicator_data, source="Source: test — demo data, synthetic.", lang="en", top=5)


def test_default_view_is_the_provinces(explorer):
    shown, table = explorer.render()
    assert len(table) == 13 and table["Rank"].tolist() == list(range(1, 14))
    assert shown.alt.startswith("Choropleth map of E-Vulnerability Index for the 13 areas of Canada")


def test_weights_change_the_ranking(explorer, indicator_data):
    _, table = explorer.update(weights={"access": 1, "comfort": 0, "skills": 0})
    only_access = evi.compare.build(None, evi.at_level(indicator_data, "csd"), dimensions=explorer.changes()["dimensions"])
    expected = evi.results.rollup(only_access, "pruid", lang="en").sort_values("rank")["name"].iloc[0]
    assert table["Province or territory"].iloc[0] == expected
    assert explorer.state["weights"] == {"access": 1, "comfort": 0, "skills": 0}


def test_levels_and_provinces(explorer):
    _, table = explorer.update(level="csd", province="11")
    assert len(table) == 5 and set(table["Province or territory"]) == {"Prince Edward Island"}
    shown, table = explorer.update(level="da", province="11")
    assert shown.alt.startswith("Horizontal bar chart") and len(table) == 5  # made-up DGUIDs: no map, bars


def test_impossible_combination_says_why(explorer):
    with pytest.raises(PlaybookError, match="geometric"):
        explorer.update(normalise="zscore", aggregate="geometric")
    with pytest.raises(PlaybookError, match="unknown setting 'colour'"):
        explorer.update(colour="red")


def test_widgets_drive_the_state(explorer):
    box = explorer.widgets()
    sliders = box.children[0].children[0].children
    menus = box.children[0].children[1].children
    sliders[0].value = 4.0
    assert explorer.state["weights"]["access"] == 4.0
    menus[1].value = "geometric"
    assert explorer.state["aggregate"] == "geometric" and explorer.changes()["normalise"]["range"] == [1, 100]
    menus[0].value = "zscore"  # cannot be combined with geometric: a message, not a crash
    assert "cannot be computed" in box.children[1].value


def test_scenario_table_for_the_static_site(indicator_data):
    table = evi.explorer.scenario_table(indicator_data, lang="en")
    assert set(table["scenario"]) == {
        "The spec's choices",
        "Access counts double",
        "Geometric aggregation",
        "Percentile-rank normalisation",
    }
    assert set(table["level"]) == {
        "Provinces (roll-up of census subdivisions)",
        "Census subdivisions",
        "Dissemination areas (Prince Edward Island)",
    }  # no CMA/CA rows in the fixture
    assert list(table.columns[:5]) == ["name", "access", "comfort", "skills", "score"]
    assert (table["population"].dropna() % privacy.Policy.default().rounding_base == 0).all()
    spec_csd = table[(table["scenario"] == "The spec's choices") & (table["level"] == "Census subdivisions")]
    assert len(spec_csd) == 13 * 6
