"""Faults a user meets, end to end through ``playbook.cli.main`` (issue 20): a full disk, a read-only
or forbidden folder, Ctrl-C in the middle of a write, and kill -9. Each ends with one line on stderr
and a non-zero exit, the earlier output untouched and no temporary file left in sight; after kill -9
the output is either the earlier one or the complete new one, never a half-written file.

The machine's tests run as root, for whom folder permissions do not apply: the faults are injected
where the operating system would raise them (the final rename of :func:`playbook.io.atomic_path`)."""

import errno
import os
import signal
import subprocess
import sys
import time

import pytest
import yaml

from playbook import cli
from playbook import io as pio
from tests.index.conftest import tiny_data, tiny_spec


@pytest.fixture
def files(tmp_path):
    spec, data = tmp_path / "spec.yml", tmp_path / "data.csv"
    spec.write_text(yaml.safe_dump(tiny_spec()), encoding="utf-8")
    tiny_data().to_csv(data, index=False)
    out = tmp_path / "out" / "scores.csv"
    assert cli.main(["index", "build", "--spec", str(spec), "--data", str(data), "--out", str(out)]) == 0
    return spec, data, out


def build(spec, data, out) -> int:
    return cli.main(["index", "build", "--spec", str(spec), "--data", str(data), "--out", str(out)])


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "No space left"), (errno.EROFS, "Read-only"),
                                             (errno.EACCES, "Permission denied")])
def test_a_full_disk_or_a_read_only_folder_is_one_clear_error(files, monkeypatch, capsys, code, words):
    spec, data, out = files
    before = out.read_bytes()
    capsys.readouterr()

    def refuse(src, dst):
        raise OSError(code, os.strerror(code), str(dst))

    monkeypatch.setattr(pio.os, "replace", refuse)
    assert build(spec, data, out) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err and str(out) in err and "Traceback" not in err
    assert out.read_bytes() == before  # the earlier output kept
    assert not list(out.parent.glob(".*.part"))  # the temporary file removed


def test_ctrl_c_during_a_write_keeps_the_earlier_output(files, monkeypatch, capsys):
    spec, data, out = files
    before = out.read_bytes()
    capsys.readouterr()

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(pio.os, "replace", interrupted)
    assert build(spec, data, out) == 130
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert out.read_bytes() == before and not list(out.parent.glob(".*.part"))


def test_kill_9_leaves_the_earlier_or_the_complete_output(files, tmp_path):
    spec, data, out = files
    big = tiny_data().sample(40_000, replace=True, random_state=1).reset_index(drop=True)
    big["id"] = [f"u{i}" for i in range(len(big))]
    big.to_csv(data, index=False)
    before = out.read_bytes()
    reference = tmp_path / "reference.csv"
    command = [sys.executable, "-m", "playbook", "index", "build", "--spec", str(spec), "--data", str(data), "--out"]
    subprocess.run([*command, str(reference)], check=True, capture_output=True)
    for delay in (0.3, 0.8, 1.5, 3.0):
        process = subprocess.Popen([*command, str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = out.read_bytes()
        assert now in (before, reference.read_bytes()), f"a half-written output after kill -9 at {delay} s"
        before = now
    assert not [p for p in out.parent.iterdir() if not p.name.startswith(".") and p != out]  # nothing else visible
    assert cli.main(["index", "build", "--spec", str(spec), "--data", str(data), "--out", str(out)]) == 0
    assert out.read_bytes() == reference.read_bytes()
    assert not list(out.parent.glob(f".{out.name}.*.part"))  # the parts of the killed runs removed by the next write


def test_a_part_of_a_run_still_going_is_left_alone(tmp_path):
    out = tmp_path / "out.csv"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        prefix = pio._part_prefix(out)
        stale, running = tmp_path / f"{prefix}{dead.pid}.abc.part", tmp_path / f"{prefix}{alive.pid}.def.part"
        other_host = tmp_path / f".{out.name}.elsewhere.{dead.pid}.ghi.part"
        for part in (stale, running, other_host):
            part.write_text("half", encoding="utf-8")
        with pio.atomic_path(out) as tmp:
            tmp.write_text("done", encoding="utf-8")
        assert out.read_text(encoding="utf-8") == "done"
        assert not stale.exists() and running.exists() and other_host.exists()
    finally:
        alive.kill()
        alive.wait()
