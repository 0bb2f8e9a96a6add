"""The data dictionary page is generated from the spec: the committed page equals the generated one."""

from playbook import evi
from playbook.cli import main


def test_committed_page_equals_the_generated_one():
    committed = evi.dictionary.PAGE.read_text(encoding="utf-8")
    assert committed == evi.dictionary.dictionary_markdown(), "run `python -m playbook evi dictionary`"


def test_table_has_every_indicator_and_the_synthetic_flag():
    table = evi.dictionary.dictionary_table(lang="en")
    assert len(table) == 13
    assert list(table.columns) == [
        "Dimension",
        "Indicator",
        "Definition",
        "Why it matters",
        "Source",
        "Direction",
        "Weight",
        "Synthetic in demo data",
    ]
    row = table[table["Indicator"].str.contains("`low_income`")].iloc[0]
    assert row["Source"].startswith("2021 Census Profile: 100 × (340 (In low income")
    assert row["Direction"] == "+1" and row["Weight"] == "1" and row["Synthetic in demo data"] == "yes"
    remote = table[table["Indicator"].str.contains("`remoteness`")].iloc[0]
    assert remote["Direction"] == "-1" and remote["Synthetic in demo data"] == "no"


def test_french_table():
    table = evi.dictionary.dictionary_table(lang="fr")
    assert "Définition" in table.columns and table.iloc[0]["Dimension"] == "Accès"


def test_cli_check_fails_on_a_stale_page(tmp_path, capsys):
    out = tmp_path / "dd.md"
    out.write_text("old", encoding="utf-8")
    assert main(["evi", "dictionary", "--out", str(out), "--check"]) == 1
    assert main(["evi", "dictionary", "--out", str(out)]) == 0
    assert main(["evi", "dictionary", "--out", str(out), "--check"]) == 0
    assert out.read_text(encoding="utf-8") == evi.dictionary.dictionary_markdown()
