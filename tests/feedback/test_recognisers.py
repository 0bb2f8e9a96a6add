"""Redaction measured on hand-written comments (``handwritten_pii.txt``), not on the generator's own
corpus: names in any case, phones with any spacing, Canadian SINs and postal codes, dates of birth in
English and French — and public office holders, places and look-alike words left alone.

Measured when written (147 comments, 91 labelled spans): precision 0.96, recall 0.95 overall;
e-mail, SIN, postal code, address and date of birth 1.00 / 1.00. The floors below sit just under
those figures, so that a regression in any recogniser fails here."""

from pathlib import Path

import pytest

from playbook.feedback import redact
from playbook.feedback.evalset import MARK, parse_marked

CORPUS = Path(__file__).with_name("handwritten_pii.txt")


def read_labelled(path: Path) -> tuple[list[str], list[list[tuple[int, int, str]]]]:
    """The comments of ``path`` without their marks, and the labelled spans (start, end, type) of each."""
    texts, truth = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, spans = parse_marked(line)
        texts.append(text)
        truth.append([(start, end, kind) for kind, start, end in spans])
    return texts, truth


@pytest.fixture(scope="module")
def labelled():
    return read_labelled(CORPUS)


@pytest.fixture(scope="module")
def scores(labelled):
    return redact.evaluate(*labelled).set_index("type")


def test_the_corpus_is_read_as_marked(labelled):
    texts, truth = labelled
    assert len(texts) >= 140 and sum(map(len, truth)) >= 90
    for text, spans in zip(texts, truth, strict=True):
        assert not MARK.search(text)
        for start, end, kind in spans:
            assert kind in redact.TYPES and text[start:end].strip() == text[start:end] != ""


def test_overall_precision_and_recall(scores):
    overall = scores.loc["ALL"]
    assert overall["precision"] >= 0.93, scores
    assert overall["recall"] >= 0.93, scores
    assert overall["leak_free"] >= 0.93, scores


@pytest.mark.parametrize("kind", ["EMAIL", "SIN", "POSTAL", "ADDRESS", "DOB"])
def test_structured_personal_information_is_all_found_and_only_it(scores, kind):
    row = scores.loc[kind]
    assert row["labelled"] > 0
    assert row["recall"] == 1.0 and row["precision"] == 1.0, scores


def test_names_and_phones_in_any_case_and_spacing(scores):
    assert scores.loc["NAME", "recall"] >= 0.9 and scores.loc["NAME", "precision"] >= 0.9, scores
    assert scores.loc["PHONE", "recall"] >= 0.85 and scores.loc["PHONE", "precision"] >= 0.9, scores


@pytest.mark.parametrize("text", [
    "Why does Prime Minister Trudeau not fix the EI backlog?",
    "Dr Njoo said on the news that the clinics would stay open, but the page says otherwise",
    "I live in Sault Ste. Marie and the nearest office is 3 hours away",
    "the george was beautiful but the campground page has the wrong fees",
    "Le formulaire termine le 15 mars 2024 mais le site dit le 30",
    "L'agent m'a parlé comme si j'étais un enfant.",
    "Fast service today, merci à l'équipe de Baie-Comeau!",
    "The agent switched to French right away when she heard my accent",
    "I drove from Prince Albert to Saskatoon for nothing",
    "Waited 90 minutes et le monsieur m'a dit que c'était pas le bon bureau.",
])
def test_what_is_not_personal_information_stays(text):
    assert redact.redact(text) == text


@pytest.mark.parametrize(("text", "placeholder"), [
    ("i called 3 times and paul hancock hung up on me twice", "[NAME]"),
    ("My name is ALI ALSAEDI and I still have not got my passport", "[NAME]"),
    ("please call me back at 403  735 6090 i am home after 5", "[PHONE]"),
    ("Olu at the call centre explained everything slowly", "[NAME] at the call centre"),
    ("J.P. Morin from the passport office sorted it out", "[NAME] from the passport office"),
    ("I'm 88 and not good with computers. Edna Pruitt", "computers. [NAME]"),
    ("Can someone confirm it arrived? D. Kaur, 604.555.0172", "[NAME], [PHONE]"),
    ("OKSANA PETRENKO\n780-555-0123", "[NAME]\n[PHONE]"),
    ("Please pass on my thanks to Mr. de la Fontaine who helped me", "Mr. [NAME] who"),
    ("Mon numéro : 581-555-0133", "[PHONE]"),
])
def test_the_misses_reported_on_real_comments_are_caught(text, placeholder):
    """The forms the issue reported on real comments, and the generic forms of names in page feedback:
    a name before where the person works, a sign-off (with a place or number after a comma), a name
    alone on a line, particles after a title, and "my number" before a phone."""
    out = redact.redact(text)
    assert placeholder in out and out == redact.redact(out)  # idempotent


def test_the_targets_on_the_whole_hand_written_set():
    """Issue 23's targets, on the 470 hand-written comments: names recall >= 0.90 and precision
    >= 0.85; phones, e-mails, SINs and postal codes together recall >= 0.98."""
    from playbook.feedback.evalset import read_evalset

    table = read_evalset()
    spans = [[(start, end, kind) for kind, start, end in found] for found in table["spans"]]
    by_type = redact.evaluate(table["text"].tolist(), spans).set_index("type")
    assert by_type.loc["NAME", "recall"] >= 0.90 and by_type.loc["NAME", "precision"] >= 0.85, by_type
    structured = by_type.loc[["PHONE", "EMAIL", "SIN", "POSTAL"]]
    assert structured["correct"].sum() / structured["labelled"].sum() >= 0.98, by_type
