"""Small-area estimation: survey group rates carried to census areas, two ways.

(a) **Synthetic estimation**: the survey's rate for each province x age group, applied to each
area's age composition: ``p_area = sum_g share_area,g * p_prov,g``. It assumes that people of the
same age in the same province behave alike wherever they live.

(b) **Model-based (post-stratified logistic regression)**: a weighted logistic regression of the
outcome on age group, sex, income, education, official-language knowledge, immigration, Indigenous
identity, disability, rurality and province, fitted with scikit-learn, predicted for every
combination of characteristics and averaged with each area's census composition as weights. The
census gives margins only, so the characteristics are combined as if independent within an area
(sex and disability by age as in the survey).

Both carry the survey's sampling uncertainty to the areas with the bootstrap weights: the rates
(or the model's coefficients, see :func:`fit_model`) are recomputed with each
replicate weight, every area estimate with them, and ``se`` is the bootstrap standard error. The
intervals do **not** include what neither method can see (an area that differs from its
composition), which is why they are checked against the truth (:mod:`playbook.groups.validate`).
Roll-ups to census divisions and provinces weight areas by their population aged 15+.

A cycle that lacks a characteristic (CIUS 2018 has no immigration or disability variable) still
fits: the model leaves out every feature without variation among its respondents
(:func:`absent_features`, :func:`model_features`), so the areas' census shares of it do not move
their estimates. Areas in a province without respondents are refused, as in (a).

:func:`area_indicators` carries the estimates to the index: one row per census subdivision or
dissemination area with the spec's area-file columns ``pct_<outcome>`` and their bootstrap standard
errors ``pct_<outcome>_se`` (``python -m playbook groups indicators`` writes it as a CSV).
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike

import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import norm
from sklearn.linear_model import LogisticRegression

from playbook import indicators
from playbook.codes import CIUS_PROVINCES, dguid, parse_dguid
from playbook.errors import PlaybookError
from playbook.groups.composition import AGE_GROUPS, MARGINS, census_extract, compositions
from playbook.groups.definitions import group as group_definition
from playbook.sources.survey_estimates import weighted_totals

#: Survey concept -> (column, value meaning "has the characteristic") for the binary margins.
SURVEY_MARGINS = {
    "low_income": ("income_quintile", "q1"),
    "no_certificate": ("education", "no_certificate"),
    "no_official_language": ("official_language", "neither"),
    "indigenous": ("indigenous", "yes"),
    "immigrant": ("immigrant", "yes"),
}
FEATURES = ["age_25-44", "age_45-64", "age_65+", "women", *MARGINS, "disability", "rural"]
PROVINCES = list(CIUS_PROVINCES)
METHODS = ("synthetic", "model")


def _replicate_weights(survey, n_replicates: int | None) -> np.ndarray:
    if survey.replicates is None:
        raise PlaybookError("small-area intervals need bootstrap replicate weights", field="replicates",
                            expected="a PUMF with bootstrap weights (or a bootstrap file)")
    reps = survey.replicates if n_replicates is None else survey.replicates[:, :n_replicates]
    return np.column_stack([survey.weight, reps])


def _interval(est: np.ndarray, reps: np.ndarray, confidence: float, extra: np.ndarray) -> dict[str, np.ndarray]:
    """Bootstrap standard error (plus ``extra`` variance, if any) and a normal interval, in percent."""
    se = np.sqrt(np.mean((reps - est[:, None]) ** 2, axis=1) + extra)
    z = norm.ppf(0.5 + confidence / 2)
    return {"estimate": 100 * est, "se": 100 * se, "lower": 100 * np.clip(est - z * se, 0, 1),
            "upper": 100 * np.clip(est + z * se, 0, 1)}


def _rollup(comp: pd.DataFrame, values: np.ndarray, extra: np.ndarray) -> list[tuple[pd.DataFrame, np.ndarray, np.ndarray]]:
    """Area values (areas x k) and their population-weighted means by census division and province,
    with the extra (model) variance of each area rolled up as for independent area effects."""
    pop = comp["pop15"].to_numpy()
    level = str(comp["GEO_LEVEL"].iloc[0]) if "GEO_LEVEL" in comp and len(comp) else "Census subdivision"
    out = [(comp[["DGUID", "pruid", "pop15"]].assign(level=level), values, extra)]
    for level, key in (("Census division", dguid("Census division", parse_dguid(comp["DGUID"])["code"].str[:4])),
                       ("Province", dguid("Province", comp["pruid"]))):
        codes, uniques = pd.factorize(key)
        num = np.zeros((len(uniques), values.shape[1]))
        np.add.at(num, codes, values * pop[:, None])
        den = np.bincount(codes, pop)
        var = np.bincount(codes, pop**2 * extra) / den**2
        frame = pd.DataFrame({"DGUID": uniques, "pruid": pd.Series(uniques).str[9:11], "pop15": den, "level": level})
        out.append((frame, num / den[:, None], var))
    return out


def _table(comp, values, method, outcome, confidence, extra=None) -> pd.DataFrame:
    extra = np.zeros(len(comp)) if extra is None else extra
    parts = []
    for frame, v, var in _rollup(comp, values, extra):
        stats = _interval(v[:, 0], v[:, 1:], confidence, var)
        parts.append(frame.assign(method=method, outcome=outcome, **stats))
    cols = ["DGUID", "level", "pruid", "pop15", "method", "outcome", "estimate", "se", "lower", "upper"]
    return pd.concat(parts, ignore_index=True)[cols]


def _check(survey, outcome: str, comp: pd.DataFrame) -> None:
    if outcome not in survey.data.columns:
        raise PlaybookError(f"no outcome '{outcome}' in the survey", field="outcome",
                            expected=f"one of {survey.outcomes}")
    if comp.empty:
        raise PlaybookError("no areas to estimate for", field="census", expected="areas of the ten provinces")


# --- (a) synthetic estimation ---------------------------------------------------------------------


def synthetic(survey, outcome: str, comp: pd.DataFrame, *, n_replicates: int | None = None,
              confidence: float = 0.95) -> pd.DataFrame:
    """Synthetic estimates of ``outcome`` (%) for every area of ``comp`` and its roll-ups."""
    _check(survey, outcome, comp)
    d = survey.data
    w = _replicate_weights(survey, n_replicates)
    y = d[outcome].to_numpy(float)
    prov = pd.Categorical(d["province"], categories=PROVINCES).codes
    age = pd.Categorical(d["age_group"], categories=AGE_GROUPS).codes
    ok = (prov >= 0) & (age >= 0)
    cell = np.where(ok, prov * len(AGE_GROUPS) + age, 0)
    num, den = weighted_totals(np.where(ok, y, np.nan), cell, len(PROVINCES) * len(AGE_GROUPS), w)
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = (num / den).reshape(len(PROVINCES), len(AGE_GROUPS), -1)
    area_prov = pd.Categorical(comp["pruid"], categories=PROVINCES).codes
    shares = comp[[f"age_{a}" for a in AGE_GROUPS]].to_numpy()
    empty = np.isnan(rates[area_prov, :, 0]) & (shares > 0)
    if empty.any():
        a, g = np.argwhere(empty)[0]
        raise PlaybookError(f"no respondents in province {comp['pruid'].iloc[a]}, age {AGE_GROUPS[g]}", field=outcome,
                            expected="respondents in every province and age group of the areas")
    rates = np.nan_to_num(rates)
    values = np.einsum("ag,agr->ar", shares, rates[area_prov])
    return _table(comp, values, "synthetic", outcome, confidence)


# --- (b) model-based ------------------------------------------------------------------------------


#: Model feature -> the survey concept it is read from (the age features from ``age_group``).
FEATURE_CONCEPTS = {"women": "sex", **{k: v[0] for k, v in SURVEY_MARGINS.items()}, "disability": "disability"}


def absent_features(survey) -> list[str]:
    """Features the survey's cycle cannot inform: their concept is missing for every respondent
    (``unavailable`` in ``specs/cius.yml``, such as immigration and disability in CIUS 2018)."""
    return [name for name, col in FEATURE_CONCEPTS.items() if survey.data[col].isna().all()]


def design_matrix(survey, comp: pd.DataFrame | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Respondent features (:data:`FEATURES` + province dummies) and a mask of usable rows.

    Prince Edward Island's file does not split urban and rural (``LUC_RST`` 3): its respondents get
    the rural share of PEI's population (from ``comp``, else 0.5) as their rural value. A feature
    the cycle does not have (:func:`absent_features`) is 0 for everyone and makes no row unusable."""
    d = survey.data
    cols = {f"age_{a}": (d["age_group"] == a) for a in AGE_GROUPS[1:]}
    cols["women"] = d["sex"] == "women"
    for name, (col, value) in SURVEY_MARGINS.items():
        cols[name] = d[col] == value
    cols["disability"] = d["disability"] == "yes"
    pei_rural = 0.5
    if comp is not None and (comp["pruid"] == "11").any():
        pei = comp[comp["pruid"] == "11"]
        pei_rural = float(np.average(pei["rural"], weights=pei["pop15"]))
    cols["rural"] = (d["urban_rural"] == "rural").astype(float).mask(d["urban_rural"] == "pei", pei_rural)
    x = pd.DataFrame(cols).astype(float)
    absent = absent_features(survey)
    for name, col in FEATURE_CONCEPTS.items():
        x[name] = 0.0 if name in absent else x[name].mask(d[col].isna())
    x[[c for c in x if c.startswith("age_")]] = x[[c for c in x if c.startswith("age_")]].mask(d["age_group"].isna())
    provinces = pd.get_dummies(pd.Categorical(d["province"], categories=PROVINCES), dtype=float).iloc[:, 1:]
    matrix = np.column_stack([x[FEATURES].to_numpy(), provinces.to_numpy()])
    usable = ~np.isnan(matrix).any(axis=1) & d["province"].notna().to_numpy()
    return np.nan_to_num(matrix), usable


