"""The index specification: a YAML file read, checked and turned into a :class:`Spec`.

Every choice of the pipeline is declared here (see the book's appendix "Index specification"):
the unit id column, imputation, treatment, normalisation, weighting, aggregation, the minimum
coverage, and the dimensions with their indicators (column, direction, weight). Unknown method
names, missing columns, non-numeric indicators, duplicate unit ids and all-zero weights raise one
:class:`~playbook.errors.PlaybookError` each, naming the file and key.

Every key is checked at every level (the top, each dimension at any depth, each indicator, each method
block, ``screen`` and ``uncertainty``): a key the engine does not know is refused with a "did you mean"
(``wieght`` -> ``weight``, ``normalize`` -> ``normalise``), so a misspelt key never builds a different
index in silence. Documentation keys (:data:`DOC_KEYS`: ``name``, ``description``, ``source``, ``unit``,
``rationale``, ``definition``, ``synthetic``, ``notes``) may be added anywhere; the engine keeps them in
:attr:`Spec.raw` and ignores them, so an indicator spec can carry its own metadata.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from playbook.errors import PlaybookError, check_keys
from playbook.io import read_yaml

IMPUTE_METHODS = ("none", "mean", "median", "group_mean", "group_median")
TREAT_METHODS = ("none", "winsorise", "log")
NORMALISE_METHODS = ("minmax", "zscore", "rank", "percentile", "goalposts", "distance_to_reference",
                     "dist2max", "dist2targ", "fracmax", "borda")
WEIGHT_METHODS = ("expert", "equal", "pca", "optimised")
AGGREGATE_METHODS = ("arithmetic", "geometric", "harmonic", "minimum", "copeland", "generalised")
#: Screening of units before the build (COINr's ``Screen``): off unless the spec has a ``screen`` block.
SCREEN_KEYS = ("min_availability", "min_nonzero", "max_imputed", "include", "exclude")
#: Keys that document a spec, a dimension or an indicator: kept in :attr:`Spec.raw`, ignored by the engine
#: (``source`` and ``synthetic`` are read by :mod:`playbook.indicators`, the texts by the data dictionary).
DOC_KEYS = ("name", "description", "notes", "source", "unit", "rationale", "definition", "synthetic")
#: The keys each level of a spec may hold (besides :data:`DOC_KEYS`).
TOP_KEYS = ("id", "unit_id", "population", "impute", "treat", "normalise", "weights", "aggregate", "screen",
            "min_coverage", "rescale", "dimensions", "uncertainty")
DIMENSION_KEYS = ("id", "weight", "indicators", "dimensions")
INDICATOR_KEYS = ("id", "column", "direction", "weight", "goalposts", "target", "denominator", "scale")
#: The parameters of each method block (any of its methods), ``method`` included.
BLOCK_KEYS = {
    "impute": ("method", "by"),
    "treat": ("method", "winmax", "skew", "kurtosis", "fallback"),
    "normalise": ("method", "range", "mean", "sd", "goalposts", "reference", "type", "scale", "target", "cap_max"),
    "weights": ("method",),
    "aggregate": ("method", "p"),
}
#: The keys of the ``uncertainty`` block (see :mod:`playbook.index.uncertainty`).
UNCERTAINTY_KEYS = ("normalise", "aggregate", "weights", "impute", "remove_indicator", "range", "parameters",
                    "measurement")

DEFAULTS: dict[str, dict[str, Any]] = {
    "impute": {"method": "none"},
    "treat": {"method": "none", "winmax": 5, "skew": 2.0, "kurtosis": 3.5, "fallback": "log"},
    "normalise": {"method": "minmax", "range": [0, 100]},
    "weights": {"method": "expert"},
    "aggregate": {"method": "arithmetic"},
}
METHODS = {
    "impute": IMPUTE_METHODS,
    "treat": TREAT_METHODS,
    "normalise": NORMALISE_METHODS,
    "weights": WEIGHT_METHODS,
    "aggregate": AGGREGATE_METHODS,
}


@dataclass(frozen=True)
class Indicator:
    """One indicator: its id, the data column it reads, its direction and its weight."""

    id: str
    column: str
    direction: int = 1
    weight: float = 1.0
    goalposts: tuple[float, float] | None = None
    target: float | None = None
    denominator: str | None = None
    scale: float = 1.0


@dataclass(frozen=True)
class Dimension:
    """A dimension: an id, a weight and its indicators; or, one level up, its sub-dimensions
    (``dimensions``), ``indicators`` then being every indicator beneath it."""

    id: str
    weight: float
    indicators: tuple[Indicator, ...]
    dimensions: tuple[Dimension, ...] = ()


@dataclass(frozen=True)
class Spec:
    """A validated index specification (see :func:`load_spec`)."""

    id: str
    unit_id: str
    dimensions: tuple[Dimension, ...]
    impute: dict
    treat: dict
    normalise: dict
    weights: dict
    aggregate: dict
    min_coverage: float = 0.5
    rescale: bool = False
    population: str | None = None
    name: dict = field(default_factory=dict)
    uncertainty: dict = field(default_factory=dict)
    screen: dict = field(default_factory=dict)
    #: The top level of the hierarchy as written (empty: ``dimensions`` is the top level).
    tree: tuple[Dimension, ...] = ()
    raw: dict = field(default_factory=dict, repr=False, compare=False)
    path: str | None = field(default=None, compare=False)

    @property
    def levels(self) -> tuple[tuple[Dimension, ...], ...]:
        """The aggregates level by level, from the parents of the indicators (``dimensions``) up to the
        children of the index; one level for the usual indicators -> dimensions -> index."""
        if not self.tree:
            return (self.dimensions,)
        out, level = [], self.tree
        while level and level[0].dimensions:
            out.append(level)
            level = tuple(c for d in level for c in d.dimensions)
        return (self.dimensions, *reversed(out))

    @property
    def depth(self) -> int:
        """Levels of the hierarchy, indicators and index included (3: indicators -> dimensions -> index)."""
        return len(self.levels) + 2

    @property
    def node_ids(self) -> list[str]:
        """Ids of every aggregate below the index, level by level (``dimension_ids`` first)."""
        return [d.id for level in self.levels for d in level]

    @property
    def parents(self) -> list[str | None]:
        """For each of :attr:`node_ids`, the id of its parent aggregate (``None``: the index)."""
        up = {c.id: d.id for level in self.levels[1:] for d in level for c in d.dimensions}
        return [up.get(i) for i in self.node_ids]

    def level_membership(self) -> list[np.ndarray]:
        """Child-by-parent 0/1 matrices, one per level: indicators x dimensions (:attr:`membership`),
        then dimensions x their parents, ..., up to the children of the index (not included)."""
        out = [self.membership]
        for low, high in zip(self.levels, self.levels[1:], strict=False):
            pos = {d.id: j for j, d in enumerate(high)}
            m = np.zeros((len(low), len(high)))
            for d in high:
                for c in d.dimensions:
                    m[[x.id for x in low].index(c.id), pos[d.id]] = 1.0
            out.append(m)
        return out

    def alive(self, w: np.ndarray) -> np.ndarray:
        """(B, nodes) whether each aggregate of :attr:`node_ids` has an indicator of weight > 0 beneath."""
        out, have = [], np.atleast_2d(w) > 0
        for m in self.level_membership():
            have = (have.astype(float) @ m) > 0
            out.append(have)
        return np.concatenate(out, axis=1)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """All indicators, dimension by dimension, in spec order."""
        return tuple(i for d in self.dimensions for i in d.indicators)

    @property
    def indicator_ids(self) -> list[str]:
        return [i.id for i in self.indicators]

    @property
    def dimension_ids(self) -> list[str]:
        return [d.id for d in self.dimensions]

    @property
    def membership(self) -> np.ndarray:
        """Indicator-by-dimension 0/1 matrix (K x P)."""
        m = np.zeros((len(self.indicators), len(self.dimensions)))
        k = 0
        for p, dim in enumerate(self.dimensions):
            m[k:k + len(dim.indicators), p] = 1.0
            k += len(dim.indicators)
        return m

    def indicator_weights(self) -> np.ndarray:
        """Spec (expert) indicator weights, normalised to sum to 1 within each dimension."""
        w = np.array([i.weight for i in self.indicators], dtype=float)
        totals = self.membership @ (w @ self.membership)
        return w / totals

    def dimension_weights(self) -> np.ndarray:
        """Spec weights of every aggregate of :attr:`node_ids`, normalised to sum to 1 among the
        children of each parent (for three levels: the dimension weights, summing to 1)."""
        v = np.array([d.weight for level in self.levels for d in level], dtype=float)
        return normalise_within_parents(self, v)

    def choices(self) -> dict:
        """Every choice of the pipeline, as recorded with a result."""
        out = {
            "impute": dict(self.impute), "treat": dict(self.treat), "normalise": dict(self.normalise),
            "weights": dict(self.weights), "aggregate": dict(self.aggregate),
            "min_coverage": self.min_coverage, "rescale": self.rescale,
        }
        for key in METHODS:  # a custom function is recorded by its qualified name
            if callable(out[key]["method"]):
                out[key]["method"] = function_name(out[key]["method"])
        if self.screen:
            out["screen"] = dict(self.screen)
        denominated = {i.id: {"denominator": i.denominator, "scale": i.scale} for i in self.indicators if i.denominator}
        if denominated:
            out["denominate"] = denominated
        return out

    def with_changes(self, **changes: Any) -> Spec:
        """The same spec with some top-level keys replaced (a method block may be given as a name).

        ``spec.with_changes(aggregate="geometric")`` or
        ``spec.with_changes(normalise={"method": "minmax", "range": [1, 100]})``.
        """
        raw = copy.deepcopy(self.raw)
        for key, value in changes.items():
            raw[key] = value
        return load_spec(raw, source=self.path)


def normalise_within_parents(spec: Spec, v: np.ndarray) -> np.ndarray:
    """Aggregate weights ``v`` (..., nodes) divided by the sum over their siblings (0 stays 0)."""
    v = np.asarray(v, dtype=float)
    out = np.empty_like(v)
    start = 0
    ms = spec.level_membership()[1:] + [None]
    for level, m in zip(spec.levels, ms, strict=True):
        part = v[..., start:start + len(level)]
        total = part.sum(axis=-1, keepdims=True) if m is None else (part @ m) @ m.T
        with np.errstate(invalid="ignore", divide="ignore"):
            out[..., start:start + len(level)] = np.where(total > 0, part / np.where(total > 0, total, 1), 0.0)
        start += len(level)
    return out


def function_name(function: Any) -> str:
    """The qualified name of a custom function, as recorded in the choices: ``module.qualname``."""
    return f"{getattr(function, '__module__', None) or '?'}.{getattr(function, '__qualname__', repr(function))}"


def _fail(message: str, source: str | None, key: str, expected: str | None = None) -> PlaybookError:
    return PlaybookError(message, path=source or "<spec>", field=key, expected=expected)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_structure(raw: Any, source: str | None = None) -> None:
    """Refuse unknown keys and wrong YAML types at every level of a parsed spec, before anything is built.

    The top level, each method block, ``screen``, ``uncertainty``, every dimension at any depth and every
    indicator: an unknown key raises one :class:`~playbook.errors.PlaybookError` with a "did you mean"
    (:func:`playbook.errors.check_keys`); a mapping where a list is expected (or the reverse) names its key.
    :func:`load_spec` calls it, and so does :func:`playbook.indicators.read_spec`.
    """
    where = source or "<spec>"
    if not isinstance(raw, dict):
        raise _fail(f"the spec is a {type(raw).__name__}, not a mapping", source, "<top>",
                    "keys id, unit_id, dimensions, ...")
    check_keys(raw, TOP_KEYS + DOC_KEYS, path=where)
    for key in ("id", "unit_id", "population"):
        value = raw.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int) or value == ""):
            raise _fail(f"{key} is {value!r}", source, key, "a name (text)")
    if "name" in raw and raw["name"] is not None and not isinstance(raw["name"], str | dict):
        raise _fail(f"name is a {type(raw['name']).__name__}", source, "name", "a text, or {en: ..., fr: ...}")
    if "rescale" in raw and not isinstance(raw["rescale"], bool):
        raise _fail(f"rescale is {raw['rescale']!r}", source, "rescale", "true or false")
    for key, allowed in BLOCK_KEYS.items():
        block = raw.get(key)
        if isinstance(block, dict):
            check_keys(block, allowed, path=where, where=key)
        elif block is not None and not isinstance(block, str) and not callable(block):
            raise _fail(f"{key} is a {type(block).__name__}", source, key,
                        f"a method name or a mapping such as {{method: {METHODS[key][0]}}}")
    for key, allowed in (("screen", SCREEN_KEYS), ("uncertainty", UNCERTAINTY_KEYS)):
        block = raw.get(key)
        if block is None or block == {}:
            continue
        if not isinstance(block, dict):
            raise _fail(f"the {key} block is a {type(block).__name__}, not a mapping", source, key,
                        "e.g. {min_availability: 0.66}" if key == "screen" else "e.g. {normalise: [minmax, rank]}")
        check_keys(block, allowed, path=where, where=key)
    _check_uncertainty_types(raw.get("uncertainty") or {}, source)
    _structure_of_dimensions(raw.get("dimensions"), source, "dimensions")


def _check_uncertainty_types(block: dict, source: str | None) -> None:
    for key in ("normalise", "aggregate", "impute"):
        if key in block and block[key] is not None and not isinstance(block[key], list):
            raise _fail(f"uncertainty.{key} is a {type(block[key]).__name__}", source, f"uncertainty.{key}",
                        f"a list of methods, e.g. [{METHODS[key][0]}, {METHODS[key][1]}]")
    if "weights" in block and not (_is_number(block["weights"]) and 0 <= block["weights"] < 1):
        raise _fail(f"uncertainty.weights is {block['weights']!r}", source, "uncertainty.weights",
                    "a share in [0, 1), e.g. 0.25")
    if "remove_indicator" in block and not isinstance(block["remove_indicator"], bool):
        raise _fail(f"remove_indicator is {block['remove_indicator']!r}", source, "uncertainty.remove_indicator",
                    "true or false")
    rng = block.get("range")
    if rng is not None and not (isinstance(rng, list) and len(rng) == 2 and all(map(_is_number, rng)) and rng[0] < rng[1]):
        raise _fail(f"range {rng!r} is not [low, high]", source, "uncertainty.range", "two numbers, low < high")
    measurement = block.get("measurement")
    if measurement is not None and not isinstance(measurement, bool) and not (
            isinstance(measurement, dict) and set(measurement) <= {"replicates"}
            and isinstance(measurement.get("replicates", 0), int) and not isinstance(measurement.get("replicates"), bool)
            and measurement.get("replicates", 0) >= 0):
        raise _fail(f"uncertainty.measurement is {measurement!r}", source, "uncertainty.measurement",
                    "false, or {replicates: N} with N >= 0 (e.g. 10)")
    if block.get("parameters") is not None and not isinstance(block["parameters"], dict):
        raise _fail(f"uncertainty.parameters is a {type(block['parameters']).__name__}", source,
                    "uncertainty.parameters", "PATH: [alternatives] or PATH: {range: [low, high]}")


def _structure_of_dimensions(entries: Any, source: str | None, prefix: str) -> None:
    where = source or "<spec>"
    if entries is None:
        return
    if not isinstance(entries, list):
        raise _fail(f"{prefix} is a {type(entries).__name__}, not a list", source, prefix,
                    "a list of dimensions, each with an id and indicators")
    for p, dim in enumerate(entries):
        key = f"{prefix}[{dim.get('id', p) if isinstance(dim, dict) else p}]"
        if not isinstance(dim, dict):
            raise _fail(f"a dimension is a {type(dim).__name__}", source, key, "{id: ..., indicators: [...]}")
        check_keys(dim, DIMENSION_KEYS + DOC_KEYS, path=where, where=key)
        if "dimensions" in dim:
            _structure_of_dimensions(dim["dimensions"], source, f"{key}.dimensions")
        inds = dim.get("indicators")
        if inds is None:
            continue
        if not isinstance(inds, list):
            raise _fail(f"indicators is a {type(inds).__name__}, not a list", source, f"{key}.indicators",
                        "a list of indicators, each {id: ..., column: ...}")
        for j, ind in enumerate(inds):
            if not isinstance(ind, dict):
                raise _fail(f"an indicator is a {type(ind).__name__}", source, f"{key}.indicators[{j}]",
                            "{id: ..., column: ...}")
            check_keys(ind, INDICATOR_KEYS + DOC_KEYS, path=where, where=f"{key}.indicators[{j}]")


def _method_block(raw: dict, key: str, source: str | None) -> dict:
    value = raw.get(key, DEFAULTS[key]["method"])
    if isinstance(value, str):
        value = {"method": value}
    if callable(value):  # a custom function, from Python only (see playbook.index.custom)
        value = {"method": value}
    if not isinstance(value, dict) or "method" not in value:
        raise _fail("a method block must be a name or a mapping with 'method'", source, key, "e.g. {method: minmax}")
    block = {**DEFAULTS["treat"], **value} if key == "treat" else dict(value)
    if key == "normalise" and block["method"] in ("minmax", "percentile", "goalposts"):
        block.setdefault("range", [0, 100])
    if callable(block["method"]):
        return block
    if not isinstance(block["method"], str) or block["method"] not in METHODS[key]:
        raise _fail(f"unknown method '{block['method']}'", source, f"{key}.method", " | ".join(METHODS[key]))
    _block_parameters(block, key, source)
    return block


def _block_parameters(block: dict, key: str, source: str | None) -> None:
    """The types of a method block's parameters (their meaning is checked by :func:`_check_methods`)."""
    if key == "treat":
        winmax = block["winmax"]
        if not _is_number(winmax) or winmax < 0 or float(winmax) != int(winmax):
            raise _fail(f"winmax {winmax!r} is not a whole number >= 0", source, "treat.winmax", "e.g. 5")
        for name in ("skew", "kurtosis"):
            _number(block[name], source, f"treat.{name}", minimum=0)
    for name in ("mean", "sd", "scale", "target", "p"):
        if name in block:
            _number(block[name], source, f"{key}.{name}")
    if key == "normalise" and "sd" in block and float(block["sd"]) <= 0:
        raise _fail(f"sd {block['sd']} is not positive", source, "normalise.sd", "a number > 0")
    for name in ("range", "goalposts"):
        if name in block:
            pair = block[name]
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise _fail(f"{name} {pair!r} is not two numbers", source, f"{key}.{name}", "[low, high]")
            for value in pair:
                _number(value, source, f"{key}.{name}")
    if key == "impute" and "by" in block and (not isinstance(block["by"], str) or not block["by"]):
        raise _fail(f"by {block['by']!r} is not a column name", source, "impute.by", "a column name")
    if key == "normalise" and "reference" in block and not isinstance(block["reference"], str | int):
        raise _fail(f"reference {block['reference']!r} is not a unit id", source, "normalise.reference", "a unit id")


