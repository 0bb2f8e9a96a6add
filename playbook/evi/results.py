"""EVI results for readers: roll-ups to larger geographies, urban/rural/remote, exports.

Scores are built per geography level by the index engine; :func:`rollup` turns census subdivision
scores into population-weighted averages for provinces or CMAs/CAs (the one roll-up,
``playbook.geo.hierarchy.rollup``), naming the groups;
:func:`area_classes` groups areas as urban, rural or remote from the Statistical Area
Classification; :func:`export` writes CSV, GeoJSON and Excel files for colleagues who do not code,
after disclosure control, each file written whole or not at all.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from playbook import i18n, privacy
from playbook.codes import province_names
from playbook.errors import PlaybookError
from playbook.evi.inputs import SpecLike, dimension_labels, province_labels
from playbook.geo.hierarchy import rollup as weighted_rollup
from playbook.io import atomic_path

#: Statistical Area Classification type (1-8) -> urban / rural / remote.
SAC_CLASSES = {1: "urban", 2: "urban", 3: "urban", 4: "rural", 5: "rural", 6: "remote", 7: "remote", 8: "remote"}


def with_hierarchy(data: pd.DataFrame, hierarchy: pd.DataFrame) -> pd.DataFrame:
    """``data`` with the parent codes of each area (``cmauid``, ``cma_dguid``, ``sac_type``) from
    ``playbook.geo.hierarchy.read_hierarchy``."""
    columns = [c for c in ("cmauid", "cma_dguid", "sac_type") if c in hierarchy.columns]
    parents = hierarchy[["DGUID", *columns]].astype({"DGUID": "string"}).drop_duplicates("DGUID")
    out = data.drop(columns=[c for c in columns if c in data.columns]).merge(parents, on="DGUID", how="left")
    out.attrs = dict(data.attrs)  # provenance (``synthetic``) travels with the data
    return out


def hierarchy_names(hierarchy: pd.DataFrame, *, synthetic: bool, lang: str | None = None) -> pd.Series:
    """DGUID -> name of each geography of the hierarchy, for roll-ups (CMAs, CAs): while scores are
    synthetic, the level and code tagged "demo" instead of the real name (the demo honesty rule)."""
    from playbook.evi.inputs import mask_names

    table = hierarchy.drop_duplicates("DGUID")
    code = table["cmauid"].where(table["cmauid"].notna(), table["DGUID"].str[9:])
    table = table.assign(code=code.astype("string"))
    table = mask_names(table, synthetic, name="name", level="level", code="code", lang=lang)
    return table.set_index("DGUID")["name"]


def rollup(result, by: str, *, names: pd.Series | None = None, lang: str | None = None,
           synthetic: bool | None = None) -> pd.DataFrame:
    """Population-weighted averages of the dimension scores and the index per group ``by`` (a column
    of the data the index was built on; areas without a group are left out); groups get ranks and
    quintiles like areas. ``names`` maps group codes to names (provinces are named automatically:
    by their code tagged "demo" while the scores are ``synthetic``, by default read from the data's
    ``attrs``, and synthetic when unknown)."""
    lang = i18n.language(lang)
    out = weighted_rollup(result, by)
    if names is not None:
        out.insert(1, "name", out[by].map(names).to_numpy())
    elif by == "pruid":
        if synthetic is None:
            synthetic = getattr(result, "data", pd.DataFrame()).attrs.get("synthetic", True)
        out.insert(1, "name", province_labels(out[by].astype("string"), synthetic, lang).to_numpy())
    return out


def area_classes(data: pd.DataFrame, lang: str | None = None) -> pd.Series:
    """Urban, rural or remote (labelled in ``lang``) from each area's SAC type."""
    lang = i18n.language(lang)
    if "sac_type" not in data.columns:
        raise PlaybookError("no 'sac_type' column", field="sac_type", expected="the data joined with read_hierarchy")
    keys = pd.to_numeric(data["sac_type"], errors="coerce").map(SAC_CLASSES)
    return keys.map(lambda k: i18n.t(f"evi_class_{k}", lang) if isinstance(k, str) else np.nan)


