"""Stand-in broadband files in the official layouts, for the tests and the stand-in manifest.

:func:`write_standin` writes, for the dissemination areas it is given (and optionally more census
subdivisions), the three files :func:`playbook.sources.broadband.read_broadband` reads:

* ``PHH_2021_CSV.zip`` — ISED's pseudo-household file, one ``PHH_2021_CSV/PHH-<PR>.csv`` per province
  (UTF-8 with a byte-order mark), with the official header (:data:`~playbook.sources.broadband.PHH_COLUMNS`):
  2 to 6 pseudo-households per DA sharing its population, in 1 to 3 dissemination blocks (DA + 3 digits);
* ``NBD_PHH_Speeds.zip`` — ISED's speeds per pseudo-household,
  ``PHH_Speeds_Current-PHH_Vitesses_Actuelles_<PR>.csv`` with the official columns
  (:data:`~playbook.sources.broadband.SPEED_COLUMNS`): wired and wireless tiers drawn per point, the flags
  and max-threshold enumerations consistent with them;
* ``data-mobile-and-broadband-availability.zip`` — the CRTC's Table 9 ``C-T9.csv`` (Windows-1252, a
  4-line banner, CRLF, bilingual header; two rows per CSD and tier, one with a population centre whose
  quoted name holds a line break): ``AllDemographics``, ``50/10/Any`` and ``50/10/U`` counts of population
  and dwellings for 2022 and 2023. In 2023 they are the sums of the pseudo-households above, so both
  routes give the same CSD shares; 2022 has fewer people served. Its column titles beyond those the
  reader documents as verified are made up in the same "French / English" pattern.

Everything is synthetic and deliberately unlike the demo area file: between about 60 % and 95 % of
people lack 50/10 in each area (the demo's DAs have a median near 11 %). Names are codes, never real
place names. The same ``seed`` gives the same files.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from playbook.codes import PROVINCES
from playbook.errors import PlaybookError
from playbook.io import atomic_path
from playbook.sources.broadband import PHH_COLUMNS, SPEED_COLUMNS, TIERS

#: The CRTC Table 9 stand-in's header (the reader finds its columns by these bilingual titles).
CRTC_HEADER = ["ID de la province / Province ID", "Province / Province",
               "ID de la subdivision de recensement / Census Subdivision ID",
               "Nom de la subdivision de recensement / Census Subdivision Name",
               "Centre de population / Population Centre", "Réserve / Reserve", "Vitesses / Speeds", "Année / Year",
               "Population / Population", "Logements / Dwellings"]
CRTC_BANNER = ["Tableau 9 : Disponibilité des services à large bande par RMR et année / "
               "Table 9: Broadband availability by CMA and year",
               "Données de remplacement synthétiques / Synthetic stand-in data", "Source : CRTC (stand-in)", ""]
#: Max-threshold enumeration labels by tier rank (0 = none).
ENUM = ("", "<5_1", "5_1", "10_2", "25_5", "50_10")
YEARS = (2022, 2023)


def _zip(target: Path, members: dict[str, bytes]) -> Path:
    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return target


def _csv_bytes(frame: pd.DataFrame, *, encoding: str = "utf-8-sig") -> bytes:
    return frame.to_csv(index=False, lineterminator="\r\n").encode(encoding)


def _points(areas: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per pseudo-household: ``dauid, csduid, pruid, pop, tier_wired, tier_wireless``."""
    dauid = areas["DGUID"].astype(str).str[9:].to_numpy()
    population = np.rint(pd.to_numeric(areas["population"], errors="coerce").fillna(0).clip(lower=0)).astype(int)
    n = rng.integers(2, 7, size=len(areas))
    rows = np.repeat(np.arange(len(areas)), n)
    share = rng.gamma(2.0, size=rows.size)
    share /= np.bincount(rows, weights=share)[rows]
    pop = np.floor(share * population.to_numpy()[rows]).astype(int)
    first = np.r_[0, np.cumsum(n)[:-1]]
    pop[first] += population.to_numpy() - np.bincount(rows, weights=pop, minlength=len(areas)).astype(int)
    lacking = rng.uniform(0.6, 0.95, size=len(areas))[rows]
    has = rng.random(rows.size) >= lacking
    wired_first = rng.random(rows.size) < 0.75
    low = rng.integers(0, 5, size=(2, rows.size))  # ranks 0..4 (below 50/10)
    any_rank = rng.integers(0, 6, size=rows.size)
    wired = np.where(has, np.where(wired_first, 5, any_rank), low[0])
    wireless = np.where(has, np.where(wired_first, any_rank, 5), low[1])
    return pd.DataFrame({"dauid": dauid[rows], "csduid": areas["csduid"].astype(str).to_numpy()[rows],
                         "pruid": pd.Series(dauid[rows]).str[:2].to_numpy(), "pop": pop,
                         "block": rng.integers(1, 4, size=rows.size), "tier_wired": wired, "tier_wireless": wireless})


