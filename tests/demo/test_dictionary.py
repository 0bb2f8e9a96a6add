"""Every demo column or characteristic is flagged real or synthetic in data/demo/dictionary.yml."""

import yaml

from playbook.demo import census, internet
from playbook.sources import datasets


def _dictionary(root):
    return yaml.safe_load((root / "data" / "demo" / "dictionary.yml").read_text(encoding="utf-8"))


def test_dictionary_covers_every_file_and_column(root):
    d = _dictionary(root)
    for name in ("demo_census_profile_2021", "demo_area_internet_2021", "demo_geo_attributes_2021"):
        assert d[name]["file"] == datasets.info(name).path
        assert datasets.info(name).synthetic
    chars = d["demo_census_profile_2021"]["characteristics"]
    assert sorted(chars) == census.IDS
    assert all(chars[i]["synthetic"] is (i > 7) for i in census.IDS)
    cols = d["demo_area_internet_2021"]["columns"]
    assert list(cols) == ["DGUID", "GEO_LEVEL", *internet.COLUMNS]
    assert all(cols[c]["synthetic"] for c in internet.COLUMNS)


def test_each_file_carries_a_notice(root):
    assert "SYNTHETIC" in (root / "data" / "demo" / "internet" / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in (root / "data" / "demo" / "PROVENANCE.md").read_text(encoding="utf-8").lower()
