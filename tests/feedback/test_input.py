"""Reading comment files as clients send them (issue 23): encodings, separators, damaged rows, HTML, empty comments.

Every case goes through the command line (``playbook.cli.main``, in-process), as a user would.
"""

import pandas as pd
import pytest

from playbook import cli
from playbook.feedback.pipeline import read_comments, strip_html

HEADER = "id,text\n"


def run(capsys, *argv):
    try:
        status = cli.main(["feedback", *map(str, argv)])
    except SystemExit as exc:  # argparse's usage errors
        status = exc.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def redact(capsys, path, *extra):
    out = path.with_name("out.csv")
    status, stdout, err = run(capsys, "redact", path, "--text-column", "text", "--out", out, *extra)
    return status, stdout, err, out


def read_out(out):
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def test_cp1252_with_its_encoding_named(tmp_path, capsys):
    path = tmp_path / "cp.csv"
    path.write_bytes("id,text\n1,Très bien, merci\n".replace("Très bien, merci", '"Très bien, merci"').encode("cp1252"))
    status, _, err, _ = redact(capsys, path)
    assert status == 2 and "--encoding cp1252" in err and "cp.csv" in err
    status, _, err, out = redact(capsys, path, "--encoding", "cp1252")
    assert status == 0, err
    assert read_out(out)["text"].tolist() == ["Très bien, merci"]


def test_an_unknown_encoding_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text(HEADER + "1,ok\n", encoding="utf-8")
    status, _, err, out = redact(capsys, path, "--encoding", "klingon")
    assert status == 2 and "unknown encoding 'klingon'" in err and "--encoding" in err
    assert not out.exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-8"])
def test_utf16_with_bom_and_utf8_are_found_by_themselves(tmp_path, capsys, encoding):
    path = tmp_path / "in.csv"
    path.write_text(HEADER + "1,Très bien\n2,Déçu\n", encoding=encoding)
    status, _, err, out = redact(capsys, path)
    assert status == 0, err
    assert read_out(out)["text"].tolist() == ["Très bien", "Déçu"]


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_are_sniffed_from_the_header(tmp_path, capsys, sep):
    path = tmp_path / "in.csv"
    path.write_text(f"id{sep}text{sep}note\n1{sep}Merci, c'est réglé{sep}a\n2{sep}ok{sep}b\n", encoding="utf-8")
    status, _, err, out = redact(capsys, path)
    assert status == 0, err
    table = read_out(out)
    assert list(table.columns) == ["id", "text", "note"]
    assert table["text"].tolist() == ["Merci, c'est réglé", "ok"]


def test_an_explicit_delimiter(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text("id|text\n1|fine, thanks\n", encoding="utf-8")
    status, _, err, out = redact(capsys, path, "--delimiter", "|")
    assert status == 0, err
    assert read_out(out)["text"].tolist() == ["fine, thanks"]


def test_an_unterminated_quote_names_its_line_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text(HEADER + '1,fine\n2,"never closed\n3,ok\n4,ok\n', encoding="utf-8")
    status, _, err, out = redact(capsys, path)
    assert status == 2
    assert "line 3" in err and "never closed" in err and "in.csv" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


def test_rows_with_a_wrong_number_of_fields_are_all_named(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text(HEADER + "1,ok\n2,fine,extra\n3,ok\n4\n", encoding="utf-8")
    status, _, err, out = redact(capsys, path)
    assert status == 2
    assert "2 rows" in err and "line 3 has 3" in err and "line 5 has 1" in err
    assert not out.exists()


def test_html_is_stripped_and_counted(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text(HEADER + '1,"<p>Tr&egrave;s <b>bien</b></p><br>merci"\n2,a < b and 3 > 2\n3,plain\n',
                    encoding="utf-8")
    status, stdout, err, out = redact(capsys, path)
    assert status == 0, err
    assert read_out(out)["text"].tolist() == ["Très bien\nmerci", "a < b and 3 > 2", "plain"]
    assert "HTML removed from 1 comment" in stdout


def test_strip_html_keeps_plain_text():
    assert strip_html("I <3 this page") == "I <3 this page"
    assert strip_html("R&D office") == "R&D office"
    assert strip_html("<script>alert(1)</script>Bonjour &amp; merci") == "Bonjour & merci"


def test_empty_comments_are_counted(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(HEADER + '1,ok\n2,\n3,"   "\n4,<br>\n', encoding="utf-8")
    table = read_comments(path, "text")
    assert table.attrs["empty"] == 3 and table.attrs["html"] == 1
    assert len(table) == 4  # read, not dropped: the command decides


def test_empty_comments_are_left_out_of_training_and_get_no_category(corpus, tmp_path, capsys):
    sample = corpus.sample(240, random_state=3)[["comment_id", "text", "topic"]].reset_index(drop=True)
    sample.loc[[5, 50], "text"] = ["", "  "]
    labelled = tmp_path / "labelled.csv"
    sample.to_csv(labelled, index=False, sep=";")
    model = tmp_path / "model.joblib"
    status, stdout, err = run(capsys, "train", labelled, "--text-column", "text", "--label-column", "topic",
                              "--out", model, "--folds", "2")
    assert status == 0, err
    assert "2 empty comments left out" in stdout
    new = tmp_path / "new.csv"
    new.write_text("id,text\n1,The online form would not let me log in\n2,\n3,<p></p>\n", encoding="utf-8")
    out = tmp_path / "classified.csv"
    status, stdout, err = run(capsys, "classify", new, "--text-column", "text", "--model", model, "--out", out)
    assert status == 0, err
    assert "classified 1 comments" in stdout and "2 empty, no category" in stdout
    table = read_out(out)
    assert table["category"].tolist()[1:] == ["", ""] and table["category"].iloc[0] != ""
    assert table["language"].tolist() == ["en", "und", "und"]


def test_train_refuses_an_out_that_is_its_input_before_reading_it(tmp_path, capsys):
    from playbook import cli

    path = tmp_path / "labelled.csv"
    path.write_text(HEADER + "1,my payment is late\n", encoding="utf-8")
    before = path.read_bytes()
    status = cli.main(["feedback", "train", str(path), "--text-column", "text", "--label-column", "text",
                       "--out", str(path)])
    assert status == 2 and "would overwrite the input" in capsys.readouterr().err
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["labelled.csv"]
