"""Types for command-line options: every number is range-checked where it is read.

``argparse`` turns the ``ArgumentTypeError`` these raise into one line naming the option and exits 2,
so a ``--confidence 1.5`` or a ``--draws -3`` never reaches the computation.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def _ranged(kind: type, what: str, ok: Callable[[float], bool]) -> Callable[[str], float]:
    """An option type: ``text`` read as ``kind``, finite, and ``ok``; otherwise "... is not {what}"."""

    def read(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not math.isfinite(value) or not ok(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
        return value

    read.__name__ = what  # argparse names the type in some messages
    return read


#: A whole number >= 1 (draws, replicates, folds).
positive_int = _ranged(int, "a whole number >= 1", lambda v: v >= 1)
#: A random seed: a whole number from 0 to 2**32 - 1.
seed = _ranged(int, "a whole number from 0 to 4294967295", lambda v: 0 <= v < 2**32)
#: A finite number > 0 (a radius in km, a detour factor).
positive_float = _ranged(float, "a number > 0", lambda v: v > 0)
#: A finite number >= 0 (a standard deviation).
non_negative_float = _ranged(float, "a number >= 0", lambda v: v >= 0)
#: A share strictly between 0 and 1 (a confidence level, a target accuracy, a threshold).
share = _ranged(float, "a number between 0 and 1 (exclusive)", lambda v: 0 < v < 1)
