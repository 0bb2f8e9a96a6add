"""``python -m playbook census extract``: the exact command-line contract."""

import subprocess
import sys

import pandas as pd

from playbook import cli
from playbook.sources import census
from tests.sources.census.helpers import GEOS, value, write_2021, zip_of


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "playbook", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_cli_contract(tmp_path):
    data = write_2021(tmp_path / "p.csv")
    out = tmp_path / "out" / "extract.csv"
    result = run("census", "extract", data, "--ids", "1,6,345", "--rates", "--out", out, "--no-cache")
    assert result.returncode == 0, result.stderr
    text = out.read_bytes().decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "DGUID,ALT_GEO_CODE,GEO_LEVEL,GEO_NAME,c1,c6,c345,r1,r6,r345"
    assert lines[1].startswith("2021A000011124,01,Country,Canada,1001,1006,1345,0.1,0.6,34.5")
    assert "Montréal" in text
    df = pd.read_csv(out, dtype={"ALT_GEO_CODE": str})
    assert df["ALT_GEO_CODE"].tolist() == [g[1] for g in GEOS]


def test_cli_several_paths_and_level(tmp_path, monkeypatch):
    monkeypatch.setattr(census, "cache_dir", lambda: tmp_path / "cache")
    packed = zip_of(write_2021(tmp_path / "a.csv"), "98-401-X2021005_English_CSV_data.csv")
    out = tmp_path / "csd.csv"
    assert cli.main(["census", "extract", str(packed), "--ids", "1", "--level", "Census subdivision",
                     "--out", str(out), "--quiet"]) == 0
    assert out.read_text(encoding="utf-8").splitlines() == [
        "DGUID,ALT_GEO_CODE,GEO_LEVEL,GEO_NAME,c1",
        f"2021A00052466023,2466023,Census subdivision,Montréal,{value(2, 1)}",
    ]


def test_cli_bad_input_exits_2_with_one_line_and_leaves_nothing(tmp_path):
    data = write_2021(tmp_path / "p.csv")
    data.write_bytes(data.read_bytes()[:-60])
    out = tmp_path / "out.csv"
    result = run("census", "extract", data, "--ids", "1", "--out", out, "--no-cache")
    assert result.returncode == 2
    err = result.stderr.strip()
    assert err.startswith("error: ") and "\n" not in err and str(data) in err and "row 17" in err
    assert list(tmp_path.iterdir()) == [data]  # no output, no temporary file


def test_cli_absent_id(tmp_path):
    result = run("census", "extract", write_2021(tmp_path / "p.csv"), "--ids", "1,77", "--out", tmp_path / "o.csv",
                 "--no-cache")
    assert result.returncode == 2 and "characteristic 77" in result.stderr
    assert not (tmp_path / "o.csv").exists()


def test_cli_help_shows_the_contract():
    result = run("census", "extract", "--help")
    assert result.returncode == 0
    for word in ("--ids", "--level", "--rates", "--out", "PATH"):
        assert word in result.stdout


def test_census_without_action_prints_help(capsys):
    assert cli.main(["census"]) == 0
    assert "extract" in capsys.readouterr().out


def test_cli_member_option_on_the_real_2016_table(tmp_path):
    from tests.sources.census.test_real_files import FIXTURE

    out = tmp_path / "age2011.csv"
    assert cli.main(["census", "extract", str(FIXTURE), "--ids", "1", "--level", "1", "--member", "Census year=2",
                     "--out", str(out), "--quiet", "--no-cache"]) == 0
    assert out.read_text(encoding="utf-8").splitlines()[1] == ",11,1,Prince Edward Island,140205"
    assert cli.main(["census", "extract", str(FIXTURE), "--ids", "1", "--member", "year", "--out", str(out)]) == 2
