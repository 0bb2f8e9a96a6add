import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.privacy import RULES, Policy, protect

POLICY = Policy(threshold=10, min_respondents=30, rounding_base=5, seed=1)


def test_the_rules_are_read_once_from_the_rules_file():
    import yaml

    policy = Policy.default()
    assert Policy.from_yaml(RULES) is policy  # cached by path
    assert policy == Policy(**yaml.safe_load(RULES.read_text(encoding="utf-8")))


def test_small_counts_and_their_rates_are_suppressed_and_rest_rounded():
    table = pd.DataFrame({"area": ["a", "b", "c"], "count": [3, 12, 127], "rate": [0.5, 0.2, 0.1]})
    policy = Policy.default()
    out = protect(table, counts=["count"], dependent=["rate"])
    # counts under the policy's threshold are suppressed with their dependent columns
    assert out["count"].isna().tolist() == [True, False, False]
    assert pd.isna(out.loc[0, "rate"]) and out.loc[1, "rate"] == 0.2
    assert out["suppressed"].tolist() == [True, False, False]
    # the others are rounded to a neighbouring multiple of the policy's base
    assert (out["count"].dropna() % policy.rounding_base == 0).all()
    assert out.loc[1, "count"] in (10.0, 15.0) and out.loc[2, "count"] in (125.0, 130.0)
    assert table["count"].tolist() == [3, 12, 127]  # input unchanged


def test_the_same_table_always_comes_out_the_same():
    table = pd.DataFrame({"area": list("abcdefgh"), "count": [11, 12, 13, 14, 16, 17, 18, 19],
                          "other": [21, 22, 23, 24, 26, 27, 28, 29]})
    first, again = protect(table, counts=["count", "other"]), protect(table.copy(), counts=["count", "other"])
    pd.testing.assert_frame_equal(first, again)
    assert first.to_csv() == again.to_csv()  # byte-stable between builds
    reseeded = protect(table, counts=["count", "other"], policy=Policy.default().replace(seed=7))
    assert not reseeded[["count", "other"]].equals(first[["count", "other"]])  # the seed comes from the policy


def test_a_count_is_rounded_the_same_in_every_table():
    import numpy as np

    counts = pd.Series(np.arange(10, 5010), dtype="float64")
    table = pd.DataFrame({"area": counts.index.astype(str), "count": counts})
    whole = protect(table, counts=["count"]).set_index("area")["count"]
    part = protect(table.sample(frac=0.3, random_state=1), counts=["count"]).set_index("area")["count"]
    assert whole.loc[part.index].equals(part)  # any subset, in any order: the same published value
    assert abs((whole - counts.to_numpy()).mean()) < 0.2  # and still unbiased over many counts
    assert set(whole - counts.to_numpy()) <= {-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0}


def test_survey_estimates_use_the_policys_min_respondents():
    table = pd.DataFrame({"geo": ["a", "b"], "n": [12, 300], "estimate": [40.0, 20.0]})
    out = protect(table, respondents="n", estimates=["n", "estimate"])
    assert out["n"].isna().tolist() == [True, False] and out["estimate"].isna().tolist() == [True, False]
    assert out["suppressed"].tolist() == [True, False]
    lax = protect(table, respondents="n", estimates=["n", "estimate"], policy=POLICY.replace(min_respondents=10))
    assert not lax["suppressed"].any()


def test_display_and_publish_paths_suppress_the_same_cells():
    from playbook.publish import TableSpec, protect_tables

    table = pd.DataFrame({"area": ["a", "b", "c", "d"], "count": [3, 12, 9, 127], "rate": [0.5, 0.2, 0.3, 0.1]})
    shown = protect(table, counts=["count"], dependent=["rate"])
    [published], report = protect_tables([TableSpec("t", table, {"en": "T"}, primary_key=("area",),
                                                     counts=("count",), dependent=("rate",))])
    assert published.frame["count"].isna().tolist() == shown["count"].isna().tolist() == [True, False, True, False]
    assert published.frame["rate"].isna().tolist() == shown["rate"].isna().tolist()
    assert sorted(report["row"]) == sorted(shown.loc[shown["suppressed"], "area"])
    # and the same rounding: one rule set, one function
    pd.testing.assert_series_equal(published.frame["count"], shown["count"])