def fit_model(survey, outcome: str, comp: pd.DataFrame | None = None, *, n_replicates: int | None = None
              ) -> np.ndarray:
    """Coefficients (intercept, :data:`FEATURES`, province dummies) for the full sample (column 0,
    scikit-learn) and each bootstrap replicate (columns 1..R).

    The replicate fits are one Newton step from the full-sample fit with the full-sample information
    matrix: ``beta_r = beta + H^-1 X'(w_r * (y - p))`` — all replicates in one product. On the demo
    PUMF their spread matches full refits within about 2%, at a fiftieth of the cost.

    A feature without variation among the respondents who answered (a concept the cycle lacks, a
    category its coding never gives) is left out of the fit: its coefficient is 0, so the areas'
    census share of it does not move their estimates (see :func:`model_features`)."""
    x, y, usable, keep = _model_rows(survey, outcome, comp)
    w = _replicate_weights(survey, n_replicates)[usable]
    x, w = x[:, keep], w / w[:, 0].mean()
    model = LogisticRegression(C=1e6, solver="newton-cholesky", max_iter=100, tol=1e-8)
    model.fit(x, y, sample_weight=w[:, 0])
    beta = np.concatenate([model.intercept_, model.coef_[0]])
    xx = np.column_stack([np.ones(len(x)), x])
    p = expit(xx @ beta)
    info = (xx * (w[:, 0] * p * (1 - p))[:, None]).T @ xx
    scores = xx.T @ (w[:, 1:] * (y - p)[:, None])
    fitted = np.column_stack([beta, beta[:, None] + np.linalg.solve(info + 1e-8 * np.eye(len(beta)), scores)])
    out = np.zeros((1 + len(keep), fitted.shape[1]))
    out[np.concatenate([[True], keep])] = fitted
    return out


