"""Disclosure control for every table the playbook displays or publishes.

One rule set and one function: :func:`protect` applies the rules of ``specs/disclosure.yml``
(:data:`RULES`, read into a :class:`Policy`) to every table shown in a notebook or written to the
common database. :func:`random_round` and :func:`complementary_suppression` are its building blocks.
"""

from playbook.privacy.disclosure import (
    RULES,
    Policy,
    complementary_suppression,
    protect,
    random_round,
)

__all__ = ["RULES", "Policy", "complementary_suppression", "protect", "random_round"]
