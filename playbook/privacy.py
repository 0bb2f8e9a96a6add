"""Disclosure control for every table the playbook displays or publishes.

Counts below a threshold are suppressed (shown as missing, with a flag), and counts can be rounded
to a base, as Statistics Canada rounds census counts. Apply :func:`protect` before a table leaves
the package; it returns a new table and never changes its input.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from playbook.errors import PlaybookError

DEFAULT_THRESHOLD = 10


def protect(
    table: pd.DataFrame,
    counts: Sequence[str],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    rounding: int | None = None,
    dependent: Sequence[str] = (),
) -> pd.DataFrame:
    """Suppress counts below ``threshold`` (and the ``dependent`` columns of those rows, such as
    rates computed from them), then round the remaining counts to a multiple of ``rounding``.

    Adds a boolean column ``suppressed`` saying which rows lost values.
    """
    missing = [c for c in [*counts, *dependent] if c not in table.columns]
    if missing:
        raise PlaybookError(f"columns {missing} not in the table", field="counts", expected=f"among {list(table.columns)}")
    if threshold < 0 or (rounding is not None and rounding < 1):
        raise PlaybookError("threshold must be >= 0 and rounding >= 1", field="threshold/rounding")
    out = table.copy()
    values = out[list(counts)].astype("float64")
    small = values.lt(threshold) & values.notna()
    row_small = small.any(axis=1)
    out[list(counts)] = values.mask(small)
    for col in dependent:
        out[col] = out[col].astype("float64").mask(row_small)
    if rounding:
        out[list(counts)] = np.round(out[list(counts)] / rounding) * rounding
    out["suppressed"] = row_small.to_numpy()
    return out
