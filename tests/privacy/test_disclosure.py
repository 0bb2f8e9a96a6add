import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.privacy import protect


def test_small_counts_and_their_rates_are_suppressed_and_rest_rounded():
    table = pd.DataFrame({"area": ["a", "b", "c"], "count": [3, 12, 127], "rate": [0.5, 0.2, 0.1]})
    out = protect(table, counts=["count"], dependent=["rate"], threshold=10, rounding=5)
    assert out["count"].isna().tolist() == [True, False, False]
    assert out["count"].tolist()[1:] == [10.0, 125.0]
    assert pd.isna(out.loc[0, "rate"]) and out.loc[1, "rate"] == 0.2
    assert out["suppressed"].tolist() == [True, False, False]
    assert table["count"].tolist() == [3, 12, 127]  # input unchanged


def test_unknown_column_is_a_clear_error():
    with pytest.raises(PlaybookError, match="not in the table"):
        protect(pd.DataFrame({"a": [1]}), counts=["b"])


def test_random_rounding_is_unbiased_seeded_and_keeps_multiples():
    from playbook.privacy import random_round

    values = pd.Series([0, 5, 10, 12, 13, None] * 2000, dtype="float64")
    once, again = random_round(values, 5, seed=7), random_round(values, 5, seed=7)
    assert once.equals(again)
    assert set(once.dropna().unique()) <= {0, 5, 10, 15}
    assert (once[values.isin([0, 5, 10])] == values[values.isin([0, 5, 10])]).all()
    twelves = once[values == 12]
    assert set(twelves.unique()) == {10.0, 15.0}
    assert abs(twelves.mean() - 12) < 0.15  # 12 -> 15 with probability 2/5, mean 12
    assert once.isna().sum() == 2000


def test_complementary_suppression_protects_a_lone_cell_in_rows_and_columns():
    from playbook.privacy import complementary_suppression

    values = pd.DataFrame([[3, 40, 50], [60, 70, 80], [90, 20, 100]], index=list("abc"), columns=list("xyz"))
    primary = values < 10  # only a/x
    mask = complementary_suppression(values, primary)
    # a/x alone in row a and column x: the smallest other cell of row a (a/y = 40) and of column x
    # (b/x = 60) go too; then rows b and columns y hold one each, fixed by b/y (70)... until no
    # row or column has exactly one suppressed cell.
    assert mask.loc["a", "x"] and mask.loc["a", "y"] and mask.loc["b", "x"]
    assert all(mask.sum(axis=1).isin([0, 2, 3])) and all(mask.sum(axis=0).isin([0, 2, 3]))


def test_disclose_reports_every_suppressed_cell_with_its_reason():
    from playbook.privacy import Policy, disclose

    table = pd.DataFrame({
        "area": ["a", "a", "b", "b"], "group": ["seniors", "youth", "seniors", "youth"],
        "count": [4, 40, 55, 65], "rate": [10.0, 20.0, 30.0, 40.0],
        "respondents": [100, 100, 12, 100], "estimate": [1.0, 2.0, 3.0, 4.0],
    })
    policy = Policy(threshold=10, min_respondents=30, rounding_base=5, seed=1)
    out, report = disclose(table, name="t", policy=policy, keys=["area", "group"], counts=["count"],
                           dependent=["rate"], respondents="respondents", estimates=["estimate"],
                           margins=("area", "group", "count"))
    reasons = {(r.area, r.group, r.column, r.reason) for r in report.itertuples()}
    assert ("a", "seniors", "count", "threshold") in reasons
    assert ("b", "seniors", "estimate", "respondents") in reasons
    # a/seniors is alone in row a and column seniors: a/youth and b/seniors are suppressed too,
    # then b/youth (alone in row b and column youth).
    assert {("a", "youth", "count", "complementary"), ("b", "seniors", "count", "complementary"),
            ("b", "youth", "count", "complementary")} <= reasons
    assert out["count"].isna().all() and out["rate"].isna().all()
    assert out["estimate"].tolist()[:2] == [1.0, 2.0] and pd.isna(out.loc[2, "estimate"])
    assert (report["table"] == "t").all()


def test_policy_rejects_unknown_rules(tmp_path):
    from playbook.privacy import Policy

    path = tmp_path / "rules.yml"
    path.write_text("threshold: 10\nrounding: 5\n")
    with pytest.raises(PlaybookError, match="unknown disclosure rule"):
        Policy.from_yaml(path)
