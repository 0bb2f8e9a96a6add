"""COINr's other methods in the engine: normalisations, the generalised mean, Denominate, Screen,
custom functions and uncertain spec parameters, against values computed by hand."""

import numpy as np
import pandas as pd
import pytest
import yaml

from playbook.errors import PlaybookError
from playbook.index import aggregate, build, load_spec
from playbook.index.normalise import normalise
from playbook.index.uncertainty import uncertainty, uncertainty_loop
from tests.index.conftest import tiny_data, tiny_spec

COL = np.array([[2.0], [4.0], [6.0], [10.0]])
UP, DOWN = np.array([1.0]), np.array([-1.0])


def norm(method, directions=UP, targets=None, x=COL, **block):
    return normalise(x, directions, {"method": method, **block}, targets=targets)[:, 0].tolist()


def error(spec, data=None) -> PlaybookError:
    with pytest.raises(PlaybookError) as info:
        build(spec, tiny_data() if data is None else data)
    return info.value


# --- normalisations (COINr n_dist2max, n_dist2targ, n_fracmax, n_borda) ---------------------------

def test_dist2max():
    assert norm("dist2max") == pytest.approx([0, 0.25, 0.5, 1])  # 1 - (10 - x) / 8
    assert norm("dist2max", DOWN) == pytest.approx([1, 0.75, 0.5, 0])  # y = -x: 1 - (-2 - y) / 8
    assert norm("dist2max", scale=100) == pytest.approx([0, 25, 50, 100])


def test_dist2targ_with_and_without_cap():
    t = np.array([8.0])
    assert norm("dist2targ", targets=t) == pytest.approx([0, 1 / 3, 2 / 3, 4 / 3])  # (x - 2) / (8 - 2)
    assert norm("dist2targ", targets=t, cap_max=True) == pytest.approx([0, 1 / 3, 2 / 3, 1])
    # direction -1, target 3: COINr's (max x - x) / (max x - target) = (10 - x) / 7
    assert norm("dist2targ", DOWN, targets=np.array([3.0])) == pytest.approx([8 / 7, 6 / 7, 4 / 7, 0])
    assert norm("dist2targ", DOWN, targets=np.array([3.0]), cap_max=True) == pytest.approx([1, 6 / 7, 4 / 7, 0])
    assert norm("dist2targ", target=8) == pytest.approx([0, 1 / 3, 2 / 3, 4 / 3])  # the block's target


def test_dist2targ_target_at_the_minimum_is_an_error():
    with pytest.raises(PlaybookError) as info:
        norm("dist2targ", targets=np.array([2.0]))
    assert info.value.field == "normalise.target"


def test_fracmax():
    assert norm("fracmax") == pytest.approx([0.2, 0.4, 0.6, 1])
    with pytest.raises(PlaybookError) as info:
        norm("fracmax", DOWN)
    assert info.value.field == "normalise.method" and "max" in str(info.value)


def test_borda_counts_units_beaten():
    assert norm("borda") == [0, 1, 2, 3]
    assert norm("borda", DOWN) == [3, 2, 1, 0]
    assert norm("borda", x=np.array([[1.0], [2.0], [2.0], [3.0]])) == [0, 1, 1, 3]
    out = norm("borda", x=np.array([[1.0], [np.nan], [5.0], [3.0]]))
    assert np.isnan(out[1]) and [out[0], out[2], out[3]] == [0, 2, 1]


def test_dist2targ_reads_the_indicator_targets_in_a_build(data):
    spec = tiny_spec(normalise={"method": "dist2targ", "cap_max": True})
    for dim in spec["dimensions"]:
        for ind in dim["indicators"]:
            ind["target"] = {"x": 5, "y": 2.5, "z": 3}[ind["id"]]
    out = build(spec, data).normalised
    assert out["x"].tolist()[:3] == pytest.approx([0, 1, 1])  # (x - 0) / 5, capped
    assert out["y"].tolist() == pytest.approx([0, 1, 2 / 3, 2 / 3])  # (10 - y) / (10 - 2.5), capped
    assert out["z"].tolist() == pytest.approx([0, 0.5, 1, 1])  # (z - 1) / 2, capped


