"""A map that moves to another date in place: the frame is built once, later states restyle its layers.

The explorer's Play button used to rebuild the whole self-contained map (about 560 KB of HTML) for every date: the
frame reloaded, the map flickered and lagged the slider. :class:`LiveMap` (an anywidget: a few lines of JavaScript
shipped with the kit, nothing from the network) shows one map document (``doc``, from
``aireg.maps.response_map(..., live=True)``) and posts each new ``state`` (``aireg.maps.map_state``) to it; the
map's own script changes colours, popups, tooltips and the legend of the layers already drawn.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = r"""
function render({ model, el }) {
  const frame = document.createElement('iframe');
  frame.setAttribute('loading', 'eager');
  frame.style.width = '100%';
  frame.style.border = '1px solid #999';
  const box = document.createElement('div');
  box.className = 'aireg-frame';
  box.appendChild(frame);
  el.appendChild(box);
  let ready = false;
  const post = () => {
    if (ready && frame.contentWindow) frame.contentWindow.postMessage({airegRestyle: model.get('state')}, '*');
  };
  const load = () => {
    ready = false;
    frame.title = model.get('title');
    frame.style.height = model.get('height') + 'px';
    frame.srcdoc = model.get('doc');
  };
  frame.addEventListener('load', () => { ready = true; post(); });
  model.on('change:doc', load);
  model.on('change:state', post);
  model.on('change:title', () => { frame.title = model.get('title'); });
  model.on('change:height', () => { frame.style.height = model.get('height') + 'px'; });
  load();
}
export default { render };
"""


class LiveMap(anywidget.AnyWidget):
    """One map document (``doc``) and the state it shows (``state``: posted to the map, which restyles in place).

    ``reloads`` counts how often the document itself was replaced (a rebuild); state changes do not count.
    """

    _esm = _ESM
    doc = traitlets.Unicode("").tag(sync=True)
    state = traitlets.Dict({}).tag(sync=True)
    title = traitlets.Unicode("Map").tag(sync=True)
    height = traitlets.Int(460).tag(sync=True)
    reloads = traitlets.Int(0)

    @traitlets.observe("doc")
    def _count_reload(self, change) -> None:
        if change["old"]:
            self.reloads += 1
