"""A synthetic CIUS-style public-use microdata file (PUMF), with the truth behind it.

No CIUS microdata can be embedded, so the demo has a synthetic respondent file in the layout the
reader (:mod:`playbook.sources.survey`, cycle ``cius_2020_demo`` in ``specs/cius.yml``) reads: a zip
with the CSV data file and SPSS syntax for variable and value labels, a person weight ``WTPG`` and
200 bootstrap replicate weights ``WTBS_001..WTBS_200``.

The population. Each census subdivision (CSD) of the ten provinces has the group margins of the
demo Census Profile (:mod:`playbook.groups.composition`): age, low income, no certificate, no
official language, Indigenous identity, immigrant; people combine them independently within the
CSD; sex and disability depend on age (constants below). A CSD under 10,000 people is rural.

The true model (:data:`COEFFICIENTS`, log-odds). For person *i* in CSD *a*:

- not using the Internet: ``logit p0 = c[prov, age] + x_i . b_use + u_a``, where ``c`` is solved so
  that the population share using the Internet in each province x age group equals the real CIUS
  2020 figure (Table 22-10-0135-01, SDG indicator 17.8.1; values of 100% are taken as 99.5%);
- no home Internet: 60% of non-users, and ``logit q = x . b_access + u_a`` of users;
- never used online government services: every non-user, and ``logit g = x . b_gov + u_a`` of users;
- privacy worries: ``logit = x . b_privacy + u_a`` for everyone;
- low digital skills (at most one of seven activities): every non-user, and
  ``logit s = x . b_skills + u_a`` of users.

``u_a ~ N(0, 0.15^2)`` per CSD and outcome is variation no census characteristic explains. The
levels of the last four outcomes are illustrative (not calibrated to a published figure).

The sample. Strata are province x urban/rural (Prince Edward Island is one stratum, ``LUC_RST`` 3,
as in the 2018 PUMF); CSDs are drawn with probability proportional to their population 15+, eight
respondents per draw; the weight is constant within a stratum (population / respondents). The
bootstrap weights are Rao-Wu rescaled weights: in each replicate, ``m - 1`` of a stratum's ``m``
draws are resampled with replacement and weights multiplied by ``count * m / (m - 1)``.

The truth (kept apart from the PUMF, never read by estimators): each respondent's true
probabilities, and each area's true prevalence (CSD, census division, province), in
``truth_persons.csv.gz`` and ``truth_areas.csv.gz``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from playbook.codes import dguid, parse_dguid
from playbook.demo.survey_files import NOTICE, VALUE_LABELS, VARIABLE_LABELS, YES_NO, YES_NO_DV, spss_labels, write_gzip_csv
from playbook.demo.zipfiles import write_zip
from playbook.errors import PlaybookError
from playbook.groups.composition import AGE_GROUPS, MARGINS, census_extract, compositions, demo_compositions
from playbook.sources import datasets

DEMO_DIR = Path("demo") / "survey"
PUMF_NAME = "cius_2020_demo_pumf.zip"
DATA_MEMBER = "CIUS2020_DEMO_PUMF.csv"
TRUTH_PERSONS = "truth_persons.csv.gz"
TRUTH_AREAS = "truth_areas.csv.gz"
CENSUS_FILE = Path("demo") / "census" / "98-401-X2021_demo_eng_CSV.zip"

N_RESPONDENTS = 21_000
PER_DRAW = 8
N_REPLICATES = 200
AREA_SD = 0.15
OUTCOMES = ["internet_use", "no_home_internet", "never_online_gov", "privacy_worries", "low_digital_skills"]
#: P(woman) and P(disability) by age group (15-24, 25-44, 45-64, 65+); disability rates after the
#: Canadian Survey on Disability 2017 (about 13%, 17%, 24%, 38%).
WOMEN = np.array([0.49, 0.50, 0.51, 0.54])
DISABILITY = np.array([0.13, 0.17, 0.24, 0.38])
#: Covariates of the true model, in this order.
COVARIATES = ["age_25-44", "age_45-64", "age_65+", "women", *MARGINS, "disability", "rural"]
#: Log-odds coefficients (intercept first, then COVARIATES); "use" has no intercept (calibrated).
COEFFICIENTS = {
    #            icpt  25-44 45-64  65+  women lowinc nocert nolang indig immig  disab rural
    "use":      [0.0,  0.0,  0.0,  0.0,  0.05, 0.80,  1.00,  0.90,  0.40, -0.10, 0.50, 0.40],
    "access":   [-3.6, -0.2, 0.0,  0.4,  0.00, 0.90,  0.40,  0.30,  0.60, -0.20, 0.20, 0.80],
    "gov":      [-1.3, -0.4, -0.2, 0.4,  0.00, 0.40,  0.60,  0.80,  0.30, -0.20, 0.20, 0.20],
    "privacy":  [-0.6, 0.1,  0.2,  0.3,  0.20, 0.10,  0.00,  0.20,  0.10, 0.20,  0.20, 0.00],
    "skills":   [-2.0, 0.3,  0.8,  1.5,  0.10, 0.50,  1.00,  0.80,  0.30, 0.00,  0.40, 0.30],
}
NO_HOME_IF_NON_USER = 0.6
#: Official-language knowledge of people who know at least one: (English only, French only, both).
LANGUAGES = {"24": (0.05, 0.55, 0.40), "13": (0.56, 0.09, 0.35)}
LANGUAGES_OTHER = (0.88, 0.01, 0.11)


def _expit(x):
    return 1 / (1 + np.exp(-x))


def _targets() -> pd.DataFrame:
    """Real CIUS 2020 Internet use by province x age (percent), from SDG indicator 17.8.1."""
    sdg = pd.read_csv(datasets.path("cius_sdg_17_8_1"), dtype=str)
    names = {"Newfoundland and Labrador": "10", "Prince Edward Island": "11", "Nova Scotia": "12",
             "New Brunswick": "13", "Quebec": "24", "Ontario": "35", "Manitoba": "46", "Saskatchewan": "47",
             "Alberta": "48", "British Columbia": "59"}
    ages = {"15 to 24 years": "15-24", "25 to 44 years": "25-44", "45 to 64 years": "45-64",
            "65 years and over": "65+"}
    t = sdg[(sdg["Year"] == "2020") & sdg["Geography"].isin(names) & sdg["Age group"].isin(ages)]
    return pd.DataFrame({"pruid": t["Geography"].map(names).to_numpy(), "age": t["Age group"].map(ages).to_numpy(),
                         "use_pct": t["Value"].astype(float).to_numpy()})


def _cells(areas: pd.DataFrame) -> dict[str, np.ndarray]:
    """Every area x age x combination of the five binary margins x sex x disability, with its
    population share within the area (independence within the area)."""
    n = len(areas)
    bits = np.array(np.meshgrid(*[[0, 1]] * (len(MARGINS) + 2), indexing="ij")).reshape(len(MARGINS) + 2, -1).T
    combos = len(bits)
    ages = np.repeat(np.arange(4), combos)
    bits = np.tile(bits, (4, 1))
    k = len(ages)
    area_idx = np.repeat(np.arange(n), k)
    age = np.tile(ages, n)
    b = np.tile(bits, (n, 1))
    share = areas[[f"age_{a}" for a in AGE_GROUPS]].to_numpy()[area_idx, age]
    for j, name in enumerate(MARGINS):
        p = areas[name].to_numpy()[area_idx]
        share = share * np.where(b[:, j], p, 1 - p)
    women, dis = WOMEN[age], DISABILITY[age]
    share = share * np.where(b[:, -2], women, 1 - women) * np.where(b[:, -1], dis, 1 - dis)
    x = np.column_stack([age == 1, age == 2, age == 3, b[:, -2], b[:, :len(MARGINS)], b[:, -1],
                         areas["rural"].to_numpy()[area_idx]]).astype(np.uint8)
    return {"x": x, "area": area_idx, "age": age, "share": share}


def _linear(x: np.ndarray, name: str) -> np.ndarray:
    """Linear predictor, one covariate column at a time (``x`` may be a large uint8 matrix)."""
    beta = COEFFICIENTS[name]
    out = np.full(len(x), float(beta[0]))
    for j, b in enumerate(beta[1:]):
        if b:
            out += b * x[:, j]
    return out


def calibrate_use(cells: dict, areas: pd.DataFrame, effects: np.ndarray) -> pd.Series:
    """Intercepts ``c[prov, age]`` so that the population share of non-users matches CIUS 2020."""
    targets = _targets()
    key = _keys(areas["pruid"].to_numpy()[cells["area"]], cells["age"])
    t = targets.assign(key=targets["pruid"] + "|" + targets["age"]).set_index("key")
    goal = 1 - t["use_pct"].clip(upper=99.5).to_numpy() / 100
    codes = pd.Index(t.index).get_indexer(key)
    weight = cells["share"] * areas["pop15"].to_numpy()[cells["area"]]
    lin = _linear(cells["x"], "use") + effects[cells["area"], 0]
    c = np.log(goal / (1 - goal))
    total = np.bincount(codes, weight, minlength=len(t))
    for _ in range(30):  # Newton steps on each (province, age) intercept at once
        p = _expit(c[codes] + lin)
        mean = np.bincount(codes, weight * p, minlength=len(t)) / total
        slope = np.bincount(codes, weight * p * (1 - p), minlength=len(t)) / total
        c = c - (mean - goal) / slope
    return pd.Series(c, index=t.index, name="intercept")


def _keys(pruid: np.ndarray, age: np.ndarray) -> np.ndarray:
    return pd.Series(pruid).str.cat(pd.Series(np.array(AGE_GROUPS)[age]), sep="|").to_numpy()


def true_probabilities(x: np.ndarray, use_intercept: np.ndarray, effects: np.ndarray) -> dict[str, np.ndarray]:
    """True probabilities of the five outcomes for rows of covariates ``x`` (``effects``: n x 5)."""
    p0 = _expit(use_intercept + _linear(x, "use") + effects[:, 0])
    q = _expit(_linear(x, "access") + effects[:, 1])
    g = _expit(_linear(x, "gov") + effects[:, 2])
    s = _expit(_linear(x, "skills") + effects[:, 4])
    return {
        "internet_use": 1 - p0,
        "no_home_internet": NO_HOME_IF_NON_USER * p0 + (1 - p0) * q,
        "never_online_gov": p0 + (1 - p0) * g,
        "privacy_worries": _expit(_linear(x, "privacy") + effects[:, 3]),
        "low_digital_skills": p0 + (1 - p0) * s,
        "_user_low_skills": s,
        "_user_no_home": q,
    }


# --- the sample -----------------------------------------------------------------------------------


def _allocate(areas: pd.DataFrame) -> pd.DataFrame:
    """Respondents per stratum (province x urban/rural): provinces by the square root of their
    population 15+, then within a province in proportion to population; at least two draws each."""
    areas = areas.assign(stratum=np.where(areas["pruid"] == "11", 3, np.where(areas["rural"], 2, 1)))
    strata = areas.groupby(["pruid", "stratum"], as_index=False)["pop15"].sum()
    prov = strata.groupby("pruid")["pop15"].transform("sum")
    share = np.sqrt(prov) / np.sqrt(strata.groupby("pruid")["pop15"].sum()).sum()
    draws = np.maximum(2, np.round(N_RESPONDENTS * share * strata["pop15"] / prov / PER_DRAW)).astype(int)
    return strata.assign(draws=draws)


def _draw_people(rng: np.random.Generator, areas: pd.DataFrame, strata: pd.DataFrame) -> pd.DataFrame:
    """PPS draws of CSDs within strata, eight people per draw, their characteristics drawn from
    the CSD's margins."""
    areas = areas.assign(stratum=np.where(areas["pruid"] == "11", 3, np.where(areas["rural"], 2, 1)))
    picks, psu_stratum = [], []
    for row in strata.itertuples():  # one multinomial per stratum (20 strata)
        in_stratum = (areas["pruid"] == row.pruid) & (areas["stratum"] == row.stratum)
        members = np.flatnonzero(in_stratum.to_numpy())
        prob = areas["pop15"].to_numpy()[members]
        picks.append(rng.choice(members, size=row.draws, p=prob / prob.sum()))
        psu_stratum.append(np.full(row.draws, row.Index))
    psu_area = np.concatenate(picks)
    psu_stratum = np.concatenate(psu_stratum)
    area = np.repeat(psu_area, PER_DRAW)
    people = pd.DataFrame({"psu": np.repeat(np.arange(len(psu_area)), PER_DRAW),
                           "stratum": np.repeat(psu_stratum, PER_DRAW), "area": area})
    n = len(people)
    age_p = areas[[f"age_{a}" for a in AGE_GROUPS]].to_numpy()[area]
    people["age"] = (rng.random(n)[:, None] > np.cumsum(age_p, axis=1)).sum(axis=1).clip(0, 3)
    for name in MARGINS:
        people[name] = (rng.random(n) < areas[name].to_numpy()[area]).astype(np.uint8)
    people["women"] = (rng.random(n) < WOMEN[people["age"]]).astype(np.uint8)
    people["disability"] = (rng.random(n) < DISABILITY[people["age"]]).astype(np.uint8)
    people["rural"] = areas["rural"].to_numpy()[area].astype(np.uint8)
    return people


