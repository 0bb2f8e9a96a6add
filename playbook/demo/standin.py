"""Stand-in official-layout files and their analysis manifest, for the tests of the real-data path.

:func:`write_standin` writes into one folder what an analyst with official files would have, in the
official layouts, and a ``manifest.yml`` naming them (issue 19: "one manifest takes an analyst's
official files through every notebook"):

* ``98-401-X2021005_eng_CSV.zip`` — the 2021 Census Profile by census subdivision (Canada, provinces,
  census divisions, CSDs), one cp1252 CSV in the 23-column layout, beside a ``_meta.txt`` and a
  ``Geo_starting_row`` file as the official zip has;
* ``98-401-X2021006_<region>_eng_CSV.zip`` — the regional dissemination-area files (Canada, the
  region's provinces, CDs, CSDs and DAs), one per region that holds a province of ``provinces``
  (by default ``Atlantic_Atlantique`` with Prince Edward Island and Nova Scotia, ``Prairies`` with
  Manitoba). A CSD appears in the CSD file and in its region's file with the same values, as in the
  official files;
* ``2021_92-151_X.zip`` — the Geographic Attribute File (one row per DA, the official columns);
* ``area_indicators_2021.csv`` — the area indicators no census file gives (``DGUID`` and the
  ``pct_*`` columns of ``specs/evi.yml``), for Canada, provinces, CDs, CSDs and DAs;
* ``service_points.csv`` — service points with official-looking column titles (``Office ID``,
  ``Office name``, ``Nom du bureau``, ``Latitude``...), read by
  :func:`playbook.sources.servicepoints.read_service_points`;
* when their writers exist: the broadband files of :func:`playbook.demo.broadband.write_standin`
  (pseudo-households + speeds) and CIUS PUMF zips of :func:`playbook.demo.survey.write_standin_pumf`
  (2020 layout in the manifest, a 2018 layout beside it), both with bootstrap weights inside;
* ``manifest.yml`` and ``standin_facts.json`` (what the tests look for: values only the stand-in has).

Geography, names and populations are the real ones of the demo (``data/real/census``): the point is to
exercise the code path of real files, so the inputs are **not** flagged ``synthetic`` (names are shown
beside scores) and every source line says "Stand-in official-layout file (tests)". Every other value
is invented — by the demo's model (:mod:`playbook.demo.model`) with another seed, split into made-up
dissemination areas outside Prince Edward Island (whose 319 DAs are real), and shifted on purpose
(more low income, fewer people without a certificate; the internet indicators drawn around other
levels than the demo's), so that nothing equals the demo output. Never publish these files.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from playbook.codes import dguid
from playbook.demo import census, geofile, levels, model, zipfiles
from playbook.demo.calibrate import logit, sigmoid
from playbook.errors import PlaybookError
from playbook.geo.attributes import ENCODING as GEO_ENCODING
from playbook.io import atomic_path
from playbook.sources.census.format import write_profile_2021

#: The source line of every stand-in input (English, French).
SOURCE = {"en": "Stand-in official-layout file (tests)", "fr": "Fichier de substitution au format officiel (tests)"}
CSD_ZIP = "98-401-X2021005_eng_CSV.zip"
CSD_STEM = "98-401-X2021005"
#: The six regional DA files of 98-401-X2021006 (specs/downloads.yml): region -> (zip, member suffix, provinces).
REGIONS = {
    "Atlantic": ("98-401-X2021006_Atlantic_Atlantique_eng_CSV.zip", "Atlantic", ("10", "11", "12", "13")),
    "Quebec": ("98-401-X2021006_Quebec_eng_CSV.zip", "Quebec", ("24",)),
    "Ontario": ("98-401-X2021006_Ontario_eng_CSV.zip", "Ontario", ("35",)),
    "Prairies": ("98-401-X2021006_Prairies_eng_CSV.zip", "Prairies", ("46", "47", "48")),
    "BC": ("98-401-X2021006_BC_CB_eng_CSV.zip", "BritishColumbia", ("59",)),
    "Territories": ("98-401-X2021006_Territories_Territoires_eng_CSV.zip", "Territories", ("60", "61", "62")),
}
GEO_ZIP, GEO_MEMBER = "2021_92-151_X.zip", "2021_92-151_X.csv"
AREA_FILE = "area_indicators_2021.csv"
POINTS_FILE = "service_points.csv"
MANIFEST, FACTS = "manifest.yml", "standin_facts.json"
#: Prince Edward Island: its DAs are real (the demo's); elsewhere DAs are made up (about one per
#: :data:`PEOPLE_PER_DA` people, numbered within their census division).
REAL_DA_PROVINCE = "11"
PEOPLE_PER_DA = 550
#: The example area of notebook 12 (the most populous CSD of PEI) and the low-income count only the
#: stand-in has there (a multiple of 5: random rounding keeps it).
EXAMPLE_CSD, EXAMPLE_NAME, EXAMPLE_LOW_INCOME = "1102075", "Charlottetown", 8765
#: Deliberate shifts from the demo's model: factor on a numerator count.
SHIFTS = {"340": 1.25, "1999": 0.8}
#: Area indicators: level (percent) at the centre, and weights of remoteness and of the share aged 65+.
AREA_MODEL = {
    "pct_no_home_internet": (22.0, 0.8, 3.0),
    "pct_no_broadband_50_10": (35.0, 3.0, 0.0),
    "pct_never_online_gov": (45.0, 0.6, 2.5),
    "pct_privacy_worries": (40.0, 0.0, 1.0),
    "pct_low_digital_skills": (50.0, 0.7, 3.5),
}
NOTICE = """STAND-IN TEST DATA - NOT A STATISTICS CANADA PRODUCT.

