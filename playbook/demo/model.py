"""The synthetic small-area population model behind the demo Census Profile and area file.

Units ("leaves") are the real census subdivisions, except in Prince Edward Island where they are the
319 real dissemination areas (each CSD's real population shared among its DAs). Each leaf gets
expected (unrounded) counts for the EVI characteristics, drawn from its real population, province,
density, CMA/CA membership and (synthetic) remoteness:

* age: the real 2016 provincial 5-year age structure, tilted older in remote areas, younger on
  reserves and in the territories, towards young adults in CMA/CA cores;
* Indigenous identity and immigration: calibrated to approximate 2021 provincial levels
  (:data:`INDIGENOUS_SHARE`, :data:`IMMIGRANT_SHARE`), high on reserves / in large cores;
* income, low income, education, official languages, labour force: plausible relations
  (lower income and more low income in remote areas and on reserves, and so on).

Parents are sums of leaves, so every level is consistent. Nothing here is real except the
geography, the populations, dwellings and land areas, and the provincial age structure.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from playbook.demo import geography
from playbook.demo.calibrate import calibrate_shift, logit, sigmoid
from playbook.sources import datasets

#: Approximate 2021 provincial shares used as generator targets (not embedded real data).
INDIGENOUS_SHARE = {
    "10": 0.093,
    "11": 0.020,
    "12": 0.055,
    "13": 0.044,
    "24": 0.025,
    "35": 0.029,
    "46": 0.181,
    "47": 0.170,
    "48": 0.068,
    "59": 0.059,
    "60": 0.223,
    "61": 0.496,
    "62": 0.858,
}
IMMIGRANT_SHARE = {
    "10": 0.027,
    "11": 0.079,
    "12": 0.069,
    "13": 0.048,
    "24": 0.146,
    "35": 0.300,
    "46": 0.192,
    "47": 0.118,
    "48": 0.230,
    "59": 0.297,
    "60": 0.116,
    "61": 0.093,
    "62": 0.025,
}
#: Approximate 2020 median total household income by province/territory (dollars), generator anchors.
MEDIAN_INCOME = {
    "10": 73000,
    "11": 77000,
    "12": 71500,
    "13": 70000,
    "24": 72500,
    "35": 91000,
    "46": 79500,
    "47": 82000,
    "48": 96000,
    "59": 85000,
    "60": 100000,
    "61": 127500,
    "62": 92000,
}
UNEMPLOYMENT_EFFECT = {
    "10": 0.45,
    "11": 0.1,
    "12": 0.1,
    "13": 0.1,
    "24": -0.2,
    "35": 0,
    "46": -0.15,
    "47": -0.1,
    "48": 0.1,
    "59": -0.05,
    "60": -0.3,
    "61": 0,
    "62": 0.4,
}

#: Five-year age groups of the model (the 2016 table's 85+ groups are merged).
AGE_GROUPS = [
    "0_4",
    "5_9",
    "10_14",
    "15_19",
    "20_24",
    "25_29",
    "30_34",
    "35_39",
    "40_44",
    "45_49",
    "50_54",
    "55_59",
    "60_64",
    "65_69",
    "70_74",
    "75_79",
    "80_84",
    "85",
]
_AGE_MID = np.array([2, 7, 12, 17, 22, 27, 32, 37, 42, 47, 52, 57, 62, 67, 72, 77, 82, 89], dtype=float)
#: Growth of the share aged 65+ from 2016 to 2021 (Canada: 16.9 % -> 19.0 %).
AGEING = 19.0 / 16.9
_MEN_SHARE = np.array([0.512] * 3 + [0.512, 0.51] + [0.50] * 8 + [0.48, 0.47, 0.45, 0.42, 0.36])


def provincial_age_structure() -> pd.DataFrame:
    """Real 2016 population shares by 5-year age group (rows: pruid; columns: :data:`AGE_GROUPS`)."""
    raw = pd.read_csv(datasets.path("age_groups_2016_prov"))
    names = pd.Series(geography.PROVINCES.index, index=geography.PROVINCES["name_en"])
    raw["pruid"] = raw["jurisdiction"].map(names)
    lower = raw["age.group"].str.extract(r"^(\d+)")[0].astype(int)
    raw["group"] = np.minimum(lower // 5, 17)
    table = raw.pivot_table(index="pruid", columns="group", values="total", aggfunc="sum")
    table.columns = AGE_GROUPS
    return table.div(table.sum(axis=1), axis=0)


def _noise(rng: np.random.Generator, sd: float, n: int) -> np.ndarray:
    return rng.normal(0.0, sd, n)


def _leaf_frame(geo: dict, rng: np.random.Generator) -> pd.DataFrame:
    """One row per leaf with its real attributes and the CSD's features."""
    csd = geo["csd"]
    das = geography.split_population(geo["da"], csd, rng)
    features = ["csduid", "cmauid", "cma_type", "sac_type", "reserve", "remoteness"]
    das = das.merge(csd[features], on="csduid", how="left")
    das["level"] = "Dissemination area"
    das["name"] = das["dauid"]
    others = csd[~csd["csduid"].isin(das["csduid"])].copy()
    others["level"] = "Census subdivision"
    others["dauid"] = pd.NA
    cols = [
        "DGUID",
        "level",
        "name",
        "pruid",
        "cduid",
        "csduid",
        "dauid",
        *features[1:],
        "population_2021",
        "private_dwellings_2021",
        "occupied_dwellings_2021",
        "land_area_km2",
        "density_km2",
    ]
    leaves = pd.concat([others[cols], das[cols]], ignore_index=True)
    leaves["n"] = leaves["population_2021"].fillna(0.0)
    return leaves


