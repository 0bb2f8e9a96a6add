"""Service points against population and the index: the service-point mapping tool's stage.

Downstream of :mod:`playbook.geo.catchments` (distances, catchments) and :mod:`playbook.evi`
(scores):

- :mod:`.areas` — the areas a notebook or command analyses (CSDs, or PEI dissemination areas),
  with population and a score;
- :mod:`.published` — the per-area and per-point tables to share (labelled, after disclosure control);
- :mod:`.charts` — the notebook's charts (vulnerability × distance matrix, coverage curves);
- :mod:`.cli` — ``python -m playbook catchments``.
"""
