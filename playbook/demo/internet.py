"""The synthetic area file of internet access, use and skills, calibrated to real provincial figures.

Writes ``demo/internet/area_internet_2021_synthetic.csv`` (the area file: one row per geography of the
demo profile; ``DGUID, GEO_LEVEL`` and five percentages), ``calibration_2021.csv`` (every target
with the value the generator reached) and a ``README.md`` notice.

How each leaf (a CSD, or a PEI dissemination area) gets its values (all on the logit scale, with
area effects standardised over the leaves: low income, remoteness, Indigenous share, no
certificate, neither official language; plus noise):

* ``pct_no_home_internet``: the share of people 15+ not using the internet (CIUS 2020, table
  22-10-0135, as the proxy for no home access) — one rate per age group 15-24, 25-44, 45-64, 65+,
  **calibrated per province x age group** (weights: the leaf's people in the group); the leaf's value
  is the mix over its own age structure. Territories (not in CIUS): the Canadian rate of the age
  group times :data:`TERRITORY_FACTOR`.
* ``pct_no_broadband_50_10``: the share of people without 50/10 Mbps available, **calibrated per
  province x urban centres / rural areas / First Nations reserves** to CRTC 2021 (SDG 17.6.1), with
  a synthetic urban share per leaf (density, CMA/CA core) and reserves recognised by name.
* ``pct_low_digital_skills``: non-users plus users who did not do the basic activity "copied or
  moved files or folders", calibrated **nationally per age group** to CIUS 2018 (table 22-10-0112).
* ``pct_never_online_gov`` and ``pct_privacy_worries``: anchored nationally per age group to the
  assumed levels in :data:`ASSUMED` (no open small-area or provincial source here): synthetic.

Parents (PEI CSDs, census divisions, provinces, Canada, CMAs/CAs) are population-weighted means of
their leaves. Areas with fewer than 40 people are left empty.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from playbook.demo import geography, levels, model
from playbook.demo.calibrate import calibrate_shift, sigmoid, weighted_means
from playbook.io import atomic_path
from playbook.sources import datasets

RELATIVE = Path("demo") / "internet" / "area_internet_2021_synthetic.csv"
CALIBRATION = Path("demo") / "internet" / "calibration_2021.csv"
README = Path("demo") / "internet" / "README.md"
COLUMNS = [
    "pct_no_home_internet",
    "pct_no_broadband_50_10",
    "pct_never_online_gov",
    "pct_privacy_worries",
    "pct_low_digital_skills",
]
AGES = ["15 to 24 years", "25 to 44 years", "45 to 64 years", "65 years and over"]
AGE_COLUMNS = ["a15_24", "a25_44", "a45_64", "a65"]
CIUS_YEAR, CRTC_YEAR = 2020, 2021
TERRITORY_FACTOR = 2.0
#: National share of people in population centres (2021 Census), the fallback urban share.
URBAN_SHARE = 0.818
#: Lowest non-use rate a target may have (CIUS publishes 100.0 % use for some cells).
FLOOR = 0.003
#: Assumed national shares of internet users, per age group (no open source embedded): synthetic anchors.
ASSUMED = {"pct_never_online_gov": [0.35, 0.25, 0.30, 0.42], "pct_privacy_worries": [0.45, 0.55, 0.60, 0.58]}
AREA_TYPES = ["Urban centres", "Rural areas", "First Nations reserves"]


def cius_targets() -> pd.DataFrame:
    """Real CIUS internet use (SDG 17.8.1) for ``CIUS_YEAR``: ``pruid, age, use_pct`` (Canada = "01")."""
    raw = pd.read_csv(datasets.path("cius_sdg_17_8_1"))
    raw = raw[(raw["Year"] == CIUS_YEAR) & raw["Age group"].isin(AGES)]
    names = pd.Series(geography.PROVINCES.index, index=geography.PROVINCES["name_en"])
    pruid = raw["Geography"].map(names).fillna(raw["Geography"].map({"Canada": "01"}))
    return pd.DataFrame({"pruid": pruid, "age": raw["Age group"], "use_pct": raw["Value"]}).reset_index(drop=True)


def crtc_targets() -> pd.DataFrame:
    """Real CRTC 50/10 availability (SDG 17.6.1) for ``CRTC_YEAR``: ``pruid, area_type, available_pct``.

    Reserves use the province's "First Nations reserves Rural areas" figure, else Canada's
    "First Nations reserves". A province or territory without figures (Nunavut: not published) is
    given the lowest published rural value, for urban and rural alike (``assumed`` is true)."""
    raw = pd.read_csv(datasets.path("crtc_sdg_17_6_1"))
    raw = raw[(raw["Year"] == CRTC_YEAR) & raw["Series"].str.contains("50/10") & raw["Geography"].notna()]
    names = pd.Series(geography.PROVINCES.index, index=geography.PROVINCES["name_en"])
    raw = raw.assign(pruid=raw["Geography"].map(names).fillna(raw["Geography"].map({"Canada": "01"})))
    table = raw.pivot_table(index="pruid", columns="Population centres", values="Value", aggfunc="first")
    out = pd.DataFrame(
        {
            "Urban centres": table["Urban centres"],
            "Rural areas": table["Rural areas"],
            "First Nations reserves": table["First Nations reserves Rural areas"],
        }
    )
    out = out.reindex(geography.PROVINCES.index)
    out["First Nations reserves"] = out["First Nations reserves"].fillna(table.loc["01", "First Nations reserves"])
    assumed = out["Urban centres"].isna()
    lowest = out["Rural areas"].min()
    out.loc[assumed, ["Urban centres", "Rural areas"]] = lowest
    long = out.reset_index(names="pruid").melt(id_vars="pruid", var_name="area_type", value_name="available_pct")
    long["assumed"] = long["pruid"].isin(out.index[assumed])
    return long


def _standard(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    mean = np.average(x, weights=w)
    sd = np.sqrt(np.average((x - mean) ** 2, weights=w))
    return np.clip((x - mean) / (sd if sd > 0 else 1.0), -2.5, 2.5)


def _features(leaf: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Standardised area effects of each leaf."""
    w = np.maximum(leaf["t8"].to_numpy(), 1e-9)

    def share(num: str, den: str) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.nan_to_num(leaf[num].to_numpy() / leaf[den].to_numpy(), nan=0.0)

    return pd.DataFrame(
        {
            "low": _standard(share("t340", "t335"), w),
            "rem": _standard(leaf["remoteness"].to_numpy(), w),
            "ind": _standard(share("t1403", "t1402"), w),
            "nocert": _standard(share("t1999", "t1998"), w),
            "neither": _standard(share("t387", "t383"), w),
            "noise": rng.normal(0, 1, len(leaf)),
        },
        index=leaf.index,
    )


