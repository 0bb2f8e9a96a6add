import numpy as np
import pandas as pd
import pytest

from playbook.groups.composition import AGE_GROUPS, MARGINS
from playbook.sources.survey import Survey

SPEC = {"outcomes": {"y": {}}, "quality": {"min_respondents": 1}}


def make_survey(frame: pd.DataFrame, reps: int = 4) -> Survey:
    """A Survey from a frame with the mapped columns; unit weights and unit replicate weights."""
    base = {"province": "35", "urban_rural": "urban", "age_group": "25-44", "sex": "men",
            "education": "secondary_or_college", "income_quintile": "q3", "official_language": "english",
            "indigenous": "no", "immigrant": "no", "disability": "no"}
    data = frame.copy()
    for col, value in base.items():
        if col not in data:
            data[col] = value
        data[col] = data[col].astype("string")
    weight = frame["w"].to_numpy(float) if "w" in frame else np.ones(len(frame))
    return Survey(data, weight, np.tile(weight[:, None], (1, reps)), SPEC, "test")


def make_areas(rows: list[dict]) -> pd.DataFrame:
    out = []
    for i, r in enumerate(rows):
        row = {"DGUID": f"2021A0005{r.get('pruid', '35')}01{i:03d}", "GEO_LEVEL": "Census subdivision",
               "GEO_NAME": f"A{i}", "pruid": r.get("pruid", "35"), "pop15": r.get("pop15", 1000.0),
               "rural": r.get("rural", False)}
        ages = r.get("ages", [0.25] * 4)
        row.update({f"age_{a}": v for a, v in zip(AGE_GROUPS, ages, strict=True)})
        row.update({m: r.get(m, 0.0) for m in MARGINS})
        out.append(row)
    return pd.DataFrame(out)


@pytest.fixture
def age_survey():
    """Outcome rates by age in Ontario: 10%, 20%, 30%, 50% (ten respondents per age)."""
    rows = []
    for age, hits in zip(AGE_GROUPS, [1, 2, 3, 5], strict=True):
        rows += [{"age_group": age, "y": float(i < hits)} for i in range(10)]
    return make_survey(pd.DataFrame(rows))
