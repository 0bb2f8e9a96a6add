"""A small indicator table in the shape of ``evi.indicator_data`` (no census file needed)."""

import numpy as np
import pandas as pd
import pytest

from playbook import indicators
from playbook.codes import PROVINCES


def make_indicator_data(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = indicators.indicator_table()["id"].tolist()
    rows = []
    for pruid in PROVINCES.index:
        for i in range(6):
            rows.append(
                {
                    "DGUID": f"2021A0005{pruid}{i:05d}",
                    "ALT_GEO_CODE": f"{pruid}{i:05d}",
                    "GEO_LEVEL": "Census subdivision",
                    "GEO_NAME": f"Place {pruid}-{i}",
                    "pruid": pruid,
                }
            )
    for i in range(20):
        rows.append(
            {
                "DGUID": f"2021S051211{i:06d}",
                "ALT_GEO_CODE": f"11{i:06d}",
                "GEO_LEVEL": "Dissemination area",
                "GEO_NAME": f"11{i:06d}",
                "pruid": "11",
            }
        )
    data = pd.DataFrame(rows)
    data["population"] = rng.integers(50, 5000, len(data)).astype(float)
    for col in ids:
        data[col] = rng.uniform(1, 60, len(data))
    data["DGUID"] = data["DGUID"].astype("string")
    return data


@pytest.fixture
def indicator_data() -> pd.DataFrame:
    return make_indicator_data()