def _long(leaf: pd.DataFrame, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stack leaves x the four age groups: (value, weight, age index)."""
    counts = leaf[AGE_COLUMNS].to_numpy()
    return np.repeat(values, 4), counts.reshape(-1), np.tile(np.arange(4), len(leaf))


def _no_internet(leaf: pd.DataFrame, f: pd.DataFrame, record: list) -> np.ndarray:
    """Non-use probability per leaf x age group (leaves x 4), calibrated to CIUS."""
    targets = cius_targets()
    q = (1 - targets["use_pct"] / 100).clip(lower=FLOOR)
    canada = q[targets["pruid"] == "01"].to_numpy()
    cells_target = pd.Series(q.to_numpy(), index=targets["pruid"] + "|" + targets["age"].map(AGES.index).astype(str))
    for pr in geography.TERRITORIES:
        for g in range(4):
            cells_target[f"{pr}|{g}"] = min(canada[g] * TERRITORY_FACTOR, 0.95)
    base = 0.45 * f["low"] + 0.35 * f["rem"] + 0.3 * f["ind"] + 0.3 * f["nocert"] + 0.2 * f["neither"] + 0.2 * f["noise"]
    b, w, g = _long(leaf, base.to_numpy())
    cells = np.repeat(leaf["pruid"].to_numpy(), 4) + "|" + g.astype(str)
    p = sigmoid(b + calibrate_shift(b, w, cells, cells_target))
    achieved = weighted_means(p, w, cells)
    for cell, target in cells_target.items():
        pr, age = cell.split("|")
        record.append(
            (
                "pct_no_home_internet",
                pr,
                AGES[int(age)],
                100 * target,
                100 * achieved.get(cell, np.nan),
                "CIUS 2020, table 22-10-0135 (100 - % using the Internet)"
                if pr not in geography.TERRITORIES
                else f"assumed: {TERRITORY_FACTOR} x Canada (territories not in CIUS)",
            )
        )
    return p.reshape(-1, 4)


def _users_share(leaf, f, base, users, anchors, name, source, record) -> np.ndarray:
    """A share among internet users per leaf x age group, calibrated nationally per age group."""
    b, _, g = _long(leaf, base.to_numpy())
    w = users.reshape(-1)
    s = sigmoid(b + calibrate_shift(b, w, g, pd.Series(anchors)))
    achieved = weighted_means(s, w, g)
    for age, target in enumerate(anchors):
        record.append((name, "01", AGES[age], 100 * target, 100 * achieved[age], source))
    return s.reshape(-1, 4)


def urban_targets(targets: pd.DataFrame, reserve_share: pd.Series) -> pd.Series:
    """The share of (non-reserve) people in population centres that makes urban x rural x reserve
    availability add up to CRTC's provincial total: ``(T - r F - (1 - r) R) / ((1 - r)(U - R))``,
    kept within 0.3-0.97; :data:`URBAN_SHARE` where it cannot be solved (Nunavut: U = R)."""
    wide = targets.pivot(index="pruid", columns="area_type", values="available_pct")
    total = crtc_totals().reindex(wide.index)
    r = reserve_share.reindex(wide.index).fillna(0)
    u = (total - r * wide["First Nations reserves"] - (1 - r) * wide["Rural areas"]) / (
        (1 - r) * (wide["Urban centres"] - wide["Rural areas"])
    )
    return u.where(np.isfinite(u)).clip(0.3, 0.97).fillna(URBAN_SHARE)


def crtc_totals() -> pd.Series:
    """CRTC 50/10 availability, all population centres, per province (``CRTC_YEAR``)."""
    raw = pd.read_csv(datasets.path("crtc_sdg_17_6_1"))
    raw = raw[
        (raw["Year"] == CRTC_YEAR) & raw["Series"].str.contains("50/10") & raw["Population centres"].eq("Total population centre")
    ]
    names = pd.Series(geography.PROVINCES.index, index=geography.PROVINCES["name_en"])
    return raw.set_index(raw["Geography"].map(names))["Value"]


def _urban_share(leaf: pd.DataFrame, rng: np.random.Generator, goal: pd.Series) -> np.ndarray:
    """Synthetic share of a leaf's people living in population centres (0 on reserves), from
    density and CMA/CA core, calibrated per province to ``goal``."""
    density = np.log10(leaf["density_km2"].fillna(0).clip(lower=0.01).to_numpy())
    core = leaf["cmauid"].notna().to_numpy()
    base = 1.3 * (density - 2.0) + 1.5 * core + rng.normal(0, 0.4, len(leaf))
    reserve = leaf["reserve"].to_numpy()
    w = np.where(reserve, 0.0, leaf["t8"].to_numpy())
    u = sigmoid(base + calibrate_shift(base, w, leaf["pruid"].to_numpy(), goal))
    return np.where(reserve, 0.0, u)


def _broadband(leaf: pd.DataFrame, f: pd.DataFrame, rng: np.random.Generator, record: list) -> np.ndarray:
    """Share of people with 50/10 available, per leaf, calibrated per province x area type."""
    targets = crtc_targets()
    reserve = leaf["reserve"].to_numpy()
    people = leaf["t8"].to_numpy()
    pr = leaf["pruid"].to_numpy()
    reserve_share = pd.Series(people * reserve).groupby(pr).sum() / pd.Series(people).groupby(pr).sum()
    goal = urban_targets(targets, reserve_share)
    u = _urban_share(leaf, rng, goal)
    for code, share in goal.items():
        record.append(
            (
                "urban_share",
                code,
                "Population centres",
                100 * share,
                100 * weighted_means(u, np.where(reserve, 0, people), pr).get(code, np.nan),
                "derived: share that reproduces the CRTC provincial total (synthetic)",
            )
        )
    targets = targets.assign(share=targets["available_pct"] / 100)
    bases = {
        "Urban centres": 0.3 * rng.normal(0, 1, len(leaf)),
        "Rural areas": -0.8 * f["rem"].to_numpy() - 0.3 * f["low"].to_numpy() + 0.5 * rng.normal(0, 1, len(leaf)),
        "First Nations reserves": -0.3 * f["rem"].to_numpy() + 0.6 * rng.normal(0, 1, len(leaf)),
    }
    weights = {
        "Urban centres": np.where(reserve, 0, people * u),
        "Rural areas": np.where(reserve, 0, people * (1 - u)),
        "First Nations reserves": np.where(reserve, people, 0),
    }
    avail = {}
    for kind in AREA_TYPES:
        goal = targets[targets["area_type"] == kind].set_index("pruid")["share"].clip(FLOOR, 1 - FLOOR)
        avail[kind] = sigmoid(bases[kind] + calibrate_shift(bases[kind], weights[kind], pr, goal))
        achieved = weighted_means(avail[kind], weights[kind], pr)
        assumed = set(targets.loc[targets["assumed"], "pruid"])
        for code, target in goal.items():
            source = (
                f"CRTC {CRTC_YEAR}, SDG 17.6.1 (100 - % of households with 50/10 Mbps available)"
                if code not in assumed
                else "assumed: lowest published rural value (no CRTC figure)"
            )
            record.append(
                (
                    "pct_no_broadband_50_10",
                    code,
                    kind,
                    100 * (1 - target),
                    100 * (1 - achieved.get(code, np.nan)),
                    source,
                )
            )
    mixed = u * avail["Urban centres"] + (1 - u) * avail["Rural areas"]
    return np.where(reserve, avail["First Nations reserves"], mixed)


def skills_targets() -> list[float]:
    """Share of internet users 15+ who did NOT copy or move files digitally, per age group (CIUS 2018)."""
    raw = pd.read_csv(datasets.path("cius_sdg_4_4_1"))
    raw = raw[
        raw["Activity related to digital skills"].eq("Copied or moved files or folders digitally")
        & raw["Highest level of education"].str.startswith("Total")
    ]
    by_age = raw.set_index("Age group")["Value"]
    return [1 - by_age[f"Internet users aged {age}"] / 100 for age in AGES]


def leaf_values(seed: int) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """The geography, the leaves with the five percentages (and per-age non-use) and the calibration record."""
    geo, leaf = model.leaves(seed)
    rng = np.random.default_rng([seed, 4])
    f = _features(leaf, rng)
    record: list = []
    nonuse = _no_internet(leaf, f, record)
    ages = leaf[AGE_COLUMNS].to_numpy()
    users = ages * (1 - nonuse)
    pop15 = ages.sum(axis=1)
    skills_base = 0.6 * f["nocert"] + 0.3 * f["low"] + 0.2 * f["rem"] + 0.2 * f["noise"]
    low_skills = _users_share(
        leaf,
        f,
        skills_base,
        users,
        skills_targets(),
        "pct_low_digital_skills",
        "CIUS 2018, table 22-10-0112 (100 - % who copied or moved files; users)",
        record,
    )
    gov_base = 0.35 * f["nocert"] + 0.2 * f["rem"] + 0.25 * f["neither"] + 0.2 * f["noise"]
    never_gov = _users_share(
        leaf,
        f,
        gov_base,
        users,
        ASSUMED["pct_never_online_gov"],
        "pct_never_online_gov",
        "assumed national level (synthetic anchor; users)",
        record,
    )
    privacy_base = -0.2 * f["nocert"] + 0.15 * f["ind"] + 0.2 * f["noise"]
    privacy = _users_share(
        leaf,
        f,
        privacy_base,
        users,
        ASSUMED["pct_privacy_worries"],
        "pct_privacy_worries",
        "assumed national level (synthetic anchor; users)",
        record,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        values = pd.DataFrame(
            {
                "pct_no_home_internet": 100 * (ages * nonuse).sum(axis=1) / pop15,
                "pct_no_broadband_50_10": 100 * (1 - _broadband(leaf, f, rng, record)),
                "pct_never_online_gov": 100 * (ages * nonuse + users * never_gov).sum(axis=1) / pop15,
                "pct_privacy_worries": 100 * (users * privacy).sum(axis=1) / users.sum(axis=1),
                "pct_low_digital_skills": 100 * (ages * nonuse + users * low_skills).sum(axis=1) / pop15,
            },
            index=leaf.index,
        )
    for g, name in enumerate(AGE_COLUMNS):
        values[f"nonuse_{name}"] = 100 * nonuse[:, g]
    calibration = pd.DataFrame(record, columns=["indicator", "pruid", "cell", "target_pct", "achieved_pct", "source"])
    return geo, pd.concat([leaf, values], axis=1), calibration


def area_table(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The area file (every geography, population-weighted parents) and the calibration record."""
    geo, leaf, calibration = leaf_values(seed)
    weight = leaf["t8"].to_numpy()
    sums = leaf[["t8"]].rename(columns={"t8": "w"})
    for col in COLUMNS:
        ok = leaf[col].notna().to_numpy()
        sums[f"{col}__x"] = np.where(ok, leaf[col].to_numpy() * weight, 0.0)
        sums[f"{col}__w"] = np.where(ok, weight, 0.0)
    geos = levels.geographies(geo, pd.concat([leaf.drop(columns=["t8"]), sums], axis=1), [c for c in sums.columns])
    out = geos[["DGUID", "GEO_LEVEL"]].copy()
    pop = geos["population_2021"]
    for col in COLUMNS:
        with np.errstate(invalid="ignore", divide="ignore"):
            value = geos[f"{col}__x"] / geos[f"{col}__w"]
        out[col] = value.where((pop >= 40) & np.isfinite(value)).round(1)
    return out, calibration


NOTICE = """# Demo data: area internet indicators, 2021 — SYNTHETIC

`area_internet_2021_synthetic.csv` is **synthetic** demo data generated by `playbook.demo.internet`
(seed {seed}); it is not a Statistics Canada or CRTC product and must not be used for decisions.
One row per geography of the demo Census Profile (real 2021 DGUIDs); percentages 0-100, empty where
the area has fewer than 40 people. Values are modelled from the synthetic demo profile and
calibrated to real provincial aggregates: internet use by province x age group (CIUS 2020, table
22-10-0135, via SDG 17.8.1) and 50/10 Mbps availability by province x urban / rural / First Nations
reserves (CRTC 2021, via SDG 17.6.1); digital skills nationally by age group (CIUS 2018, table
22-10-0112). `pct_never_online_gov` and `pct_privacy_worries` rest on assumed national levels.
`calibration_2021.csv` lists every target and the value reached: each province x age group and
province x urban/rural/reserve cell is reproduced within 0.01 percentage points; the published
provincial rows are within 0.15 points of CRTC's provincial totals and within 2 points of CIUS's
total 15+ (the demo's age structure is synthetic). Parents are population-weighted means of their
census subdivisions (dissemination areas in PEI).

Regenerate: `python -m playbook demo-data --out DIR --seed {seed}`.
"""


def generate(out_dir: Path, seed: int) -> list[Path]:
    """Write the area file, the calibration record and the notice under ``out_dir``."""
    table, calibration = area_table(seed)
    paths = [Path(out_dir) / p for p in (RELATIVE, CALIBRATION, README)]
    with atomic_path(paths[0]) as tmp:
        table.to_csv(tmp, index=False, lineterminator="\n")
    with atomic_path(paths[1]) as tmp:
        calibration.round(3).to_csv(tmp, index=False, lineterminator="\n")
    with atomic_path(paths[2]) as tmp:
        tmp.write_text(NOTICE.format(seed=seed), encoding="utf-8")
    return paths
