"""Disclosure control for every table the playbook displays or publishes: one rule set, one function.

The rules live in ``specs/disclosure.yml`` (:data:`RULES`), read once into a :class:`Policy`.
:func:`protect` applies them to a table before it leaves the package, whether it is shown in a
notebook or written to the common database (``python -m playbook publish`` goes through the same
function): counts under the threshold are suppressed with the values that depend on them, survey
estimates from too few respondents are suppressed, cross-tabulations whose totals are published get
complementary suppression, and the remaining counts are randomly rounded to the rounding base
(seeded, so the same table always comes out the same). :func:`protect` returns a new table and
never changes its input. :func:`random_round` and :func:`complementary_suppression` are its
building blocks.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, overload

import numpy as np
import pandas as pd

from playbook.errors import PlaybookError, check_keys
from playbook.paths import specs_dir

#: The disclosure rules of every table the playbook shows or publishes.
RULES = specs_dir() / "disclosure.yml"


@dataclass(frozen=True)
class Policy:
    """The disclosure rules (values from ``specs/disclosure.yml``; :meth:`default` reads them).

    ``threshold``: counts below it are suppressed (primary suppression). ``min_respondents``: an
    estimate from fewer survey respondents is suppressed. ``rounding_base``: counts are randomly
    rounded to a multiple of it (unbiased, Statistics Canada style), with ``seed`` so a table comes
    out the same at every build. Complementary suppression then hides a second cell wherever a
    suppressed one could be recovered by subtraction from a published total.
    """

    threshold: int
    min_respondents: int
    rounding_base: int
    seed: int

    def __post_init__(self) -> None:
        for name, low in MINIMUM.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                raise PlaybookError(f"{value!r} is not a whole number", field=name, expected=f"a whole number >= {low}")
            if value < low:
                raise PlaybookError(f"{value} is below {low}", field=name, expected=f"a whole number >= {low}")

    @classmethod
    def from_yaml(cls, path: Path | str) -> Policy:
        """The rules of a YAML file; read once per path (and again only if the file changes)."""
        path = Path(path).resolve()
        try:
            stat = os.stat(path)
        except OSError as exc:
            raise PlaybookError(f"cannot read the disclosure rules: {exc.strerror or exc}", path=path) from None
        if not os.path.isfile(path):
            raise PlaybookError("not a file", path=path, expected="a YAML file of disclosure rules")
        return _read_rules(path, stat.st_mtime_ns, stat.st_size)

    @classmethod
    def default(cls) -> Policy:
        """The rules of :data:`RULES` (``specs/disclosure.yml``)."""
        return cls.from_yaml(RULES)

    def replace(self, **changes) -> Policy:
        """A copy with some rules changed (for instance a stricter threshold for a test)."""
        return dataclasses.replace(self, **changes)


#: The least value of each rule (a rounding base of 0 would divide by zero; the seed is any whole number >= 0).
MINIMUM = {"threshold": 0, "min_respondents": 0, "rounding_base": 1, "seed": 0}


@functools.lru_cache(maxsize=16)
def _read_rules(path: Path, mtime_ns: int, size: int) -> Policy:
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise PlaybookError(" ".join(f"invalid YAML: {exc}".split()), path=path,
                            expected="the disclosure rules (see specs/disclosure.yml)") from None
    except UnicodeDecodeError:
        raise PlaybookError("not UTF-8 text", path=path, expected="a YAML file saved as UTF-8") from None
    except OSError as exc:
        raise PlaybookError(f"cannot read the disclosure rules: {exc.strerror or exc}", path=path) from None
    fields = list(Policy.__dataclass_fields__)
    if not isinstance(data, dict):
        raise PlaybookError(f"the rules are {'empty' if data is None else 'a ' + type(data).__name__}", path=path,
                            expected="a mapping with " + ", ".join(fields))
    check_keys(data, fields, path=path)
    absent = [f for f in fields if f not in data]
    if absent:
        raise PlaybookError(f"missing disclosure rule '{absent[0]}'", path=path, field=absent[0],
                            expected="every rule: " + ", ".join(fields))
    try:
        return Policy(**data)
    except PlaybookError as exc:  # the same message, with the file
        raise PlaybookError(exc.message, path=path, field=exc.field, expected=exc.expected) from None


def random_round(values: pd.Series, base: int = 5, seed: int = 0, *, consistent: bool = False) -> pd.Series:
    """Unbiased random rounding to a multiple of ``base``: a value with remainder ``r`` goes up with
    probability ``r / base``, down otherwise (exact multiples and missing values stay). Seeded: the
    same values and seed always give the same result.

    ``consistent=False``: one independent draw per position (the draws of ``numpy``'s generator
    seeded by ``seed``). ``consistent=True``: the draw is a hash of ``seed`` and the value itself, so
    a count comes out the same in every table, whatever its row: no table can be set against
    another to average the rounding away, and a change in one row leaves the others untouched."""
    x = values.astype("float64").to_numpy()
    lower = np.floor(x / base) * base
    remainder = x - lower
    draws = _value_draws(x, seed) if consistent else np.random.default_rng(seed).random(len(x))
    rounded = np.where(draws < remainder / base, lower + base, lower)
    return pd.Series(np.where(np.isnan(x), np.nan, rounded), index=values.index, name=values.name)


def _value_draws(x: np.ndarray, seed: int) -> np.ndarray:
    """A uniform draw in [0, 1) per value: splitmix64 of the value's bits mixed with ``seed``."""
    mask = (1 << 64) - 1
    key = np.uint64((seed * 0x9E3779B97F4A7C15) & mask)
    z = np.ascontiguousarray(np.nan_to_num(x + 0.0), dtype="float64").view(np.uint64) ^ key  # +0.0: no -0.0
    with np.errstate(over="ignore"):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype("float64") / float(1 << 53)