Laid out like the 2021 Census Profile comprehensive download ({stem}), so that the playbook's
readers are tested on the official layout. Geography, names and populations are real (table
98-10-0002-01); every other value is invented by playbook.demo.standin (seed {seed}), and the
dissemination areas outside Prince Edward Island are made up. Never use it for any decision.
"""


# --- geography: the real CSDs and PEI DAs, made-up DAs elsewhere -------------------------------------


def _made_up_das(csd: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Dissemination areas for the CSDs ``csd``: about one per :data:`PEOPLE_PER_DA` people (at least
    one), numbered within their census division, sharing the CSD's land area (gamma weights)."""
    people = csd["population_2021"].fillna(0).to_numpy()
    count = np.maximum(np.round(people / PEOPLE_PER_DA), 1).astype(int)
    rows = csd.loc[csd.index.repeat(count)].reset_index(drop=True)
    number = rows.groupby("cduid").cumcount() + 1
    if int(number.max()) > 9999:
        raise PlaybookError("more than 9,999 DAs in a census division", field="provinces",
                            expected="fewer people per census division")
    dauid = rows["cduid"] + number.astype(str).str.zfill(4)
    weight = rng.gamma(2.0, 1.0, len(rows))
    share = weight / pd.Series(weight).groupby(rows["csduid"]).transform("sum").to_numpy()
    return pd.DataFrame({
        "DGUID": dguid("Dissemination area", dauid), "dauid": dauid, "csduid": rows["csduid"],
        "cduid": rows["cduid"], "pruid": rows["pruid"],
        "land_area_km2": (share * rows["land_area_km2"].fillna(0).to_numpy()).round(4),
    })


#: Leaf columns split among made-up DAs: numerators that get their own noise (with their men's
#: column), the denominator each is bounded by, and the age groups that move together.
NOISY = {"51": "50", "340": "335", "387": "383", "1403": "1402", "1529": "1527", "1999": "1998", "2227": "2223"}
OLD = ["24", "25", "26", "27", "28", "29"]


