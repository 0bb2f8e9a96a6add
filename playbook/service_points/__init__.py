"""Service points against population and the index: the service-point mapping tool's stage.

Downstream of :mod:`playbook.geo.catchments` (distances, catchments) and :mod:`playbook.evi`
(scores); every input is read through the analysis manifest (:mod:`playbook.sources.manifest`):

- :mod:`.areas` — the areas a notebook or command analyses (the census subdivisions of the analysis,
  or the dissemination areas of one province), with population and a score; names withheld beside a
  synthetic score;
- :mod:`.networks` — the service-point networks of the analysis (and of the jurisdiction profile),
  their source coverage by province, generic point names beside a synthetic score, the page's notes;
- :mod:`.published` — the per-area, per-point, per-province and what-if tables to share (labelled,
  after disclosure control, distances withheld where a source covers a province poorly);
- :mod:`.charts` — the notebook's charts (vulnerability × distance matrix, coverage curves);
- :mod:`.cli` — ``python -m playbook catchments``.
"""
