"""The E-Vulnerability Index application: what the EVI notebooks narrate.

The index itself is built by the engine (:mod:`playbook.index`) from ``specs/evi.yml``; this
package reads its inputs and shapes its outputs:

- :mod:`.inputs` — the census profile and area files, indicator values, labels, source lines
  (its functions are also available here: ``evi.read_inputs``, ``evi.indicator_data`` ...);
- :mod:`.compare` — the index built per level, variants with one choice changed, rank changes;
- :mod:`.results` — roll-ups, urban/rural/remote classes, labelled tables, exports;
- :mod:`.charts` — framework and context charts; :mod:`.method_charts` — the methods' charts;
- :mod:`.maps` — the boundaries and options of the EVI maps (drawn by :func:`playbook.geo.maps.choropleth`);
- :mod:`.explorer` — the interactive explorer (ipywidgets) and its static scenarios;
- :mod:`.dictionary` — the data dictionary page generated from the spec;
- :mod:`.cli` — ``python -m playbook evi ...``.

Submodules load on first use (``evi.maps`` imports geopandas only when a map is drawn).
"""

import importlib

from playbook.evi.inputs import (
    AREA_FILE,
    IDENTITY,
    LEVELS,
    PROFILE,
    SpecLike,
    analysis_spec,
    area_sources,
    at_level,
    census_files,
    count_columns,
    demo_names,
    dimension_labels,
    edition_level,
    effective_weights,
    example_area,
    example_province,
    framework_table,
    geo_attributes,
    indicator_data,
    indicator_labels,
    left_out,
    levels,
    mask_names,
    province_labels,
    rate_example,
    read_inputs,
    resolve,
    source_line,
    summary_table,
)

SUBMODULES = ("charts", "cli", "compare", "dictionary", "explorer", "inputs", "maps", "method_charts", "panel",
              "results", "run")

__all__ = [
    "AREA_FILE", "IDENTITY", "LEVELS", "PROFILE", "SpecLike", "analysis_spec", "area_sources", "at_level",
    "census_files", "count_columns", "demo_names", "dimension_labels", "edition_level", "effective_weights", "example_area",
    "example_province", "framework_table", "geo_attributes", "indicator_data", "indicator_labels", "left_out",
    "levels", "mask_names", "province_labels", "rate_example", "read_inputs", "resolve", "source_line", "summary_table",
    *SUBMODULES,
]


def __getattr__(name: str):
    if name in SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
