import string

import pytest

from playbook import i18n
from playbook.errors import PlaybookError


def placeholders(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_exists_in_both_languages_with_the_same_placeholders():
    for key, entry in i18n.catalogue().items():
        assert set(entry) == set(i18n.LANGUAGES), key
        assert all(entry[lang].strip() for lang in i18n.LANGUAGES), key
        assert placeholders(entry["en"]) == placeholders(entry["fr"]), key


def test_label_in_each_language():
    assert i18n.t("evi_name", "en") == "E-Vulnerability Index"
    assert i18n.t("evi_name", "fr") == "Indice de cybervulnérabilité"


def test_language_from_environment(monkeypatch):
    monkeypatch.setenv("PLAYBOOK_LANG", "fr")
    assert i18n.language() == "fr"
    assert i18n.language("en") == "en"


def test_unknown_language_and_key_are_clear_errors():
    with pytest.raises(PlaybookError, match="expected 'en' or 'fr'"):
        i18n.language("de")
    with pytest.raises(PlaybookError, match="no label 'nope'"):
        i18n.t("nope")


def test_numbers_follow_canadian_french_conventions():
    assert i18n.format_number(1234567.891, "en", 2) == "1,234,567.89"
    assert i18n.format_number(1234567.891, "fr", 2) == "1\u202f234\u202f567,89"
    assert i18n.format_percent(12.34, "en") == "12.3%"
    assert i18n.format_percent(12.34, "fr") == "12,3\u00a0%"
    assert i18n.format_number(float("nan"), "en") == "..."


@pytest.mark.parametrize("value", [0.0, 0.5, 2.675, 7.0, 12.34567, -1234.5, 999.95, 36860.0, 1e9 + 0.25, 5161])
@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_numbers_are_babels_cldr_formats(value, decimals):
    """One place formats numbers, on Babel's CLDR data: Canadian English, and French with the
    narrow no-break space between thousands and the decimal comma (whole numbers without decimals)."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    assert i18n.format_number(value, "en", decimals) == format_decimal(value, pattern, locale="en_CA")
    french = i18n.format_number(value, "fr", decimals)
    assert french == format_decimal(value, pattern, locale="fr")
    assert "." not in french and ("," in french) == (decimals > 0)
    assert " " not in french and (abs(value) < 1000 or "\u202f" in french)


def test_money_in_canadian_dollars():
    assert i18n.format_money(84000, "en") == "$84,000"
    assert i18n.format_money(84000, "fr") == "84\u202f000\u00a0$"
    assert i18n.format_money(-12.5, "en", 2) == "-$12.50" and i18n.format_money(-12.5, "fr", 2) == "-12,50\u00a0$"
    assert i18n.format_money(float("nan"), "fr") == "…"


def test_source_line_says_synthetic():
    assert i18n.source_line("X", lang="en") == "Source: X."
    assert i18n.source_line("X", synthetic=True, lang="en") == "Source: X — demo data, synthetic."
    assert "synthétiques" in i18n.source_line("X", synthetic=True, lang="fr")


def test_french_typography():
    f = i18n.french_typography
    assert f("Aperçu : oui") == "Aperçu\u00a0: oui"
    assert f("testé; les carnets") == "testé\u202f; les carnets"
    assert f("Et ensuite ?") == "Et ensuite\u202f?"
    assert f("« la langue »") == "«\u00a0la langue\u00a0»"
    untouched = "voir https://x.ca/?a=1 et {doc}`a/b` ou ![image](a.png)"
    assert f(untouched) == untouched
    assert f(f("Code : licence")) == f("Code : licence")


def test_french_labels_follow_the_typography():
    assert i18n.t("source_line", "fr", source="X") == "Source\u00a0: X."


def test_french_typography_leaves_code_spans_alone():
    f = i18n.french_typography
    assert f("avec `to_verify: true` ; puis `a` : b") == "avec `to_verify: true`\u202f; puis `a`\u00a0: b"
