import shutil

import pytest

from playbook.errors import PlaybookError
from playbook.sources import datasets


def test_every_registered_file_matches_its_checksum():
    for name in datasets.registry():
        assert datasets.path(name).is_file()


def test_every_dataset_has_a_provenance_card(root):
    for entry in datasets.registry().values():
        assert (root / "data" / entry.provenance).is_file(), entry.name
        assert set(entry.title) == set(entry.source) == {"en", "fr"}


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(PlaybookError, match="expected one of .*population_2021"):
        datasets.info("nope")


def test_changed_file_fails_loudly(tmp_path, monkeypatch, root):
    entry = datasets.info("population_2021")
    copy = tmp_path / entry.path
    copy.parent.mkdir(parents=True)
    shutil.copy(root / "data" / entry.path, copy)
    with open(copy, "a", encoding="utf-8") as fh:
        fh.write("tampered\n")
    monkeypatch.setenv("PLAYBOOK_DATA_DIR", str(tmp_path))
    with pytest.raises(PlaybookError, match="checksum mismatch"):
        datasets.path("population_2021")
    assert datasets.path("population_2021", verify=False) == copy


def test_missing_file_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_DATA_DIR", str(tmp_path))
    with pytest.raises(PlaybookError, match="missing"):
        datasets.path("population_2021")


def test_source_line_of_a_real_dataset_does_not_say_synthetic():
    line = datasets.info("population_2021").source_line("en")
    assert line.startswith("Source: Statistics Canada, Table 98-10-0002-01")
    assert "synthetic" not in line


def test_registry_names_each_dataset_once(root):
    import re

    names = re.findall(r"^([A-Za-z0-9_]+):\s*$", (root / "data" / "registry.yml").read_text(encoding="utf-8"), flags=re.M)
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})