def test_changing_the_rules_file_changes_both_paths(tmp_path):
    from playbook.publish import TableSpec, protect_tables

    rules = tmp_path / "disclosure.yml"
    rules.write_text(RULES.read_text(encoding="utf-8").replace("threshold: 10", "threshold: 20")
                     .replace("rounding_base: 5", "rounding_base: 10"), encoding="utf-8")
    policy = Policy.from_yaml(rules)
    assert (policy.threshold, policy.rounding_base) == (20, 10)
    table = pd.DataFrame({"area": ["a", "b", "c"], "count": [15, 27, 127]})
    before = protect(table, counts=["count"])
    shown = protect(table, counts=["count"], policy=policy)
    [published], _ = protect_tables([TableSpec("t", table, {"en": "T"}, primary_key=("area",), counts=("count",))],
                                    policy)
    assert before["count"].notna().all()
    assert shown["count"].isna().tolist() == published.frame["count"].isna().tolist() == [True, False, False]
    assert (shown["count"].dropna() % 10 == 0).all() and (published.frame["count"].dropna() % 10 == 0).all()
    # the file is read again when it changes
    rules.write_text(rules.read_text(encoding="utf-8").replace("threshold: 20", "threshold: 30"), encoding="utf-8")
    import os
    os.utime(rules, ns=(1, 1))
    assert Policy.from_yaml(rules).threshold == 30


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


def test_protect_reports_every_suppressed_cell_with_its_reason():
    table = pd.DataFrame({
        "area": ["a", "a", "b", "b"], "group": ["seniors", "youth", "seniors", "youth"],
        "count": [4, 40, 55, 65], "rate": [10.0, 20.0, 30.0, 40.0],
        "respondents": [100, 100, 12, 100], "estimate": [1.0, 2.0, 3.0, 4.0],
    })
    out, report = protect(table, ["count"], name="t", policy=POLICY, keys=["area", "group"],
                          dependent=["rate"], respondents="respondents", estimates=["estimate"],
                          margins=("area", "group", "count"), report=True)
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
    assert out["suppressed"].all()


def test_policy_rejects_unknown_or_missing_rules(tmp_path):
    path = tmp_path / "rules.yml"
    path.write_text("threshold: 10\nrounding: 5\n")
    with pytest.raises(PlaybookError, match="unknown key 'rounding'; did you mean 'rounding_base'") as err:
        Policy.from_yaml(path)
    assert err.value.path == str(path.resolve()) and err.value.field == "rounding"
    path = tmp_path / "partial.yml"
    path.write_text("threshold: 10\n")
    with pytest.raises(PlaybookError, match="missing disclosure rule"):
        Policy.from_yaml(path)


@pytest.mark.parametrize(("text", "field", "says"), [
    ("threshold: ten\nmin_respondents: 30\nrounding_base: 5\nseed: 1\n", "threshold", "'ten' is not a whole number"),
    ("threshold: 10\nmin_respondents: 30\nrounding_base: 0\nseed: 1\n", "rounding_base", "0 is below 1"),
    ("threshold: 10\nmin_respondents: 30\nrounding_base: 2.5\nseed: 1\n", "rounding_base", "2.5 is not a whole number"),
    ("threshold: true\nmin_respondents: 30\nrounding_base: 5\nseed: 1\n", "threshold", "True is not a whole number"),
    ("threshold: 10\nmin_respondents: 30\nrounding_base: 5\nseed: -1\n", "seed", "-1 is below 0"),
    ("threshold: 10\nmin_respondents: [30]\nrounding_base: 5\nseed: 1\n", "min_respondents", "not a whole number"),
    ("- threshold: 10\n", None, "the rules are a list"),
    ("", None, "the rules are empty"),
    ("threshold: [10\n", None, "invalid YAML"),
    ("threshold: 10\nmin_respondents: 30\nrounding_base: 5\nsed: 1\n", "sed", "did you mean 'seed'"),
])
def test_bad_rules_files_give_one_error_naming_the_file_and_rule(tmp_path, text, field, says):
    path = tmp_path / "rules.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlaybookError) as err:
        Policy.from_yaml(path)
    assert says in str(err.value) and err.value.path == str(path.resolve()) and err.value.field == field
    assert "\n" not in str(err.value)


def test_rules_not_utf8_or_a_folder(tmp_path):
    path = tmp_path / "rules.yml"
    path.write_bytes("threshold: 10 # modifié\n".encode("cp1252"))
    with pytest.raises(PlaybookError, match="not UTF-8 text"):
        Policy.from_yaml(path)
    with pytest.raises(PlaybookError, match="not a file"):
        Policy.from_yaml(tmp_path)