def complementary_suppression(values: pd.DataFrame, suppressed: pd.DataFrame) -> pd.DataFrame:
    """Extend a suppression mask so no suppressed cell of a table with published row and column
    totals can be recovered by subtraction: while a row or column holds exactly one suppressed cell,
    also suppress its smallest unsuppressed cell. Returns the new mask (same shape)."""
    mask = suppressed.to_numpy(dtype=bool).copy()
    data = values.to_numpy(dtype="float64")
    available = ~np.isnan(data)
    for _ in range(mask.size):  # each pass adds at least one cell, or stops
        changed = False
        for axis in (1, 0):
            view_mask = mask if axis == 1 else mask.T  # lines are rows (axis 1) or columns (axis 0)
            view_data = np.where(~view_mask & (available if axis == 1 else available.T),
                                 data if axis == 1 else data.T, np.inf)
            lines = np.flatnonzero(view_mask.sum(axis=1) == 1)
            lines = lines[np.isfinite(view_data[lines]).any(axis=1)]
            if lines.size:
                view_mask[lines, np.argmin(view_data[lines], axis=1)] = True  # writes through to mask
                changed = True
        if not changed:
            break
    return pd.DataFrame(mask, index=values.index, columns=values.columns)


REPORT_COLUMNS = ["table", "column", "reason"]


@overload
def protect(table: pd.DataFrame, counts: Sequence[str] = ..., *, dependent: Sequence[str] = ...,
            respondents: str | None = ..., estimates: Sequence[str] = ..., keys: Sequence[str] = ...,
            margins: tuple[str, str, str] | None = ..., policy: Policy | None = ..., name: str = ...,
            report: Literal[False] = ...) -> pd.DataFrame: ...
@overload
def protect(table: pd.DataFrame, counts: Sequence[str] = ..., *, dependent: Sequence[str] = ...,
            respondents: str | None = ..., estimates: Sequence[str] = ..., keys: Sequence[str] = ...,
            margins: tuple[str, str, str] | None = ..., policy: Policy | None = ..., name: str = ...,
            report: Literal[True]) -> tuple[pd.DataFrame, pd.DataFrame]: ...
