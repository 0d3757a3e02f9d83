"""Accessible names for slider handles and Play buttons (issue 15, point 6): every kit widget with sliders carries
the naming helper; the browser tests (tests/browser/test_lessons.py, test_workshop.py) run axe-core on every
lesson's outputs and every dashboard and require 0 critical and 0 serious violations."""

from __future__ import annotations

import re

from aireg.a11y import PLAY_BUTTONS, ControlNames
from aireg.dsa_explorer import dsa_explorer
from aireg.gdpr_explorer import gdpr_explorer
from aireg.geoblock import geoblock_explorer
from aireg.livemap import LiveMap
from aireg.maps import response_explorer


def test_kit_widgets_carry_the_naming_helper():
    for widget in (dsa_explorer().widget, gdpr_explorer().widget, response_explorer().widget, geoblock_explorer().widget):
        helpers = [c for c in widget.children if isinstance(c, ControlNames)]
        assert len(helpers) == 1 and "aireg" in widget._dom_classes


def test_helper_names_handles_after_their_label_and_play_buttons():
    esm = ControlNames()._esm
    assert "setAttribute('aria-label', text)" in esm and ".noUi-handle" in esm and ".widget-play" in esm
    assert all(f'"{name}"' in esm for name in PLAY_BUTTONS)
    assert "http" not in esm, "nothing loaded from the network"


def test_every_chart_and_map_of_an_explorer_has_a_caption():
    import ipywidgets as w
    import plotly.graph_objects as go

    for widget in (dsa_explorer().widget, gdpr_explorer().widget, response_explorer().widget, geoblock_explorer().widget):
        flat, stack = [], [widget]
        while stack:
            node = stack.pop(0)
            flat.append(node)
            stack[:0] = list(getattr(node, "children", ()))
        charts = [n for n in flat if isinstance(n, (go.FigureWidget, LiveMap)) or
                  (isinstance(n, w.HTML) and "<iframe" in (n.value or ""))]
        captions = [n for n in flat if "aireg-caption" in getattr(n, "_dom_classes", ())]
        assert charts and len(captions) == len(charts), (len(charts), len(captions))
        assert all(re.search(r"(Chart|Map): \w", c.value) for c in captions), [c.value for c in captions]