def _model_rows(survey, outcome: str, comp: pd.DataFrame | None):
    """The usable rows of the design matrix and the outcome, their mask, and the columns with
    variation; a clear error when nothing can be fitted."""
    if outcome not in survey.data.columns:
        raise PlaybookError(f"no outcome '{outcome}' in the survey", field="outcome", expected=f"one of {survey.outcomes}")
    x, usable = design_matrix(survey, comp)
    y = survey.data[outcome].to_numpy(float)
    usable &= ~np.isnan(y)
    x, y = x[usable], y[usable]
    if len(np.unique(y)) < 2:
        raise PlaybookError(f"{len(y)} respondents answered '{outcome}'" + (" all alike" if len(y) else ""),
                            field=outcome, expected="respondents with and without the outcome, with every mapped variable")
    return x, y, usable, x.min(axis=0) < x.max(axis=0)


def model_features(survey, outcome: str, comp: pd.DataFrame | None = None) -> list[str]:
    """The features (of :data:`FEATURES` and ``province_<code>``) the model of ``outcome`` uses;
    the others are left out (see :func:`fit_model`)."""
    keep = _model_rows(survey, outcome, comp)[3]
    names = [*FEATURES, *[f"province_{p}" for p in PROVINCES[1:]]]
    return [n for n, k in zip(names, keep, strict=True) if k]