def published(result, data: pd.DataFrame, *, spec: SpecLike = None, lang: str | None = None,
              intervals: pd.DataFrame | None = None) -> pd.DataFrame:
    """The table to share: area, level (in ``lang``), province, population (suppressed under the threshold and
    rounded), each dimension score, the index, rank, its 5-95 % interval (``intervals``: the
    ``ranks`` of :func:`playbook.index.uncertainty`, when given), quintile and coverage. Labelled columns."""
    lang = i18n.language(lang)
    dims = dimension_labels(spec or result.spec.raw, lang)
    table = result.scores.merge(data[["DGUID", "GEO_NAME", "GEO_LEVEL", "pruid", "population"]], on="DGUID", how="left")
    bounds = {}
    if intervals is not None:
        table = table.merge(intervals[["DGUID", "rank_p05", "rank_p95"]].astype({"DGUID": table["DGUID"].dtype}),
                            on="DGUID", how="left")
        bounds = {"rank_p05": i18n.t("publish_col_rank_p05", lang), "rank_p95": i18n.t("publish_col_rank_p95", lang)}
    table = privacy.protect(table, counts=["population"], dependent=[*dims, "score"])
    table["pruid"] = province_names(table["pruid"], lang).to_numpy()
    table["GEO_LEVEL"] = table["GEO_LEVEL"].map(lambda v: i18n.geo_level(v, lang) if pd.notna(v) else v)
    if lang != "en" and "suppressed" in table.columns:  # True/False are English words: yes/no in the reader's language
        table["suppressed"] = table["suppressed"].map({True: i18n.t("evi_yes", lang), False: i18n.t("evi_no", lang)})
    names = {
        "DGUID": "DGUID",
        "GEO_NAME": i18n.t("evi_area", lang),
        "GEO_LEVEL": i18n.t("evi_level", lang),
        "pruid": i18n.t("province_or_territory", lang),
        "population": i18n.t("population_2021", lang),
        **_score_labels(dims, lang),
        **_rank_labels(lang),
        "coverage": i18n.t("evi_coverage", lang),
        "suppressed": i18n.t("evi_suppressed", lang),
    }
    if bounds:  # the interval right after the rank
        order = list(names)
        at = order.index("rank") + 1
        names = {k: (names | bounds)[k] for k in [*order[:at], *bounds, *order[at:]]}
    return _for_readers(table, names)


def _score_labels(dims: dict[str, str], lang: str) -> dict[str, str]:
    """Column -> label for the dimension scores and the index."""
    return {**dims, "score": i18n.t("evi_score", lang)}


def _rank_labels(lang: str) -> dict[str, str]:
    """Column -> label for the rank and the quintile."""
    return {"rank": i18n.t("evi_rank_short", lang), "quintile": i18n.t("evi_quintile", lang)}


def _for_readers(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The ``names`` columns of ``table``, in that order, labelled, most vulnerable first."""
    return table[list(names)].rename(columns=names).sort_values(names["rank"], na_position="last")


def labelled(table: pd.DataFrame, by: str, *, spec: SpecLike = None, lang: str | None = None) -> pd.DataFrame:
    """A :func:`rollup` table for readers and exports: population after disclosure control
    (:func:`playbook.privacy.protect`, as for areas), the share of population in scored areas in
    per cent, columns labelled in ``lang``. The group's code ``by`` is kept as ``DGUID`` when it is
    one (CMAs and CAs) and dropped when the table has a ``DGUID`` or names of its own (provinces)."""
    lang = i18n.language(lang)
    dims = dimension_labels(spec, lang)
    table = privacy.protect(table, counts=["population"], dependent=[*dims, "score"])
    table["population_covered"] = (100 * table["population_covered"]).round(1)
    names = {}
    if "DGUID" in table.columns:
        names["DGUID"] = "DGUID"
    elif by.endswith("dguid"):
        names[by] = "DGUID"
    if "name" in table.columns:
        names["name"] = i18n.t("evi_area", lang)
    elif by not in names:
        names[by] = i18n.t("evi_area_class" if by == "area_class" else "evi_area", lang)
    names |= {
        **_score_labels(dims, lang),
        "population": i18n.t("population_2021", lang),
        "population_covered": i18n.t("evi_population_covered", lang),
        **_rank_labels(lang),
    }
    return _for_readers(table, names)


#: The column (CSV, Excel) and property (GeoJSON) every download ends with: where its numbers come from.
SOURCE_COLUMN = "source"
#: How each edition writes CSV for a spreadsheet in its language: Excel in a French locale expects
#: semicolons between fields and a decimal comma; in English, commas and a decimal point.
CSV_DIALECT = {"en": {"sep": ",", "decimal": "."}, "fr": {"sep": ";", "decimal": ","}}


def is_synthetic_line(source: str) -> bool:
    """Whether ``source`` (a source line, in either language) says its numbers are synthetic."""
    return i18n.says_synthetic(source)


def download_source(source: str, synthetic: bool, lang: str | None = None) -> str:
    """The text of a download's ``source`` column: ``source`` (the page's source line), with the
    catalogue's "Demo data, synthetic." notice when the numbers are synthetic and it does not say so."""
    return i18n.with_synthetic_notice(source, synthetic, lang)


