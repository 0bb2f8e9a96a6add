"""The hand-written evaluation set (``handwritten_feedback.tsv``): what it holds, and how the reader
refuses a malformed file."""

import re
from collections import Counter
from pathlib import Path

import pytest

from playbook.errors import PlaybookError
from playbook.feedback.evalset import HEADER, MARK_TYPES, category_ids, parse_marked, read_evalset

HERE = Path(__file__).parent
PII = HERE / "handwritten_pii.txt"
TAGS = tuple(t for t in category_ids() if t != "other")

#: Public office holders in their role, places and look-alike words that appear in the set and must
#: stay (not marked as personal information).
KEEP = (
    "Prime Minister", "premier ministre", "Premier Ford", "Trudeau", "Carney", "Theresa Tam", "Dr Tam", "Njoo",
    "Khera", "Joly", "Poilievre", "Legault", "Sutcliffe", "O'Regan", "Jenna Sudds", "Dr. Theresa Tam", "minister",
    "ministre", "député", "Mayor", "Sault Ste. Marie", "Prince George", "Prince Albert", "Saskatoon",
    "Sainte-Marie", "Jean-Talon", "Rivière-du-Loup", "Iqaluit", "Thunder Bay", "Moncton", "Gatineau", "Kingston",
    "Victoria", "St. John's", "Saint John", "Laval", "Brampton", "Edmonton", "Winnipeg", "Chicoutimi", "Sherbrooke",
    "Longueuil", "Trois-Rivières", "Ottawa", "Bank Street", "Sudbury", "Saint-Donat", "Glace Bay", "Papineau",
    "george", "Whitehorse", "Yellowknife", "Halifax", "Rimouski", "Sept-Îles", "Montréal", "Montreal", "Toronto",
    "Mississauga", "Surrey", "Kelowna", "Regina", "Charlottetown", "Fredericton", "Baie-Comeau", "Grace period",
    "Will", "Mark", "Rosemont", "Saint-Jérôme", "Val-d'Or", "Timmins", "Cornwall", "Hawkesbury", "Caraquet",
)
_KEEP = re.compile("|".join(r"(?<!\w)" + re.escape(k) + r"(?!\w)" for k in sorted(KEEP, key=len, reverse=True)))


@pytest.fixture(scope="module")
def evalset():
    return read_evalset()


def _keeps(row) -> bool:
    """Whether the comment names a public office holder or a place outside every marked span."""
    return any(all(m.end() <= s or m.start() >= e for _, s, e in row.spans) for m in _KEEP.finditer(row.text))


def _luhn(digits: str) -> bool:
    total = 0
    for i, d in enumerate(int(c) for c in reversed(digits)):
        d = d * 2 if i % 2 else d
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def test_size_and_languages(evalset):
    assert len(evalset) >= 420
    languages = evalset["language"].value_counts()
    assert languages.get("en", 0) >= 200, languages
    assert languages.get("fr", 0) >= 160, languages
    assert languages.get("mixed", 0) >= 30, languages


def test_short_comments(evalset):
    assert (evalset["text"].str.split().str.len() <= 2).sum() >= 80


def test_personal_information(evalset):
    kinds = evalset["spans"].map(lambda spans: {kind for kind, _, _ in spans})
    assert (kinds.map(len) > 0).sum() >= 100
    assert kinds.map(lambda k: "NAME" in k).sum() >= 60
    assert kinds.map(lambda k: bool(k & {"PHONE", "EMAIL", "SIN", "POSTAL"})).sum() >= 40
    for text, spans in zip(evalset["text"], evalset["spans"], strict=True):
        for kind, start, end in spans:
            value = text[start:end]
            assert kind in MARK_TYPES and value.strip() == value != ""
            if kind == "SIN":
                assert _luhn(re.sub(r"\D", "", value)), value


def test_public_names_and_places_that_stay(evalset):
    assert sum(_keeps(row) for row in evalset.itertuples()) >= 30