# --- the generalised mean ---------------------------------------------------------------------------

def test_generalised_mean_by_hand_and_its_special_cases():
    x, w = np.array([[1.0, 4.0]]), np.array([1.0, 1.0])
    assert aggregate.generalised_mean(x, w, 1)[0] == pytest.approx(2.5)
    assert aggregate.generalised_mean(x, w, 0)[0] == pytest.approx(2.0)
    assert aggregate.generalised_mean(x, w, -1)[0] == pytest.approx(1.6)  # 2 / (1 + 1/4)
    assert aggregate.generalised_mean(x, w, 2)[0] == pytest.approx(np.sqrt(8.5))
    assert aggregate.generalised_mean(x, w, 1e-9)[0] == pytest.approx(2.0, rel=1e-6)  # p -> 0: geometric
    weighted = aggregate.generalised_mean(np.array([[1.0, np.nan, 4.0]]), np.array([3.0, 5.0, 1.0]), 1)
    assert weighted[0] == pytest.approx((3 + 4) / 4)  # the missing value drops out, weights renormalised


@pytest.mark.parametrize("p, method", [(1, "arithmetic"), (0, "geometric"), (-1, "harmonic"), (1e-9, "geometric")])
def test_generalised_build_equals_the_special_cases(p, method, data):
    rng = {"normalise": {"method": "minmax", "range": [1, 100]}}
    got = build(tiny_spec(aggregate={"method": "generalised", "p": p}, **rng), data).scores
    want = build(tiny_spec(aggregate=method, **rng), data).scores
    assert got["score"].to_numpy() == pytest.approx(want["score"].to_numpy(), rel=1e-6, nan_ok=True)
    assert got["access"].to_numpy() == pytest.approx(want["access"].to_numpy(), rel=1e-6, nan_ok=True)


def test_generalised_needs_positive_values_for_p_at_most_0(data):
    err = error(tiny_spec(aggregate={"method": "generalised", "p": -1}), data)
    assert err.field == "aggregate.p" and "> 0" in str(err)


# --- Denominate ------------------------------------------------------------------------------------

def denominated_spec(**changes):
    spec = tiny_spec(**changes)
    spec["dimensions"][1]["indicators"][0].update(denominator="pop", scale=1000)
    return spec


def test_denominate_divides_by_the_column_times_the_scale(data):
    result = build(denominated_spec(), data)
    assert result.datasets["denominated"]["z"].tolist() == pytest.approx([10, 2000 / 300, 15, 10])
    assert result.datasets["raw"]["z"].tolist() == [1, 2, 3, 4]
    assert result.datasets["denominated"]["x"].equals(result.datasets["raw"]["x"])
    assert result.choices["denominate"] == {"z": {"denominator": "pop", "scale": 1000.0}}
    assert result.normalised["z"].tolist() == pytest.approx([400 / 9 * 0.9, 0, 100, 400 / 9 * 0.9])


def test_zero_denominator_gives_a_missing_value(data):
    data.loc[1, "pop"] = 0
    assert np.isnan(build(denominated_spec(), data).datasets["denominated"]["z"][1])


def test_denominator_column_missing_and_bad_scale(data):
    err = error(denominated_spec(), data.drop(columns="pop").assign(pop2=1))
    assert err.field == "pop"
    spec = denominated_spec()
    spec["dimensions"][1]["indicators"][0]["scale"] = 0
    assert error(spec).field == "dimensions[skills].indicators[0].scale"


# --- Screen ----------------------------------------------------------------------------------------

def test_screen_by_availability_reports_the_units_left_out(data):
    result = build(tiny_spec(screen={"min_availability": 0.9}), data)
    assert result.scores["id"].tolist() == ["u1", "u2", "u3"]
    table = result.screened
    assert table["id"].tolist() == ["u4"] and table["availability"].tolist() == pytest.approx([2 / 3])
    assert table["reason"].tolist() == ["availability below 0.9"]
    assert result.choices["screen"] == {"min_availability": 0.9}
    assert len(result.regenerate(screen={}).scores) == 4  # the data kept by the result are all the data


