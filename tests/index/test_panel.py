"""Panels: the same spec over two periods, normalised over the pooled periods."""

import numpy as np
import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.index import build, build_panel, change
from playbook.index.panel import only_one_period

SPEC = {
    "id": "toy", "unit_id": "u", "treat": {"method": "none"},
    "normalise": {"method": "minmax", "range": [0, 100]},
    "dimensions": [{"id": "d", "indicators": [{"id": "x", "direction": 1}, {"id": "y", "direction": -1}]}],
}
# A is unchanged; B moves; C is in 2016 only, D in 2021 only.
DATA = pd.DataFrame({"u": list("ABC") + list("ABD"), "year": [2016] * 3 + [2021] * 3,
                     "x": [0.0, 5, 10, 0, 10, 20], "y": [10.0, 20, 30, 10, 0, 40]})


def test_pooled_bounds_by_hand():
    panel = build_panel(SPEC, DATA)
    norm = panel.datasets["normalised"].set_index(["u", "year"])
    # x pooled over both years: min 0, max 20; y (direction -1): -y from -40 to 0
    assert norm.loc[("B", 2016), "x"] == pytest.approx(25.0)
    assert norm.loc[("D", 2021), "x"] == pytest.approx(100.0)
    assert norm.loc[("B", 2016), "y"] == pytest.approx(100 * (-20 + 40) / 40)
    scores = panel.scores.set_index(["u", "year"])["score"]
    assert scores[("B", 2016)] == pytest.approx((25.0 + 50.0) / 2)
    assert scores[("B", 2021)] == pytest.approx((50.0 + 100.0) / 2)


def test_unchanged_unit_keeps_its_score():
    scores = build_panel(SPEC, DATA).scores.set_index(["u", "year"])["score"]
    assert scores[("A", 2016)] == pytest.approx(scores[("A", 2021)])


def test_pooled_and_per_period_bounds_differ_as_expected():
    pooled = build_panel(SPEC, DATA).scores.set_index(["u", "year"])["score"]
    separate = build_panel(SPEC, DATA, pooled=False).scores.set_index(["u", "year"])["score"]
    alone = build(SPEC, DATA[DATA["year"] == 2016].drop(columns="year")).scores.set_index("u")["score"]
    # per period = what a separate build of that year gives
    assert separate.xs(2016, level="year").to_numpy() == pytest.approx(alone.to_numpy())
    # 2016 alone: x in [0, 10], y in [10, 30]: every unit is (t + (1 - t)) / 2 = 50
    assert alone.to_numpy() == pytest.approx([50.0, 50.0, 50.0])
    assert pooled[("A", 2016)] == pytest.approx((0 + 75) / 2)
    # with per-period bounds, the unchanged unit A's score moves because others changed
    assert separate[("A", 2016)] != pytest.approx(separate[("A", 2021)])


def test_change_rank_change_and_units_in_one_period():
    panel = build_panel(SPEC, DATA)
    table = change(panel, 2016, 2021).set_index("u")
    assert table.loc["B", "change"] == pytest.approx(75.0 - 37.5)
    assert table.loc["A", "change"] == pytest.approx(0.0)
    # 2016: A, B, C tie at 37.5 (rank 1); 2021: B 75 (1), D 50 (2), A 37.5 (3)
    assert table.loc["A", "rank_change"] == 1 - 3
    assert table.loc["B", "rank_change"] == 0
    assert table.loc["C", "present"] == "only 2016" and np.isnan(table.loc["C", "change"])
    assert table.loc["D", "present"] == "only 2021" and np.isnan(table.loc["D", "score_2016"])
    assert set(only_one_period(table.reset_index())["u"]) == {"C", "D"}
    assert list(change(panel, 2016, 2021)["u"]) == ["B", "A", "C", "D"]  # largest rise first, then the others


def test_choices_recorded_and_ranks_within_period():
    panel = build_panel(SPEC, DATA)
    assert panel.choices["panel"]["normalise"] == "pooled over periods"
    assert panel.choices["panel"]["periods"] == [2016, 2021]
    assert panel.choices["normalise"]["method"] == "minmax"
    assert panel.at(2021)["rank"].tolist() == [3, 1, 2]
    assert panel.regenerate(pooled=False).choices["panel"]["normalise"] == "within each period"


def test_imputation_within_period():
    spec = {**SPEC, "impute": {"method": "mean"}}
    data = DATA.copy()
    data.loc[(data["u"] == "A") & (data["year"] == 2021), "x"] = np.nan
    imputed = build_panel(spec, data).datasets["imputed"].set_index(["u", "year"])
    assert imputed.loc[("A", 2021), "x"] == pytest.approx(15.0)  # mean of the 2021 values (10, 20)


def test_duplicate_unit_period_is_an_error():
    with pytest.raises(PlaybookError, match="appears twice"):
        build_panel(SPEC, pd.concat([DATA, DATA.iloc[[0]]]))