def read_export(path: str | Path, **options) -> pd.DataFrame:
    """A CSV written by :func:`export`, in either edition's dialect (the separator is sniffed from
    the header: a French file uses semicolons and a decimal comma)."""
    path = Path(path)
    with path.open(encoding="utf-8-sig") as handle:
        header = handle.readline()
    dialect = CSV_DIALECT["fr" if header.count(";") > header.count(",") else "en"]
    return pd.read_csv(path, encoding="utf-8-sig", **dialect, **options)


def export(
    tables: dict[str, pd.DataFrame],
    folder: str | Path,
    *,
    shapes: dict[str, object] | None = None,
    source: str,
    stem: str = "evi",
    synthetic: bool | None = None,
    lang: str | None = None,
) -> list[Path]:
    """Write each table as CSV (UTF-8 with BOM, opens in Excel; in French with semicolons and a
    decimal comma, :data:`CSV_DIALECT`), all tables as sheets of one Excel workbook with a sheet
    giving the source, and each GeoDataFrame of ``shapes`` as GeoJSON in longitude/latitude
    (RFC 7946), whatever its projection.

    Every file says where its numbers come from: each table ends with a ``source`` column and each
    GeoJSON feature has a ``source`` property holding ``source`` in the file's language (``lang``);
    while the numbers are synthetic (``synthetic``, by default whether ``source`` says so) that text
    holds the synthetic notice, and each feature also has ``synthetic: true`` and the map's short
    ``notice`` (as the web map's GeoJSON). A table that has a ``source`` column of its own (the
    provenance table: one source per indicator) keeps it."""
    lang = i18n.language(lang)
    folder = Path(folder)
    synthetic = is_synthetic_line(source) if synthetic is None else bool(synthetic)
    line = download_source(source, synthetic, lang)
    tables = {name: table if SOURCE_COLUMN in table.columns else table.assign(**{SOURCE_COLUMN: line})
              for name, table in tables.items()}
    written = []
    for name, table in tables.items():
        with atomic_path(folder / f"{stem}_{name}.csv") as tmp:
            table.to_csv(tmp, index=False, encoding="utf-8-sig", **CSV_DIALECT[lang])
        written.append(folder / f"{stem}_{name}.csv")
    with atomic_path(folder / f"{stem}.xlsx") as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as book:
            pd.DataFrame({SOURCE_COLUMN: [line]}).to_excel(book, sheet_name="source", index=False)
            for name, table in tables.items():
                table.to_excel(book, sheet_name=name[:31], index=False)
    written.append(folder / f"{stem}.xlsx")
    for name, frame in (shapes or {}).items():  # RFC 7946: longitude/latitude (WGS 84), ~10 cm precision
        frame = frame.assign(**{SOURCE_COLUMN: line, "synthetic": synthetic})
        if synthetic:
            frame = frame.assign(notice=i18n.t("webmap_notice_short", lang))
        with atomic_path(folder / f"{stem}_{name}.geojson") as tmp:
            frame.to_crs("EPSG:4326").to_file(tmp, driver="GeoJSON", layer=f"{stem}_{name}", RFC7946="YES",
                                              COORDINATE_PRECISION=6)
        written.append(folder / f"{stem}_{name}.geojson")
    return written
