import io
import zipfile

import pandas as pd
import pytest

from playbook.sources import datasets
from playbook.sources.census.format import UNIQUE_HEADER_2021


def read_profile(path) -> pd.DataFrame:
    """The demo profile as a DataFrame (a plain pandas read: the census reader lives in another module)."""
    with zipfile.ZipFile(path) as archive:
        data = archive.read("98-401-X2021_demo_English_CSV_data.csv")
    text = {
        c: str
        for c in UNIQUE_HEADER_2021
        if c.endswith("SYMBOL")
        or c in ("DGUID", "ALT_GEO_CODE", "GEO_LEVEL", "GEO_NAME", "DATA_QUALITY_FLAG", "CHARACTERISTIC_NAME")
    }
    return pd.read_csv(
        io.BytesIO(data),
        encoding="cp1252",
        header=0,
        names=UNIQUE_HEADER_2021,
        dtype=text,
        keep_default_na=False,
        na_values={c: [""] for c in UNIQUE_HEADER_2021 if c not in text},
    )


@pytest.fixture(scope="session")
def profile() -> pd.DataFrame:
    return read_profile(datasets.path("demo_census_profile_2021"))


@pytest.fixture(scope="session")
def area() -> pd.DataFrame:
    return pd.read_csv(datasets.path("demo_area_internet_2021"), dtype={"DGUID": str})