def _split_leaves(csd_leaves: pd.DataFrame, das: pd.DataFrame, columns: list[str],
                  rng: np.random.Generator) -> pd.DataFrame:
    """DA leaves from CSD leaves: each additive column shared among the CSD's DAs by population,
    numerators and the age groups with log-normal noise (so DA rates vary), totals kept exactly."""
    out = das.merge(csd_leaves.drop(columns=["DGUID", "dauid", "land_area_km2", "density_km2", "level", "name"]),
                    on=["csduid", "cduid", "pruid"], how="left", suffixes=("", "_csd"))
    key = out["csduid"].to_numpy()
    people = out["population_2021"].fillna(0).to_numpy()
    base = np.where(pd.Series(people).groupby(key).transform("sum").to_numpy() > 0, people, 1.0)

    def shares(noise_sd: float) -> np.ndarray:
        w = base * np.exp(rng.normal(0.0, noise_sd, len(out))) if noise_sd else base
        return w / pd.Series(w).groupby(key).transform("sum").to_numpy()

    plain = shares(0.0)
    split = {c: out[c].to_numpy(dtype=float) * plain for c in columns}
    old, kids = shares(0.3), shares(0.2)
    for cid in OLD:
        for sex in "tm":
            split[f"{sex}{cid}"] = out[f"{sex}{cid}"].to_numpy(dtype=float) * old
    split["a65"] = out["a65"].to_numpy(dtype=float) * old
    for sex in "tm":
        split[f"{sex}9"] = out[f"{sex}9"].to_numpy(dtype=float) * kids
        rest = np.maximum(split[f"{sex}8"] - split[f"{sex}9"] - split[f"{sex}24"], 0.0)
        before = out[f"{sex}13"].to_numpy(dtype=float) * plain
        ratio = np.divide(rest, before, out=np.ones_like(rest), where=before > 0)
        for cid in ("13", "14", "15"):
            split[f"{sex}{cid}"] = out[f"{sex}{cid}"].to_numpy(dtype=float) * plain * ratio
    for numerator, denominator in NOISY.items():
        s = shares(0.35)
        for sex in ("tm" if f"m{numerator}" in out.columns else "t"):
            value = out[f"{sex}{numerator}"].to_numpy(dtype=float) * s
            split[f"{sex}{numerator}"] = np.minimum(value, split[f"{sex}{denominator}"])
    split["t1536"] = np.minimum(out["t1536"].to_numpy(dtype=float) * plain, split["t1529"])
    split["m1536"] = np.minimum(out["m1536"].to_numpy(dtype=float) * plain, split["m1529"])
    split["lf"], split["lf_m"] = split["t2223"] - split["t2227"], split["m2223"] - split["m2227"]
    jobless = shares(0.35)
    split["unemp"] = np.minimum(out["unemp"].to_numpy(dtype=float) * jobless, split["lf"])
    split["unemp_m"] = np.minimum(out["unemp_m"].to_numpy(dtype=float) * jobless, np.minimum(split["lf_m"], split["unemp"]))
    split["income_x_hh"] = out["income_x_hh"].to_numpy(dtype=float) * shares(0.25)
    leaves = out.drop(columns=[c for c in out.columns if c in split]).assign(**split)
    leaves["level"], leaves["name"], leaves["n"] = "Dissemination area", leaves["dauid"], leaves["population_2021"]
    return leaves


def geography(seed: int, provinces: tuple[str, ...]) -> tuple[dict, pd.DataFrame, list[str]]:
    """The stand-in's geography ``geo`` (as :func:`playbook.demo.geography.build`, restricted to
    ``provinces``, with every DA), its leaves (one row per DA, with the model's counts) and the
    additive columns."""
    from playbook.demo import geography as real

    geo, leaf = model.leaves(seed)
    rng = np.random.default_rng([seed, 19])
    columns = model.additive_columns(leaf)
    csd = geo["csd"][geo["csd"]["pruid"].isin(provinces)].reset_index(drop=True)
    leaf = leaf[leaf["pruid"].isin(provinces)].reset_index(drop=True)
    kept = leaf[leaf["pruid"].eq(REAL_DA_PROVINCE)]
    split = csd[~csd["pruid"].eq(REAL_DA_PROVINCE)]
    das = _made_up_das(split, rng)
    das = real.split_population(das, split, rng)
    made = _split_leaves(leaf[~leaf["pruid"].eq(REAL_DA_PROVINCE)], das, columns, rng)
    leaves = pd.concat([kept, made[kept.columns]], ignore_index=True)
    for numerator, factor in SHIFTS.items():  # the deliberate shifts (bounded by the denominator)
        denominator = NOISY[numerator]
        for sex in ("tm" if f"m{numerator}" in leaves.columns else "t"):
            leaves[f"{sex}{numerator}"] = np.minimum(leaves[f"{sex}{numerator}"] * factor, leaves[f"{sex}{denominator}"])
    example = leaves["csduid"].eq(EXAMPLE_CSD)
    if example.any():  # the value only the stand-in has: its DAs add up to it exactly
        scale = EXAMPLE_LOW_INCOME / leaves.loc[example, "t340"].sum()
        for sex in "tm":
            leaves.loc[example, f"{sex}340"] *= scale
    all_das = pd.concat([geo["da"][geo["da"]["pruid"].isin(provinces)], das[geo["da"].columns]], ignore_index=True)
    return {**geo, "csd": csd, "da": all_das}, leaves, columns