def test_tags_and_sentiments(evalset):
    tags = Counter(t for ts in evalset["tags"] for t in ts)
    assert (evalset["tags"].map(len) >= 2).sum() >= 60
    assert tags["other"] >= 40, tags
    for tag in TAGS:
        assert tags[tag] >= 25, (tag, tags)
    sentiments = evalset["sentiment"].value_counts()
    for sentiment in ("neg", "neu", "pos"):
        assert sentiments.get(sentiment, 0) >= 60, sentiments


def test_the_pii_comments_are_included(evalset):
    lines = [line for line in PII.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) == 147
    assert not set(lines) - set(evalset["marked"])


def test_rows_are_clean(evalset):
    assert evalset["id"].is_unique
    assert evalset["text"].str.strip().str.lower().is_unique
    assert not evalset["text"].str.contains("\t").any()
    assert not evalset["text"].str.contains("\\n", regex=False).any()
    marked = evalset.loc[evalset["marked"].str.contains("\\n", regex=False)]
    assert len(marked) >= 1 and marked["text"].str.contains("\n").all()


def test_parse_marked():
    text, spans = parse_marked("call {NAME:Ann} at {PHONE:613 555 0142}\\nthanks")
    assert text == "call Ann at 613 555 0142\nthanks"
    assert spans == (("NAME", 5, 8), ("PHONE", 12, 24))
    assert [text[s:e] for _, s, e in spans] == ["Ann", "613 555 0142"]


def _write(tmp_path, *rows, header=None):
    header = "\t".join(HEADER) if header is None else header
    path = tmp_path / "set.tsv"
    path.write_text("# a comment\n" + header + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


GOOD = 'hf001\ten\tonline_account;wait_times\tneg\tcall {NAME:Ann} "now"\\nplease'


def test_a_good_file_is_read(tmp_path):
    frame = read_evalset(_write(tmp_path, GOOD, "hf002\tfr\tother\tpos\tmerci"))
    first = frame.iloc[0]
    assert first["tags"] == ("online_account", "wait_times")
    assert first["text"] == 'call Ann "now"\nplease' and first["spans"] == (("NAME", 5, 8),)
    assert first["marked"] == 'call {NAME:Ann} "now"\\nplease'
    assert list(frame.columns) == [*HEADER, "marked", "spans"]


@pytest.mark.parametrize(("rows", "header", "row", "field", "words"), [
    ([GOOD], "id\tlang\ttags\tsentiment\ttext", 2, "header", "bad header"),
    (["hf001\ten\twait_time\tneg\tslow"], None, 3, "tags", "unknown tag 'wait_time'"),
    (["hf001\ten\tother;wait_times\tneg\tslow"], None, 3, "tags", "'other' combined"),
    (["hf001\ten\tother\tneg\tcall {NAME:Ann at 5"], None, 3, "text", "unbalanced markup"),
    (["hf001\ten\tother\tneg\tcall NAME:Ann} at 5"], None, 3, "text", "unbalanced markup"),
    (["hf001\ten\tother\tneg\tcall {FOO:Ann}"], None, 3, "text", "unknown mark type"),
    ([GOOD, "hf001\tfr\tother\tpos\tmerci"], None, 4, "id", "duplicate id 'hf001'"),
    (["hf001\tde\tother\tneg\tnein"], None, 3, "language", "unknown language"),
    (["hf001\ten\tother\tbad\tno"], None, 3, "sentiment", "unknown sentiment"),
    (["hf001\ten\tother\tneg"], None, 3, "text", "4 tab-separated fields"),
])
def test_a_malformed_file_is_refused(tmp_path, rows, header, row, field, words):
    path = _write(tmp_path, *rows, **({"header": header} if header else {}))
    with pytest.raises(PlaybookError) as caught:
        read_evalset(path)
    error = caught.value
    assert error.path == str(path) and error.row == row and error.field == field and error.expected
    assert words in str(error)
