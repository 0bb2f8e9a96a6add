"""Figures that meet the house rules: title, axis labels, a source line, and alt text.

- :mod:`.style` — the palette, the sequential colour map, the interactive-chart marker (constants);
- :mod:`.static` — matplotlib figures: :func:`finish` titles a figure and stamps its source line
  (which says "demo data, synthetic" where the numbers are generated), :func:`show` displays it with
  alt text (an ``<img alt=...>`` inside a ``<figure>`` in the book and in JupyterLab);
- :mod:`.interactive` — Vega-Lite charts rendered in the browser, with a text alternative.

The figure contract: every chart function of the package returns an object that displays itself,
with its alt text, when it ends a notebook cell (in JupyterLab and in the book), and exposes ``.alt``
and either ``.fig`` (a matplotlib figure: :class:`~.static.Figure`, or its subclass
:class:`playbook.geo.maps.Map`, which also carries the class ``bins``) or ``.spec`` (a Vega-Lite
spec: :class:`~.interactive.VegaChart`). A notebook cell simply ends with the chart call::

    evi.charts.weights_chart(weights, lang)

Tables end a cell with :func:`playbook.figures.tables.table` (``frame.pipe(figures.table, lang, 1)``):
numbers in the page's language. ``finish``, ``show``, ``use_style``, ``Figure``, ``AccessibleFigure``
and ``table`` are importable from here; the
plotting libraries load on first use, so importing the package stays cheap.
"""

import importlib

from playbook.figures.style import PALETTE, SEQUENTIAL, VEGA_MARKER

_STATIC = ("AccessibleFigure", "Figure", "finish", "show", "use_style")

__all__ = ["PALETTE", "SEQUENTIAL", "VEGA_MARKER", *_STATIC, "interactive", "static", "table", "tables"]


def __getattr__(name: str):
    if name in _STATIC:
        return getattr(importlib.import_module("playbook.figures.static"), name)
    if name == "table":
        return importlib.import_module("playbook.figures.tables").table
    if name in ("interactive", "static", "tables"):
        return importlib.import_module(f"playbook.figures.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
