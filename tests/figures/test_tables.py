"""Tables by locale: decimal comma and narrow no-break spaces in French, counts as integers."""

import numpy as np
import pandas as pd

from playbook.figures.tables import MISSING, table


def test_french_numbers_use_a_decimal_comma_and_thin_spaces():
    frame = pd.DataFrame({"name": ["a", "b"], "score": [52.54, 36860.0], "people": [1234567.0, 10.0],
                          "census_year": [2016, 2021]})
    fr = table(frame, "fr", 1).to_html()
    assert "52,5" in fr and "36\u202f860,0" in fr  # a float column keeps its decimals
    assert "1\u202f234\u202f567<" in fr and "1234567.0" not in fr  # counts are whole numbers
    assert ">2016<" in fr and ">2021<" in fr  # years stay years
    codes = table(pd.DataFrame({"csduid": [1001105, 2466023], "Code": [3506008.0, 1.0]}), "fr").to_html()
    assert ">1001105<" in codes and ">3506008<" in codes  # identifiers keep their digits
    en = table(frame, "en", 1).to_html()
    assert "52.5" in en and "36,860.0" in en and "1,234,567<" in en


def test_missing_values_and_the_index():
    frame = pd.DataFrame({"x": [1.25, np.nan]}, index=[7, 8])
    html = table(frame, "fr", 2).to_html()
    assert "1,25" in html and MISSING in html and ">7<" not in html
    assert ">7<" in table(frame, "en", 2, index=True).to_html()
