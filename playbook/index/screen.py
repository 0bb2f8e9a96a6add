"""Screen (COINr's ``Screen``): leave out units with too little data before the index is built.

Declared by a ``screen`` block in the spec (no block: no screening). Per unit, over its
indicators: the *availability* is the share of indicators with a value (COINr ``Dat_Avail``), the
*non-zero share* the share of non-zero values among those present (COINr ``Non_Zero``), the
*imputed share* the share that imputation would fill (the missing share when ``impute`` is not
``none``, else 0). A unit is screened out when

- its availability is below ``min_availability`` (COINr ``dat_thresh``; COINr's default 2/3), or
- its non-zero share is below ``min_nonzero`` (COINr ``nonzero_thresh``, e.g. 0.05), or
- its imputed share is above ``max_imputed``;

``include`` and ``exclude`` (lists of unit ids) force a unit in or out (COINr ``Force``). The
screened-out units are not silently dropped: :func:`screen` returns them in a table with their
statistics and the reason, kept by the build as ``Result.screened``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.errors import PlaybookError
from playbook.index.spec import Spec

COLUMNS = ("availability", "nonzero", "imputed", "reason")


def statistics(raw: np.ndarray, imputing: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Availability, non-zero share and imputed share of each row of ``raw`` (N x K, NaN = missing)."""
    present = ~np.isnan(raw)
    n_present = present.sum(axis=1)
    availability = n_present / raw.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        nonzero = np.where(n_present > 0, (present & (raw != 0)).sum(axis=1) / n_present, 0.0)
    imputed = 1.0 - availability if imputing else np.zeros(len(raw))
    return availability, nonzero, imputed


def screen(spec: Spec, ids: pd.Series, raw: np.ndarray) -> tuple[np.ndarray, pd.DataFrame]:
    """Rows to keep (bool, N) and the table of the units screened out (unit id, statistics, reason)."""
    block = spec.screen or {}
    availability, nonzero, imputed = statistics(raw, spec.impute["method"] != "none")
    reasons = np.full(len(raw), "", dtype=object)

    def flag(mask: np.ndarray, text: str) -> None:
        reasons[mask] = np.where(reasons[mask] == "", text, reasons[mask] + "; " + text)

    if "min_availability" in block:
        limit = float(block["min_availability"])
        flag(availability < limit, f"availability below {limit:g}")
    if "min_nonzero" in block:
        limit = float(block["min_nonzero"])
        flag(nonzero < limit, f"non-zero share below {limit:g}")
    if "max_imputed" in block:
        limit = float(block["max_imputed"])
        flag(imputed > limit, f"imputed share above {limit:g}")
    names = ids.astype(str).to_numpy()
    for key in ("include", "exclude"):
        unknown = sorted(set(map(str, block.get(key, []))) - set(names))
        if unknown:
            raise PlaybookError(f"unit '{unknown[0]}' in screen.{key} is not in the data", path=spec.path,
                                field=f"screen.{key}", expected=f"ids of the '{spec.unit_id}' column")
    reasons[np.isin(names, list(map(str, block.get("include", []))))] = ""
    forced = np.isin(names, list(map(str, block.get("exclude", []))))
    reasons[forced] = "excluded by screen.exclude"
    keep = reasons == ""
    table = pd.DataFrame({spec.unit_id: ids.to_numpy()[~keep], "availability": availability[~keep],
                          "nonzero": nonzero[~keep], "imputed": imputed[~keep], "reason": reasons[~keep]})
    if keep.sum() == 0:
        raise PlaybookError("the screen leaves no unit", path=spec.path, field="screen",
                            expected="lower thresholds in the screen block")
    return keep, table.reset_index(drop=True)


def empty(spec: Spec) -> pd.DataFrame:
    """The table of screened-out units when there is no screening."""
    return pd.DataFrame({spec.unit_id: pd.Series(dtype=object), "availability": pd.Series(dtype=float),
                         "nonzero": pd.Series(dtype=float), "imputed": pd.Series(dtype=float),
                         "reason": pd.Series(dtype=object)})
