"""The source line drawn inside every PNG figure is readable: 4.5:1 contrast against the figure's
background in light mode and under the site's dark-mode image filter, at least 8 pt, and never over
an axis title or tick labels, however long it is (issue 22)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from playbook import i18n  # noqa: E402
from playbook.figures import static  # noqa: E402

#: pydata-sphinx-theme 0.17.1 in dark mode: ``img { filter: brightness(.8) contrast(1.2) }`` on a
#: white backing (``.bd-content img { background-color: #fff }``).
DARK_BRIGHTNESS, DARK_CONTRAST = 0.8, 1.2


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (channels 0..1)."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a, b) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def dark_mode(rgb):
    """The colour as the theme's dark-mode filter shows it (brightness, then contrast, per channel)."""
    return tuple(min(1.0, max(0.0, (c * DARK_BRIGHTNESS - 0.5) * DARK_CONTRAST + 0.5)) for c in rgb)


def test_wcag_formula():
    assert contrast((0, 0, 0), (1, 1, 1)) == pytest.approx(21)
    assert contrast(to_rgb("#767676"), (1, 1, 1)) == pytest.approx(4.54, abs=0.01)


def long_source(lang: str = "en") -> str:
    return i18n.source_line("Statistics Canada, Census of Population 2021, Table 98-10-0002-01; Canadian Internet "
                            "Use Survey 2022; Open Database of Cultural and Art Facilities; playbook calculations "
                            "with the weights and methods of specs/evi.yml", synthetic=True, lang=lang)


def chart(source: str, panels: int = 1):
    static.use_style()
    fig, axes = plt.subplots(1, panels, figsize=(7, 4), squeeze=False)
    for ax in axes[0]:
        ax.bar(["Access", "Comfort", "Skills"], [30, 50, 20])
        ax.set_title("A panel title")
    return static.finish(fig, title="A figure title that is long enough to wrap on two lines when drawn",
                         source=source, xlabel="Dimension of the E-Vulnerability Index (an axis title)",
                         ylabel="Share (%)", ax=axes[0][0])


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_source_line_has_4_5_to_1_contrast_in_light_and_dark_mode(lang):
    fig = chart(long_source(lang))
    note = fig._playbook_source_text
    text, background = to_rgb(note.get_color()), to_rgb(fig.get_facecolor())
    assert contrast(text, background) >= 4.5
    assert contrast(dark_mode(text), dark_mode(background)) >= 4.5
    assert note.get_fontsize() >= 8  # points: 8 pt at whatever DPI the PNG is saved
    plt.close(fig)


@pytest.mark.parametrize("panels", [1, 2])
def test_the_source_line_overlaps_no_axis_title_or_tick_labels(panels):
    fig = chart(long_source(), panels)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    note = fig._playbook_source_text.get_window_extent(renderer)
    assert note.height > 2 * static.SOURCE_FONT_SIZE  # the long source wraps on several lines
    for ax in fig.axes:
        boxes = [ax.xaxis.label.get_window_extent(renderer), ax.title.get_window_extent(renderer)]
        boxes += [t.get_window_extent(renderer) for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
        boxes.append(ax.get_tightbbox(renderer))
        for box in boxes:
            assert not box.overlaps(note), f"the source line {note} overlaps {box}"
    plt.close(fig)


def test_the_saved_png_keeps_the_source_line(tmp_path):
    shown = static.show(chart(long_source()), alt="A bar chart of three dimensions with a long source line.")
    assert shown.png.startswith(b"\x89PNG")