def _phh_files(points: pd.DataFrame, rng: np.random.Generator) -> tuple[dict[str, bytes], dict[str, bytes]]:
    y = 2021
    dwell = np.rint(points["pop"] / 2.3).astype(int)
    header = [c.format(y=y) for c in PHH_COLUMNS]
    abbr = points["pruid"].map(PROVINCES["abbreviation"])
    phh = pd.DataFrame(dict(zip(header, [
        points["phh_id"], rng.choice([1, 3, 4], size=len(points), p=[0.1, 0.45, 0.45]), points["pop"], dwell,
        np.rint(dwell * 0.9).astype(int), points["dauid"] + points["block"].map("{:03d}".format),
        abbr + points["dauid"].str[2:] + points["block"].astype(str), points["pruid"],
        np.round(rng.uniform(43, 60, len(points)), 6), np.round(rng.uniform(-130, -55, len(points)), 6)], strict=True)))
    combined = np.maximum(points["tier_wired"], points["tier_wireless"]).to_numpy()
    flags = {}
    for rank, tier in enumerate(TIERS, start=1):
        for tech, ranks in (("Combined", combined), ("Wired", points["tier_wired"].to_numpy()),
                            ("Wireless", points["tier_wireless"].to_numpy())):
            flags[(tech, tier)] = (ranks >= rank).astype(int)
    columns = {"PHH_ID": points["phh_id"].to_numpy()}
    for name in SPEED_COLUMNS[1:16]:
        tech, rest = name.split("_", 1)
        tier = next(t for t in TIERS if rest.startswith(t) or (t == "lt5_1" and rest.startswith("lt5_")))
        columns[name] = flags[(tech, tier)]
    columns[SPEED_COLUMNS[16]] = (rng.random(len(points)) < 0.85).astype(int)
    for name, ranks in zip(SPEED_COLUMNS[17:20], (combined, points["tier_wired"], points["tier_wireless"]), strict=True):
        columns[name] = np.asarray(ENUM)[np.asarray(ranks)]
    columns[SPEED_COLUMNS[20]] = ""
    speeds = pd.DataFrame(columns)
    phh_members, speed_members = {}, {}
    for pruid, rows in points.groupby("pruid").groups.items():
        code = PROVINCES.loc[pruid, "abbreviation"]
        phh_members[f"PHH_2021_CSV/PHH-{code}.csv"] = _csv_bytes(phh.loc[rows])
        speed_members[f"PHH_Speeds_Current-PHH_Vitesses_Actuelles_{code}.csv"] = _csv_bytes(speeds.loc[rows])
    return phh_members, speed_members


