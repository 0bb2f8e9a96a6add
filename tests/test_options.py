"""Every numeric option is range-checked where it is read (playbook.options): a bad value stops the
command before any work, naming the option, with exit status 2."""

import pytest

from playbook import cli

TRAIN = ["feedback", "train", "in.csv", "--text-column", "t", "--label-column", "l", "--out", "m"]
BAD = [
    (["groups", "estimate", "--survey", "s.zip", "--census", "c.csv", "--out", "o.csv", "--confidence", "1.5"], "--confidence"),
    (["groups", "estimate", "--survey", "s.zip", "--census", "c.csv", "--out", "o.csv", "--replicates", "-3"], "--replicates"),
    (["groups", "estimate", "--survey", "s.zip", "--census", "c.csv", "--out", "o.csv", "--area-sd", "-1"], "--area-sd"),
    ([*TRAIN, "--threshold", "2"], "--threshold"),
    ([*TRAIN, "--folds", "0"], "--folds"),
    (["publish", "--out", "r", "--radius-km", "-1"], "--radius-km"),
    (["publish", "--out", "r", "--draws", "0"], "--draws"),
    (["index", "uncertainty", "--spec", "s.yml", "--data", "d.csv", "--out", "o.csv", "--seed", "-1"], "--seed"),
    (["index", "uncertainty", "--spec", "s.yml", "--data", "d.csv", "--out", "o.csv", "--draws", "1e999"], "--draws"),
    (["catchments", "--areas", "a.csv", "--points", "p.csv", "--out", "o.csv", "--radius-km", "inf"], "--radius-km"),
    (["catchments", "--areas", "a.csv", "--points", "p.csv", "--out", "o.csv", "--detour", "0"], "--detour"),
]


@pytest.mark.parametrize(("argv", "option"), BAD, ids=[f"{a[0]} {o}" for a, o in BAD])
def test_out_of_range_options_are_refused(argv, option, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_good_values_pass():
    from playbook import options

    assert options.share("0.95") == 0.95 and options.positive_int("3") == 3 and options.seed("0") == 0
    assert options.positive_float("1.3") == 1.3 and options.non_negative_float("0") == 0.0
