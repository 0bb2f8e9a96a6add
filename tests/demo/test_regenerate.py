"""The committed demo files are exactly what the generator writes (byte for byte)."""

import pytest

from playbook import cli, demo
from playbook.sources import datasets

DEMO_DATASETS = [
    "demo_census_profile_2021",
    "demo_census_profile_2016",
    "demo_geo_attributes_2021",
    "demo_area_internet_2021",
    "demo_internet_calibration_2021",
    "demo_feedback_comments",
]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    assert cli.main(["demo-data", "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("name", DEMO_DATASETS)
def test_committed_file_is_reproduced_byte_for_byte(regenerated, name):
    entry = datasets.info(name)
    assert entry.synthetic
    assert (regenerated / entry.path).read_bytes() == datasets.path(name).read_bytes()


def test_every_generated_file_is_committed(regenerated, root):
    for path in regenerated.rglob("*"):
        if path.is_file():
            relative = path.relative_to(regenerated)
            assert (root / "data" / relative).read_bytes() == path.read_bytes(), relative


def test_generators_run_in_the_listed_order():
    assert demo.GENERATORS == ["playbook.demo.census", "playbook.demo.census_2016", "playbook.demo.internet",
                              "playbook.demo.survey", "playbook.demo.feedback"]
    assert [m.__name__ for m in demo.generators()] == demo.GENERATORS


def test_another_seed_gives_other_values(tmp_path):
    from playbook.demo import internet

    internet.generate(tmp_path, 7)
    other = (tmp_path / internet.RELATIVE).read_bytes()
    assert other != datasets.path("demo_area_internet_2021").read_bytes()
    internet.generate(tmp_path / "again", 7)
    assert (tmp_path / "again" / internet.RELATIVE).read_bytes() == other


def test_demo_data_is_small(root):
    data = root / "data"  # what the repository ships: not the local caches and downloads (ignored by git)
    local = {data / "cache", data / "raw"}
    total = sum(p.stat().st_size for p in data.rglob("*") if p.is_file() and not local & set(p.parents))
    assert total < 25 * 1024 * 1024