def _crtc_file(points: pd.DataFrame, csds: pd.DataFrame | None, rng: np.random.Generator) -> bytes:
    points = points.assign(dwell=np.rint(points["pop"] / 2.3),
                           any=np.maximum(points["tier_wired"], points["tier_wireless"]) >= 5)
    totals = points.groupby("csduid").agg(pop=("pop", "sum"), dwell=("dwell", "sum"))
    served = points[points["any"]].groupby("csduid").agg(pop=("pop", "sum"), dwell=("dwell", "sum"))
    by_csd = totals.join(served.add_suffix("_50")).fillna(0.0)
    if csds is not None:
        extra = csds[~csds["csduid"].astype(str).isin(by_csd.index)]
        pop = np.rint(pd.to_numeric(extra["population"], errors="coerce").fillna(0).clip(lower=0)).to_numpy()
        pop_50 = np.floor(pop * rng.uniform(0.05, 0.4, size=len(pop)))
        by_csd = pd.concat([by_csd, pd.DataFrame({"pop": pop, "dwell": np.rint(pop / 2.3), "pop_50": pop_50,
                                                  "dwell_50": np.rint(pop_50 / 2.3)},
                                                 index=extra["csduid"].astype(str).to_numpy())])
    by_csd = by_csd.sort_index().rename_axis("code").reset_index()
    tiers = []
    for year in YEARS:
        factor = 1.0 if year == YEARS[-1] else 0.8
        for speed, scale in (("AllDemographics", None), ("50/10/Any", factor), ("50/10/U", factor * 0.9)):
            pop = by_csd["pop"] if scale is None else np.floor(by_csd["pop_50"] * scale)
            dwell = by_csd["dwell"] if scale is None else np.floor(by_csd["dwell_50"] * scale)
            tiers.append(pd.DataFrame({"code": by_csd["code"], "speed": speed, "year": year, "pop": pop, "dwell": dwell}))
    rows = pd.concat(tiers, ignore_index=True)
    centre = rows.assign(pop=np.floor(rows["pop"] / 2), dwell=np.floor(rows["dwell"] / 2),
                         centre="Centre " + rows["code"] + "\n(stand-in)")
    rest = rows.assign(pop=rows["pop"] - centre["pop"], dwell=rows["dwell"] - centre["dwell"], centre="")
    rows = pd.concat([centre, rest]).sort_values(["code", "year", "speed"], kind="stable")
    pr = rows["code"].str[:2]
    table = pd.DataFrame(dict(zip(CRTC_HEADER, [
        pr, pr.map(PROVINCES["abbreviation"]), rows["code"], "CSD " + rows["code"], rows["centre"], "Non / No",
        rows["speed"], rows["year"], rows["pop"].astype(int), rows["dwell"].astype(int)], strict=True)))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for line in CRTC_BANNER:
        writer.writerow([line] if line else [])
    table.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("cp1252")


def write_standin(out_dir, areas: pd.DataFrame, *, seed: int = 2021, csds: pd.DataFrame | None = None) -> dict[str, Path]:
    """Write the stand-in files into ``out_dir`` and return ``{"phh", "speeds", "crtc"}`` -> path.

    ``areas``: one row per dissemination area, with ``DGUID`` (2021 DA DGUIDs), ``population`` and
    ``csduid`` (e.g. the DA rows of :func:`playbook.geo.hierarchy.read_hierarchy`). ``csds``
    (``csduid, population``): more census subdivisions for the CRTC table only (those without DAs here).
    """
    missing = [c for c in ("DGUID", "population", "csduid") if c not in areas.columns]
    if missing:
        raise PlaybookError(f"the areas lack {missing}", field=missing[0], expected="DGUID, population, csduid per DA")
    if not areas["DGUID"].astype(str).str.match(r"^\d{4}S0512\d{8}$").all():
        raise PlaybookError("the areas are not all dissemination areas", field="DGUID", expected="DGUIDs 2021S0512...")
    if csds is not None and not {"csduid", "population"} <= set(csds.columns):
        raise PlaybookError("the extra CSDs lack csduid or population", field="csds", expected="csduid, population")
    rng = np.random.default_rng(seed)
    areas = areas.sort_values("DGUID", ignore_index=True)
    points = _points(areas, rng)
    points["phh_id"] = np.arange(1_000_001, 1_000_001 + len(points))
    phh, speeds = _phh_files(points, rng)
    out = Path(out_dir)
    return {
        "phh": _zip(out / "PHH_2021_CSV.zip", phh),
        "speeds": _zip(out / "NBD_PHH_Speeds.zip", speeds),
        "crtc": _zip(out / "data-mobile-and-broadband-availability.zip", {"C-T9.csv": _crtc_file(points, csds, rng)}),
    }
