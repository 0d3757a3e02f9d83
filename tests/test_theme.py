"""The kit's palettes and the projector switch."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from aireg import theme


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_sequential_ramp_darkens_monotonically():
    lum = [_luminance(c) for c in theme.SEQUENTIAL]
    assert all(a > b for a, b in zip(lum, lum[1:], strict=False)), "order must read in greyscale"


def test_qualitative_palette_is_okabe_ito():
    assert set(theme.QUALITATIVE) <= set(theme.OKABE_ITO.values())
    assert len(set(theme.QUALITATIVE)) == len(theme.QUALITATIVE)


def test_projector_switch_changes_plots_and_widgets():
    try:
        theme.use_projector(True)
        assert theme.projector() and pio.templates.default == "aireg_projector"
        fig = go.Figure(go.Bar(x=[1], y=[1]))
        assert fig.layout.template.layout.font.size == theme.PROJECTOR_FONT_SIZE
        assert f"font-size: {theme.PROJECTOR_FONT_SIZE}px" in theme.widget_css()
        assert theme.font_size() == theme.PROJECTOR_FONT_SIZE
    finally:
        theme.use_projector(False)
    assert pio.templates.default == "aireg" and theme.widget_css() == ""
    assert go.Figure().layout.template.layout.font.size == theme.BASE_FONT_SIZE


def test_live_projector_style_is_scoped_to_its_notebook_and_undone():
    """Issue 15: the projector CSS applied to every open notebook and stayed after standard mode was restored."""
    import re

    try:
        theme.use_projector(True)
        style = theme.projector_style(True)
        assert style is not None and style.layout.display == "none"
        css = re.search(r"<style>(.*)</style>", style.value, re.S).group(1)
        selectors = [s.strip() for block in re.findall(r"([^{}]+)\{", css) for s in block.split(",")]
        assert selectors and all(s.startswith(f".jp-Notebook:has(.{theme.MARKER}) .aireg") for s in selectors), selectors
        assert f'class="{theme.MARKER}"' in style.value
        again = theme.projector_style(True)
        assert again is style, "one style widget per kernel"
    finally:
        theme.use_projector(False)
    assert theme.projector_style(False) is None and style.value == "", "standard mode empties it in every view"
