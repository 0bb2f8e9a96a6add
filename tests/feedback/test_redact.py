"""Redaction: typed placeholders, adversarial look-alikes, French formats, accented names, recall."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.errors import PlaybookError
from playbook.feedback import redact as r

CASES = [
    # phones, English and French layouts, extensions
    ("Call (613) 555-0199 ext. 45 today", "Call [PHONE] today"),
    ("Appelez au 514 555-1234 poste 22.", "Appelez au [PHONE]."),
    ("1-800-555-0199 or +1 416 555 0100, or 6135550199", "[PHONE] or [PHONE], or [PHONE]"),
    ("tél. 819.555.0123", "tél. [PHONE]"),
    ("sans frais 1 888 555-0199", "sans frais [PHONE]"),
    # look-alike numbers that are not phones: amounts, file and reference numbers, dates
    ("I paid $1,234.56 on 2024-03-15.", "I paid $1,234.56 on 2024-03-15."),
    ("montant 1 250 000 $ versé", "montant 1 250 000 $ versé"),
    ("file 2023-555-1234 is open", "file 2023-555-1234 is open"),
    ("Dossier no 514 555 1234 en retard", "Dossier no 514 555 1234 en retard"),
    ("Confirmation no. 4165550123.", "Confirmation no. 4165550123."),
    ("Numéro de référence 6135550199", "Numéro de référence 6135550199"),
    ("at 10:30 on 15/03/2024", "at 10:30 on 15/03/2024"),
    ("area code 123 456 7890", "area code 123 456 7890"),  # 1xx is not a valid area code
    # SIN: Luhn-valid nine digits only
    ("My SIN is 046 454 286.", "My SIN is [SIN]."),
    ("NAS : 046-454-286", "NAS : [SIN]"),
    ("reference number 123456789", "reference number 123456789"),  # fails Luhn
    ("claim 046 454 287", "claim 046 454 287"),  # one digit off: fails Luhn
    # postal codes: with and without space, lowercase
    ("Ottawa ON K1A 0B1", "Ottawa ON [POSTAL]"),
    ("code postal h2x1y4", "code postal [POSTAL]"),
    ("Montréal (Québec) H3B 2Y5", "Montréal (Québec) [POSTAL]"),
    ("a D1A 1A1 is not valid", "a D1A 1A1 is not valid"),  # D is not a postal letter
    # addresses
    ("I live at 45 Main St., Ottawa", "I live at [ADDRESS], Ottawa"),
    ("J'habite au 123 rue Saint-Denis, app. 4", "J'habite au [ADDRESS]"),
    ("au 4520, boulevard Saint-Laurent.", "au [ADDRESS]."),
    ("au 3-210 avenue des Pins Ouest", "au [ADDRESS]"),
    ("waited 45 minutes on Main St", "waited 45 minutes on Main St"),
    # dates of birth
    ("I was born on March 3, 1962.", "I was born on [DOB]."),
    ("Date de naissance : 14/03/1985", "Date de naissance : [DOB]"),
    ("née le 1er janvier 1950", "née le [DOB]"),
    ("DOB: 1957-10-14", "DOB: [DOB]"),
    ("I called on 2024-03-15", "I called on 2024-03-15"),
    # e-mail
    ("write to jean.roy@gmail.com please", "write to [EMAIL] please"),
    # names: cues, accents, gazetteer, ambiguity
    ("My name is Marie-Ève Tremblay.", "My name is [NAME]."),
    ("Je m'appelle Gaëtane Bérubé", "Je m'appelle [NAME]"),
    ("L'agente Dubois était gentille. M. Gagnon aussi.", "L'agente [NAME] était gentille. M. [NAME] aussi."),
    ("Mme Côté n'a pas rappelé", "Mme [NAME] n'a pas rappelé"),
    ("Mr. O'Brien was kind", "Mr. [NAME] was kind"),
    ("Hélène Lévesque at the desk", "[NAME] at the desk"),
    ("Thanks, Oksana", "Thanks, [NAME]"),  # not in the gazetteer, after a sign-off
    ("Rose was nice. Rose Cloutier called.", "Rose was nice. [NAME] called."),
    ("Will you fix it? Grace period is over.", "Will you fix it? Grace period is over."),
    ("The Jean-Talon office was closed.", "The Jean-Talon office was closed."),
    ("rue Saint-Denis and Victoria Day", "rue Saint-Denis and Victoria Day"),
    ("Hi, Queue was insane.", "Hi, Queue was insane."),
    ("Merci Service Canada!", "Merci Service Canada!"),
    # placeholders stay as they are
    ("[EMAIL] and [PHONE] and [NAME]", "[EMAIL] and [PHONE] and [NAME]"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_adversarial_cases(text, expected):
    assert r.redact(text) == expected


def test_luhn():
    assert r.luhn_valid("046454286")
    assert r.luhn_valid("130 692 544")
    assert not r.luhn_valid("123456789")
    assert not r.luhn_valid("")


def test_redaction_is_idempotent(corpus):
    once = [r.redact(t) for t in corpus["text"].head(500)]
    assert [r.redact(t) for t in once] == once


def test_spans_and_replacement():
    text = "Mme Côté, 514 555-1234"
    spans = r.find_spans(text)
    assert spans == [r.Span(4, 8, "NAME"), r.Span(10, 22, "PHONE")]
    assert r.replace_spans(text, spans) == "Mme [NAME], [PHONE]"


def test_redact_series_keeps_index_and_handles_missing():
    s = pd.Series(["call 613-555-0199", None], index=[10, 20], name="comment")
    out = r.redact_series(s)
    assert isinstance(out, r.Redacted)
    assert out.to_dict() == {10: "call [PHONE]", 20: ""}
    assert out.name == "comment"


def test_analysis_refuses_raw_text():
    with pytest.raises(PlaybookError, match="needs redacted text"):
        r.require_redacted(pd.Series(["raw"]), "test")


def test_evaluate_counts_by_hand():
    texts = ["Call 613-555-0199 or Bob", "Mme Côté"]
    truth = [[(5, 17, "PHONE"), (21, 24, "NAME")], [(4, 8, "NAME")]]
    table = r.evaluate(texts, truth).set_index("type")
    assert table.loc["PHONE", ["labelled", "predicted", "found", "correct"]].tolist() == [1, 1, 1, 1]
    # "Bob" is not in the gazetteer and has no cue: the NER model finds it; Côté is found after "Mme"
    assert table.loc["NAME", ["labelled", "predicted", "found"]].tolist() == [2, 2, 2]
    assert table.loc["NAME", "recall"] == 1.0
    missed = r.evaluate(["Bob"], [[(0, 3, "NAME")]]).set_index("type")  # a lone first word: not read as a name
    assert missed.loc["NAME", ["labelled", "predicted", "found", "recall"]].tolist() == [1, 0, 0, 0.0]
    assert table.loc["ALL", "labelled"] == 3


def test_recall_on_the_labelled_spans(corpus):
    table = r.evaluate(corpus["text"].tolist(), corpus["pii"].tolist()).set_index("type")
    for kind in r.PATTERN_TYPES:
        assert table.loc[kind, "labelled"] > 300, kind
        assert table.loc[kind, "recall"] >= 0.99, kind
        assert table.loc[kind, "precision"] >= 0.95, kind
    assert table.loc["NAME", "recall"] >= 0.9
    assert table.loc["NAME", "precision"] >= 0.9


def test_parallel_redaction_gives_the_same_result(corpus, monkeypatch):
    monkeypatch.setattr(r, "PARALLEL_MIN", 100)  # the processes share the models loaded before they start
    texts = corpus["text"].head(400)
    assert r.redact_series(texts, workers=2).equals(r.redact_series(texts))


# Property tests: any number in these layouts is found, whatever the digits (beyond the corpus's own).

digits = st.text("0123456789", min_size=1, max_size=1)
area = st.tuples(st.sampled_from("23456789"), digits, digits).map("".join)
line = st.text("0123456789", min_size=4, max_size=4)
layout = st.sampled_from(["({a}) {b}-{c}", "{a}-{b}-{c}", "{a} {b}-{c}", "{a}.{b}.{c}", "1-{a}-{b}-{c}",
                          "+1 {a} {b} {c}", "{a}{b}{c}", "{a} {b} {c} poste 12", "{a}-{b}-{c} ext. 9"])


@settings(max_examples=150, deadline=None)
@given(a=area, b=area, c=line, fmt=layout, before=st.sampled_from(["Call me at ", "Tél. : ", "", "cell "]))
def test_any_phone_in_a_known_layout_is_found(a, b, c, fmt, before):
    text = before + fmt.format(a=a, b=b, c=c) + " merci"
    assert r.redact(text) == before + "[PHONE] merci"


@settings(max_examples=150, deadline=None)
@given(body=st.text("0123456789", min_size=8, max_size=8), sep=st.sampled_from(["", " ", "-"]))
def test_sin_iff_luhn(body, sep):
    check = next(d for d in "0123456789" if r.luhn_valid(body + d))
    valid = body + check
    wrong = body + str((int(check) + 1) % 10)
    fmt = lambda d: d[:3] + sep + d[3:6] + sep + d[6:]  # noqa: E731
    assert r.redact(f"NAS {fmt(valid)}.") == "NAS [SIN]."
    assert "[SIN]" not in r.redact(f"NAS {fmt(wrong)}.")


@settings(max_examples=150, deadline=None)
@given(fsa=st.tuples(st.sampled_from("ABCEGHJKLMNPRSTVXY"), digits, st.sampled_from("ABCEGHJKLMNPRSTVWXYZ")),
       ldu=st.tuples(digits, st.sampled_from("ABCEGHJKLMNPRSTVWXYZ"), digits),
       sep=st.sampled_from(["", " "]), lower=st.booleans())
def test_any_postal_code_is_found(fsa, ldu, sep, lower):
    code = "".join(fsa) + sep + "".join(ldu)
    code = code.lower() if lower else code
    assert r.redact(f"code postal {code}, merci") == "code postal [POSTAL], merci"


@pytest.mark.parametrize("text,expected", [
    ("mme bergeron a appelé", "mme [NAME] a appelé"),
    ("I told ms. macdonald twice", "I told ms. [NAME] twice"),
    ("la madame était gentille", "la madame était gentille"),
    ("le monsieur au comptoir", "le monsieur au comptoir"),
    ("merci M. Khan", "merci M. [NAME]"),
])
def test_lowercase_names_after_formal_titles(text, expected):
    assert r.redact(text) == expected
