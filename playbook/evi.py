"""The E-Vulnerability Index, end to end: what the EVI notebooks narrate.

The notebooks call these functions; the index itself is built by the index engine
(``playbook.index``, issue 4) from the spec (``specs/evi.yml``), and the indicators by
``playbook.indicators`` (contract C5). This module only wires the stages together and shapes
results for tables, charts and exports.
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from typing import Any

import pandas as pd

from playbook import i18n
from playbook.indicators import indicator_table, read_spec

SpecLike = str | PathLike | Mapping[str, Any] | None


def _text(value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        value = value.get(lang, value.get("en", ""))
    return i18n.french_typography(str(value)) if lang == "fr" else str(value)


def dimension_labels(spec: SpecLike = None, lang: str | None = None) -> dict[str, str]:
    """Dimension id -> its name in ``lang``."""
    lang = i18n.language(lang)
    return {d["id"]: _text(d.get("name", d["id"]), lang) for d in read_spec(spec)["dimensions"]}


def indicator_labels(spec: SpecLike = None, lang: str | None = None) -> dict[str, str]:
    """Indicator id -> its name in ``lang``."""
    lang = i18n.language(lang)
    table = indicator_table(spec)
    return {i: _text(n or i, lang) for i, n in zip(table["id"], table["name"], strict=True)}


def effective_weights(spec: SpecLike = None, lang: str | None = None) -> pd.DataFrame:
    """How much each indicator counts in the index under arithmetic aggregation: its weight share
    within its dimension times the dimension's share among dimensions, in percent (sums to 100)."""
    lang = i18n.language(lang)
    raw = read_spec(spec)
    table = indicator_table(raw)
    dim_weight = {d["id"]: float(d.get("weight", 1)) for d in raw["dimensions"]}
    total = sum(dim_weight.values())
    within = table["weight"] / table.groupby("dimension")["weight"].transform("sum")
    share = 100 * within * table["dimension"].map(dim_weight) / total
    labels = dimension_labels(raw, lang)
    return pd.DataFrame(
        {
            "dimension": table["dimension"],
            "dimension_label": table["dimension"].map(labels),
            "id": table["id"],
            "label": table["id"].map(indicator_labels(raw, lang)),
            "share": share.astype("float64"),
        }
    )


def framework_table(spec: SpecLike = None, lang: str | None = None) -> pd.DataFrame:
    """Dimension, indicator and rationale, with labelled columns in ``lang`` (for display)."""
    lang = i18n.language(lang)
    raw = read_spec(spec)
    table = indicator_table(raw)
    return pd.DataFrame(
        {
            i18n.t("evi_dimension", lang): table["dimension"].map(dimension_labels(raw, lang)),
            i18n.t("evi_indicator", lang): table["id"].map(indicator_labels(raw, lang)),
            i18n.t("evi_dict_rationale", lang): [_text(r, lang) for r in table["rationale"]],
        }
    )
