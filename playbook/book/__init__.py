"""The book itself: the bilingual Jupyter Book build and what the site ships.

- :mod:`.build` — ``python -m playbook build``: both editions, jurisdiction editions, the landing page;
- :mod:`.site` — the site's own JavaScript and a small Sphinx extension (accessible markup);
- :mod:`.sphinx_speed` — patches that make warm builds faster (identical pages);
- :mod:`.translate` — the French edition's gettext catalogues;
- :mod:`.templates` — the guide's templates as Word documents;
- :mod:`.bibliography` — the French bibliography style;
- :mod:`.cli` — ``build``, ``translate`` and ``templates``.
"""
