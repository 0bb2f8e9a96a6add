"""The E-Vulnerability Index from a manifest, without Python: what ``evi indicators`` and ``evi
results`` run (the same functions, in the same order, as notebooks 12 and 18).

:func:`indicator_rows` turns the census extract and area inputs of an analysis into the indicator
table ``index build`` takes; :func:`write_results` builds the index at each level the manifest asks for,
rolls it up, protects and labels the tables, and writes them with the maps' shapes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from playbook import i18n
from playbook.codes import dguid
from playbook.errors import PlaybookError
from playbook.evi import compare, maps
from playbook.evi import results as res
from playbook.evi.inputs import (
    LEVELS,
    analysis_manifest,
    analysis_spec,
    at_level,
    geo_attributes,
    indicator_data,
    indicator_table,
    left_out,
    levels,
    read_inputs,
    source_line,
)


def provenance(spec, manifest=None, lang: str | None = None) -> pd.DataFrame:
    """One row per indicator of the analysis: its id, the input it comes from, and whether it is
    ``real``, ``modelled`` (a survey outcome estimated for small areas) or ``synthetic`` (computed
    from the manifest, not declared in the spec);
    indicators left out for want of an input are listed as ``absent``."""
    from playbook.evi.inputs import area_sources

    m = analysis_manifest(manifest)
    census_input = m.or_demo("census.profile")[0]
    area = area_sources(m, spec)
    rows = []
    for ind, kind, source in indicator_table(spec)[["id", "source_kind", "source"]].itertuples(index=False):
        given = census_input if kind != "area_file" else area.get(source)
        kind_of = "modelled" if given.key == "survey.pumf" else "real"  # survey outcomes carried to small areas
        rows.append({"indicator": ind, "source": given.source_text(lang),
                     "provenance": "synthetic" if given.synthetic else kind_of})
    rows += [{"indicator": ind, "source": "", "provenance": "absent"} for ind in left_out(m.spec, m)]
    return pd.DataFrame(rows)


def indicator_rows(manifest=None, *, level: str = "csd", spec=None) -> tuple[pd.DataFrame, dict]:
    """The indicator table of one level (identity columns, ``pruid``, ``population`` and one
    column per indicator the analysis has inputs for), and its provenance (source line, synthetic
    flag, indicators left out)."""
    if level not in ("csd", "da"):
        raise PlaybookError(f"unknown level '{level}'", field="--level", expected="csd | da")
    m = analysis_manifest(manifest)
    spec = analysis_spec(spec or m.spec, m)
    data = indicator_data(read_inputs(spec, manifest=m), spec)
    rows = at_level(data, level)
    meta = {"source": source_line("en", manifest=m, spec=spec), "synthetic": bool(data.attrs["synthetic"]),
            "left_out": left_out(m.spec, m)}
    return rows, meta


def write_results(manifest=None, out: str | Path = "evi-results", *, lang: str | None = None, spec=None) -> list[Path]:
    """Build the index of the analysis at each of its levels and write, into ``out``: one CSV per
    table (areas per level, provinces, CMAs/CAs, urban/rural/remote classes) after disclosure
    control, an Excel workbook of them all, the provenance of each indicator, and GeoJSON of the
    provinces and (with DA boundaries) the dissemination areas. Returns the files written."""
    lang = i18n.language(lang)
    m = analysis_manifest(manifest)
    spec = analysis_spec(spec or m.spec, m)
    source = source_line(lang, manifest=m, spec=spec)
    from playbook.geo.hierarchy import read_hierarchy

    hierarchy = read_hierarchy(geo_attributes(m))
    data = _with_hierarchy(spec, m, hierarchy, lang)
    present = [lv for lv in m.levels if lv in levels(data)]
    if not present:
        raise PlaybookError(f"no rows at the levels {', '.join(m.levels)}", path=m.path, field="index.levels",
                            expected="census files holding " + " or ".join(LEVELS[lv] for lv in m.levels))
    from playbook.jurisdiction import current

    edition = current(m.jurisdiction)  # a provincial edition publishes its own areas only
    built = {lv: (at_level(data, lv), compare.build(spec, at_level(data, lv))) for lv in present}
    built = {lv: (edition.filter(rows), result) for lv, (rows, result) in built.items()}
    intervals = {lv: rank_intervals(spec, at_level(data, lv), m) for lv in built}
    tables = {lv: res.published(result, rows, spec=spec, lang=lang, intervals=intervals[lv])
              .loc[lambda t, r=rows: t["DGUID"].isin(r["DGUID"])] for lv, (rows, result) in built.items()}
    shapes = {}
    if "csd" in built:
        by_csd = built["csd"][1]
        provinces = res.rollup(by_csd, "pruid", lang=lang)
        provinces["DGUID"] = dguid("Province", provinces["pruid"])
        tables["provinces"] = res.labelled(provinces, "pruid", spec=spec, lang=lang)
        names = res.hierarchy_names(hierarchy, synthetic=data.attrs["synthetic"], lang=lang)
        cmas = res.rollup(by_csd, "cma_dguid", names=names, lang=lang)
        tables["cma_ca"] = res.labelled(cmas, "cma_dguid", spec=spec, lang=lang)
        classes = res.rollup(by_csd, "area_class", lang=lang)
        tables["area_classes"] = res.labelled(classes, "area_class", spec=spec, lang=lang)
        shapes["provinces"] = edition.filter(maps.boundaries("boundaries_provinces_2021").merge(
            provinces.drop(columns=["name", "pruid"]), on="DGUID"))
    if "da" in built:
        detail = maps.detail(data, m, lang=lang)
        if detail is not None:
            shapes["da"] = detail.shapes.merge(built["da"][1].scores, on="DGUID")
    tables["provenance"] = provenance(spec, m, lang)
    return res.export(tables, out, shapes=shapes, source=source, synthetic=data.attrs["synthetic"], lang=lang)


def published_ranks(spec, rows: pd.DataFrame, *, draws: int, seed: int) -> pd.DataFrame:
    """The rank intervals every page, map, export and the database publish: ``DGUID``, ``rank``,
    ``median_rank``, ``rank_p05``, ``rank_p95`` (one decimal) from one uncertainty analysis of the
    index engine (:func:`playbook.index.uncertainty`) with the analysis's ``draws`` and ``seed``, on all
    the areas of one level. One function, so one set of figures per build: the same inputs give the
    same intervals wherever they are shown."""
    from playbook import index

    rows = rows.assign(DGUID=rows["DGUID"].astype(str))
    ranks = index.uncertainty(compare.engine_spec(spec), rows, draws=draws, seed=seed).ranks
    return ranks.assign(**{c: ranks[c].round(1) for c in ("median_rank", "rank_p05", "rank_p95")})


def rank_intervals(spec, rows: pd.DataFrame, manifest) -> pd.DataFrame:
    """:func:`published_ranks` with the manifest's draws and seed (before any edition filter)."""
    m = analysis_manifest(manifest)
    return published_ranks(spec, rows, draws=m.draws, seed=m.seed)


def _with_hierarchy(spec, m, hierarchy: pd.DataFrame, lang: str) -> pd.DataFrame:
    data = res.with_hierarchy(indicator_data(read_inputs(spec, manifest=m), spec, lang=lang), hierarchy)
    data["area_class"] = res.area_classes(data, lang)
    return data


__all__ = ["indicator_rows", "provenance", "write_results"]
