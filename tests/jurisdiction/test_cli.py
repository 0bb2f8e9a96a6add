"""``python -m playbook jurisdiction new|check|list``."""

import shutil
import subprocess

import pytest
import yaml

from playbook import cli
from playbook import jurisdiction as jur
from playbook.paths import ROOT


def test_new_scaffolds_a_commented_profile_that_checks_for_a_province(tmp_path, capsys):
    assert cli.main(["jurisdiction", "new", "mb", "--out", str(tmp_path)]) == 0
    text = (tmp_path / "mb.yml").read_text(encoding="utf-8")
    assert text.count("\n# ") > 10  # every field explained
    assert yaml.safe_load(text)["provinces"] == ["46"]
    assert cli.main(["jurisdiction", "check", str(tmp_path / "mb.yml")]) == 0
    assert "ok: 1 profile(s) valid" in capsys.readouterr().out
    assert jur.load(tmp_path / "mb.yml").name["fr"] == "Manitoba"


def test_new_never_overwrites(tmp_path, capsys):
    (tmp_path / "mb.yml").write_text("keep me")
    assert cli.main(["jurisdiction", "new", "mb", "--out", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "mb.yml").read_text() == "keep me"


def test_check_prints_one_line_per_problem(tmp_path, capsys):
    cli.main(["jurisdiction", "new", "gatineau", "--out", str(tmp_path)])
    path = tmp_path / "gatineau.yml"
    path.write_text(path.read_text(encoding="utf-8") + "colour: blue\nfeedback: missing.csv\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["jurisdiction", "check", str(path)]) == 2
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith(f"error: {path}, field '") for line in lines)
    assert {"colour", "feedback", "provinces"} == {line.split("field '")[1].split("'")[0] for line in lines}


def test_check_accepts_shipped_codes_and_list_shows_them(capsys):
    assert cli.main(["jurisdiction", "check", *jur.shipped()]) == 0
    assert cli.main(["jurisdiction", "list"]) == 0
    out = capsys.readouterr().out
    assert "ottawa" in out and "Northwest Territories" in out


def test_build_with_an_unknown_jurisdiction_fails_in_one_line(capsys):
    assert cli.main(["build", "--jurisdiction", "zz"]) == 2
    err = capsys.readouterr().err.strip()
    assert "no jurisdiction profile 'zz'" in err and "\n" not in err


def test_make_book_passes_the_jurisdiction_only_when_given():
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    root = ROOT
    tailored = subprocess.run(["make", "-n", "book", "JURISDICTION=mb"], cwd=root, capture_output=True, text=True)
    default = subprocess.run(["make", "-n", "book"], cwd=root, capture_output=True, text=True)
    assert "-m playbook build --lang all --jurisdiction mb" in tailored.stdout
    assert "-m playbook build --lang all" in default.stdout and "--jurisdiction" not in default.stdout
