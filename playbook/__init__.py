"""The Data-Driven Insights (DDI) playbook: the tested code that the notebooks narrate.

The data's journey runs one way: ``sources`` (official files read as published) ->
``indicators`` -> ``index`` -> ``geo`` and ``groups`` -> outputs (``figures``, ``privacy``).
"""

__version__ = "0.1.0"
