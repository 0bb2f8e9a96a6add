"""How good are the small-area estimates? Against the truth (demo data) and against direct estimates.

On the demo data the generator knows each area's true prevalence (``truth_areas.csv.gz``):
:func:`against_truth` reports, by method, outcome and geography level, the mean absolute error
(percentage points) and the coverage of the intervals (share of areas whose truth lies inside).
On real data there is no truth; :func:`against_direct` compares the province roll-ups with the
survey's direct province estimates, where the survey is large enough to be trusted.
"""

from __future__ import annotations

from os import PathLike

import pandas as pd

from playbook.errors import PlaybookError

LEVELS = ["Census subdivision", "Census division", "Province"]


def read_truth(path: str | PathLike) -> pd.DataFrame:
    """The generator's truth file as long rows: ``DGUID, level, outcome, truth`` (percent)."""
    try:
        wide = pd.read_csv(path, dtype={"DGUID": str, "pruid": str})
    except (OSError, pd.errors.ParserError) as exc:
        raise PlaybookError(f"cannot read the truth file: {exc}", path=path) from None
    values = [c for c in wide.columns if c.startswith("pct_")]
    if not values or "DGUID" not in wide:
        raise PlaybookError("not a truth file", path=path, row=1, expected="columns DGUID, level, pct_<outcome>")
    long = wide.melt(id_vars=["DGUID", "level"], value_vars=values, var_name="outcome", value_name="truth")
    long["outcome"] = long["outcome"].str.removeprefix("pct_")
    return long


def against_truth(estimates: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """MAE, coverage and mean interval width by ``method, outcome, level`` (and all outcomes)."""
    merged = estimates.merge(truth[["DGUID", "outcome", "truth"]], on=["DGUID", "outcome"], how="inner")
    merged["abs_error"] = (merged["estimate"] - merged["truth"]).abs()
    merged["covered"] = (merged["truth"] >= merged["lower"]) & (merged["truth"] <= merged["upper"])
    merged["width"] = merged["upper"] - merged["lower"]
    stats = dict(areas=("abs_error", "size"), mae=("abs_error", "mean"), coverage=("covered", "mean"),
                 width=("width", "mean"))
    by_outcome = merged.groupby(["method", "outcome", "level"], as_index=False).agg(**stats)
    overall = merged.groupby(["method", "level"], as_index=False).agg(**stats).assign(outcome="all")
    out = pd.concat([by_outcome, overall], ignore_index=True)
    out["level"] = pd.Categorical(out["level"], categories=LEVELS, ordered=True)
    return out.sort_values(["method", "outcome", "level"]).reset_index(drop=True)


def against_direct(estimates: pd.DataFrame, direct: pd.DataFrame) -> pd.DataFrame:
    """Province roll-ups beside the direct estimates (group ``everyone``): difference in points and
    whether the small-area estimate lies inside the direct interval."""
    prov = estimates[estimates["level"] == "Province"].assign(geography=lambda d: d["DGUID"].str[-2:])
    d = direct[(direct["group"] == "everyone") & (direct["geography"] != "01")]
    merged = prov.merge(d[["outcome", "geography", "estimate", "lower", "upper", "flag"]],
                        on=["outcome", "geography"], suffixes=("", "_direct"))
    merged["difference"] = merged["estimate"] - merged["estimate_direct"]
    merged["inside_direct_interval"] = merged["estimate"].between(merged["lower_direct"], merged["upper_direct"])
    return merged[["method", "outcome", "geography", "estimate", "estimate_direct", "lower_direct", "upper_direct",
                   "difference", "inside_direct_interval"]]