def _number(value: Any, source: str | None, key: str, *, minimum: float | None = None) -> float:
    if isinstance(value, bool):  # YAML's true/false are not numbers (float(True) would be 1.0)
        raise _fail(f"{value!r} is not a number", source, key, "a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _fail(f"'{value}' is not a number", source, key, "a number") from None
    if not np.isfinite(number) or (minimum is not None and number < minimum):
        raise _fail(f"{value} is out of range", source, key, f"a finite number >= {minimum}")
    return number


#: An id becomes a column of every table and a name in the database: letters, digits, underscores.
SAFE_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


def _safe_id(value: Any, source: str | None, key: str) -> str:
    text = str(value)
    if not SAFE_ID.fullmatch(text):
        raise _fail(f"id {text!r} is not a safe name", source, f"{key}.id",
                    "letters, digits and underscores, starting with a letter or underscore, at most 63 "
                    "characters (an id becomes a column and a database name)")
    return text


def _indicator(raw: Any, source: str | None, key: str) -> Indicator:
    if not isinstance(raw, dict) or "id" not in raw:
        raise _fail("an indicator must be a mapping with an 'id'", source, key, "{id: ..., column: ...}")
    _safe_id(raw["id"], source, key)
    direction = raw.get("direction", 1)
    if isinstance(direction, bool) or direction not in (1, -1):
        raise _fail(f"direction {direction!r} is not 1 or -1", source, f"{key}.direction",
                    "1 (higher = more vulnerable) or -1")
    goalposts = raw.get("goalposts")
    if goalposts is not None:
        if not isinstance(goalposts, list | tuple) or len(goalposts) != 2 or goalposts[0] == goalposts[1]:
            raise _fail(f"goalposts {goalposts!r} are not two different numbers", source, f"{key}.goalposts",
                        "[low, high]")
        goalposts = tuple(_number(g, source, f"{key}.goalposts") for g in goalposts)
    target = None if raw.get("target") is None else _number(raw["target"], source, f"{key}.target")
    denominator = raw.get("denominator")
    if denominator is not None and (not isinstance(denominator, str) or not denominator):
        raise _fail(f"denominator {denominator!r} is not a column name", source, f"{key}.denominator", "a column name")
    scale = _number(raw.get("scale", 1), source, f"{key}.scale")
    if scale == 0:
        raise _fail("scale 0 would zero the indicator", source, f"{key}.scale", "a non-zero number, e.g. 1000")
    return Indicator(
        id=str(raw["id"]), column=str(raw.get("column", raw["id"])), direction=int(direction),
        weight=_number(raw.get("weight", 1), source, f"{key}.weight", minimum=0), goalposts=goalposts,
        target=target, denominator=denominator, scale=scale,
    )


def _dimensions(raw: Any, source: str | None, prefix: str = "dimensions",
                seen: set | None = None) -> tuple[Dimension, ...]:
    """The dimensions of a list (recursively: a dimension has ``indicators`` or ``dimensions``)."""
    if not isinstance(raw, list) or not raw:
        raise _fail("no dimensions", source, prefix, "a list of dimensions, each with indicators")
    dims, seen = [], set() if seen is None else seen
    for p, d in enumerate(raw):
        key = f"{prefix}[{p}]"
        if not isinstance(d, dict) or "id" not in d:
            raise _fail("a dimension must be a mapping with an 'id'", source, key, "{id: ..., indicators: [...]}")
        _safe_id(d["id"], source, key)
        key = f"{prefix}[{d['id']}]"
        if str(d["id"]) in seen:
            raise _fail(f"id '{d['id']}' is used twice", source, key, "unique dimension and indicator ids")
        seen.add(str(d["id"]))
        weight = _number(d.get("weight", 1), source, f"{key}.weight", minimum=0)
        if "dimensions" in d:
            if "indicators" in d:
                raise _fail("a dimension has both indicators and dimensions", source, key,
                            "either indicators (the lowest level) or dimensions (a level above)")
            children = _dimensions(d["dimensions"], source, f"{key}.dimensions", seen)
            indicators = tuple(i for c in children for i in c.indicators)
            dims.append(Dimension(str(d["id"]), weight, indicators, children))
            continue
        inds = d.get("indicators")
        if not isinstance(inds, list) or not inds:
            raise _fail("a dimension has no indicators", source, f"{key}.indicators",
                        "a non-empty list (or 'dimensions': a list of sub-dimensions)")
        indicators = tuple(_indicator(i, source, f"{key}.indicators[{j}]") for j, i in enumerate(inds))
        if sum(i.weight for i in indicators) <= 0:
            raise _fail("all indicator weights are zero", source, f"{key}.indicators.weight", "at least one weight > 0")
        for ident in [i.id for i in indicators]:
            if ident in seen:
                raise _fail(f"id '{ident}' is used twice", source, key, "unique dimension and indicator ids")
            seen.add(ident)
        dims.append(Dimension(str(d["id"]), weight, indicators))
    if sum(d.weight for d in dims) <= 0:
        raise _fail("all dimension weights are zero", source, f"{prefix}.weight", "at least one weight > 0")
    return tuple(dims)


def _height(d: Dimension) -> int:
    return 0 if not d.dimensions else 1 + _height(d.dimensions[0])


def _hierarchy(raw: Any, source: str | None) -> tuple[tuple[Dimension, ...], tuple[Dimension, ...]]:
    """(the parents of the indicators, in spec order; the top level, empty for three levels)."""
    top = _dimensions(raw, source)
    if all(not d.dimensions for d in top):
        return top, ()

    def check(d: Dimension, height: int, key: str) -> list[Dimension]:
        if _height(d) != height or any(_height(c) != height - 1 for c in d.dimensions):
            raise _fail(f"dimension '{d.id}' does not have its indicators at the same depth as the others",
                        source, key, "every indicator at the same depth (as COINr's levels)")
        return [d] if height == 0 else [x for c in d.dimensions for x in check(c, height - 1, f"{key}.{c.id}")]

    height = _height(top[0])
    lowest = [x for d in top for x in check(d, height, f"dimensions[{d.id}]")]
    return tuple(lowest), top


def _check_methods(spec: Spec, source: str | None) -> None:
    norm = spec.normalise
    if norm["method"] in ("minmax", "percentile", "goalposts"):
        rng = norm.get("range")
        if not isinstance(rng, list | tuple) or len(rng) != 2 or float(rng[0]) >= float(rng[1]):
            raise _fail(f"range {rng!r} is not [low, high] with low < high", source, "normalise.range", "e.g. [0, 100]")
    if norm["method"] == "goalposts" and "goalposts" not in norm:
        missing = [i.id for i in spec.indicators if i.goalposts is None]
        if missing:
            raise _fail(f"indicator '{missing[0]}' has no goalposts", source, "normalise.goalposts",
                        "goalposts: [low, high] on every indicator or in the normalise block")
    if norm["method"] == "distance_to_reference":
        if "reference" not in norm:
            raise _fail("no reference unit", source, "normalise.reference", "the id of the reference unit")
        if norm.setdefault("type", "ratio") not in ("ratio", "difference"):
            raise _fail(f"unknown type '{norm['type']}'", source, "normalise.type", "ratio | difference")
    _check_new_methods(spec, source)
    if str(spec.impute["method"]).startswith("group_") and "by" not in spec.impute:
        raise _fail("group imputation needs a grouping column", source, "impute.by", "a column name")
    if spec.treat["fallback"] not in ("log", "none"):
        raise _fail(f"unknown fallback '{spec.treat['fallback']}'", source, "treat.fallback", "log | none")
    if not 0 <= spec.min_coverage <= 1:
        raise _fail(f"min_coverage {spec.min_coverage} is not a share", source, "min_coverage", "a number in [0, 1]")


def _check_new_methods(spec: Spec, source: str | None) -> None:
    """Parameters of dist2max, dist2targ, fracmax, borda, the generalised mean and the screen block."""
    norm = spec.normalise
    if norm["method"] in ("dist2max", "dist2targ", "fracmax", "borda") and "scale" in norm:
        _number(norm["scale"], source, "normalise.scale")
    if norm["method"] == "dist2targ":
        shared = norm.get("target")
        if shared is not None:
            _number(shared, source, "normalise.target")
        missing = [i.id for i in spec.indicators if i.target is None]
        if shared is None and missing:
            raise _fail(f"indicator '{missing[0]}' has no target", source, "normalise.target",
                        "target: VALUE on every indicator or in the normalise block")
        if not isinstance(norm.setdefault("cap_max", False), bool):
            raise _fail(f"cap_max {norm['cap_max']!r} is not true or false", source, "normalise.cap_max",
                        "true | false")
    if spec.aggregate["method"] == "generalised":
        if "p" not in spec.aggregate:
            raise _fail("the generalised mean needs its power p", source, "aggregate.p",
                        "a number: 1 arithmetic, 0 geometric, -1 harmonic")
        _number(spec.aggregate["p"], source, "aggregate.p")
    screen = spec.screen
    if screen:
        if not isinstance(screen, dict):
            raise _fail("the screen block is not a mapping", source, "screen", "e.g. {min_availability: 0.66}")
        check_keys(screen, SCREEN_KEYS, path=source or "<spec>", where="screen")
        for key in ("min_availability", "min_nonzero", "max_imputed"):
            if key in screen and not 0 <= _number(screen[key], source, f"screen.{key}") <= 1:
                raise _fail(f"{screen[key]} is not a share", source, f"screen.{key}", "a number in [0, 1]")
        for key in ("include", "exclude"):
            if not isinstance(screen.get(key, []), list):
                raise _fail(f"screen.{key} is not a list", source, f"screen.{key}", "a list of unit ids")


def load_spec(spec: str | PathLike | dict | Spec, *, source: str | None = None) -> Spec:
    """Read and validate an index spec from a YAML file, a dict (as parsed YAML) or a :class:`Spec`."""
    if isinstance(spec, Spec):
        return spec
    if isinstance(spec, str | PathLike):
        path = Path(spec)
        source = str(path)
        if not path.is_file():
            raise PlaybookError("spec file not found", path=path, expected="a YAML index spec")
        try:
            raw = read_yaml(path)
        except yaml.YAMLError as exc:
            raise PlaybookError(" ".join(f"invalid YAML: {exc}".split()), path=path) from None
        except UnicodeDecodeError as exc:
            raise PlaybookError(f"not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start})",
                                path=path, expected="a YAML spec saved as UTF-8") from None
        except OSError as exc:
            raise PlaybookError(f"cannot read the spec: {exc.strerror}", path=path) from None
    else:
        raw = copy.deepcopy(spec)
    check_structure(raw, source)
    for key in ("id", "unit_id"):
        if key not in raw:
            raise _fail(f"missing key '{key}'", source, key, "see the appendix 'Index specification'")
    hierarchy = _hierarchy(raw.get("dimensions"), source)
    result = Spec(
        id=str(raw["id"]),
        unit_id=str(raw["unit_id"]),
        dimensions=hierarchy[0],
        tree=hierarchy[1],
        impute=_method_block(raw, "impute", source),
        treat=_method_block(raw, "treat", source),
        normalise=_method_block(raw, "normalise", source),
        weights=_method_block(raw, "weights", source),
        aggregate=_method_block(raw, "aggregate", source),
        min_coverage=_number(raw.get("min_coverage", 0.5), source, "min_coverage", minimum=0),
        rescale=bool(raw.get("rescale", False)),
        population=raw.get("population"),
        name=raw.get("name") or {},
        uncertainty=raw.get("uncertainty") or {},
        screen=raw.get("screen") or {},
        raw=raw,
        path=source,
    )
    _check_methods(result, source)
    return result


def read_data(data: str | PathLike | pd.DataFrame, spec: Spec, *, encoding: str | None = None) -> tuple[pd.DataFrame, str]:
    """The data as a DataFrame (read from CSV if a path) and a label naming it in errors.

    A CSV is read as UTF-8 or Windows-1252, found from its bytes (or ``encoding``, declared; see
    :mod:`playbook.sources.census.text`); UTF-16 is refused. Every row must have the header's number
    of fields and its quotes closed on the same line: a row with extra fields, a short row or an
    unterminated quote (which would swallow the rows after it) is an error naming its line, never a
    row lost in silence. An empty file or a header without rows is refused too.
    """
    from playbook.sources.census import text as text_encoding

    if isinstance(data, pd.DataFrame):
        return data, "<data>"
    path = Path(data)
    if not path.is_file():
        raise PlaybookError("data file not found", path=path, expected="a CSV file with one row per unit")
    expected = "a CSV file with a header and one row per unit"
    with open(path, "rb") as fh:
        if not fh.read(1 << 16).strip():
            raise PlaybookError("the file is empty", path=path, row=1, expected=expected)
    found = text_encoding.of_path(path, encoding)
    _check_rows(path)
    codecs = ["utf-8", text_encoding.FALLBACK] if found == text_encoding.UNDECIDED else [found]
    for k, codec in enumerate(codecs):
        try:
            frame = pd.read_csv(path, dtype={spec.unit_id: str}, keep_default_na=True, low_memory=False,
                                encoding=codec, encoding_errors=text_encoding.errors(codec))
            break
        except UnicodeDecodeError as exc:
            if k + 1 < len(codecs):
                continue
            raise PlaybookError(f"bytes {exc.object[exc.start:exc.start + 4]!r} are not {codec} text", path=path,
                                expected=text_encoding.HINT) from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise PlaybookError(f"cannot read the CSV ({' '.join(str(exc).split())})", path=path,
                                expected=expected) from None
    if frame.empty:
        raise PlaybookError("the file has a header but no rows", path=path, row=2, expected=expected)
    return frame, str(path)


def _check_rows(path: Path) -> None:
    """Every row of the CSV has the header's number of fields, with no quote left open at its line end
    (PyArrow, one pass in C++; delimiters, quotes and line ends are ASCII in UTF-8 and Windows-1252)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    bad: list = []

    def handler(row) -> str:
        bad.append(row)
        return "error"

    try:
        pacsv.read_csv(path, read_options=pacsv.ReadOptions(use_threads=False),
                       parse_options=pacsv.ParseOptions(newlines_in_values=False, invalid_row_handler=handler),
                       convert_options=pacsv.ConvertOptions(include_columns=[]))
    except pa.ArrowInvalid as exc:
        if bad:
            row = bad[0]
            why = ("a comma inside an unquoted value?" if row.actual_columns > row.expected_columns
                   else "a missing field, or a quote left open?")
            raise PlaybookError(f"row has {row.actual_columns} fields ({why})", path=path, row=row.number,
                                expected=f"{row.expected_columns} fields, as in the header") from None
        raise PlaybookError(f"cannot read the CSV ({str(exc).splitlines()[0]})", path=path,
                            expected="a CSV file with a header and one row per unit") from None


def check_data(spec: Spec, data: pd.DataFrame, label: str = "<data>") -> np.ndarray:
    """Validate ``data`` against ``spec``; return the raw indicator matrix (units x indicators, float).

    Row numbers in errors are lines of the file (the header is line 1).
    """
    needed = [spec.unit_id] + [i.column for i in spec.indicators]
    if spec.population:
        needed.append(spec.population)
    if str(spec.impute["method"]).startswith("group_"):
        needed.append(spec.impute["by"])
    for column in needed:
        if column not in data.columns:
            raise PlaybookError(f"column '{column}' named in the spec is not in the data", path=label, field=column,
                                expected=f"one of the columns {', '.join(map(str, data.columns[:8]))}...")
    ids = data[spec.unit_id]
    dup = ids.duplicated(keep="first").to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0])
        raise PlaybookError(f"duplicate unit id '{ids.iloc[row]}'", path=label, row=row + 2, field=spec.unit_id,
                            expected="one row per unit")
    if ids.isna().any():
        row = int(np.flatnonzero(ids.isna().to_numpy())[0])
        raise PlaybookError("empty unit id", path=label, row=row + 2, field=spec.unit_id, expected="an id on every row")
    columns = [i.column for i in spec.indicators] + ([spec.population] if spec.population else [])
    out = np.empty((len(data), len(columns)))
    for k, column in enumerate(columns):
        values = data[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            out[:, k] = values.to_numpy(dtype=float, na_value=np.nan)
            continue
        numeric = pd.to_numeric(values, errors="coerce")
        bad = numeric.isna().to_numpy() & values.notna().to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise PlaybookError(f"non-numeric value '{values.iloc[row]}'", path=label, row=row + 2, field=column,
                                expected="a number or an empty cell")
        out[:, k] = numeric.to_numpy(dtype=float)
    infinite = np.isinf(out)
    if infinite.any():
        row, k = (int(v[0]) for v in np.nonzero(infinite))
        raise PlaybookError(f"infinite value {out[row, k]}", path=label, row=row + 2, field=columns[k],
                            expected="a finite number or an empty cell")
    if spec.population:
        negative = out[:, -1] < 0
        if negative.any():
            row = int(np.flatnonzero(negative)[0])
            raise PlaybookError(f"negative population {out[row, -1]:g}", path=label, row=row + 2, field=spec.population,
                                expected="a count >= 0")
    return out[:, :len(spec.indicators)]
