"""``python -m playbook``: one command line for the whole playbook.

Each stage (a folder of the package) contributes its subcommands through the ``register(commands)``
function of its own ``cli.py``, listed in :data:`COMMAND_MODULES`. Errors a user can cause
(:class:`~playbook.errors.PlaybookError`) print one line and exit with status 2.
"""

from __future__ import annotations

import argparse
import errno
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
    p.add_argument("--debug", action="store_true", help="show the full traceback of an unexpected error")
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
    except KeyboardInterrupt:
        print(i18n.t("cli_interrupted"), file=sys.stderr)
        return 130
    except OSError as exc:  # a full disk, a read-only or forbidden folder: the user's to fix
        if args.debug or exc.errno not in USER_OS_ERRORS:
            return _bug(exc, args.debug)
        where = f"{exc.filename}: " if exc.filename else ""
        print(i18n.t("cli_error", message=f"{where}{exc.strerror}"), file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the one place where any error becomes a message
        return _bug(exc, args.debug)
    return int(status or 0)


#: Operating-system errors a user causes and fixes (no space, no permission, read-only, missing file).
USER_OS_ERRORS = {errno.ENOSPC, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT, errno.EDQUOT, errno.EISDIR,
                  errno.ENOTDIR}


def _bug(exc: Exception, debug: bool) -> int:
    """An error the playbook did not expect: one line asking for a report (``--debug``: the traceback)."""
    if debug:
        raise exc
    print(i18n.t("cli_bug", error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
    return 1
