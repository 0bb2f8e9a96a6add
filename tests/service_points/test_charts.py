"""The service-point charts: title, axis labels, source line and alt text, in English and French."""

import matplotlib
import numpy as np
import pandas as pd
import pytest

from playbook import figures
from playbook.i18n import format_number, format_percent, t
from playbook.service_points import charts

matplotlib.use("Agg")

SOURCE = {"en": "Source: test, demo data (synthetic).", "fr": "Source : test, données de démonstration (synthétiques)."}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _check(chart, lang: str, title: str, xlabel: str, ylabel: str) -> None:
    assert isinstance(chart, figures.Figure)
    ax = chart.fig.axes[0]
    assert _flat(chart.fig._suptitle.get_text()) == _flat(title)
    assert ax.get_xlabel() == xlabel and ax.get_ylabel() == ylabel
    assert any(_flat(text.get_text()) == SOURCE[lang] for text in chart.fig.texts)
    assert len(chart.alt.strip()) >= 20
    assert 'alt="' in chart._repr_html_()


@pytest.fixture
def matrix():
    bands = ["0–10", "10–25", "25–50", "50–100", "100+"]
    values = np.arange(1, 26, dtype=float).reshape(5, 5) * 1000
    return pd.DataFrame(values, index=pd.Index([1, 2, 3, 4, 5], name="quintile"), columns=bands)


@pytest.fixture
def curves():
    distance = [0, 10, 25, 50, 100, 200]
    libraries = pd.DataFrame({"distance_km": distance, "share_all_pct": [0, 40, 60, 80, 95, 100],
                              "share_vulnerable_pct": [0, 20, 40, 60, 85, 100]})
    service_canada = pd.DataFrame({"distance_km": distance, "share_all_pct": [0, 30, 50, 70, 90, 100],
                                   "share_vulnerable_pct": [0, 10, 30, 50, 80, 100]})
    return libraries, service_canada


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_distance_matrix_chart(matrix, lang):
    chart = charts.distance_matrix_chart(matrix, radius_km=50, source=SOURCE[lang], lang=lang)
    network = t("catchments_service_canada", lang)  # the default network
    _check(chart, lang, t("fig_catchments_matrix_title", lang, unit="000", network=network),
           t("catchments_distance_band", lang, network=network), t("catchments_quintile", lang))
    far, near = 24_000 + 25_000, 21_000 + 22_000 + 23_000  # quintile 5: 50 km or more, and under 50 km
    expected = t("fig_catchments_matrix_alt", lang, far=format_number(far, lang), near=format_number(near, lang),
                 radius=50, network=network)
    assert _flat(chart.alt) == _flat(expected)
    own = charts.distance_matrix_chart(matrix, radius_km=12.5, source=SOURCE[lang], lang=lang, network="Clinics")
    assert "Clinics" in own.fig._suptitle.get_text() and ("12.5 km" in own.alt or "12,5 km" in own.alt)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_coverage_curves_chart(curves, lang):
    libraries, service_canada = curves
    named = {t("catchments_libraries", lang): libraries, t("catchments_service_canada", lang): service_canada}
    chart = charts.coverage_curves_chart(named, radius_km=50, source=SOURCE[lang], lang=lang)
    _check(chart, lang, t("fig_catchments_curves_title", lang), t("catchments_distance_km", lang),
           t("catchments_share_pct", lang))
    legend = [text.get_text() for text in chart.fig.axes[0].get_legend().get_texts()]
    assert t("catchments_all_people", lang, network=t("catchments_libraries", lang)) in legend
    assert "80" in chart.alt and "50" in chart.alt  # libraries reach 80 % of everyone within 50 km


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_coverage_curves_of_any_number_of_networks(curves, lang):
    libraries, service_canada = curves
    chart = charts.coverage_curves_chart({"Clinics": libraries, "Offices": service_canada, "Vans": libraries},
                                         radius_km=25, source=SOURCE[lang], lang=lang)
    assert len(chart.fig.axes[0].get_lines()) == 3 * 2 + 1  # everyone and most vulnerable per network, the radius
    for network, share in (("Clinics", 60), ("Offices", 50)):
        expected = t("fig_catchments_curves_alt_network", lang, network=network, all=format_percent(share, lang),
                     vulnerable=format_percent(share - 20, lang))
        assert _flat(expected) in _flat(chart.alt)
