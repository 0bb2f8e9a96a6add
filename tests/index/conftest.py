import numpy as np
import pandas as pd
import pytest


def tiny_spec(**changes) -> dict:
    """Two dimensions: access (x up, y down) and skills (z, weight 2)."""
    spec = {
        "id": "tiny",
        "unit_id": "id",
        "population": "pop",
        "dimensions": [
            {"id": "access", "weight": 1, "indicators": [
                {"id": "x", "column": "x", "direction": 1, "weight": 1},
                {"id": "y", "column": "y", "direction": -1, "weight": 1},
            ]},
            {"id": "skills", "weight": 2, "indicators": [{"id": "z", "column": "z"}]},
        ],
    }
    spec.update(changes)
    return spec


def tiny_data() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["u1", "u2", "u3", "u4"],
        "x": [0.0, 5.0, 10.0, np.nan],
        "y": [10.0, 0.0, 5.0, 5.0],
        "z": [1.0, 2.0, 3.0, 4.0],
        "pop": [100.0, 300.0, 200.0, 400.0],
        "region": ["a", "a", "b", "b"],
    })


@pytest.fixture
def spec() -> dict:
    return tiny_spec()


@pytest.fixture
def data() -> pd.DataFrame:
    return tiny_data()
