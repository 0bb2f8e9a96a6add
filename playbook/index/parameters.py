"""Uncertain spec parameters: any parameter of the spec, by its path, drawn in the uncertainty analysis.

The ``uncertainty`` block's ``parameters`` maps a path to its alternatives, a list (one is drawn
per run) or ``{range: [low, high]}`` (drawn uniformly)::

    uncertainty:
      parameters:
        weights.access: [1, 2, 3]        # the weight of a dimension or an indicator, by its id
        normalise.range: [[0, 100], [1, 100]]
        treat.skew: {range: [1.5, 3], steps: 4}
        aggregate.p: [-1, 0, 1]
        indicators.x.target: [40, 60]     # a key of one indicator
        min_coverage: [0.5, 0.75]

Paths: ``weights.ID`` (an indicator's or an aggregate's weight; with ``expert`` weights), a key of
a method block (``impute.``, ``treat.``, ``normalise.``, ``aggregate.`` followed by the key),
``indicators.ID.KEY``, and ``min_coverage``. A weight is applied in the vectorised runs: it
multiplies the run's weight by ``value / spec weight`` (weights are relative within their parent).
Any other parameter changes the data before aggregation: runs are grouped by the values of those
parameters, and each group is prepared once (a range is then taken at ``steps`` evenly spaced
values, default 5, so that the groups are few).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np

from playbook.errors import PlaybookError
from playbook.index.spec import Spec, load_spec

BLOCKS = ("impute", "treat", "normalise", "aggregate")
DEFAULT_STEPS = 5


@dataclass(frozen=True)
class Parameter:
    """One uncertain parameter: its path, whether it is a weight, and its alternatives or range."""

    path: str
    weight: bool
    values: tuple | None  # alternatives (a range of a rebuild parameter is turned into steps)
    low: float | None = None
    high: float | None = None

    @property
    def continuous(self) -> bool:
        return self.values is None


def _fail(spec: Spec, path: str, message: str, expected: str) -> PlaybookError:
    return PlaybookError(message, path=spec.path, field=f"uncertainty.parameters.{path}", expected=expected)


def _find(node: Any, ident: str) -> dict | None:
    """The mapping with ``id: ident`` anywhere in the raw spec (a dimension, an indicator...)."""
    if isinstance(node, dict):
        if "id" in node and str(node["id"]) == ident:
            return node
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _find(child, ident)
        if found is not None:
            return found
    return None


def spec_weight(spec: Spec, ident: str) -> float:
    """The weight the spec gives to the indicator or aggregate ``ident`` (1 if not written)."""
    found = _find(spec.raw.get("dimensions"), ident)
    return float(found.get("weight", 1)) if found is not None else float("nan")


def apply(raw: dict, path: str, value: Any) -> dict:
    """``raw`` (a parsed spec, copied) with the parameter at ``path`` set to ``value``."""
    raw = copy.deepcopy(raw)
    head, _, rest = path.partition(".")
    if path == "min_coverage":
        raw["min_coverage"] = value
    elif head in BLOCKS:
        block = raw.get(head, {"method": "none"} if head in ("impute", "treat") else {})
        block = {"method": block} if isinstance(block, str) else dict(block)
        if head == "normalise" and "method" not in block:
            block["method"] = "minmax"
        if head == "aggregate" and "method" not in block:
            block["method"] = "arithmetic"
        block[rest] = value
        raw[head] = block
    elif head in ("indicators", "weights"):  # an id absent (an indicator removed in a run) is left alone
        ident, key = rest.rpartition(".")[::2] if head == "indicators" else (rest, "weight")
        found = _find(raw.get("dimensions"), ident)
        if found is not None:
            found[key] = value
    return raw


def parse(spec: Spec, block: Any) -> list[Parameter]:
    """The ``parameters`` of the uncertainty block, checked: each alternative must give a valid spec."""
    if not block:
        return []
    if not isinstance(block, dict):
        raise PlaybookError("uncertainty.parameters is not a mapping", path=spec.path, field="uncertainty.parameters",
                            expected="PATH: [alternatives] or PATH: {range: [low, high]}")
    ids = set(spec.indicator_ids) | {str(n) for n in getattr(spec, "node_ids", spec.dimension_ids)}
    out = []
    for path, alternatives in block.items():
        path = str(path)
        head, _, rest = path.partition(".")
        weight = head == "weights" and rest in ids
        if head == "weights" and not weight:
            raise _fail(spec, path, f"'{rest}' is not an indicator or aggregate id", "weights.ID with an id of the spec")
        if weight and spec.weights["method"] != "expert":
            raise _fail(spec, path, "a weight is uncertain only with expert weights", "weights: {method: expert}")
        if weight and not spec_weight(spec, rest) > 0:
            raise _fail(spec, path, f"the spec weight of '{rest}' is 0", "a spec weight > 0 to vary")
        if head == "indicators" and rest.rpartition(".")[0] not in spec.indicator_ids:
            raise _fail(spec, path, "not an indicator's key", "indicators.ID.KEY with an indicator id")
        if head in BLOCKS and rest == "method":
            raise _fail(spec, path, "a method is drawn by its own factor", f"uncertainty.{head}: [methods]")
        known = weight or path == "min_coverage" or (head in BLOCKS + ("indicators",) and bool(rest))
        if not known:
            raise _fail(spec, path, "this parameter cannot be uncertain",
                        "weights.ID, impute.KEY, treat.KEY, normalise.KEY, aggregate.KEY, indicators.ID.KEY, "
                        "min_coverage")
        if isinstance(alternatives, dict) and "range" in alternatives:
            rng = alternatives["range"]
            try:
                low, high = (float(v) for v in rng)
            except (TypeError, ValueError):
                raise _fail(spec, path, f"range {rng!r} is not two numbers", "{range: [low, high]}") from None
            if not low < high:
                raise _fail(spec, path, f"range {rng!r} is not low < high", "{range: [low, high]}")
            if weight:
                param = Parameter(path, True, None, low, high)
            else:
                steps = alternatives.get("steps", DEFAULT_STEPS)
                if not isinstance(steps, int) or steps < 2:
                    raise _fail(spec, path, f"steps {steps!r} is not a whole number >= 2", "steps: 5")
                param = Parameter(path, False, tuple(float(v) for v in np.linspace(low, high, steps)))
        elif isinstance(alternatives, list) and alternatives:
            param = Parameter(path, weight, tuple(alternatives))
        else:
            raise _fail(spec, path, f"{alternatives!r} is neither alternatives nor a range",
                        "a non-empty list, or {range: [low, high]}")
        for value in ([param.low, param.high] if param.continuous else param.values):
            if weight and not (isinstance(value, int | float) and value >= 0):
                raise _fail(spec, path, f"weight {value!r} is not a number >= 0", "weights >= 0")
            load_spec(apply(spec.raw, path, value), source=spec.path)  # a bad value: the spec's own error
        out.append(param)
    return out


def decode(param: Parameter, u: np.ndarray) -> np.ndarray:
    """The value of ``param`` in each run from the design's column ``u`` in [0, 1): an index into
    the alternatives, or the value itself for a continuous weight."""
    if param.continuous:
        return param.low + (param.high - param.low) * u
    n = len(param.values)
    return np.minimum((u * n).astype(int), n - 1)


def value(param: Parameter, code: Any) -> Any:
    """The parameter's value for one run's code (see :func:`decode`)."""
    return float(code) if param.continuous else param.values[int(code)]


def run_raw(spec: Spec, params: list[Parameter], codes: dict[str, np.ndarray], r: int, *,
            weights: bool = False) -> dict:
    """The raw spec of run ``r`` with its rebuild parameters (and, if ``weights``, its weights) applied."""
    raw = spec.raw
    for param in params:
        if param.weight and not weights:
            continue
        raw = apply(raw, param.path, value(param, codes[param.path][r]))
    return raw


__all__ = ["Parameter", "apply", "decode", "parse", "run_raw", "spec_weight", "value"]
