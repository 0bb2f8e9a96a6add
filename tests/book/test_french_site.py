"""The French edition the suite builds is French: no English word in the visible text of its pages
(issue 21), outside code, the parts marked ``lang="en"`` (source data published in English only,
cited English titles) and the short allow-list of :data:`tests.book.french_words.ALLOWED`."""

import pytest

from tests.book.french_words import ALLOWED, english_words, site_english


@pytest.mark.slow
def test_french_pages_have_no_english_word(site):
    found = site_english(site / "fr")
    report = "\n".join(f"fr/{page}: " + "; ".join(" ".join(run) for run in runs) for page, runs in found.items())
    assert not found, (f"English words on {len(found)} French pages (translate them: a catalogue label, code "
                       f"formatting for keys, lang=\"en\" on genuine English source data):\n{report}")


def test_the_allow_list_is_short_and_says_why():
    assert len(ALLOWED) <= 10
    assert all(reason.strip() for reason in ALLOWED.values())


def test_parts_marked_in_another_language_are_skipped_and_only_those():
    page = ('<html lang="fr"><body><article><p>Le <span lang="en">Handbook on Constructing Composite Indicators'
            '</span> de l’OCDE</p><p lang="fr">the results</p><p>The results are shown</p></article></body></html>')
    assert [" ".join(run) for run in english_words(page)] == ["the results", "The results are shown"]
