"""The house style's constants, light to import (no plotting library is loaded)."""

#: Okabe-Ito, a palette that stays distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: Sequential colour map for ordered quantities (perceptually uniform, colour-blind safe).
SEQUENTIAL = "cividis"
#: Class of the ``<figure>`` of an interactive chart: the site adds the Vega scripts only to pages holding one.
VEGA_MARKER = "playbook-vega"
