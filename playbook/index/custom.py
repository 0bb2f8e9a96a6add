"""Custom functions in place of a method name (COINr lets a user pass a function to each step).

From Python only (a YAML spec names built-in methods): pass a callable as the method of a step,
``build({..., "normalise": my_function}, data)`` or ``{"method": my_function, ...}``. The result is
checked (a NumPy array of the expected shape, numbers) and the choice is recorded in
``Result.choices`` by the function's qualified name (``module.qualname``). What each step calls:

- ``impute``: ``f(raw)``, raw values (N x K, NaN = missing) -> (N x K);
- ``treat``: ``f(imputed)`` (N x K) -> (N x K);
- ``normalise``: ``f(y)`` with ``y = direction x`` (N x K) -> (N x K), higher = more vulnerable;
- ``weights``: ``f(normalised)`` (N x K) -> (K,) indicator weights, renormalised within each
  dimension; the dimension weights are the spec's;
- ``aggregate``: ``f(values, weights)`` with ``values`` (N x J, NaN = missing) and ``weights``
  (J,) -> (N,), applied at each level (indicators -> dimension, dimensions -> index).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from playbook.errors import PlaybookError
from playbook.index.spec import function_name


def call(step: str, function: Callable, *args: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``function(*args)`` as a float array, or one :class:`PlaybookError` naming the step and the shape expected."""
    name = function_name(function)
    try:
        out = function(*args)
    except PlaybookError:
        raise
    except Exception as exc:  # a user's function: report which one failed and how
        raise PlaybookError(f"custom function {name} failed: {type(exc).__name__}: {exc}", field=f"{step}.method",
                            expected=f"a function returning an array of shape {shape}") from exc
    try:
        array = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        raise PlaybookError(f"custom function {name} returned {type(out).__name__}, not numbers",
                            field=f"{step}.method", expected=f"an array of numbers of shape {shape}") from None
    if array.shape != tuple(shape):
        raise PlaybookError(f"custom function {name} returned an array of shape {array.shape}",
                            field=f"{step}.method", expected=f"an array of shape {tuple(shape)}")
    return array
