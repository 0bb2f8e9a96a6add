"""Building the EVI with the index engine and comparing the choices (the methods notebooks).

:func:`build` runs the index engine (``playbook.index``) on one geography level;
:func:`variants` rebuilds it with one choice changed per variant (COINr's "regenerate");
:func:`rank_changes` says how far each variant moves the ranks; :func:`top_areas` gives the most
vulnerable areas with their names, scores and population, after disclosure control.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from playbook import i18n, index, privacy
from playbook.codes import province_names
from playbook.evi.inputs import SpecLike, dimension_labels, indicator_labels
from playbook.indicators import read_spec


def engine_spec(spec: SpecLike = None, **changes: Any):
    """The spec loaded by the index engine, with top-level ``changes`` (e.g. ``aggregate="geometric"``)."""
    raw = read_spec(spec)
    raw.update(changes)
    return index.load_spec(raw)


def build(spec: SpecLike, data: pd.DataFrame, **changes: Any):
    """The index of ``spec`` (with ``changes``) on ``data``: a ``playbook.index.Result``."""
    return index.build(engine_spec(spec, **changes), data)


def variants(spec: SpecLike, data: pd.DataFrame, changes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """One result per variant: ``{label: {key: value, ...}}`` -> ``{label: Result}``."""
    return {label: build(spec, data, **dict(change)) for label, change in changes.items()}


def ranks(results: Mapping[str, Any], unit: str = "DGUID") -> pd.DataFrame:
    """Unit id and the rank of each unit under each result (columns named by the results' labels)."""
    frames = [r.scores[[unit, "rank"]].rename(columns={"rank": label}).set_index(unit) for label, r in results.items()]
    return pd.concat(frames, axis=1).reset_index()


#: Catalogue keys of variant labels that name a method of another step (the rest: ``evi_variant_<label>``).
VARIANT_KEYS = {m: f"evi_aggregate_{m}" for m in ("arithmetic", "geometric", "harmonic", "minimum")}


def variant_label(label: str, lang: str | None = None) -> str:
    """The reader's name of a variant (``"group_median"`` -> "Median of the province"), or the
    label itself when the catalogue has none (a variant the analyst named)."""
    key = VARIANT_KEYS.get(label, "evi_variant_" + label.replace("-", "_"))
    return i18n.t(key, lang) if key in i18n.catalogue() else label


def rank_changes(results: Mapping[str, Any], base: str, *, top: int = 20, lang: str | None = None) -> pd.DataFrame:
    """How far each result moves the ranks from ``base``: rank correlation (Spearman), mean and
    largest absolute shift, share of areas changing quintile, and how many of ``base``'s top areas
    stay in the top."""
    lang = i18n.language(lang)
    table = ranks(results)
    b = table[base].astype("float64")
    q = {label: r.scores["quintile"].astype("float64").to_numpy() for label, r in results.items()}
    rows = []
    for label in results:
        other = table[label].astype("float64")
        both = b.notna() & other.notna()
        shift = (b[both] - other[both]).abs()
        top_base = set(table.loc[b <= top, "DGUID"])
        top_other = set(table.loc[other <= top, "DGUID"])
        qb, qo = q[base], q[label]
        valid = ~np.isnan(qb) & ~np.isnan(qo)
        rows.append(
            {
                i18n.t("evi_variant", lang): variant_label(label, lang),
                i18n.t("evi_scored", lang): int(other.notna().sum()),
                i18n.t("evi_rank_correlation", lang): b[both].corr(other[both], method="spearman"),
                i18n.t("evi_mean_shift", lang): shift.mean(),
                i18n.t("evi_max_shift", lang): shift.max(),
                i18n.t("evi_quintile_changed", lang): 100 * float((qb[valid] != qo[valid]).mean())
                if valid.any()
                else np.nan,
                i18n.t("evi_top_kept", lang, n=top): len(top_base & top_other),
            }
        )
    return pd.DataFrame(rows)


def top_areas(
    result,
    data: pd.DataFrame,
    n: int = 10,
    *,
    spec: SpecLike = None,
    lang: str | None = None,
    policy: privacy.Policy | None = None,
) -> pd.DataFrame:
    """The ``n`` most vulnerable areas of ``data`` (ranks as in ``result``, so a subset of the areas
    keeps its national ranks): name, province, population (after disclosure control,
    :func:`playbook.privacy.protect` under ``policy``, default ``specs/disclosure.yml``: populations
    under the threshold suppressed with the row's scores, the others rounded), dimension scores,
    index, rank, quintile. Labelled in ``lang``."""
    lang = i18n.language(lang)
    dims = dimension_labels(spec or result.spec.raw, lang)
    scores = result.scores.merge(data[["DGUID", "GEO_NAME", "pruid", "population"]], on="DGUID", how="inner")
    best = scores.dropna(subset=["rank"]).sort_values("rank").head(n)
    table = privacy.protect(best, counts=["population"], dependent=[*dims, "score"], policy=policy)

    table["pruid"] = province_names(table["pruid"], lang).to_numpy()
    names = {
        "rank": i18n.t("evi_rank_short", lang),
        "GEO_NAME": i18n.t("evi_area", lang),
        "pruid": i18n.t("province_or_territory", lang),
        "population": i18n.t("population_2021", lang),
        **dims,
        "score": i18n.t("evi_score", lang),
        "quintile": i18n.t("evi_quintile", lang),
    }
    return table[list(names)].rename(columns=names).reset_index(drop=True)


def weights_table(results: Mapping[str, Any], spec: SpecLike = None, lang: str | None = None) -> pd.DataFrame:
    """Indicator weights (within their dimension, in percent) under each result, side by side."""
    lang = i18n.language(lang)
    labels = indicator_labels(spec, lang)
    frames = []
    for label, r in results.items():
        w = r.weights[r.weights["level"] == "indicator"].set_index("id")["weight"]
        frames.append((100 * w).rename(variant_label(label, lang)))
    out = pd.concat(frames, axis=1)
    out.index = out.index.map(lambda i: labels.get(i, i))
    return out.rename_axis(i18n.t("evi_indicator", lang)).reset_index()


def compensation_example(lang: str | None = None) -> pd.DataFrame:
    """Three made-up areas with the same average but different profiles, scored by the engine under
    each aggregation method (dimension scores given directly, on a 0–100 scale)."""
    lang = i18n.language(lang)
    dims = ["access", "comfort", "skills"]
    toy = pd.DataFrame(
        {
            "DGUID": ["A", "B", "C"],
            "access": [50.0, 90.0, 80.0],
            "comfort": [50.0, 10.0, 60.0],
            "skills": [50.0, 50.0, 10.0],
        }
    )
    base = {
        "id": "toy",
        "unit_id": "DGUID",
        "normalise": {"method": "goalposts", "range": [0, 100], "goalposts": [0, 100]},
        "dimensions": [{"id": d, "indicators": [{"id": f"{d}_value", "column": d}]} for d in dims],
    }
    out = toy.rename(columns={"DGUID": i18n.t("evi_area", lang), **dimension_labels(None, lang)})
    for method in ("arithmetic", "geometric", "harmonic", "minimum"):
        scores = index.build(index.load_spec({**base, "aggregate": {"method": method}}), toy).scores["score"]
        out[i18n.t(f"evi_aggregate_{method}", lang)] = scores.to_numpy()
    return out
