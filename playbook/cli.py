"""``python -m playbook``: one command line for the whole playbook.

Each stage (a folder of the package) contributes its subcommands through the ``register(commands)``
function of its own ``cli.py``, listed in :data:`COMMAND_MODULES`. Errors a user can cause
(:class:`~playbook.errors.PlaybookError`) print one line and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from playbook import __version__, i18n
from playbook.errors import PlaybookError

#: Modules that add subcommands, in the order they appear in ``--help``.
COMMAND_MODULES = [
    "playbook.book.cli",
    "playbook.sources.cli",
    "playbook.index.cli",
    "playbook.service_points.cli",
    "playbook.feedback.cli",
    "playbook.demo.cli",
    "playbook.geo.cli",
    "playbook.evi.cli",
    "playbook.jurisdiction.cli",
    "playbook.groups.cli",
    "playbook.publish.cli",
]


def parser() -> argparse.ArgumentParser:
    """The argument parser with every registered command."""
    p = argparse.ArgumentParser(prog="python -m playbook", description=i18n.t("cli_description"))
    p.add_argument("--version", action="version", version=f"playbook {__version__}")
    commands = p.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    p = parser()
    args = p.parse_args(argv)
    if not hasattr(args, "func"):
        p.print_help()
        return 0
    try:
        status = args.func(args)
    except PlaybookError as exc:
        print(i18n.t("cli_error", message=exc), file=sys.stderr)
        return 2
    return int(status or 0)