def test_screen_by_zeros_imputed_and_forced(data):
    zeros = build(tiny_spec(screen={"min_nonzero": 0.7}), data).screened
    assert zeros["id"].tolist() == ["u1", "u2"] and zeros["nonzero"].tolist() == pytest.approx([2 / 3, 2 / 3])
    imputed = build(tiny_spec(impute="mean", screen={"max_imputed": 0.2}), data).screened
    assert imputed["id"].tolist() == ["u4"] and imputed["reason"][0] == "imputed share above 0.2"
    forced = build(tiny_spec(screen={"min_availability": 0.9, "include": ["u4"], "exclude": ["u1"]}), data)
    assert forced.screened["id"].tolist() == ["u1"] and forced.screened["reason"][0] == "excluded by screen.exclude"
    assert forced.scores["id"].tolist() == ["u2", "u3", "u4"]
    assert build(tiny_spec(), data).screened.empty


@pytest.mark.parametrize("screen, field", [({"min_availability": 2}, "screen.min_availability"),
                                           ({"dat_thresh": 0.5}, "screen.dat_thresh"),
                                           ({"exclude": ["nobody"]}, "screen.exclude")])
def test_screen_errors(screen, field, data):
    assert error(tiny_spec(screen=screen), data).field == field


# --- custom functions --------------------------------------------------------------------------------

def double(y):
    return 2 * y


def first_column(y):
    return y[:, :1]


def test_custom_normalise_is_called_and_recorded(data):
    result = build(tiny_spec(normalise=double), data)
    assert result.normalised["y"].tolist() == [-20, 0, -10, -10]  # 2 * direction * y
    assert result.choices["normalise"]["method"] == "tests.index.test_new_methods.double"
    assert result.regenerate(aggregate="minimum").choices["normalise"]["method"].endswith("double")


def test_custom_functions_at_every_step(data):
    filled = build(tiny_spec(impute=lambda raw: np.nan_to_num(raw, nan=7.0)), data)
    assert filled.datasets["imputed"]["x"][3] == 7
    treated = build(tiny_spec(treat=lambda x: x + 1), data)
    assert treated.datasets["treated"]["z"].tolist() == [2, 3, 4, 5]
    assert treated.treatment["action"].str.contains("lambda").all()
    weighted = build(tiny_spec(weights=lambda x: np.array([3.0, 1.0, 5.0])), data)
    assert weighted.weights["weight"].tolist()[:3] == pytest.approx([0.75, 0.25, 1.0])
    biggest = build(tiny_spec(aggregate=lambda v, w: np.nanmax(v, axis=1)), data).scores
    # x -> [0, 50, 100, NaN], y (direction -1) -> [0, 100, 50, 50], z -> [0, 100/3, 200/3, 100]
    assert biggest["access"].tolist() == pytest.approx([0, 100, 100, 50])
    assert biggest["score"].tolist() == pytest.approx([0, 100, 100, 100])


def test_custom_function_of_the_wrong_shape_is_one_clear_error(data):
    err = error(tiny_spec(normalise=first_column), data)
    assert err.field == "normalise.method" and "first_column" in str(err) and "(4, 3)" in err.expected
    err = error(tiny_spec(aggregate=lambda v, w: v), data)
    assert err.field == "aggregate.method" and "(4,)" in err.expected
    err = error(tiny_spec(impute=lambda raw: "text"), data)
    assert err.field == "impute.method" and "not numbers" in str(err)
    err = error(tiny_spec(weights=lambda x: 1 / 0), data)
    assert err.field == "weights.method" and "ZeroDivisionError" in str(err)


