"""playbook.evi.inputs: framework tables, levels, weighted means (the one roll-up), source lines."""

import numpy as np
import pandas as pd
import pytest

from playbook import evi
from playbook.errors import PlaybookError
from playbook.geo.hierarchy import rollup


def test_effective_weights_follow_the_spec():
    w = evi.effective_weights(lang="en").set_index("id")["share"]
    assert w.sum() == pytest.approx(100)
    assert w["no_home_internet"] == pytest.approx(100 / 3 / 4)  # access: 4 equal indicators
    assert w["seniors_65_plus"] == pytest.approx(100 / 3 / 4.5)  # comfort: weights 1, 0.5, 1, 1, 1
    assert w["seniors_75_plus"] == pytest.approx(100 / 3 * 0.5 / 4.5)


def test_labels_in_both_languages():
    assert evi.dimension_labels(lang="fr") == {"access": "Accès", "comfort": "Aisance", "skills": "Compétences"}
    assert evi.indicator_labels(lang="en")["low_income"] == "Low income (LIM-AT)"
    assert len(evi.framework_table(lang="fr")) == 13


def test_at_level_and_province(indicator_data):
    assert len(evi.at_level(indicator_data, "csd")) == 13 * 6
    assert len(evi.at_level(indicator_data, "csd", province="48")) == 6
    assert len(evi.at_level(indicator_data, "da")) == 20
    with pytest.raises(PlaybookError, match="no rows at level 'cma_ca'"):
        evi.at_level(indicator_data, "cma_ca")


def test_rollup_by_a_column_by_hand():
    data = pd.DataFrame({"g": ["a", "a", "b"], "x": [10.0, 30.0, np.nan], "population": [100, 300, 50]})
    out = rollup(data, "g", ["x"], "population").set_index("g")
    assert out.loc["a", "x"] == pytest.approx((10 * 100 + 30 * 300) / 400)
    assert np.isnan(out.loc["b", "x"]) and out.loc["b", "population"] == 50


def test_source_line_says_synthetic_for_demo_inputs_only(tmp_path):
    mine = tmp_path / "profile.zip"
    mine.write_bytes(b"")
    area = tmp_path / "area.csv"
    area.write_text("DGUID\n", encoding="utf-8")
    line = evi.source_line("en", profile=mine, area_file=area)
    assert line == "Source: your file profile.zip; your file area.csv."


def test_resolve_names_a_missing_file(tmp_path):
    with pytest.raises(PlaybookError, match="input file not found") as err:
        evi.resolve(tmp_path / "nope.zip", evi.PROFILE)
    assert err.value.path.endswith("nope.zip")


def test_count_columns_are_numerators_denominators_and_population():
    cols = evi.count_columns()
    assert "c1" in cols and "c340" in cols and "c335" in cols and "c6" not in cols