def cells_of(comp: pd.DataFrame, survey) -> tuple[np.ndarray, np.ndarray]:
    """Characteristic combinations (512 x features, without province) and each area's share of each
    (areas x 512): age x five census margins x sex x disability, independent within the area; sex
    and disability by age from the survey's weighted shares."""
    d = survey.data
    grid = _grid()
    ages = pd.Categorical(grid["age"], categories=AGE_GROUPS).codes
    bits = grid[[*MARGINS, "women", "disability"]].to_numpy()
    by_age = pd.DataFrame({"age": d["age_group"], "women": (d["sex"] == "women").mask(d["sex"].isna()),
                           "disability": (d["disability"] == "yes").mask(d["disability"].isna()), "w": survey.weight})
    rates = {}
    for col in ("women", "disability"):
        ok = by_age[col].notna()
        g = by_age[ok].assign(v=by_age.loc[ok, col].astype(float) * by_age.loc[ok, "w"]).groupby("age")
        rates[col] = (g["v"].sum() / g["w"].sum()).reindex(AGE_GROUPS).fillna(0).to_numpy()
    share = comp[[f"age_{a}" for a in AGE_GROUPS]].to_numpy()[:, ages]
    for j, name in enumerate(MARGINS):
        p = comp[name].to_numpy()[:, None]
        share = share * np.where(bits[None, :, j] == 1, p, 1 - p)
    for j, col in ((-2, "women"), (-1, "disability")):
        r = rates[col][ages]
        share = share * np.where(bits[:, j] == 1, r, 1 - r)[None, :]
    feats = np.column_stack([ages == 1, ages == 2, ages == 3, bits[:, -2], bits[:, :len(MARGINS)], bits[:, -1]])
    return feats.astype(float), share


