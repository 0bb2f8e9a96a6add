"""The geography and census vocabulary, written once (playbook.codes), and the layering it allows."""

import ast
from pathlib import Path

import pandas as pd
import pytest

from playbook import codes
from playbook.errors import PlaybookError
from playbook.paths import ROOT


def test_dguids_of_every_level():
    assert codes.dguid("Province", "35") == "2021A000235"
    assert codes.dguid("Territory", pd.Series(["62"])).tolist() == ["2021A000262"]
    assert codes.dguid("Census subdivision", pd.Series(["3520005"])).tolist() == ["2021A00053520005"]
    assert codes.dguid("Dissemination area", "10010001") == "2021S051210010001"
    assert codes.dguid("Census agglomeration", "105", year=2016) == "2016S0504105"
    assert codes.dguid("Country") == "2021A000011124"
    assert codes.dguid_prefix("Census division") == "2021A0003"
    with pytest.raises(PlaybookError, match="unknown level"):
        codes.dguid("Ward", "1")


def test_dguids_round_trip_through_parse_dguid():
    built = codes.dguid("Census division", pd.Series(["1001", "6208"]))
    parsed = codes.parse_dguid(built)
    assert parsed["geo_level"].tolist() == ["Census division"] * 2
    assert parsed["code"].tolist() == ["1001", "6208"] and parsed["pruid"].tolist() == ["10", "62"]


def test_provinces_and_their_names():
    assert len(codes.PROVINCES) == 13 and set(codes.TERRITORIES) < set(codes.PROVINCES.index)
    assert codes.CIUS_PROVINCES == ("10", "11", "12", "13", "24", "35", "46", "47", "48", "59")
    assert codes.province_names(pd.Series(["24", "59"]), "fr").tolist() == ["Québec", "Colombie-Britannique"]
    assert codes.province_name("24", "en") == "Quebec"
    assert codes.pruid_of("MB") == "46"


def test_census_characteristics_come_from_the_versioned_mapping():
    names = codes.census_names(2021)
    assert names[1] == "Population, 2021" and names[1536] == "2016 to 2021"
    assert codes.census_ids(2021) == sorted(names)
    assert codes.census_id("population") == 1 and codes.census_id("households_total", 2016) == 51
    with pytest.raises(PlaybookError, match="no characteristic"):
        codes.census_id("nothing")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m.startswith("playbook")}


def test_codes_is_the_bottom_layer_and_sources_do_not_import_geography():
    assert _imports(ROOT / "playbook" / "codes.py") <= {"playbook", "playbook.errors", "playbook.io", "playbook.paths"}
    for path in (ROOT / "playbook" / "sources").rglob("*.py"):
        assert not any(m.startswith("playbook.geo") for m in _imports(path)), path.name
