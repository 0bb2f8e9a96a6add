"""A small official-layout Census Profile for the groups tests: the PEI rows of the demo profile."""

import zipfile
from pathlib import Path

from playbook.sources import datasets

#: DGUID prefix of Prince Edward Island's census subdivisions (2021, type A0005, province 11).
PEI_CSD = b'"2021A000511'


def pei_profile(tmp_path: Path) -> Path:
    """The PEI census subdivisions of the embedded demo Census Profile, as an official 2021 CSV."""
    with zipfile.ZipFile(datasets.path("demo_census_profile_2021")) as archive:
        member = next(n for n in archive.namelist() if n.endswith("_CSV_data.csv"))
        with archive.open(member) as fh:
            header, *rows = fh.readlines()
    path = tmp_path / "profile.csv"
    path.write_bytes(header + b"".join(row for row in rows if row.split(b",", 2)[1].startswith(PEI_CSD)))
    return path