def protect(
    table: pd.DataFrame,
    counts: Sequence[str] = (),
    *,
    dependent: Sequence[str] = (),
    respondents: str | None = None,
    estimates: Sequence[str] = (),
    keys: Sequence[str] = (),
    margins: tuple[str, str, str] | None = None,
    policy: Policy | None = None,
    name: str = "table",
    report: bool = False,
):
    """THE disclosure control of the playbook: apply ``policy`` (default: the rules of
    ``specs/disclosure.yml``) to ``table`` before it is shown or published.

    * ``counts`` below ``policy.threshold`` are suppressed, with the ``dependent`` columns (rates,
      scores computed from them) of the row;
    * ``estimates`` from fewer than ``policy.min_respondents`` survey respondents (column
      ``respondents``) are suppressed;
    * ``margins = (row_key, column_key, count)`` declares that the table is a cross-tabulation whose
      row and column totals are published: complementary suppression is applied to ``count``;
    * the remaining counts are randomly rounded to ``policy.rounding_base``, consistently (the draw
      of a count depends on ``policy.seed`` and the count only: the same count gives the same
      result in every table, on the site and in the common database, at every build).

    Returns a new table with a boolean column ``suppressed`` (the row lost a value). With
    ``report=True``, returns ``(table, report)``: one line per suppressed cell with the ``table``
    (``name``), the row's ``keys`` (or its index as ``row``), the ``column`` and the ``reason``
    (``threshold``, ``respondents`` or ``complementary``).
    """
    policy = policy if policy is not None else Policy.default()
    counts, dependent, estimates, keys = list(counts), list(dependent), list(estimates), list(keys)
    needed = [*keys, *counts, *dependent, *estimates, *([respondents] if respondents else [])]
    if margins:
        needed += list(margins)
    missing = [c for c in dict.fromkeys(needed) if c not in table.columns]
    if missing:
        raise PlaybookError(f"columns {missing} not in the table '{name}'", field=", ".join(missing),
                            expected=f"among {list(table.columns)}")
    out = table.copy()
    flagged = pd.Series(False, index=out.index)
    reasons: list[pd.DataFrame] = []

    def rows(mask: pd.Series) -> pd.DataFrame:
        if keys:
            return out.loc[mask, keys].astype(str)
        return pd.DataFrame({"row": out.index[mask.to_numpy()].astype(str)})

    def record(mask: pd.Series, column: str, reason: str) -> None:
        nonlocal flagged
        if mask.any():
            reasons.append(rows(mask).assign(table=name, column=column, reason=reason))
            flagged = flagged | mask

    for column in counts:
        values = table[column].astype("float64")
        small = values.lt(policy.threshold) & values.notna()
        record(small, column, "threshold")
        out[column] = out[column].astype("float64").mask(small)
        for dep in dependent:
            out[dep] = out[dep].astype("float64").mask(small)
    if respondents:
        few = table[respondents].astype("float64").lt(policy.min_respondents)
        for column in estimates:
            record(few & table[column].notna(), column, "respondents")
            out[column] = out[column].astype("float64").mask(few)
    if margins:
        row_key, col_key, count = margins
        if table.duplicated([row_key, col_key]).any():
            raise PlaybookError(f"table '{name}' has several rows per {row_key} × {col_key}", field=f"{row_key}, {col_key}",
                                expected="one row per cell of the cross-tabulation")
        flag = out[count].isna() & table[count].notna()
        before = out.assign(_flag=flag).pivot(index=row_key, columns=col_key, values="_flag")
        before = before.astype("boolean").fillna(False).astype(bool)
        primary = table.pivot(index=row_key, columns=col_key, values=count).astype("float64")
        after = complementary_suppression(primary, before)
        extra = (after & ~before).stack()
        extra = extra[extra].index
        hit = pd.Series(pd.MultiIndex.from_frame(out[[row_key, col_key]]).isin(extra), index=out.index)
        record(hit, count, "complementary")
        out.loc[hit, count] = np.nan
        for dep in dependent:
            out.loc[hit, dep] = np.nan
    for column in counts:  # consistent rounding: a count comes out the same in every table and build
        out[column] = random_round(out[column], policy.rounding_base, seed=policy.seed, consistent=True)
    out["suppressed"] = flagged.to_numpy()
    if not report:
        return out
    where = keys or ["row"]
    found = (pd.concat(reasons, ignore_index=True) if reasons
             else pd.DataFrame(columns=[*where, *REPORT_COLUMNS]))
    return out, found[["table", *where, "column", "reason"]].reset_index(drop=True)
