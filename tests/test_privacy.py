import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.privacy import protect


def test_small_counts_and_their_rates_are_suppressed_and_rest_rounded():
    table = pd.DataFrame({"area": ["a", "b", "c"], "count": [3, 12, 127], "rate": [0.5, 0.2, 0.1]})
    out = protect(table, counts=["count"], dependent=["rate"], threshold=10, rounding=5)
    assert out["count"].isna().tolist() == [True, False, False]
    assert out["count"].tolist()[1:] == [10.0, 125.0]
    assert pd.isna(out.loc[0, "rate"]) and out.loc[1, "rate"] == 0.2
    assert out["suppressed"].tolist() == [True, False, False]
    assert table["count"].tolist() == [3, 12, 127]  # input unchanged


def test_unknown_column_is_a_clear_error():
    with pytest.raises(PlaybookError, match="not in the table"):
        protect(pd.DataFrame({"a": [1]}), counts=["b"])
