"""Population groups and small-area estimation: who is e-vulnerable, and where.

- :mod:`playbook.groups.definitions` — the population groups, defined once (survey and census filters,
  and the focus groups a jurisdiction profile may list);
- :mod:`playbook.groups.composition` — each area's population 15+ and group margins, from the census;
- :mod:`playbook.groups.direct` — direct survey estimates by group and province (bootstrap
  intervals, CV flags, suppression);
- :mod:`playbook.groups.sae` — small-area estimation: (a) synthetic, (b) model-based
  (weighted logistic regression post-stratified to area compositions), with intervals;
- :mod:`playbook.groups.validate` — errors against the truth (demo data) and against direct estimates;
- :mod:`playbook.groups.views` — the EVI for one group, and group gaps, with disclosure control;
- :mod:`playbook.groups.cli` — ``python -m playbook groups estimate``.
"""
