"""Types for command-line options: every number is range-checked where it is read.

``argparse`` turns the ``ValueError`` these raise into one line naming the option and exits 2, so a
``--confidence 1.5`` or a ``--draws -3`` never reaches the computation.
"""

from __future__ import annotations

import argparse
import math


def _number(kind, text: str, what: str):
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
    return value


def positive_int(text: str) -> int:
    """A whole number >= 1 (draws, replicates, folds)."""
    value = _number(int, text, "a whole number >= 1")
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a whole number >= 1")
    return value


def seed(text: str) -> int:
    """A random seed: a whole number from 0 to 2**32 - 1."""
    value = _number(int, text, "a whole number from 0 to 4294967295")
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"{value} is not a whole number from 0 to 4294967295")
    return value


def positive_float(text: str) -> float:
    """A finite number > 0 (a radius in km, a detour factor)."""
    value = _number(float, text, "a number > 0")
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value:g} is not a number > 0")
    return value


def non_negative_float(text: str) -> float:
    """A finite number >= 0 (a standard deviation)."""
    value = _number(float, text, "a number >= 0")
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value:g} is not a number >= 0")
    return value


def share(text: str) -> float:
    """A share strictly between 0 and 1 (a confidence level, a target accuracy, a threshold)."""
    value = _number(float, text, "a number between 0 and 1")
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{value:g} is not a number between 0 and 1 (exclusive)")
    return value