def _ages(leaves: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Expected counts (total, men) by 5-year age group, as (leaves x 18) arrays."""
    n = len(leaves)
    base = provincial_age_structure().loc[leaves["pruid"]].to_numpy()
    older = np.clip((_AGE_MID - 42) / 40, -1, 1)
    young_adult = ((_AGE_MID > 19) & (_AGE_MID < 40)).astype(float)
    children = (_AGE_MID < 20).astype(float)
    terr = leaves["pruid"].isin(geography.TERRITORIES).to_numpy()
    reserve = leaves["reserve"].to_numpy(dtype=float)
    core = leaves["cmauid"].notna().to_numpy(dtype=float)
    rem = leaves["remoteness"].to_numpy()
    rem_mean = _province_mean(rem, leaves["n"].to_numpy(), leaves["pruid"].to_numpy())
    tilt_old = 0.9 * (rem - rem_mean) - 0.9 * reserve - 0.2 * terr + _noise(rng, 0.3, n)
    tilt_kids = 0.55 * reserve + 0.25 * terr + _noise(rng, 0.12, n)
    tilt_young = 0.2 * core + _noise(rng, 0.1, n)
    fixed = np.outer(tilt_kids, children) + np.outer(tilt_young, young_adult)
    pr = leaves["pruid"].to_numpy()
    people = leaves["n"].to_numpy()
    # A provincial shift of the old-age tilt brings each province's 65+ share to its 2016 share
    # aged by five years (x AGEING: Canada 16.9 % in 2016, 19.0 % in 2021), by bisection.
    target = pd.Series(pr).map(provincial_age_structure()[AGE_GROUPS[13:]].sum(axis=1) * AGEING).to_numpy()
    low, high = np.full(n, -3.0), np.full(n, 3.0)
    for _ in range(40):
        mid = (low + high) / 2
        share = _shares(base, (tilt_old + mid)[:, None] * older + fixed)
        reached = _province_mean(share[:, 13:].sum(axis=1), people, pr)
        low, high = np.where(reached < target, mid, low), np.where(reached < target, high, mid)
    share = _shares(base, (tilt_old + (low + high) / 2)[:, None] * older + fixed)
    total = share * leaves["n"].to_numpy()[:, None]
    men_share = np.clip(_MEN_SHARE[None, :] + _noise(rng, 0.01, n)[:, None], 0.3, 0.6)
    return total, total * men_share


def _shares(base: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    weight = base * np.exp(exponent)
    return weight / weight.sum(axis=1, keepdims=True)


def _province_mean(values: np.ndarray, weights: np.ndarray, pruid: np.ndarray) -> np.ndarray:
    """Each leaf's provincial weighted mean of ``values``."""
    total = pd.Series(values * weights).groupby(pruid).transform("sum")
    return (total / pd.Series(weights).groupby(pruid).transform("sum").clip(lower=1)).to_numpy()


def _group(arr: np.ndarray, first: str, last: str) -> np.ndarray:
    return arr[:, AGE_GROUPS.index(first) : AGE_GROUPS.index(last) + 1].sum(axis=1)


@cache
def leaves(seed: int) -> tuple[dict, pd.DataFrame]:
    """The real geography and the leaf table of expected counts for ``seed`` (cached)."""
    geo = geography.build(np.random.default_rng([seed, 1]))
    rng = np.random.default_rng([seed, 2])
    leaf = _leaf_frame(geo, rng)
    n_leaf = len(leaf)
    n = leaf["n"].to_numpy()
    pr = leaf["pruid"].to_numpy()
    rem = leaf["remoteness"].to_numpy()
    reserve = leaf["reserve"].to_numpy(dtype=float)
    core = leaf["cmauid"].notna().to_numpy(dtype=float)
    size_term = np.clip(np.log10(np.maximum(n, 1)) - 3.5, 0, 3)
    age, men = _ages(leaf, rng)
    out = {"t8": n, "m8": men.sum(axis=1)}
    spans = {
        9: ("0_4", "10_14"),
        13: ("15_19", "60_64"),
        14: ("15_19", "15_19"),
        15: ("20_24", "20_24"),
        24: ("65_69", "85"),
        25: ("65_69", "65_69"),
        26: ("70_74", "70_74"),
        27: ("75_79", "75_79"),
        28: ("80_84", "80_84"),
        29: ("85", "85"),
    }
    for cid, (a, b) in spans.items():
        out[f"t{cid}"], out[f"m{cid}"] = _group(age, a, b), _group(men, a, b)
    out["a15_24"], out["a25_44"] = _group(age, "15_19", "20_24"), _group(age, "25_29", "40_44")
    out["a45_64"], out["a65"] = _group(age, "45_49", "60_64"), out["t24"]
    pop15 = out["t8"] - out["t9"]
    with np.errstate(invalid="ignore", divide="ignore"):
        share65 = np.nan_to_num(out["t24"] / n, nan=0.19)
        share_kids = np.nan_to_num(out["t9"] / n, nan=0.16)
        share65_15 = np.nan_to_num(out["t24"] / pop15, nan=0.22)
    private = np.clip(0.985 - 0.1 * (share65 - 0.19) + _noise(rng, 0.004, n_leaf), 0.9, 1.0)
    hhpop, hh15 = n * private, pop15 * private
    size = np.clip(2.45 * np.exp(2.2 * (share_kids - 0.165) + 0.15 * reserve + _noise(rng, 0.05, n_leaf)), 1.6, 4.8)
    out["t50"] = hhpop / size
    out["t51"] = out["t50"] * np.clip(
        0.29 + 0.6 * (share65 - 0.19) + 0.04 * core - 0.1 * reserve + _noise(rng, 0.03, n_leaf), 0.05, 0.6
    )
    weights = np.maximum(hhpop, 1e-9)
    ind_base = 1.4 * (rem - 0.5) + 4.5 * reserve + _noise(rng, 0.5, n_leaf)
    ind = sigmoid(ind_base + calibrate_shift(ind_base, weights, pr, pd.Series(INDIGENOUS_SHARE)))
    imm_base = 0.9 * size_term - 1.6 * rem - 3.0 * reserve + _noise(rng, 0.35, n_leaf)
    imm = sigmoid(imm_base + calibrate_shift(imm_base, weights, pr, pd.Series(IMMIGRANT_SHARE)))
    recent = np.clip(0.16 + 0.08 * np.isin(pr, ["10", "11", "12", "13", "46", "47"]) + _noise(rng, 0.03, n_leaf), 0.03, 0.5)
    neither = np.clip(
        0.05 * imm * (1 + 2 * recent) + 0.08 * ind * np.isin(pr, ["24", "62"]) + np.abs(_noise(rng, 0.002, n_leaf)),
        0,
        0.4,
    )
    log_income = (
        np.log(pd.Series(pr).map(MEDIAN_INCOME).to_numpy())
        - 0.35 * (rem - _province_mean(rem, n, pr))  # centred: the province keeps its anchor
        - 0.55 * reserve
        - 0.35 * (share65 - _province_mean(share65, n, pr))
        + _noise(rng, 0.12, n_leaf)
    )
    income = np.exp(log_income)
    low = sigmoid(logit(0.111) - 1.8 * (log_income - np.log(84000)) + 0.25 * core + _noise(rng, 0.2, n_leaf))
    nocert = sigmoid(
        logit(0.176)
        + 1.2 * (rem - 0.4)
        + 1.0 * reserve
        + 1.5 * (share65_15 - 0.22)
        - 0.3 * core
        + 1.2 * (pr == "62")
        + _noise(rng, 0.2, n_leaf)
    )
    nilf = sigmoid(logit(0.365) + 2.4 * (share65_15 - 0.22) + 0.4 * reserve + _noise(rng, 0.12, n_leaf))
    unemp = sigmoid(
        logit(0.103)
        + 0.7 * (rem - 0.4)
        + 0.9 * reserve
        + pd.Series(pr).map(UNEMPLOYMENT_EFFECT).to_numpy()
        + _noise(rng, 0.22, n_leaf)
    )

    def pair(cid: int, total: np.ndarray, men_share: float) -> None:
        out[f"t{cid}"] = total
        out[f"m{cid}"] = total * np.clip(men_share + _noise(rng, 0.01, n_leaf), 0.3, 0.7)

    pair(335, hhpop, 0.49)
    pair(340, hhpop * low, 0.46)
    pair(383, hhpop, 0.49)
    pair(387, hhpop * neither, 0.42)
    pair(1402, hhpop, 0.49)
    pair(1403, hhpop * ind, 0.485)
    pair(1527, hhpop, 0.49)
    pair(1529, hhpop * imm, 0.48)
    pair(1536, hhpop * imm * recent, 0.49)
    pair(1998, hh15, 0.485)
    pair(1999, hh15 * nocert, 0.53)
    pair(2223, hh15, 0.485)
    pair(2227, hh15 * nilf, 0.44)
    lf = hh15 - out["t2227"]
    out["lf"], out["lf_m"] = lf, out["m2223"] - out["m2227"]
    out["unemp"] = lf * unemp
    out["unemp_m"] = np.minimum(out["unemp"] * np.clip(0.55 + _noise(rng, 0.02, n_leaf), 0.4, 0.7), out["lf_m"])
    out["income_x_hh"] = income * out["t50"]
    table = pd.DataFrame(out, index=leaf.index)
    return geo, pd.concat([leaf, table], axis=1)


#: Leaf columns that add up from children to parents.
def additive_columns(leaf: pd.DataFrame) -> list[str]:
    return [c for c in leaf.columns if c[:1] in "tm" and c[1:].isdigit()] + [
        "a15_24",
        "a25_44",
        "a45_64",
        "a65",
        "lf",
        "lf_m",
        "unemp",
        "unemp_m",
        "income_x_hh",
    ]
