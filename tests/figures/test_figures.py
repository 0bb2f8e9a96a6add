import matplotlib.pyplot as plt
import pytest

from playbook import figures
from playbook.errors import PlaybookError


def test_finished_figure_displays_with_alt_text_and_is_closed():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    figures.finish(fig, title="A title", source="Source: X — demo data, synthetic.", xlabel="x", ylabel="y")
    texts = [t.get_text() for t in fig.texts]
    assert "Source: X — demo data, synthetic." in texts
    shown = figures.show(fig, alt='A line rising from 3 to 4 "quoted"')
    assert not plt.fignum_exists(fig.number)
    html = shown._repr_html_()
    assert html.startswith('<figure class="playbook-figure"><img src="data:image/png;base64,')
    assert 'alt="A line rising from 3 to 4 &quot;quoted&quot; Demo data, synthetic."' in html  # the notice added
    assert shown._repr_png_()[:4] == b"\x89PNG"


def test_figure_rules_are_enforced():
    fig, ax = plt.subplots()
    with pytest.raises(PlaybookError, match="title and a source"):
        figures.finish(fig, title="", source="s", xlabel="x")
    with pytest.raises(PlaybookError, match="axis labels"):
        figures.finish(fig, title="t", source="s")
    with pytest.raises(PlaybookError, match="alt text"):
        figures.show(fig, alt="short")
    plt.close(fig)


def test_the_figure_contract_displays_itself_with_its_alt_text_once():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    figures.finish(fig, title="A title", source="Source: X.", xlabel="x", ylabel="y")
    chart = figures.Figure(fig, "A line rising from 3 to 4.", caption="Figure 1")
    assert chart.fig is fig and chart.alt == "A line rising from 3 to 4."
    html = chart._repr_html_()
    assert 'alt="A line rising from 3 to 4."' in html and "<figcaption>Figure 1</figcaption>" in html
    assert chart._repr_html_() == html and chart._repr_png_()[:4] == b"\x89PNG"  # rendered once
    assert not plt.fignum_exists(fig.number)
    assert figures.show(chart) is chart.show()
    assert repr(chart) == "Figure('A line rising from 3 to 4.')"
