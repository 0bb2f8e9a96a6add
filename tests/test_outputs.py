"""Nothing lost: no command writes over one of its own inputs, and `publish` never replaces a folder
that is not a release (playbook.io.check_outputs, playbook.publish.release.check_release_folder)."""

import pytest

from playbook import cli
from playbook.errors import PlaybookError
from playbook.io import check_outputs

INPUT = "precious.csv"


def commands(i: str, spec: str) -> dict[str, list[str]]:
    """Each command with ``--out`` (or the equivalent) pointing at one of its inputs ``i``."""
    return {
        "census extract": ["census", "extract", i, "--ids", "1", "--out", i],
        "index build": ["index", "build", "--spec", spec, "--data", i, "--out", i],
        "index uncertainty": ["index", "uncertainty", "--spec", spec, "--data", i, "--out", i],
        "index uncertainty (Sobol side file)": ["index", "uncertainty", "--spec", spec,
                                                "--data", i.replace(".csv", ".sobol.csv"), "--out", i],
        "catchments --areas": ["catchments", "--areas", i, "--points", "p.csv", "--out", i],
        "catchments --points-out": ["catchments", "--areas", "a.csv", "--points", i, "--out", "o.csv",
                                    "--points-out", i],
        "feedback redact": ["feedback", "redact", i, "--text-column", "comment", "--out", i],
        "feedback classify": ["feedback", "classify", i, "--model", "m.joblib", "--text-column", "comment",
                              "--out", i],
        "hierarchy": ["hierarchy", i, "--out", i],
        "groups estimate": ["groups", "estimate", "--survey", "s.zip", "--census", i, "--method", "synthetic",
                            "--out", i],
    }


@pytest.mark.parametrize("name", list(commands("x.csv", "s.yml")))
def test_an_output_equal_to_an_input_is_refused_and_the_input_kept(name, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    content = "the only copy\nof the user's data\n"
    for f in (INPUT, INPUT.replace(".csv", ".sobol.csv"), "s.yml"):
        (tmp_path / f).write_text(content, encoding="utf-8")
    argv = commands(INPUT, "s.yml")[name]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "would overwrite the input" in err and err.count("\n") == 1
    for f in (INPUT, INPUT.replace(".csv", ".sobol.csv"), "s.yml"):
        assert (tmp_path / f).read_text(encoding="utf-8") == content
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([INPUT, INPUT.replace(".csv", ".sobol.csv"), "s.yml"])


def test_the_same_file_under_another_name_is_refused(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("x\n")
    (tmp_path / "link.csv").symlink_to(data)
    with pytest.raises(PlaybookError, match="would overwrite the input"):
        check_outputs([tmp_path / "link.csv"], [data])
    with pytest.raises(PlaybookError, match="would overwrite the input"):
        check_outputs([tmp_path / "sub" / ".." / "data.csv"], [data])
    with pytest.raises(PlaybookError, match="is a folder"):
        check_outputs([tmp_path], [data])
    check_outputs([tmp_path / "new.csv", None], [data, None])  # a new file is fine


def test_publish_refuses_a_folder_that_is_not_a_release(tmp_path, capsys):
    mine = tmp_path / "my documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert cli.main(["publish", "--out", str(mine)]) == 2
    assert "not a release: nothing was changed" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"] and (mine / "notes.txt").read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["my documents"]  # no temporary folder left behind


def test_publish_into_the_current_folder_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "thesis.docx").write_text("years of work")
    assert cli.main(["publish", "--out", "."]) == 2
    assert (tmp_path / "thesis.docx").read_text() == "years of work"
