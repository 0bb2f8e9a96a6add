"""Search results on the built site show the page's own text, not the language switcher or the
download button ("…Français .md", issue 22). Runs on the whole site (the ``site`` fixture) in
Debian's Chromium."""

import pytest

pytestmark = pytest.mark.slow
pytest.importorskip("playwright.sync_api", reason="playwright is in requirements-dev.txt")


@pytest.mark.parametrize("lang, word, other", [("en", "playbook", "Français"), ("fr", "guide", "English")])
def test_search_snippets_show_the_page_text(served_site, browser_context, lang, word, other):
    page = browser_context.new_page()
    page.goto(f"{served_site}{lang}/search.html?q={word}", wait_until="networkidle")
    snippets = page.locator("#search-results ul.search li p.context")
    snippets.first.wait_for(timeout=15_000)
    texts = [" ".join(t.split()) for t in snippets.all_inner_texts()]
    assert len(texts) >= 3
    for text in texts:
        assert not text.lstrip(".… ").startswith(other), text
        assert ".md" not in text.split()[:3] and "Date modified" not in text and "Date de modification" not in text, text
    page.close()
