"""The EVI data dictionary, generated from the index spec so that the book and the spec cannot disagree.

:func:`dictionary_table` gives one row per indicator (dimension, indicator, definition, source,
direction, weight, synthetic flag); :func:`dictionary_markdown` renders the book page
``book/evi/data-dictionary.md``. ``python -m playbook evi dictionary`` rewrites that page, and a test
checks that the committed page equals the generated one.
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from typing import Any

import pandas as pd

from playbook import i18n
from playbook.codes import census_names
from playbook.indicators import indicator_table, read_spec
from playbook.paths import ROOT

PAGE = ROOT / "book" / "evi" / "data-dictionary.md"

#: Names of the 2021 characteristics the EVI uses, as published in the Census Profile
#: (CHARACTERISTIC_NAME, stripped, footnote numbers removed), from ``specs/census_2021.yml``, the
#: mapping the census reader checks the names of the data against.
CENSUS_NAMES_2021 = census_names(2021)


def _census_ref(cid: int, names: dict[int, str]) -> str:
    return f"{cid} ({names[cid]})" if cid in names else str(cid)


def describe_source(kind: str, source: Any, lang: str = "en", names: dict[int, str] | None = None) -> str:
    """A sentence saying where the values come from."""
    names = CENSUS_NAMES_2021 if names is None else names
    if kind == "census":
        top = " + ".join(_census_ref(i, names) for i in source["numerator"])
        bottom = _census_ref(source["denominator"], names)
        return i18n.t("evi_dict_source_census", lang, numerator=top, denominator=bottom)
    if kind == "census_value":
        return i18n.t("evi_dict_source_census_value", lang, id=_census_ref(source, names))
    return i18n.t("evi_dict_source_area_file", lang, column=source)


def dictionary_table(spec: str | PathLike | Mapping[str, Any] | None = None, lang: str | None = None) -> pd.DataFrame:
    """One row per indicator, with labelled columns in ``lang``."""
    lang = i18n.language(lang)
    raw = read_spec(spec)
    dims = {d["id"]: d for d in raw["dimensions"]}
    table = indicator_table(raw)
    names = CENSUS_NAMES_2021

    def text(value: Any) -> str:
        if isinstance(value, Mapping):
            value = value.get(lang, value.get("en", ""))
        return i18n.french_typography(str(value)) if lang == "fr" else str(value)

    yes, no = i18n.t("evi_yes", lang), i18n.t("evi_no", lang)
    return pd.DataFrame(
        {
            i18n.t("evi_dict_dimension", lang): [text(dims[d].get("name", d)) for d in table["dimension"]],
            i18n.t("evi_dict_indicator", lang): [
                f"{text(n)} (`{i}`)" for n, i in zip(table["name"], table["id"], strict=True)
            ],
            i18n.t("evi_dict_definition", lang): [text(v) for v in table["definition"]],
            i18n.t("evi_dict_rationale", lang): [text(v) for v in table["rationale"]],
            i18n.t("evi_dict_source", lang): [
                describe_source(k, s, lang, names) for k, s in zip(table["source_kind"], table["source"], strict=True)
            ],
            i18n.t("evi_dict_direction", lang): [f"{d:+d}" for d in table["direction"]],
            i18n.t("evi_dict_weight", lang): [f"{w:g}" for w in table["weight"]],
            i18n.t("evi_dict_synthetic", lang): [yes if s else no for s in table["synthetic"]],
        }
    )


def _cell(value: str) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def dictionary_markdown(spec: str | PathLike | Mapping[str, Any] | None = None, lang: str | None = None) -> str:
    """The data dictionary page (MyST Markdown), one table per dimension."""
    lang = i18n.language(lang)
    raw = read_spec(spec)
    table = dictionary_table(raw, lang)
    dim_col = table.columns[0]
    methods = {k: raw.get(k, {}).get("method", "none") for k in ("impute", "treat", "normalise", "aggregate")}
    lines = [
        "<!-- Generated from specs/evi.yml by `python -m playbook evi dictionary`: do not edit by hand. -->",
        f"# {i18n.t('evi_dict_title', lang)}",
        "",
        i18n.t("evi_dict_intro", lang),
        "",
        i18n.t("evi_dict_methods", lang, **methods, min_coverage=raw.get("min_coverage", "")),
        "",
    ]
    for dim in raw["dimensions"]:
        name = dim.get("name", {}).get(lang, dim["id"]) if isinstance(dim.get("name"), Mapping) else dim["id"]
        rows = table[table[dim_col] == name].drop(columns=dim_col)
        lines += [f"## {name}", "", i18n.t("evi_dict_dimension_weight", lang, weight=f"{dim.get('weight', 1):g}"), ""]
        lines.append("| " + " | ".join(rows.columns) + " |")
        lines.append("|" + "---|" * len(rows.columns))
        lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows.itertuples(index=False)]
        lines.append("")
    lines += [i18n.t("evi_dict_footer", lang), ""]
    return "\n".join(lines)
