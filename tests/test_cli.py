import subprocess
import sys

import pytest

from playbook import cli


def run(*args):
    return subprocess.run([sys.executable, "-m", "playbook", *args], capture_output=True, text=True)


def test_help_lists_every_command():
    result = run("--help")
    assert result.returncode == 0
    names = [c.dest for c in cli.parser()._subparsers._group_actions[0]._choices_actions]
    assert {"build", "datasets"} <= set(names)
    for name in names:
        assert name in result.stdout


def test_every_command_has_help():
    choices = cli.parser()._subparsers._group_actions[0].choices
    for name, sub in choices.items():
        assert sub.format_help().startswith(f"usage: python -m playbook {name}")


def test_user_error_is_one_line_and_non_zero(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PLAYBOOK_DATA_DIR", str(tmp_path))
    assert cli.main(["datasets", "--verify"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "missing" in err and "\n" not in err


@pytest.mark.parametrize("lang,word", [("en", "Source: Statistics Canada"), ("fr", "Source\u00a0: Statistique Canada")])
def test_datasets_command_lists_sources(lang, word):
    result = run("datasets", "--verify", "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert word in result.stdout and "ok" in result.stdout


@pytest.mark.parametrize(
    ("error", "status", "says"),
    [
        (ZeroDivisionError("division by zero"), 1, "unexpected error (ZeroDivisionError: division by zero)"),
        (KeyError("DGUID"), 1, "this is a bug in the playbook, please report it"),
        (KeyboardInterrupt(), 130, "interrupted: nothing was written"),
        (OSError(28, "No space left on device", "out.csv"), 2, "error: out.csv: No space left on device"),
        (PermissionError(13, "Permission denied", "/read-only/out.csv"), 2, "/read-only/out.csv: Permission denied"),
    ],
)
def test_every_failure_is_one_line_never_a_traceback(error, status, says, monkeypatch, capsys):
    from playbook.sources import cli as sources_cli

    def fails(args):
        raise error

    monkeypatch.setattr(sources_cli, "_datasets", fails)
    assert cli.main(["datasets"]) == status
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1 and "Traceback" not in err


def test_debug_shows_the_traceback_of_a_bug(monkeypatch):
    from playbook.sources import cli as sources_cli

    def fails(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(sources_cli, "_datasets", fails)
    with pytest.raises(ZeroDivisionError):
        cli.main(["--debug", "datasets"])
