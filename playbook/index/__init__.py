"""The composite-index engine: a spec in YAML, a pipeline of pure vectorised steps, audit and
uncertainty analysis.

>>> spec = load_spec("specs/evi.yml")            # doctest: +SKIP
>>> result = build(spec, indicators)             # doctest: +SKIP
>>> result.scores                                # unit id, dimensions, score, rank, quintile, coverage

See the book's appendix "Index specification" for the format and every method's formula. Results are
rolled up to larger geographies by :func:`playbook.geo.hierarchy.rollup` (the next stage).
"""

from playbook.index.audit import Audit, audit
from playbook.index.panel import PanelResult, build_panel, change  # noqa: F401 - panels (issue 24)
from playbook.index.pipeline import Pipeline, Result, build
from playbook.index.spec import Dimension, Indicator, Spec, load_spec
from playbook.index.uncertainty import Uncertainty, uncertainty

__all__ = [
    "Audit", "Dimension", "Indicator", "Pipeline", "Result", "Spec", "Uncertainty",
    "audit", "build", "load_spec", "uncertainty",
]
