"""A finished figure carries its source line as text: the HTML caption, and the synthetic notice in its alt text."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from playbook import i18n  # noqa: E402
from playbook.figures import static  # noqa: E402


def chart(source: str):
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    return static.finish(fig, title="A title", source=source, xlabel="x", ylabel="y")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_synthetic_figure_says_so_in_its_caption_and_alt_text(lang):
    source = i18n.source_line("Statistics Canada", synthetic=True, lang=lang)
    shown = static.show(chart(source), alt="A line rising from three to four over two points.")
    html = shown._repr_html_()
    assert "<figcaption>" in html and i18n.t("site_synthetic_marker", lang) in html
    assert shown.alt.endswith(i18n.t("site_synthetic_banner_title", lang))


def test_a_real_figure_has_its_source_as_caption_and_no_notice():
    source = i18n.source_line("Statistics Canada, Table 98-10-0002-01", lang="en")
    shown = static.show(chart(source), alt="A line rising from three to four over two points.")
    assert shown.caption == source and shown.alt == "A line rising from three to four over two points."
