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


def test_a_caption_says_what_the_table_is_and_that_synthetic_numbers_are_synthetic():
    from playbook import i18n

    frame = pd.DataFrame({"score": [1.5, 2.0]})
    real = table(frame, "en", caption="Scores by province").to_html()
    assert "<caption>Scores by province</caption>" in real
    assert "caption {\n  color: inherit;" in real  # the body text's colour, not the theme's muted grey
    assert i18n.t("site_synthetic_marker", "en").lower() not in real.lower()
    made_up = table(frame, "en", caption="Scores by province", synthetic=True).to_html()
    assert "<caption>Scores by province. Demo data, synthetic.</caption>" in made_up
    frame.attrs["synthetic"] = True  # the data's own flag, when the caller does not say
    french = table(frame, "fr", caption="Scores par province").to_html()
    assert "<caption>Scores par province. Données de démonstration, synthétiques.</caption>" in french
    assert "<caption>" not in table(pd.DataFrame({"x": [1]}), "en").to_html()  # no caption asked, none shown


def test_a_caption_holding_a_synthetic_source_line_says_it_once():
    from playbook import i18n

    source = i18n.source_line("Statistique Canada", synthetic=True, lang="fr")
    html = table(pd.DataFrame({"x": [1.0]}), "fr", caption=f"Scores. {source}", synthetic=True).to_html()
    assert html.lower().count(i18n.t("site_synthetic_marker", "fr").lower()) == 1


def test_keys_as_code_and_english_source_data_marked_as_english():
    frame = pd.DataFrame({"c1": [10.0], "name": ["In low income"], "table": ["index_results"]})
    html = table(frame, "fr", keys=True, english=["name"], code=["table"]).to_html()
    assert "<code>c1</code>" in html and '<span lang="en">In low income</span>' in html
    assert "<code>index_results</code>" in html
    assert 'lang="en"' not in table(frame, "en", english=["name"]).to_html()  # English on an English page