def model_based(survey, outcome: str, comp: pd.DataFrame, *, n_replicates: int | None = None,
                confidence: float = 0.95, subgroup: np.ndarray | None = None,
                betas: np.ndarray | None = None, cells: tuple | None = None, area_sd: float = 0.0
                ) -> pd.DataFrame:
    """Model-based estimates of ``outcome`` (%) for every area of ``comp`` and its roll-ups.

    ``subgroup`` (a boolean mask over the 512 characteristic combinations, see
    :func:`subgroup_mask`) restricts each area's population to a group, e.g. seniors. ``betas``:
    coefficients from :func:`fit_model`, to reuse one fit for several groups; ``cells``: from
    :func:`cells_of`, to reuse the compositions.

    ``area_sd`` adds to each interval the variation the model cannot see: an area effect with this
    standard deviation on the log-odds scale, i.e. a variance ``(p (1 - p) area_sd)^2`` per area
    (delta method), averaged as independent effects in the roll-ups. It is an assumption, not an
    estimate: the PUMF does not identify areas. The default 0 gives sampling error only."""
    _check(survey, outcome, comp)
    have = set(survey.data.loc[survey.data[outcome].notna(), "province"].dropna())
    lacking = sorted(set(comp.loc[comp["pop15"] > 0, "pruid"]) - have)
    if lacking:
        raise PlaybookError(f"no respondents in province {lacking[0]}", field=outcome,
                            expected="respondents in every province of the areas")
    if betas is None:
        betas = fit_model(survey, outcome, comp, n_replicates=n_replicates)
    feats, share = cells if cells is not None else cells_of(comp, survey)
    if subgroup is not None:
        share = share * subgroup[None, :]
    total = share.sum(axis=1, keepdims=True)
    share = np.divide(share, total, out=np.zeros_like(share), where=total > 0)
    # the linear predictor depends on the area only through its province and rurality: compute the
    # probabilities once per (province, rural) x combination x replicate, then weight by the shares
    prov = pd.Categorical(comp["pruid"], categories=PROVINCES).codes
    rural = comp["rural"].to_numpy(int)
    key = prov * 2 + rural
    n_feat = len(FEATURES)
    keys = np.arange(2 * len(PROVINCES))
    prov_effect = np.vstack([np.zeros(betas.shape[1]), betas[1 + n_feat:]])[keys // 2]  # keys x R
    area_part = betas[0][None, :] + prov_effect + (keys % 2)[:, None] * betas[n_feat][None, :]
    cell_part = feats @ betas[1:n_feat]  # combinations x R
    probs = expit(area_part[:, None, :] + cell_part[None, :, :])  # keys x combinations x R
    values = np.empty((len(comp), betas.shape[1]))
    for k in np.unique(key):  # at most 20 (province, rural) pairs
        rows = key == k
        values[rows] = share[rows] @ probs[k]
    extra = (values[:, 0] * (1 - values[:, 0]) * area_sd) ** 2
    out = _table(comp.assign(pop15=comp["pop15"] * total[:, 0]), values, "model", outcome, confidence, extra)
    return out


def subgroup_mask(group: str) -> np.ndarray:
    """Which of the 512 characteristic combinations belong to ``group`` (its ``grid`` filter in
    :data:`playbook.groups.definitions.GROUPS`)."""
    definition = group_definition(group, small_area=True)
    feats = _grid()
    if definition.grid is None:
        return np.ones(len(feats), bool)
    column, value = definition.grid
    return (feats[column] == value).to_numpy()


def _grid() -> pd.DataFrame:
    bits = np.array(np.meshgrid(*[[0, 1]] * (len(MARGINS) + 2), indexing="ij")).reshape(len(MARGINS) + 2, -1).T
    ages = np.repeat(np.arange(len(AGE_GROUPS)), len(bits))
    bits = np.tile(bits, (len(AGE_GROUPS), 1))
    frame = pd.DataFrame(bits, columns=[*MARGINS, "women", "disability"])
    frame["age"] = np.array(AGE_GROUPS)[ages]
    return frame


def fit_all(survey, comp: pd.DataFrame, outcomes: Sequence[str] | None = None, *,
            n_replicates: int | None = None) -> dict[str, np.ndarray]:
    """:func:`fit_model` for several outcomes (to reuse in :func:`estimate_areas` and group views)."""
    return {o: fit_model(survey, o, comp, n_replicates=n_replicates) for o in outcomes or default_outcomes(survey)}


def default_outcomes(survey) -> list[str]:
    """The outcomes of the EVI dimensions (every mapped outcome except Internet use)."""
    return [o for o in survey.outcomes if o != "internet_use"]


def estimate_areas(survey, comp: pd.DataFrame, *, method: str, outcomes: Sequence[str] | None = None,
                   n_replicates: int | None = None, confidence: float = 0.95,
                   fits: dict[str, np.ndarray] | None = None, area_sd: float = 0.0) -> pd.DataFrame:
    """Small-area estimates of several outcomes by one method, stacked (``fits``: from :func:`fit_all`;
    ``area_sd``: see :func:`model_based`, model-based method only)."""
    if method not in METHODS:
        raise PlaybookError(f"unknown method '{method}'", field="method", expected="'synthetic' or 'model'")
    outcomes = list(outcomes or default_outcomes(survey))
    if method == "synthetic":
        parts = [synthetic(survey, o, comp, n_replicates=n_replicates, confidence=confidence) for o in outcomes]
    else:
        cells = cells_of(comp, survey)  # the compositions once, for every outcome
        parts = [model_based(survey, o, comp, n_replicates=n_replicates, confidence=confidence,
                             betas=(fits or {}).get(o), cells=cells, area_sd=area_sd) for o in outcomes]
    return pd.concat(parts, ignore_index=True)


# --- survey -> small areas -> the index -----------------------------------------------------------

#: ``level=`` names of :func:`area_indicators` -> the census ``GEO_LEVEL``.
AREA_LEVELS = {"csd": "Census subdivision", "da": "Dissemination area"}


def _area_compositions(census, level: str, hierarchy: pd.DataFrame | None) -> pd.DataFrame:
    """Compositions at ``level`` (a GEO_LEVEL) from compositions, a census extract, or Census Profile paths."""
    if isinstance(census, str | PathLike) or (isinstance(census, Sequence) and not isinstance(census, pd.DataFrame)):
        census = census_extract(census, level=level)
    if not isinstance(census, pd.DataFrame):
        raise PlaybookError("census areas must be a table", field="census",
                            expected="compositions, a census extract, or Census Profile file paths")
    rows = census[census["GEO_LEVEL"] == level] if "GEO_LEVEL" in census else census
    if rows.empty:
        raise PlaybookError(f"no areas at level '{level}'", field="level",
                            expected="a census extract or compositions with areas of that GEO_LEVEL")
    if hierarchy is not None:  # rural = outside every CMA/CA, as the survey's LUC_RST
        cma = hierarchy.drop_duplicates("DGUID").set_index("DGUID")["cmauid"]
        rows = rows.assign(cmauid=rows["DGUID"].map(cma))
    is_composition = {"pop15", "rural", *[f"age_{a}" for a in AGE_GROUPS]} <= set(rows.columns)
    if not is_composition and level == AREA_LEVELS["da"] and "cmauid" not in rows:
        raise PlaybookError("dissemination areas need their CMA/CA membership to tell rural from urban", field="hierarchy",
                            expected="the Geographic Attribute File (92-151-X): --geo-attributes FILE, or in Python "
                                     "hierarchy=playbook.geo.hierarchy.read_hierarchy(FILE)")
    comp = rows.copy() if is_composition else compositions(rows)
    if is_composition and "cmauid" in rows:
        comp["rural"] = rows["cmauid"].isna().to_numpy()
    if comp.empty:
        raise PlaybookError(f"no areas at level '{level}' in the ten provinces", field="level",
                            expected="a census extract or compositions with areas of that GEO_LEVEL")
    return comp.reset_index(drop=True)


def area_indicators(survey, census, *, level: str = "csd", outcomes: Sequence[str] | None = None,
                    method: str = "model", n_replicates: int | None = None, confidence: float = 0.95,
                    area_sd: float = 0.0, hierarchy: pd.DataFrame | None = None, spec=None) -> pd.DataFrame:
    """The survey's outcomes as small-area indicators for the index: one row per area of ``level``.

    ``census``: area compositions (:func:`playbook.groups.composition.compositions`), a census
    extract (:func:`playbook.sources.census.extract`, any levels; the rows of ``level`` are used), or
    Census Profile file paths. ``level``: ``"csd"`` or ``"da"`` (or the GEO_LEVEL itself). ``hierarchy``:
    the geographic hierarchy (:func:`playbook.geo.hierarchy.read_hierarchy`), whose CMA/CA membership
    tells rural areas (outside every CMA/CA) from urban ones; required for dissemination areas, whose
    population says nothing about it. ``outcomes``: survey outcomes (default: those of the index
    spec's ``area_file`` columns ``pct_<outcome>`` that the cycle measures). The other arguments are
    those of :func:`estimate_areas`.

    Columns: ``DGUID``, then for each outcome ``pct_<outcome>`` (percent of people 15+, 0-100) and
    ``pct_<outcome>_se`` (its bootstrap standard error in points, with ``area_sd`` if given), ready
    to merge as the spec's area file (:func:`playbook.indicators.compute`, ``area=``). ``attrs``
    records the method, the cycle, the outcomes the cycle does not measure and the model features it
    cannot inform."""
    name = AREA_LEVELS.get(level, level)
    if name not in AREA_LEVELS.values():
        raise PlaybookError(f"unknown level '{level}'", field="level", expected=f"one of {list(AREA_LEVELS)}")
    columns = [c for c in indicators.area_columns(spec) if c.startswith("pct_")]
    if outcomes is None:
        outcomes = [c.removeprefix("pct_") for c in columns if c.removeprefix("pct_") in survey.outcomes]
        if not outcomes:
            raise PlaybookError(f"cycle '{survey.cycle}' measures none of the index's area indicators", field="outcomes",
                                expected=f"a cycle with outcomes among {[c.removeprefix('pct_') for c in columns]}")
    missing = [o for o in outcomes if o not in survey.outcomes]
    if missing:
        raise PlaybookError(f"cycle '{survey.cycle}' has no outcome '{missing[0]}'", field="outcomes",
                            expected=f"one of {survey.outcomes}")
    comp = _area_compositions(census, name, hierarchy)
    est = estimate_areas(survey, comp, method=method, outcomes=outcomes, n_replicates=n_replicates,
                         confidence=confidence, area_sd=area_sd)
    est = est[est["level"] == name]
    out = comp[["DGUID"]].copy()
    for outcome in outcomes:
        part = est[est["outcome"] == outcome].set_index("DGUID")
        out[f"pct_{outcome}"] = out["DGUID"].map(part["estimate"]).to_numpy(float)
        out[f"pct_{outcome}_se"] = out["DGUID"].map(part["se"]).to_numpy(float)
    out.attrs = {"method": method, "cycle": survey.cycle, "level": name,
                 "unmeasured": [c for c in columns if c.removeprefix("pct_") not in outcomes],
                 "absent_features": absent_features(survey) if method == "model" else []}
    return out