def _covariates(frame: pd.DataFrame) -> np.ndarray:
    age = frame["age"].to_numpy()
    return np.column_stack([age == 1, age == 2, age == 3, frame["women"], *[frame[m] for m in MARGINS],
                            frame["disability"], frame["rural"]]).astype(np.uint8)


def _pumf(rng: np.random.Generator, people: pd.DataFrame, areas: pd.DataFrame, probs: dict) -> pd.DataFrame:
    """The respondent file in the CIUS PUMF coding (see specs/cius.yml, cycle cius_2020_demo)."""
    n = len(people)
    pr = areas["pruid"].to_numpy()[people["area"]]
    age = people["age"].to_numpy()
    out = pd.DataFrame({"PUMFID": np.arange(1, n + 1)})
    out["GEO_PRV"] = pr.astype(int)
    out["LUC_RST"] = np.where(pr == "11", 3, np.where(people["rural"] == 1, 2, 1))
    out["AGE_GRP"] = np.array([1, 2, 4, 6])[age] + ((age == 1) | (age == 2)) * (rng.random(n) < 0.5)
    out["GENDER"] = np.where(people["women"] == 1, 2, 1)
    out["G_EDUC"] = np.where(people["no_certificate"] == 1, 1, np.where(rng.random(n) < 0.35, 3, 2))
    out["HINCQUIN"] = np.where(people["low_income"] == 1, 1, rng.integers(2, 6, n))
    shares = np.array([LANGUAGES.get(p, LANGUAGES_OTHER) for p in pr])
    known = 1 + (rng.random(n)[:, None] > np.cumsum(shares, axis=1)).sum(axis=1).clip(0, 2)
    out["LAN_Q01"] = np.where(people["no_official_language"] == 1, 4, known)
    out["ABOSTAT"] = np.where(people["indigenous"] == 1, 1, 2)
    out["IMMSTAT"] = np.where(people["immigrant"] == 1, 1, 2)
    out["DISABFLG"] = np.where(people["disability"] == 1, 1, 2)
    user = rng.random(n) < probs["internet_use"]
    out["UI_050A"] = np.where(user, 1, 3)
    no_home = np.where(user, rng.random(n) < probs["_user_no_home"], rng.random(n) < NO_HOME_IF_NON_USER)
    out["AC_110A"] = np.where(no_home, 3, 1)
    gov_p = (probs["never_online_gov"] - (1 - probs["internet_use"])) / probs["internet_use"]
    out["GV_USER"] = np.where(user & (rng.random(n) >= gov_p), 1, 2)
    worried = rng.random(n) < probs["privacy_worries"]
    out["SP_440A"] = np.where(rng.random(n) < 0.01, 9, np.where(worried, 1, 3))
    low = rng.random(n) < probs["_user_low_skills"]
    k = np.where(low, rng.integers(0, 2, n), rng.integers(2, 8, n))
    order = np.argsort(rng.random((n, 7)), axis=1)  # which activities: a random k of the seven
    done = order < k[:, None]
    for j, letter in enumerate("ABCDEFG"):
        out[f"DS_490{letter}"] = np.where(~user, 6, np.where(done[:, j], 1, 3))
    return out


