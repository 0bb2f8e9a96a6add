import os

import pytest

from playbook.errors import PlaybookError
from playbook.io import _parsed, atomic_path, read_yaml


def test_error_names_file_row_field_and_expectation():
    err = PlaybookError("'abc' is not a number", path="data.csv", row=7, field="C1_COUNT_TOTAL", expected="a number")
    assert str(err) == "data.csv, row 7, field 'C1_COUNT_TOTAL': 'abc' is not a number (expected a number)"


def test_error_without_location_is_just_the_message():
    assert str(PlaybookError("bad")) == "bad"


def test_atomic_path_writes_whole_file(tmp_path):
    target = tmp_path / "out" / "table.csv"
    with atomic_path(target) as tmp:
        tmp.write_text("a,b\n1,2\n")
        assert not target.exists()
    assert target.read_text() == "a,b\n1,2\n"
    assert list(target.parent.iterdir()) == [target]


def test_atomic_path_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_outputs_get_the_usual_file_mode(tmp_path):
    import os

    from playbook.io import atomic_path

    umask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "out.csv") as tmp:
            tmp.write_text("a\n")
    finally:
        os.umask(umask)
    assert (tmp_path / "out.csv").stat().st_mode & 0o777 == 0o644


def test_read_yaml_parses_once_per_version_and_hands_out_copies(tmp_path):
    path = tmp_path / "spec.yml"
    path.write_text("a: [1, 2]\nname: Montréal\n", encoding="utf-8")
    first = read_yaml(path)
    first["a"].append(3)  # a caller changing its copy changes nothing for the next one
    hits = _parsed.cache_info().hits
    assert read_yaml(path) == {"a": [1, 2], "name": "Montréal"}
    assert _parsed.cache_info().hits == hits + 1
    path.write_text("a: [9]\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a new version, even within the same clock tick
    assert read_yaml(path) == {"a": [9]}
