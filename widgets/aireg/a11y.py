"""Accessible names for the controls ipywidgets draws without one, and text alternatives for charts and maps.

ipywidgets renders a slider's handle (``.noUi-handle``, ``role="slider"``) without a name linked to its label, and
the Play control as icon-only buttons: a screen reader announces "slider" and "button", and axe-core reports
``aria-input-field-name`` (serious) and ``button-name`` (critical). :func:`name_controls` adds a hidden helper
(an anywidget: a few lines of JavaScript shipped with the kit, nothing loaded from the network) to a kit widget.
When shown, it names every slider handle after its label and every Play button after what it does, inside that
widget only, and again whenever ipywidgets redraws. It also gives each chart and map of the widget the text of the
:func:`caption` that follows it (``role="figure"``, ``aria-label``, ``aria-describedby``), matched in order, and
makes the widget's charts fill their width (see :func:`aireg.theme.fill_width`).
"""

from __future__ import annotations

import json

import anywidget
import traitlets

#: names of the Play control's buttons, in ipywidgets 8's order
PLAY_BUTTONS = ("Play", "Pause", "Stop", "Repeat")

_ESM = r"""
function nameControls(root) {
  root.querySelectorAll('.widget-slider, .jupyter-widget-slider').forEach((box) => {
    const label = box.querySelector('.widget-label');
    const text = ((label && (label.textContent || label.title)) || 'Slider').trim() || 'Slider';
    box.querySelectorAll('.noUi-handle').forEach((h) => {
      if (h.getAttribute('aria-label') !== text) h.setAttribute('aria-label', text);
    });
  });
  const names = __BUTTONS__;
  root.querySelectorAll('.widget-play').forEach((play) => {
    play.querySelectorAll('button').forEach((b, i) => {
      const text = names[i] || 'Play control';
      if (b.getAttribute('aria-label') !== text) b.setAttribute('aria-label', text);
      if (!b.title) b.title = text;
    });
  });
}
function describeCharts(root) {
  const captions = [...root.querySelectorAll('.aireg-caption')];
  [...root.querySelectorAll('.js-plotly-plot, iframe')].forEach((chart, i) => {
    const caption = captions[i];
    if (!caption) return;
    if (!caption.id) caption.id = 'aireg-caption-' + Math.random().toString(36).slice(2);
    if (chart.tagName !== 'IFRAME') chart.setAttribute('role', 'figure');  // 'img' may not hold the chart's buttons
    const text = caption.textContent.trim();
    if (chart.getAttribute('aria-label') !== text) chart.setAttribute('aria-label', text);
    if (chart.getAttribute('aria-describedby') !== caption.id) chart.setAttribute('aria-describedby', caption.id);
  });
}
// Charts fill their output: a FigureWidget draws at plotly's default 700 px when its box has no width yet, and
// ipywidgets 8 passes it no resize messages. The kit's figures are "responsive" (plotly refits them on the
// window's resize event), so when a chart's drawing is narrower or wider than its box, announce a resize.
function fitCharts(root) {
  let pending = null;
  const check = () => {
    pending = null;
    const off = [...root.querySelectorAll('.js-plotly-plot')].some((gd) => {
      const svg = gd.querySelector('svg.main-svg');
      return svg && gd.clientWidth > 0 && Math.abs(svg.getBoundingClientRect().width - gd.clientWidth) > 2;
    });
    if (off) window.dispatchEvent(new Event('resize'));
  };
  const later = () => { if (!pending) pending = setTimeout(check, 150); };
  new ResizeObserver(later).observe(root);
  new MutationObserver(later).observe(root, { childList: true, subtree: true });
  later();
}
function render({ el }) {
  el.style.display = 'none';
  let root = null;
  let observer = null;
  const attach = () => {
    root = el.closest('.aireg') || el.parentElement;
    if (!root) { requestAnimationFrame(attach); return; }
    const apply = () => { nameControls(root); describeCharts(root); };
    apply();
    observer = new MutationObserver(apply);
    observer.observe(root, { childList: true, subtree: true });
    fitCharts(root);
  };
  requestAnimationFrame(attach);
  return () => { if (observer) observer.disconnect(); };
}
export default { render };
""".replace("__BUTTONS__", json.dumps(list(PLAY_BUTTONS)))


class ControlNames(anywidget.AnyWidget):
    """The hidden helper (see the module docstring)."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)


def caption(text: str):
    """A visible caption for the chart or map before it: its text alternative (the helper links them)."""
    import html

    import ipywidgets as w

    box = w.HTML(f"<p style='margin:.2em 0 .8em;color:#333;font-size:.9em'>{html.escape(text)}</p>")
    box.add_class("aireg-caption")
    return box


def name_controls(box):
    """Append the helper to ``box`` (an ipywidgets Box with the ``aireg`` class); returns ``box``."""
    box.children = (*box.children, ControlNames())
    return box