def _weights(rng: np.random.Generator, people: pd.DataFrame, strata: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Design weights (population 15+ of the stratum / its respondents) and Rao-Wu bootstrap weights."""
    counts = people.groupby("stratum").size()
    w = (strata["pop15"].to_numpy() / counts.reindex(strata.index).to_numpy())[people["stratum"]]
    psu_stratum = people.groupby("psu")["stratum"].first().to_numpy()
    m = strata["draws"].to_numpy()
    mult = np.zeros((len(psu_stratum), N_REPLICATES))
    for h in range(len(strata)):  # resample m-1 of a stratum's m draws, per replicate (20 strata)
        members = np.flatnonzero(psu_stratum == h)
        chosen = rng.integers(0, m[h], size=(N_REPLICATES, m[h] - 1))
        hits = np.apply_along_axis(np.bincount, 1, chosen, minlength=m[h]).T
        mult[members] = hits * m[h] / (m[h] - 1)
    return np.round(w), np.round(w[:, None] * mult[people["psu"].to_numpy()])


def _area_truth(areas: pd.DataFrame, intercepts: pd.Series, effects: np.ndarray) -> pd.DataFrame:
    """True prevalence (%) of each outcome in each CSD, census division and province."""
    totals = np.zeros((len(areas), len(OUTCOMES)))
    for chunk in np.array_split(np.arange(len(areas)), 10):  # ten chunks of areas, to bound memory
        part = areas.iloc[chunk].reset_index(drop=True)
        cells = _cells(part)
        c = intercepts.loc[_keys(part["pruid"].to_numpy()[cells["area"]], cells["age"])].to_numpy()
        probs = true_probabilities(cells["x"], c, effects[chunk][cells["area"]])
        for j, outcome in enumerate(OUTCOMES):
            totals[chunk, j] = np.bincount(cells["area"], cells["share"] * probs[outcome], minlength=len(part))
    csd = areas[["DGUID", "pruid", "pop15"]].copy()
    csd["level"] = "Census subdivision"
    csd[OUTCOMES] = totals
    cd = csd.assign(DGUID=dguid("Census division", parse_dguid(csd["DGUID"])["code"].str[:4]), level="Census division")
    pr = csd.assign(DGUID=dguid("Province", csd["pruid"]), level="Province")
    frames = [csd]
    for frame in (cd, pr):
        keys = [frame["DGUID"], frame["level"], frame["pruid"]]
        sums = frame[OUTCOMES].mul(frame["pop15"], axis=0).groupby(keys).sum()
        pop = frame.groupby(["DGUID", "level", "pruid"])["pop15"].sum()
        frames.append(sums.div(pop, axis=0).assign(pop15=pop).reset_index())
    out = pd.concat(frames, ignore_index=True)
    out[OUTCOMES] = (100 * out[OUTCOMES]).round(3)
    out = out.rename(columns={o: f"pct_{o}" for o in OUTCOMES})
    return out[["DGUID", "level", "pruid", "pop15", *[f"pct_{o}" for o in OUTCOMES]]]


def _load_areas(out_dir: Path) -> pd.DataFrame:
    """CSD compositions: the census profile written in this run, else the embedded one."""
    fresh = out_dir / CENSUS_FILE
    if fresh.is_file():
        return compositions(census_extract(fresh, level="Census subdivision"))
    return demo_compositions()


def generate(out_dir: Path, seed: int) -> list[Path]:
    """Write the demo PUMF and its truth files under ``out_dir/demo/survey``; return their paths."""
    rng = np.random.default_rng([seed, 56])  # 56M0003X
    areas = _load_areas(Path(out_dir))
    effects = rng.normal(0, AREA_SD, size=(len(areas), len(OUTCOMES)))
    intercepts = calibrate_use(_cells(areas), areas, effects)
    strata = _allocate(areas)
    people = _draw_people(rng, areas, strata)
    x = _covariates(people)
    c = intercepts.loc[_keys(areas["pruid"].to_numpy()[people["area"]], people["age"].to_numpy())].to_numpy()
    probs = true_probabilities(x, c, effects[people["area"]])
    pumf = _pumf(rng, people, areas, probs)
    weight, replicates = _weights(rng, people, strata)
    pumf["WTPG"] = weight.astype(int)
    reps = pd.DataFrame(replicates.astype(int), columns=[f"WTBS_{r:03d}" for r in range(1, N_REPLICATES + 1)])
    pumf = pd.concat([pumf, reps], axis=1)

    folder = Path(out_dir) / DEMO_DIR
    folder.mkdir(parents=True, exist_ok=True)
    vare, vale = spss_labels()
    stem = DATA_MEMBER.removesuffix(".csv")
    write_zip(folder / PUMF_NAME, {
        DATA_MEMBER: pumf.to_csv(index=False, lineterminator="\r\n").encode("latin-1"),
        f"{stem}_vare.sps": vare.encode("latin-1"),
        f"{stem}_vale.sps": vale.encode("latin-1"),
        "README_SYNTHETIC.txt": NOTICE.encode("latin-1"),
    })
    truth = pd.DataFrame({"PUMFID": pumf["PUMFID"], "DGUID": areas["DGUID"].to_numpy()[people["area"]]})
    for outcome in OUTCOMES:
        truth[f"p_{outcome}"] = probs[outcome].round(5)
    write_gzip_csv(folder / TRUTH_PERSONS, truth)
    write_gzip_csv(folder / TRUTH_AREAS, _area_truth(areas, intercepts, effects))
    return [folder / PUMF_NAME, folder / TRUTH_PERSONS, folder / TRUTH_AREAS]


# --- stand-in PUMFs in the official layouts of each cycle (for tests of the real-data path) -------
#
# Not the demo: small files, other values, in the layout of a real cycle (specs/cius.yml), so that
# the reader, the small-area methods and the index can be tested on what an analyst will give them.

#: Population 15+ by province (2021 Census, rounded) and an illustrative share living outside CMAs/CAs.
STANDIN_PROVINCES = {
    "10": (440_000, 0.45), "11": (130_000, 0.0), "12": (820_000, 0.40), "13": (660_000, 0.45),
    "24": (7_100_000, 0.18), "35": (12_000_000, 0.13), "46": (1_060_000, 0.30), "47": (930_000, 0.35),
    "48": (3_500_000, 0.18), "59": (4_300_000, 0.13),
}
#: Shares of people 15+ with each characteristic (illustrative, not calibrated).
STANDIN_SHARES = {"women": 0.51, "low_income": 0.15, "no_certificate": 0.13, "no_official_language": 0.02,
                  "indigenous": 0.05, "immigrant": 0.26, "disability": 0.22}
STANDIN_AGES = (0.14, 0.32, 0.30, 0.24)
#: Log-odds of the stand-in outcomes (intercept, then COVARIATES); deliberately unlike COEFFICIENTS.
STANDIN_COEFFICIENTS = {
    #                    icpt  25-44 45-64  65+  women lowinc nocert nolang indig immig  disab rural
    "internet_use":     [3.4, -0.3, -1.0, -2.3, 0.00, -0.9, -1.2, -1.0, -0.5,  0.2, -0.6, -0.5],
    "no_home_internet": [-3.0, 0.0,  0.3,  1.4, 0.00,  1.1,  0.7,  0.6,  0.8, -0.1,  0.3,  1.0],
    "never_online_gov": [-0.7, -0.5, -0.1, 1.2, 0.10,  0.7,  0.9,  1.0,  0.4, -0.2,  0.3,  0.4],
    "privacy_worries":  [-0.2, 0.2,  0.4,  0.5, 0.25,  0.2,  0.1,  0.3,  0.2,  0.3,  0.2,  0.1],
    "low_digital_skills": [-1.6, 0.4, 1.0, 2.0, 0.10,  0.7,  1.2,  1.0,  0.4,  0.1,  0.5,  0.4],
}
#: Member names and layout of each cycle (see specs/cius.yml for the sources of the names).
STANDIN_LAYOUTS = {
    "cius_2018": {"data": "CIUS2018PUMF.txt", "bootstrap": "CIUS2018_BSW.csv", "fixed": True, "weight": "WTPM",
                  "prefix": "WRPM", "point": False},
    "cius_2020": {"data": "CIUS2020_PUMF.csv", "bootstrap": "CIUS2020_BSW.csv", "fixed": False, "weight": "WTPG",
                  "prefix": "WRPG", "point": True},
    "cius_2022": {"data": "CIUS_PUMF.txt", "bootstrap": "CIUS_BSW.csv", "fixed": True, "weight": "WTPG",
                  "prefix": "WRPG", "point": True},
}
STANDIN_NOTICE = ("STAND-IN TEST DATA - NOT STATISTICS CANADA DATA. Invented respondents in the layout of the "
                  "Canadian Internet Use Survey PUMF, cycle {cycle}, written by playbook.demo.survey.write_standin_pumf.\n")


def _standin_people(rng: np.random.Generator, respondents: int) -> pd.DataFrame:
    """Respondents in clusters of PER_DRAW within strata (province x urban/rural; PEI one stratum)."""
    strata = pd.DataFrame([(p, s, pop * (share if s == 2 else 1 - share) if p != "11" else pop)
                           for p, (pop, share) in STANDIN_PROVINCES.items() for s in ((3,) if p == "11" else (1, 2))],
                          columns=["pruid", "stratum", "pop15"])
    prov = strata.groupby("pruid")["pop15"].transform("sum")
    share = np.sqrt(prov) / np.sqrt(strata.groupby("pruid")["pop15"].sum()).sum()
    strata["draws"] = np.maximum(2, np.round(respondents * share * strata["pop15"] / prov / PER_DRAW)).astype(int)
    h = np.repeat(np.arange(len(strata)), strata["draws"] * PER_DRAW)
    people = pd.DataFrame({"h": h, "psu": np.repeat(np.arange(strata["draws"].sum()), PER_DRAW)})
    n = len(people)
    people["pruid"] = strata["pruid"].to_numpy()[h]
    people["luc"] = strata["stratum"].to_numpy()[h]
    people["rural"] = np.where(people["luc"] == 3, rng.random(n) < 0.45, people["luc"] == 2).astype(np.uint8)
    people["age"] = (rng.random(n)[:, None] > np.cumsum(STANDIN_AGES)[None, :]).sum(axis=1).clip(0, 3)
    for name, p in STANDIN_SHARES.items():
        people[name] = (rng.random(n) < p).astype(np.uint8)
    raw = rng.lognormal(0, 0.25, n)  # unequal weights within a stratum, summing to its population
    people["weight"] = raw * (strata["pop15"].to_numpy() / np.bincount(h, raw))[h]
    return people, strata


def _standin_replicates(rng: np.random.Generator, people: pd.DataFrame, strata: pd.DataFrame, n: int) -> np.ndarray:
    """Rao-Wu rescaled bootstrap weights: per replicate, m - 1 of a stratum's m clusters drawn with
    replacement, weights times ``count * m / (m - 1)``."""
    psu_h = people.groupby("psu")["h"].first().to_numpy()
    mult = np.zeros((len(psu_h), n))
    for h, m in enumerate(strata["draws"].to_numpy()):  # one multinomial per stratum (19 strata)
        mult[psu_h == h] = (rng.multinomial(m - 1, np.full(m, 1 / m), size=n) * m / (m - 1)).T
    return people["weight"].to_numpy()[:, None] * mult[people["psu"].to_numpy()]


def _standin_codes(rng: np.random.Generator, people: pd.DataFrame, cycle: str) -> pd.DataFrame:
    """The respondent file in the cycle's coding (names of specs/cius.yml), outcomes drawn from
    :data:`STANDIN_COEFFICIENTS`."""
    n = len(people)
    age = people["age"].to_numpy()
    x = _covariates(people)
    p = {k: _expit(v[0] + x.astype(float) @ np.array(v[1:])) for k, v in STANDIN_COEFFICIENTS.items()}
    age6 = np.array([1, 2, 4, 6])[age] + ((age == 1) | (age == 2)) * (rng.random(n) < 0.5)
    quintile = np.where(people["low_income"] == 1, 1, rng.integers(2, 6, n))
    quintile = np.where(rng.random(n) < 0.03, 9, quintile)  # not stated
    language = np.where(people["no_official_language"] == 1, 4, rng.choice([1, 2, 3], n, p=[0.7, 0.12, 0.18]))
    out = pd.DataFrame({"PUMFID": np.arange(1, n + 1)})
    if cycle == "cius_2020":
        user = rng.random(n) < p["internet_use"]
        out["GEO_PRV"] = people["pruid"].astype(int)
        out["LUC_RST"] = people["luc"]
        out["AGE_GRP"] = age6
        out["GENDER"] = np.where(people["women"] == 1, 2, 1)
        out["G_EDUC"] = np.where(people["no_certificate"] == 1, 1, rng.choice([2, 3], n, p=[0.6, 0.4]))
        out["HINCQUIN"] = quintile
        out["LAN_Q01"] = language
        out["ABOSTAT"] = np.where(people["indigenous"] == 1, 1, 2)
        out["IMMSTAT"] = np.where(people["immigrant"] == 1, 1, 2)
        out["DISABFLG"] = np.where(people["disability"] == 1, 1, 2)
        out["UI_050A"] = np.where(user, 1, 3)
        out["AC_110A"] = np.where(rng.random(n) < p["no_home_internet"], 3, 1)
        out["GV_USER"] = np.where(user & (rng.random(n) >= p["never_online_gov"]), 1, 2)
        out["SP_440A"] = np.where(rng.random(n) < 0.02, 9, np.where(rng.random(n) < p["privacy_worries"], 1, 3))
        done = rng.random((n, 7)) < np.where(rng.random(n) < p["low_digital_skills"], 0.1, 0.7)[:, None]
        for j, letter in enumerate("ABCDEFG"):
            out[f"DS_490{letter}"] = np.where(~user, 6, np.where(done[:, j], 1, 3))
        return out
    out["PROVINCE"] = people["pruid"].astype(int)
    out["LUC_RST"] = people["luc"]
    out["ABOSTAT"] = np.where(people["indigenous"] == 1, 1, 2)
    out["G_EDUC"] = np.where(people["no_certificate"] == 1, 1, rng.choice([1, 2, 3], n, p=[0.2, 0.45, 0.35]))
    out["GENDER"] = np.where(people["women"] == 1, 2, 1)
    out["AGE_GRP"] = age6
    out["LAN_Q01"] = language
    out["HINCQUIN"] = quintile
    out["GV_USER"] = np.where(rng.random(n) < p["never_online_gov"], 2, 1)
    return out


#: Value labels of the stand-in codebooks (as the 2018 syntax words them; the demo's for 2020 names).
STANDIN_LABELS = {
    "PROVINCE": VALUE_LABELS[("GEO_PRV",)], "GEO_PRV": VALUE_LABELS[("GEO_PRV",)],
    "LUC_RST": VALUE_LABELS[("LUC_RST",)], "AGE_GRP": VALUE_LABELS[("AGE_GRP",)], "GENDER": VALUE_LABELS[("GENDER",)],
    "G_EDUC": VALUE_LABELS[("G_EDUC",)], "HINCQUIN": VALUE_LABELS[("HINCQUIN",)], "LAN_Q01": VALUE_LABELS[("LAN_Q01",)],
    **{k: YES_NO_DV for k in ("ABOSTAT", "IMMSTAT", "DISABFLG", "GV_USER")},
    **{k: YES_NO for k in ("UI_050A", "AC_110A", "SP_440A", *[f"DS_490{c}" for c in "ABCDEFG"])},
}


def _syntax(frame: pd.DataFrame, widths: dict[str, int] | None, decimals: dict[str, int], prefix: str) -> dict[str, str]:
    """SPSS syntax of a stand-in file: value labels, variable labels and (fixed width) the DATA LIST."""
    vale = "VALUE LABELS\n" + "".join(
        f"              /{name}\n" + "".join(f'               {c:>5}   "{label}"\n' for c, label in STANDIN_LABELS[name].items())
        for name in frame.columns if name in STANDIN_LABELS) + "    .\n"
    names = [n for n in frame.columns if not n.startswith(prefix) or n == f"{prefix}1"]
    labels = VARIABLE_LABELS | {"PROVINCE": "Province", "WTPM": "Person weight", f"{prefix}1": "Bootstrap weight"}
    vare = "VARIABLE LABELS\n" + "".join(f'    {n:<14} "{labels.get(n, n)}"\n' for n in names) + "    .\n"
    out = {"vale": vale, "vare": vare}
    if widths:
        lines, pos = ["DATA LIST FILE = INFILE NOTABLE/"], 1
        for name, w in widths.items():
            tail = f"   ({decimals[name]})" if name in decimals else "   (A)" if name == "AGE_GRP" else ""
            lines.append(f"    {name:<30} {pos:>7} - {pos + w - 1:>7}{tail}")
            pos += w
        out["i"] = "\n".join(lines) + "\n    .\n"
    return out


def _fixed_width(frame: pd.DataFrame, widths: dict[str, int]) -> bytes:
    """``frame`` (text cells) as fixed-width records: one bytes matrix, filled column by column."""
    n, total = len(frame), sum(widths.values())
    matrix = np.full((n, total), ord(" "), np.uint8)
    pos = 0
    for name, w in widths.items():
        cells = np.char.rjust(frame[name].to_numpy().astype(str), w).astype(f"S{w}")
        matrix[:, pos:pos + w] = np.frombuffer(cells.tobytes(), np.uint8).reshape(n, w)
        pos += w
    return b"".join(row.tobytes() + b"\r\n" for row in matrix) if n else b""


def write_standin_pumf(path: str | Path, cycle: str, *, bootstrap_inside: bool, seed: int,
                       respondents: int = 3000, replicates: int = 40) -> Path:
    """Write a stand-in PUMF zip in the layout of ``cycle`` (``cius_2018``, ``cius_2020``, ``cius_2022``).

    - ``cius_2018``: fixed-width ``CIUS2018PUMF.txt`` with its ``DATA LIST`` (``*_i.sps``), weight
      ``WTPM`` and replicates ``WRPM1..`` written with 9 implied decimals (no decimal point);
    - ``cius_2020``: ``CIUS2020_PUMF.csv``, weight ``WTPG``, replicates ``WRPG1..``;
    - ``cius_2022``: fixed-width ``CIUS_PUMF.txt`` beside a tabulation file ``CIUS_PUMF_label.txt``
      (not data), weight ``WTPG`` and replicates ``WRPG1..`` written with a decimal point.

    Each comes with value and variable labels (``*_vale.sps``, ``*_vare.sps``). With
    ``bootstrap_inside`` the replicate weights are columns of the data file; without, they are in a
    second CSV of the zip (record id, weight, replicates) whose name sorts before the data file's.
    Respondents, weights and outcomes are invented (:data:`STANDIN_COEFFICIENTS`), unlike the demo."""
    if cycle not in STANDIN_LAYOUTS:
        raise PlaybookError(f"no stand-in layout for cycle '{cycle}'", field="cycle", expected=f"one of {list(STANDIN_LAYOUTS)}")
    form = STANDIN_LAYOUTS[cycle]
    rng = np.random.default_rng([seed, int(cycle[-4:])])
    people, strata = _standin_people(rng, respondents)
    codes = _standin_codes(rng, people, cycle)
    weight = people["weight"].to_numpy()
    reps = pd.DataFrame(_standin_replicates(rng, people, strata, replicates),
                        columns=[f"{form['prefix']}{r}" for r in range(1, replicates + 1)])
    numbers = pd.concat([pd.Series(weight, name=form["weight"]), reps], axis=1)
    if form["point"]:
        text = numbers.map(lambda v: f"{v:.4f}") if form["fixed"] else numbers.round(4)
    else:  # implied decimals: the digits of value * 10^9
        text = numbers.map(lambda v: f"{round(v * 1e9):d}")
    data = pd.concat([codes, text if bootstrap_inside else text[[form["weight"]]]], axis=1)
    stem = form["data"].rsplit(".", 1)[0]
    members: dict[str, bytes] = {}
    if form["fixed"]:
        widths = {c: 2 if c in ("PROVINCE", "AGE_GRP") else 6 if c == "PUMFID" else 1 for c in codes.columns}
        widths |= {c: 15 for c in data.columns if c not in widths}
        data["PUMFID"] = data["PUMFID"].map(lambda v: f"{v:06d}")
        data["AGE_GRP"] = data["AGE_GRP"].map(lambda v: f"{v:02d}")
        members[form["data"]] = _fixed_width(data, widths)
        syntax = _syntax(data, widths, {c: 9 for c in data.columns if widths[c] == 15}, form["prefix"])
        members[f"{stem}_i.sps"] = syntax["i"].encode("latin-1")
    else:
        members[form["data"]] = data.to_csv(index=False, lineterminator="\r\n").encode("latin-1")
        syntax = _syntax(data, None, {}, form["prefix"])
    members[f"{stem}_vale.sps"] = syntax["vale"].encode("latin-1")
    members[f"{stem}_vare.sps"] = syntax["vare"].encode("latin-1")
    if cycle == "cius_2022":
        members["CIUS_PUMF_label.txt"] = b"".join(f"{c:<12}{c} tabulation label\r\n".encode() for c in codes.columns)
    if not bootstrap_inside:
        boot = pd.concat([codes[["PUMFID"]], numbers.round(6)], axis=1)
        members[form["bootstrap"]] = boot.to_csv(index=False, lineterminator="\r\n").encode("latin-1")
    members["README_STANDIN.txt"] = STANDIN_NOTICE.format(cycle=cycle).encode("latin-1")
    return write_zip(Path(path), dict(sorted(members.items())))
