"""The CLI contract of ``python -m playbook index ...``."""

import subprocess
import sys

import pandas as pd
import pytest
import yaml

from playbook import cli
from tests.index.conftest import tiny_data, tiny_spec


@pytest.fixture
def files(tmp_path):
    spec, data = tmp_path / "spec.yml", tmp_path / "data.csv"
    spec.write_text(yaml.safe_dump(tiny_spec()), encoding="utf-8")
    tiny_data().to_csv(data, index=False)
    return spec, data


def test_build_writes_the_contract_columns(files, tmp_path):
    spec, data = files
    out = tmp_path / "out" / "scores.csv"
    assert cli.main(["index", "build", "--spec", str(spec), "--data", str(data), "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"id": str})
    assert list(table.columns) == ["id", "access", "skills", "score", "rank", "quintile", "coverage"]
    assert table["rank"].tolist() == [4, 3, 2, 1]


def test_build_is_byte_identical(files, tmp_path):
    spec, data = files
    outs = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for out in outs:
        cli.main(["index", "build", "--spec", str(spec), "--data", str(data), "--out", str(out)])
    assert outs[0].read_bytes() == outs[1].read_bytes()


def test_bad_input_exits_2_and_writes_nothing(files, tmp_path):
    spec, data = files
    bad = tiny_data().drop(columns="z")
    bad.to_csv(data, index=False)
    out = tmp_path / "out.csv"
    args = ["index", "build", "--spec", str(spec), "--data", str(data), "--out", str(out)]
    result = subprocess.run([sys.executable, "-m", "playbook", *args], capture_output=True, text=True)
    assert result.returncode == 2
    assert "data.csv" in result.stderr and "'z'" in result.stderr and "\n" not in result.stderr.strip()
    assert not out.exists() and not list(tmp_path.glob(".out.csv*"))


def test_audit_prints_the_tables(files, capsys):
    spec, data = files
    assert cli.main(["index", "audit", "--spec", str(spec), "--data", str(data)]) == 0
    out = capsys.readouterr().out
    for title in ("== indicators ==", "== dimensions ==", "cronbach_alpha", "== removal of each indicator =="):
        assert title in out


def test_uncertainty_writes_ranks_and_sobol_files(files, tmp_path):
    spec, data = files
    out = tmp_path / "unc.csv"
    args = ["index", "uncertainty", "--spec", str(spec), "--data", str(data), "--draws", "30", "--seed", "1"]
    assert cli.main([*args, "--out", str(out)]) == 0
    ranks = pd.read_csv(out, dtype={"id": str})
    assert list(ranks.columns) == ["id", "rank", "median_rank", "rank_p05", "rank_p95"] and len(ranks) == 4
    sobol = pd.read_csv(tmp_path / "unc.sobol.csv")
    assert list(sobol.columns) == ["factor", "S1", "S1_conf", "ST", "ST_conf"]


def test_uncertainty_error_writes_nothing(files, tmp_path, capsys):
    spec, data = files
    spec.write_text(yaml.safe_dump(tiny_spec(aggregate="nonsense")), encoding="utf-8")
    out = tmp_path / "unc.csv"
    args = ["index", "uncertainty", "--spec", str(spec), "--data", str(data), "--draws", "30", "--out", str(out)]
    assert cli.main(args) == 2
    assert "aggregate.method" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "unc.sobol.csv").exists()