# --- files -------------------------------------------------------------------------------------------


def _profile_zip(target: Path, rows: pd.DataFrame, stem: str, member: str, seed: int) -> Path:
    """One official-layout zip: the data CSV, a ``_meta.txt`` notice and the ``Geo_starting_row`` file."""
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / member
        write_profile_2021(rows, csv, encoding="cp1252")
        firsts = rows.drop_duplicates("DGUID")
        starting = pd.DataFrame({"Geo Code": firsts["ALT_GEO_CODE"], "Geo Name": firsts["GEO_NAME"],
                                 "Line Number": firsts.index + 2})
        suffix = member.removeprefix(f"{stem}_English_CSV_data").removesuffix(".csv")
        zipfiles.write_zip(target, {
            member: csv.read_bytes(),
            f"{stem}_English_meta.txt": NOTICE.format(stem=stem, seed=seed).encode("cp1252"),
            f"{stem}_Geo_starting_row{suffix}.CSV": starting.to_csv(index=False, lineterminator="\r\n").encode("cp1252"),
        })
    return target


def _area_rows(geos: pd.DataFrame, leaves: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The area indicators: drawn per DA around :data:`AREA_MODEL`, averaged up by people aged 15+."""
    rng = np.random.default_rng([seed, 23])
    n = len(leaves)
    with np.errstate(invalid="ignore", divide="ignore"):
        old = np.nan_to_num(leaves["t24"].to_numpy() / leaves["t8"].to_numpy(), nan=0.2) - 0.2
    remote = leaves["remoteness"].to_numpy(dtype=float) - 0.5
    values = {}
    for column, (centre, w_remote, w_old) in AREA_MODEL.items():
        z = logit(centre / 100) + w_remote * remote + w_old * old + rng.normal(0.0, 0.35, n)
        values[column] = 100 * sigmoid(z)
    units = pd.DataFrame(values).assign(DGUID=leaves["DGUID"].to_numpy(),
                                        w=(leaves["t8"] - leaves["t9"]).clip(lower=0).to_numpy())
    parents = leaves[["csduid", "cduid", "pruid"]].assign(country="01")
    is_da = leaves["level"].eq("Dissemination area").to_numpy()
    frames = [units[is_da].drop(columns="w").assign(GEO_LEVEL="Dissemination area")]
    da = units
    for key, level in (("csduid", "Census subdivision"), ("cduid", "Census division"), ("pruid", "Province"),
                       ("country", "Country")):
        weighted = da[list(AREA_MODEL)].mul(da["w"], axis=0).groupby(parents[key].to_numpy()).sum()
        total = da["w"].groupby(parents[key].to_numpy()).sum()
        mean = weighted.div(total.where(total > 0), axis=0)
        codes = pd.Series(mean.index, index=mean.index)
        ids = dguid(level, codes) if level != "Country" else pd.Series(dguid("Country"), index=mean.index)
        frames.append(mean.assign(DGUID=ids.to_numpy(), GEO_LEVEL=level).reset_index(drop=True))
    out = pd.concat(frames, ignore_index=True)
    order = {g: i for i, g in enumerate(geos["DGUID"])}
    out = out.assign(o=out["DGUID"].map(order)).sort_values("o", kind="stable")
    out[list(AREA_MODEL)] = out[list(AREA_MODEL)].round(1)
    return out[["DGUID", "GEO_LEVEL", *AREA_MODEL]].reset_index(drop=True)


def _service_points(csd: pd.DataFrame, per_province: int = 6) -> pd.DataFrame:
    """Stand-in points of service in the most populous CSDs of each province that have a library
    (placed at the library's coordinates: a point in the settled part of the CSD)."""
    from playbook.sources.servicepoints import read_odcaf_libraries

    libraries = read_odcaf_libraries().drop_duplicates("csduid")[["csduid", "lat", "lon", "postal_code"]]
    places = csd.merge(libraries, on="csduid").sort_values(["pruid", "population_2021"], ascending=[True, False])
    places = places.groupby("pruid").head(per_province).reset_index(drop=True)
    number = np.arange(1, len(places) + 1)
    province = places["pruid"].map({"10": "NL", "11": "PE", "12": "NS", "13": "NB", "24": "QC", "35": "ON",
                                    "46": "MB", "47": "SK", "48": "AB", "59": "BC", "60": "YT", "61": "NT", "62": "NU"})
    return pd.DataFrame({
        "Office ID": [f"SP-{i:04d}" for i in number],
        "Office name": "Stand-in service point " + pd.Series(number).astype(str) + " - " + places["name"],
        "Nom du bureau": "Point de service de substitution " + pd.Series(number).astype(str) + " - " + places["name"],
        "Institution": "Stand-in department (tests)",
        "Address": pd.Series(number).astype(str) + " Main Street",
        "City": places["name"],
        "Province": province,
        "Postal code": places["postal_code"].fillna(""),
        "CSD code": places["csduid"],
        "Official language obligation": np.where(places["pruid"].eq("46"), "Bilingual", "English"),
        "Opening days": "Mon-Fri",
        "Latitude": places["lat"].round(5),
        "Longitude": places["lon"].round(5),
    })


def _optional_inputs(out: Path, da_rows: pd.DataFrame, seed: int) -> tuple[dict, dict]:
    """The broadband and survey stand-ins, when their writers exist: ``(manifest entries, facts)``."""
    entries, facts = {}, {"broadband": None, "survey": None, "survey_2018": None}
    try:
        from playbook.demo.broadband import write_standin as write_broadband
    except ImportError:
        write_broadband = None
    if write_broadband is not None:
        files = write_broadband(out, da_rows, seed=seed)
        names = [files[k].name for k in ("phh", "speeds")]
        entries["broadband"] = {"path": names, "source": dict(SOURCE)}
        facts["broadband"] = {k: Path(v).name for k, v in files.items()}
    try:
        from playbook.demo.survey import write_standin_pumf
    except ImportError:
        write_standin_pumf = None
    if write_standin_pumf is not None:
        pumf = write_standin_pumf(out / "CIUS2020_PUMF.zip", "cius_2020", bootstrap_inside=True, seed=seed)
        older = write_standin_pumf(out / "CIUS2018_PUMF.zip", "cius_2018", bootstrap_inside=True, seed=seed)
        entries["survey"] = {"pumf": {"path": pumf.name, "source": dict(SOURCE)}, "cycle": "cius_2020"}
        facts["survey"], facts["survey_2018"] = pumf.name, older.name
    return entries, facts


def write_standin(folder: str | Path, *, seed: int = 7, provinces: tuple[str, ...] = ("11", "12", "46"),
                  broadband: bool = True) -> Path:
    """Write the stand-in files and ``manifest.yml`` into ``folder``; return the manifest's path.

    ``provinces``: the provinces covered (codes; the regional DA files are those of their regions).
    ``broadband=False`` leaves the broadband files out (the area file then carries
    ``pct_no_broadband_50_10``); with True, when :mod:`playbook.demo.broadband` can write them, the
    manifest names them and the area file leaves that column to them. ``standin_facts.json`` records
    the values the tests look for (see the module docstring)."""
    provinces = tuple(dict.fromkeys(str(p).zfill(2) for p in provinces))
    regions = {name: (zip_name, suffix, tuple(p for p in provinces if p in members))
               for name, (zip_name, suffix, members) in REGIONS.items()}
    unknown = sorted(set(provinces) - {p for _, _, m in REGIONS.values() for p in m})
    if unknown or not provinces:
        raise PlaybookError(f"unknown province code(s) {unknown}", field="provinces",
                            expected="2-digit province codes such as 11")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    geo, leaves, columns = geography(seed, provinces)
    geos = levels.geographies(geo, leaves, columns)
    geos = geos[geos["rank"] < 5].reset_index(drop=True)  # the CSD and DA files hold no CMA/CA rows
    rows = census.profile_rows(geos, np.random.default_rng([seed, 3]))
    level = rows["GEO_LEVEL"]
    pruid = rows["DGUID"].map(geos.set_index("DGUID")["pruid"])
    _profile_zip(out / CSD_ZIP, rows[~level.eq("Dissemination area")].reset_index(drop=True), CSD_STEM,
                 f"{CSD_STEM}_English_CSV_data.csv", seed)
    da_files = []
    for zip_name, suffix, members in regions.values():
        if not members:
            continue
        chosen = level.eq("Country") | pruid.isin(members).to_numpy()
        da_files.append(_profile_zip(out / zip_name, rows[chosen].reset_index(drop=True), "98-401-X2021006",
                                     f"98-401-X2021006_English_CSV_data_{suffix}.csv", seed).name)
    attributes = geofile.attribute_rows(geo, geos).drop(columns=["DEMO_SYNTHETIC_SAC"])
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / GEO_MEMBER
        attributes.to_csv(csv, index=False, encoding=GEO_ENCODING, lineterminator="\r\n")
        zipfiles.write_zip(out / GEO_ZIP, {GEO_MEMBER: csv.read_bytes()})
    area = _area_rows(geos, leaves, seed)
    da_rows = geos.loc[geos["GEO_LEVEL"].eq("Dissemination area"), ["DGUID", "csduid", "population_2021"]]
    da_rows = da_rows.rename(columns={"population_2021": "population"}).reset_index(drop=True)
    optional, optional_facts = _optional_inputs(out, da_rows, seed) if broadband else ({}, {"broadband": None})
    if "broadband" in optional:
        area = area.drop(columns=["pct_no_broadband_50_10"])
    with atomic_path(out / AREA_FILE) as tmp:
        area.to_csv(tmp, index=False)
    points = _service_points(geo["csd"])
    with atomic_path(out / POINTS_FILE) as tmp:
        points.to_csv(tmp, index=False, encoding="utf-8-sig")

    def given(path) -> dict:
        return {"path": path, "source": dict(SOURCE)}

    manifest = {
        "version": 1,
        "title": {"en": "Stand-in official-layout files (tests)", "fr": "Fichiers de substitution au format officiel (tests)"},
        "census": {"profile": given([CSD_ZIP, *da_files]), "geo_attributes": given(GEO_ZIP)},
        "area_file": given(AREA_FILE),
        **{k: v for k, v in optional.items() if k == "broadband"},
        **{k: v for k, v in optional.items() if k == "survey"},
        "service_points": [{"network": "service_canada", "path": POINTS_FILE, "source": dict(SOURCE),
                            "name": {"en": "Stand-in service points", "fr": "Points de service de substitution"}}],
        "index": {"levels": ["csd", "da"], "seed": seed},
    }
    example = rows[rows["ALT_GEO_CODE"].eq(EXAMPLE_CSD) & rows["GEO_LEVEL"].eq("Census subdivision")]
    counts = example.set_index("CHARACTERISTIC_ID")["C1_COUNT_TOTAL"]
    facts = {
        "seed": seed,
        "provinces": list(provinces),
        "files": {"csd": CSD_ZIP, "da": da_files, "geo_attributes": GEO_ZIP, "area_file": AREA_FILE,
                  "service_points": POINTS_FILE, **optional_facts},
        "left_out_of_manifest": [k for k in ("census.profile_2016", "boundaries", "feedback", "broadband", "survey")
                                 if k not in optional],
        "dissemination_areas": {p: int(n) for p, n in geos.loc[geos["GEO_LEVEL"].eq("Dissemination area"), "pruid"]
                                .value_counts().sort_index().items()},
        "census_subdivisions": int(geos["GEO_LEVEL"].eq("Census subdivision").sum()),
        "service_points": len(points),
        "example": {} if example.empty else {
            "DGUID": str(example["DGUID"].iloc[0]), "name": EXAMPLE_NAME, "csduid": EXAMPLE_CSD,
            "low_income_count": int(counts.get(340)), "low_income_denominator": int(counts.get(335)),
            "low_income_pct": round(100 * float(counts.get(340)) / float(counts.get(335)), 2),
        },
        "area_example": area[area["DGUID"].eq(dguid("Census subdivision", EXAMPLE_CSD))].drop(columns="GEO_LEVEL")
        .to_dict("records"),
        "real_names": sorted(geos.loc[geos["GEO_LEVEL"].eq("Census subdivision")].nlargest(3, "population_2021")["GEO_NAME"]),
    }
    with atomic_path(out / FACTS) as tmp:
        tmp.write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with atomic_path(out / MANIFEST) as tmp:
        header = "# Stand-in official-layout files (tests): written by playbook.demo.standin.write_standin. Invented values.\n"
        tmp.write_text(header + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out / MANIFEST
