"""Disclosure control for every table the playbook displays or publishes.

- :mod:`.disclosure` — the rules (:class:`Policy`, from ``specs/disclosure.yml``), suppression,
  random rounding and complementary suppression.
"""

from playbook.privacy.disclosure import (
    DEFAULT_THRESHOLD,
    RULES,
    Policy,
    complementary_suppression,
    disclose,
    protect,
    random_round,
)

__all__ = ["DEFAULT_THRESHOLD", "RULES", "Policy", "complementary_suppression", "disclose", "protect", "random_round"]
