"""Figures that meet the house rules: title, axis labels, a source line, and alt text.

Use :func:`finish` to title a figure and stamp its source line (which says "demo data, synthetic"
where the numbers are generated), then return a :class:`Figure` (figure + alt text), which displays
itself with its alt text; :func:`show` renders any figure with alt text. The source line of a
finished figure is also its HTML caption, and the alt text of a synthetic one ends with the notice. In the built book
the figure becomes an ``<img>`` with that ``alt`` attribute inside a ``<figure>``; in JupyterLab it
displays the same way.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap
from dataclasses import dataclass, field

import matplotlib
import matplotlib.pyplot as plt
import seaborn as sns

from playbook.errors import PlaybookError
from playbook.figures.style import PALETTE

#: The source line drawn small inside every figure: its size in points (8 pt whatever the DPI the
#: figure is saved at) and its colour, 12.6:1 against the white figure background, 12.9:1 under the
#: site theme's dark-mode image filter (the theme puts images on a white backing in dark mode and
#: dims them with ``brightness(.8) contrast(1.2)``); tests/figures/test_source_line.py checks both.
SOURCE_FONT_SIZE = 8
SOURCE_COLOUR = "#333333"
#: Space between the source line and what is above it (axis labels, tick labels), in points.
SOURCE_GAP_PT = 6


def use_style() -> None:
    """The house style: readable sizes, a colour-blind-safe palette, no chart junk."""
    sns.set_theme(style="whitegrid", context="notebook", palette=PALETTE)
    matplotlib.rcParams.update({"figure.dpi": 110, "axes.titleweight": "bold", "axes.titlesize": 12})


def finish(fig, *, title: str, source: str, xlabel: str | None = None, ylabel: str | None = None, ax=None):
    """Set the title, the axis labels and the source line of ``fig``; return ``fig``.

    ``source`` is the full source line (see :func:`playbook.i18n.source_line` or
    :meth:`playbook.sources.datasets.Dataset.source_line`).
    """
    if not title or not source:
        raise PlaybookError("a figure needs a title and a source line", field="title/source")
    ax = ax or fig.axes[0]
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if not ax.get_xlabel() and not ax.get_ylabel():
        raise PlaybookError("a figure needs axis labels", field="xlabel/ylabel")
    fig.suptitle("\n".join(textwrap.wrap(title, 80)), fontweight="bold", x=0.01, ha="left")
    note = fig.text(0.01, 0.01, "\n".join(textwrap.wrap(source, 120)), fontsize=SOURCE_FONT_SIZE, color=SOURCE_COLOUR,
                    ha="left", va="bottom")
    fig._playbook_source_text = note
    _layout_above(fig, note)
    fig._playbook_source = source  # shown again as the HTML caption (see show)
    return fig


def _layout_above(fig, note) -> None:
    """Lay the axes out (matplotlib's tight layout) in the space above the source line ``note``,
    measured by the renderer: however many lines the source takes, it never overlaps an axis title
    or tick labels."""
    renderer = fig.canvas.get_renderer()
    top = note.get_window_extent(renderer).y1 + SOURCE_GAP_PT * fig.dpi / 72
    fig.tight_layout(rect=(0, min(0.5, top / fig.bbox.height), 1, 1))


def _synthetic_notice(source: str) -> str | None:
    """The short "demo data, synthetic" notice in the language of ``source``, if it says so."""
    from playbook import i18n

    for lang in i18n.LANGUAGES:
        if i18n.t("site_synthetic_marker", lang).lower() in source.lower():
            return i18n.t("site_synthetic_banner_title", lang)
    return None


class AccessibleFigure:
    """A rendered figure with alt text; displays as ``<figure><img alt=...></figure>``."""

    def __init__(self, png: bytes, alt: str, caption: str | None = None) -> None:
        self.png = png
        self.alt = alt
        self.caption = caption

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        caption = f"<figcaption>{html.escape(self.caption)}</figcaption>" if self.caption else ""
        return (
            f'<figure class="playbook-figure"><img src="data:image/png;base64,{data}" '
            f'alt="{html.escape(self.alt, quote=True)}" style="max-width:100%;height:auto"/>{caption}</figure>'
        )

    def _repr_png_(self) -> bytes:
        return self.png


@dataclass
class Figure:
    """What every static chart function returns: the matplotlib figure ``fig``, its ``alt`` text and
    an optional ``caption``. Displays itself with its alt text (via :func:`show`, rendered once) when it
    is the last value of a notebook cell; ``fig`` and ``alt`` stay available for tests and exports."""

    fig: object
    alt: str
    caption: str | None = None
    _shown: AccessibleFigure | None = field(default=None, repr=False, compare=False)

    def show(self) -> AccessibleFigure:
        """The rendered figure (PNG with alt text); the matplotlib figure is closed on first use."""
        if self._shown is None:
            self._shown = show(self.fig, alt=self.alt, caption=self.caption)
        return self._shown

    def _repr_html_(self) -> str:
        return self.show()._repr_html_()

    def _repr_png_(self) -> bytes:
        return self.show()._repr_png_()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.alt!r})"


def show(fig, alt: str | None = None, caption: str | None = None) -> AccessibleFigure:
    """Render ``fig`` to PNG, close it (so it is not displayed twice) and attach ``alt`` text.

    ``fig`` may also be a :class:`Figure`, which carries its own alt text.
    """
    if isinstance(fig, Figure):
        return fig.show() if alt is None else show(fig.fig, alt, caption or fig.caption)
    if not alt or len(alt.strip()) < 20:
        raise PlaybookError("alt text must describe the figure (20 characters or more)", field="alt")
    source = getattr(fig, "_playbook_source", None)
    alt = " ".join(alt.split())
    if source:  # the source line, drawn small inside the image, is also given as text
        caption = caption or source
        notice = _synthetic_notice(source)
        if notice and notice.lower() not in alt.lower():
            alt = f"{alt} {notice}"
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return AccessibleFigure(buffer.getvalue(), alt, caption)
