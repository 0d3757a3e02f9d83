"""The kit's look: colour-blind-safe palettes and plotly templates, with a large-type projector variant.

Colours are the Okabe-Ito palette (Okabe & Ito, *Color Universal Design*, 2008), distinguishable
under the common colour-vision deficiencies; ordered scales use viridis, light to dark, whose lightness
changes monotonically, so order reads even in greyscale.
"""

from __future__ import annotations

import re
import secrets

import plotly.graph_objects as go
import plotly.io as pio

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}
QUALITATIVE = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue",
                                      "yellow", "black")]

# Ordered (sequential) ramp: viridis in 9 steps, light to dark; lightness changes monotonically and it stays
# readable under the common colour-vision deficiencies (used for the strength of an action on the maps).
SEQUENTIAL = ["#fde725", "#bddf26", "#7ad151", "#44bf70", "#22a884", "#21918c", "#2a788e", "#355f8d", "#414487",
              "#482475", "#440154"]  # viridis at 11 even steps (matplotlib), light to dark

FONT = "DejaVu Sans, Arial, sans-serif"
BASE_FONT_SIZE = 14
PROJECTOR_FONT_SIZE = 24

_state = {"projector": False}
#: a marker class unique to this kernel (so to this notebook): the live projector style applies only inside the
#: notebook whose output holds an element with this class
MARKER = f"aireg-projector-{secrets.token_hex(4)}"
_live: dict = {}


def projector_style(on: bool):
    """The live projector style of this notebook (JupyterLab, Voila): one hidden ipywidgets HTML per kernel whose
    value holds a marker element and CSS scoped to the notebook containing it, so no other open notebook changes;
    turning projector mode off empties it, which removes the style from every view of it. Returns the widget to
    display, or ``None`` when it is already displayed (or there is nothing to undo)."""
    import ipywidgets as w

    scope = f".jp-Notebook:has(.{MARKER})"
    value = f'<span class="{MARKER}" hidden></span><style>{widget_css(scope)}</style>' if on else ""
    widget = _live.get("style")
    if widget is None:
        if not on:
            return None
        widget = _live["style"] = w.HTML(value, layout=w.Layout(display="none"))
        widget.add_class("aireg-projector-style")
        return widget
    widget.value = value
    return widget if on else None


def _template(font_size: int, high_contrast: bool) -> go.layout.Template:
    ink = "#000000" if high_contrast else "#222222"
    grid = "#bbbbbb" if high_contrast else "#e5e5e5"
    return go.layout.Template(
        layout=go.Layout(
            font={"family": FONT, "size": font_size, "color": ink},
            # fill the output's width (plotly.js otherwise draws 700 px wide when no width is set), and keep a
            # long title whole by letting it wrap (titles use <br> where needed; see fit_title)
            autosize=True,
            title={"font": {"size": round(font_size * (1.1 if high_contrast else 1.3))}},
            colorway=QUALITATIVE,
            paper_bgcolor="#ffffff",
            plot_bgcolor="#ffffff",
            xaxis={"gridcolor": grid, "linecolor": ink, "zerolinecolor": grid, "automargin": True},
            yaxis={"gridcolor": grid, "linecolor": ink, "zerolinecolor": grid, "automargin": True},
            legend={"font": {"size": font_size}},
            hoverlabel={"font": {"size": font_size}},
        )
    )


pio.templates["aireg"] = _template(BASE_FONT_SIZE, high_contrast=False)
pio.templates["aireg_projector"] = _template(PROJECTOR_FONT_SIZE, high_contrast=True)


def fill_width(fig):
    """Make a FigureWidget fill its output: plotly refits a "responsive" figure when the window is resized, and the
    kit's widgets announce a resize when a chart's drawing does not match its box (``aireg.a11y``). Returns ``fig``."""
    fig._config = {**(fig._config or {}), "responsive": True}
    return fig


def wrap_title(text: str, width: int | None = None) -> str:
    """A chart title on lines of at most ``width`` characters (60, or 45 in projector mode's larger type): plotly
    never wraps a title, it cuts it at the chart's edges."""
    import textwrap

    width = width or (45 if projector() else 60)
    return "<br>".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def use_projector(on: bool = True) -> None:
    """Switch every later plot, map and widget of the kit to large type and high contrast (or back)."""
    _state["projector"] = bool(on)
    pio.templates.default = "aireg_projector" if on else "aireg"


def projector() -> bool:
    """Whether projector mode (large type, high contrast) is on."""
    return _state["projector"]


def font_size() -> int:
    """The body font size in pixels for the current mode."""
    return PROJECTOR_FONT_SIZE if _state["projector"] else BASE_FONT_SIZE


def widget_css(scope: str = "") -> str:
    """CSS that enlarges ipywidgets labels, readouts and tables in projector mode (empty otherwise).

    ``scope`` (a CSS selector) limits it to the kit's widgets inside what that selector matches, e.g. one
    notebook: ``.jp-Notebook:has(.marker)``. Without it, it applies to the whole page (a static export, which holds
    one notebook)."""
    if not _state["projector"]:
        return ""
    css = _projector_css()
    return re.sub(r"(?<![\w-])\.aireg(?![\w-])", f"{scope} .aireg", css) if scope else css


def _projector_css() -> str:
    size = PROJECTOR_FONT_SIZE
    return (
        f".aireg, .aireg .widget-label, .aireg .widget-readout, .aireg .widget-html-content, "
        f".aireg select, .aireg input, .aireg button, .aireg table {{ font-size: {size}px !important; "
        f"line-height: 1.35 !important; color: #000 !important; }}"
        f".aireg input, .aireg .widget-dropdown > select {{ height: auto !important; min-height: {size + 14}px; }}"
        f".aireg .widget-dropdown > select {{ min-width: 10em; }}"
        f".aireg select[multiple] {{ height: auto !important; min-height: {4 * (size + 8)}px; }}"
        f".aireg .widget-label {{ min-width: 12em !important; }}"
        f".aireg .widget-inline-hbox {{ height: auto !important; min-height: {size + 12}px; }}"
        f".aireg .noUi-handle {{ width: {size}px !important; height: {size}px !important; }}"
        f".aireg :focus {{ outline: 3px solid {OKABE_ITO['vermillion']} !important; }}"
    )


pio.templates.default = "aireg"
