"""Analyses of the analyst's own files for the service-point tests: a CSD-only Census Profile cut
from the demo one (copied as if it were the analyst's: real, by the manifest's rule), a network CSV
of named offices, and manifests naming them."""

from __future__ import annotations

import zipfile

import pytest
import yaml

from playbook.sources import datasets
from playbook.sources import manifest as manifests

#: The provinces kept in the CSD-only profile (Prince Edward Island and Nova Scotia).
KEPT = ("11", "12")
#: Named offices of the network file: Charlottetown (coordinates), Bridgewater (placed at its CSD), Halifax.
OFFICES = (
    "Office ID,Office name,Province,CSD code,Postal code,Latitude,Longitude\n"
    "OF-1,Charlottetown Office,PE,1102075,C1A 1A1,46.2382,-63.1311\n"
    "OF-2,Bridgewater Office,,1206004,B4V 1A1,,\n"
    "OF-3,Halifax Office,NS,1209034,B3H 1A1,44.6488,-63.5752\n"
)


@pytest.fixture(scope="session")
def csd_profile(tmp_path_factory):
    """The demo Census Profile cut to Canada, its provinces and the census subdivisions of PEI and
    Nova Scotia: a CSD-only file in the official layout (no dissemination area)."""
    target = tmp_path_factory.mktemp("own") / "98-401-X2021005_eng_CSV.zip"
    with zipfile.ZipFile(datasets.path("demo_census_profile_2021")) as source:
        member = next(n for n in source.namelist() if n.endswith(".csv"))
        lines = []
        with source.open(member) as f:
            for number, line in enumerate(f):
                fields = line.split(b",", 4)
                level, dguid = fields[3].strip(b'"') if number else b"", fields[1].strip(b'"')
                keep = number == 0 or level in (b"Country", b"Province", b"Territory") or (
                    level == b"Census subdivision" and dguid[9:11].decode() in KEPT)
                if keep:
                    lines.append(line)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("98-401-X2021005_English_CSV_data.csv", b"".join(lines))
    return target


@pytest.fixture
def offices(tmp_path):
    path = tmp_path / "offices.csv"
    path.write_text(OFFICES, encoding="utf-8")
    return path


@pytest.fixture
def write_manifest(tmp_path):
    """``write_manifest(**content)``: a manifest file in ``tmp_path``, loaded."""

    def write(**content):
        path = tmp_path / "manifest.yml"
        path.write_text(yaml.safe_dump(content), encoding="utf-8")
        return manifests.load(path)

    return write