def test_a_yaml_spec_cannot_name_a_function(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(yaml.safe_dump(tiny_spec(normalise="tests.index.test_new_methods.double")), encoding="utf-8")
    err = error(path)
    assert err.field == "normalise.method" and "dist2targ" in err.expected


# --- spec validation of the new parameters -----------------------------------------------------------

@pytest.mark.parametrize("changes, field", [
    ({"normalise": "dist2min"}, "normalise.method"),
    ({"normalise": "dist2targ"}, "normalise.target"),
    ({"normalise": {"method": "dist2targ", "target": 1, "cap_max": "yes"}}, "normalise.cap_max"),
    ({"normalise": {"method": "dist2max", "scale": "big"}}, "normalise.scale"),
    ({"aggregate": "generalised"}, "aggregate.p"),
    ({"aggregate": {"method": "generalised", "p": "one"}}, "aggregate.p"),
    ({"aggregate": "power"}, "aggregate.method"),
])
def test_bad_methods_and_parameters_name_the_field(changes, field):
    with pytest.raises(PlaybookError) as info:
        load_spec(tiny_spec(**changes))
    assert info.value.field == field


# --- uncertain spec parameters -----------------------------------------------------------------------

def panel_data(n: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame({"id": [f"u{i}" for i in range(n)], "x": rng.gamma(2, 2, n), "y": rng.normal(10, 3, n),
                         "z": rng.uniform(0, 5, n), "pop": rng.uniform(100, 1000, n)})


FIXED = {"normalise": [{"method": "minmax", "range": [1, 100]}], "aggregate": ["generalised"], "weights": 0.0,
         "impute": ["none"], "remove_indicator": False}


def uncertain_spec(parameters):
    return tiny_spec(normalise={"method": "minmax", "range": [1, 100]}, aggregate={"method": "generalised", "p": 1},
                     treat="winsorise", uncertainty={**FIXED, "parameters": parameters})


def test_a_declared_parameter_changes_the_rank_distribution():
    params = {"weights.skills": [0.5, 8], "aggregate.p": [-1, 0, 1], "treat.skew": {"range": [0.5, 2], "steps": 3}}
    u = uncertainty(uncertain_spec(params), panel_data(), draws=60, seed=2)
    assert {"weights.skills", "aggregate.p", "treat.skew"} <= set(u.runs.columns)
    assert set(u.runs["weights.skills"]) == {"0.5", "8"} and set(u.runs["aggregate.p"]) == {"-1", "0", "1"}
    by_weight = u.runs.groupby("weights.skills")["mean_abs_rank_shift"].mean()
    assert by_weight["0.5"] > by_weight["8"] > 0  # the skills weight moves the ranks
    assert u.sobol["factor"].tolist() == ["weights.skills", "aggregate.p", "treat.skew"]
    assert (u.ranks["rank_p95"] - u.ranks["rank_p05"]).max() > 0


def test_uncertain_parameters_equal_the_run_by_run_rebuild_and_repeat_with_the_seed():
    spec = uncertain_spec({"weights.x": {"range": [0.2, 3]}, "normalise.range": [[1, 100], [10, 20]],
                           "aggregate.p": [-1, 2], "min_coverage": [0.5, 1]})
    data = panel_data()
    data.loc[[2, 5], "x"] = np.nan
    u = uncertainty(spec, data, draws=40, seed=5)
    pd.testing.assert_frame_equal(u.ranks, uncertainty_loop(spec, data, draws=40, seed=5).ranks)
    again = uncertainty(spec, data, draws=40, seed=5)
    assert u.ranks.to_csv() == again.ranks.to_csv() and u.runs.to_csv() == again.runs.to_csv()
    assert u.ranks.to_csv() != uncertainty(spec, data, draws=40, seed=6).ranks.to_csv()


@pytest.mark.parametrize("parameters, field", [
    ({"weights.nobody": [1, 2]}, "uncertainty.parameters.weights.nobody"),
    ({"screen.min_availability": [0.5]}, "uncertainty.parameters.screen.min_availability"),
    ({"normalise.method": ["rank"]}, "uncertainty.parameters.normalise.method"),
    ({"treat.skew": {"range": [3, 1]}}, "uncertainty.parameters.treat.skew"),
    ({"treat.skew": "high"}, "uncertainty.parameters.treat.skew"),
    ({"normalise.range": [[100, 0]]}, "normalise.range"),
    ({"weights.x": [-1]}, "uncertainty.parameters.weights.x"),
])
def test_bad_uncertain_parameters_name_the_field(parameters, field):
    with pytest.raises(PlaybookError) as info:
        uncertainty(uncertain_spec(parameters), panel_data(), draws=8)
    assert info.value.field == field
