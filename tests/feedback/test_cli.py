"""The `python -m playbook feedback` contracts: redact, classify, train; clear errors; no half-written output."""

import subprocess
import sys

import pandas as pd
import pytest

from playbook import cli

ROWS = [
    {"id": "1", "when": "2024-01-05", "comment": "My SIN is 046 454 286, call 514 555-1234", "note": ""},
    {"id": "2", "when": "2024-01-06", "comment": "Mme Côté au 123 rue Saint-Denis, H2X 1Y4", "note": "NA"},
    {"id": "3", "when": "2024-01-07", "comment": "I paid $1,234.56 for file 2023-555-1234", "note": "007"},
]


@pytest.fixture
def comments(tmp_path):
    path = tmp_path / "in.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False)
    return path


def run(*args):
    return subprocess.run([sys.executable, "-m", "playbook", "feedback", *map(str, args)],
                          capture_output=True, text=True)


def test_redact_replaces_only_the_text_column(comments, tmp_path):
    out = tmp_path / "out.csv"
    result = run("redact", comments, "--text-column", "comment", "--out", out)
    assert result.returncode == 0, result.stderr
    before = pd.read_csv(comments, dtype=str, keep_default_na=False)
    after = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(after.columns) == list(before.columns)
    pd.testing.assert_frame_equal(after.drop(columns="comment"), before.drop(columns="comment"))
    assert after["comment"].tolist() == [
        "My SIN is [SIN], call [PHONE]",
        "Mme [NAME] au [ADDRESS], [POSTAL]",
        "I paid $1,234.56 for file 2023-555-1234",
    ]


def test_train_then_classify(corpus, tmp_path):
    labelled = tmp_path / "labelled.csv"
    corpus.sample(800, random_state=1)[["comment_id", "text", "topic"]].to_csv(labelled, index=False)
    model = tmp_path / "model.joblib"
    result = run("train", labelled, "--text-column", "text", "--label-column", "topic", "--out", model, "--folds", "3")
    assert result.returncode == 0, result.stderr
    assert model.is_file() and (tmp_path / "model.joblib.card.md").is_file()
    assert "macro average" in result.stdout
    assert "macro F1 by language: en " in result.stdout and ", fr " in result.stdout  # issue 23: per language
    card = (tmp_path / "model.joblib.card.md").read_text(encoding="utf-8")
    assert "English: macro F1" in card and "French: macro F1" in card and "Universal Sentence Encoder" in card
    new = tmp_path / "new.csv"
    pd.DataFrame(ROWS).to_csv(new, index=False)
    out = tmp_path / "classified.csv"
    result = run("classify", new, "--text-column", "comment", "--model", model, "--out", out)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(table.columns) == ["id", "when", "comment", "note", "language", "category", "confidence",
                                   "needs_review"]  # no sentiment: it did not beat the majority class (issue 23)
    assert table["comment"].iloc[0] == "My SIN is [SIN], call [PHONE]"  # raw text never leaves
    assert set(table["needs_review"]) <= {"True", "False"}


@pytest.mark.parametrize("args,message", [
    (["redact", "{in}", "--text-column", "texte", "--out", "{out}"], "in.csv, field 'texte': no column 'texte'"),
    (["redact", "{missing}", "--text-column", "comment", "--out", "{out}"], "file not found"),
    (["classify", "{in}", "--text-column", "comment", "--model", "{missing}", "--out", "{out}"],
     "model file not found"),
    (["train", "{in}", "--text-column", "comment", "--label-column", "topic", "--out", "{out}"], "field 'topic'"),
    (["train", "{in}", "--text-column", "comment", "--label-column", "note", "--out", "{out}", "--features",
      "words,glove"], "field '--features': unknown features glove"),
])
def test_errors_are_one_line_and_leave_nothing(comments, tmp_path, capsys, args, message):
    out = tmp_path / "out.csv"
    values = {"in": comments, "out": out, "missing": tmp_path / "nope.csv"}
    status = cli.main(["feedback", *[a.format(**values) for a in args]])
    err = capsys.readouterr().err.strip()
    assert status == 2 and err.startswith("error: ") and "\n" not in err
    assert message in err
    assert not out.exists()
    assert not list(tmp_path.glob(".out.csv*"))


def test_malformed_csv_names_the_row(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text('id,comment\n1,"fine"\n2,"too","many","fields"\n', encoding="utf-8")
    assert cli.main(["feedback", "redact", str(bad), "--text-column", "comment", "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert "bad.csv, row 2" in err


def test_not_utf8_names_the_row(tmp_path, capsys):
    bad = tmp_path / "latin.csv"
    bad.write_bytes("id,comment\n1,ok\n2,Montréal\n".encode("cp1252"))
    assert cli.main(["feedback", "redact", str(bad), "--text-column", "comment", "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert "latin.csv, row 2" in err and "UTF-8" in err


def test_unknown_label_names_file_row_and_column(comments, tmp_path, capsys):
    labelled = tmp_path / "labelled.csv"
    pd.DataFrame({"text": ["a"] * 12, "topic": ["wait_times"] * 6 + ["other"] * 5 + ["parking"]}).to_csv(
        labelled, index=False)
    status = cli.main(["feedback", "train", str(labelled), "--text-column", "text", "--label-column", "topic",
                       "--out", str(tmp_path / "m.joblib")])
    err = capsys.readouterr().err
    assert status == 2 and "labelled.csv, row 12, field 'topic': unknown category 'parking'" in err
    assert not (tmp_path / "m.joblib").exists()


def test_help_lists_the_three_steps():
    result = run("--help")
    assert all(step in result.stdout for step in ("redact", "classify", "train"))


def test_the_same_training_gives_the_same_model_bytes(corpus, tmp_path):
    labelled = tmp_path / "labelled.csv"
    corpus.sample(400, random_state=2)[["comment_id", "text", "topic"]].to_csv(labelled, index=False)
    models = []
    for name in ("a.joblib", "b.joblib"):  # two processes: no memory address may reach the file
        result = run("train", labelled, "--text-column", "text", "--label-column", "topic", "--out",
                     tmp_path / name, "--folds", "3")
        assert result.returncode == 0, result.stderr
        models.append((tmp_path / name).read_bytes())
    assert models[0] == models[1]
    new = tmp_path / "new.csv"
    pd.DataFrame(ROWS).to_csv(new, index=False)
    result = run("classify", new, "--text-column", "comment", "--model", tmp_path / "a.joblib", "--out", tmp_path / "c.csv")
    assert result.returncode == 0 and "Warning" not in result.stderr, result.stderr  # loads and predicts as trained


def test_train_with_tfidf_alone(corpus, tmp_path):
    from playbook.feedback import classify

    labelled = tmp_path / "labelled.csv"
    corpus.sample(300, random_state=2)[["text", "topic"]].to_csv(labelled, index=False)
    model = tmp_path / "m.joblib"
    assert cli.main(["feedback", "train", str(labelled), "--text-column", "text", "--label-column", "topic",
                     "--out", str(model), "--folds", "3", "--features", "chars, words"]) == 0
    loaded = classify.FeedbackClassifier.load(model)
    assert loaded.meta["features"] == ["words", "chars"] and loaded.meta["sentence_encoder"] == ""
    assert [name for name, _ in loaded.pipeline.features_.transformer_list] == ["words", "chars"]
    assert "Universal Sentence Encoder" not in (tmp_path / "m.joblib.card.md").read_text(encoding="utf-8")
