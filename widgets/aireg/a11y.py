"""Accessible names for the controls ipywidgets draws without one.

ipywidgets renders a slider's handle (``.noUi-handle``, ``role="slider"``) without a name linked to its label, and
the Play control as icon-only buttons: a screen reader announces "slider" and "button", and axe-core reports
``aria-input-field-name`` (serious) and ``button-name`` (critical). :func:`name_controls` adds a hidden helper
(an anywidget: a few lines of JavaScript shipped with the kit, nothing loaded from the network) to a kit widget.
When shown, it names every slider handle after its label and every Play button after what it does, inside that
widget only, and again whenever ipywidgets redraws.
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
function render({ el }) {
  el.style.display = 'none';
  let root = null;
  let observer = null;
  const attach = () => {
    root = el.closest('.aireg') || el.parentElement;
    if (!root) { requestAnimationFrame(attach); return; }
    nameControls(root);
    observer = new MutationObserver(() => nameControls(root));
    observer.observe(root, { childList: true, subtree: true });
  };
  requestAnimationFrame(attach);
  return () => { if (observer) observer.disconnect(); };
}
export default { render };
""".replace("__BUTTONS__", json.dumps(list(PLAY_BUTTONS)))


class ControlNames(anywidget.AnyWidget):
    """The hidden helper (see the module docstring)."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)


def name_controls(box):
    """Append the helper to ``box`` (an ipywidgets Box with the ``aireg`` class); returns ``box``."""
    box.children = (*box.children, ControlNames())
    return box
