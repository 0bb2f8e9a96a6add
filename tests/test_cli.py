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
