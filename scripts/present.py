"""Serve the lesson explorers as Voila dashboards for a workshop: no code shown, large type, offline.

What ``make present`` runs. With no argument it serves ``lessons/dashboards/`` (a list of dashboards to
pick from); with a name it serves that one dashboard::

    python scripts/present.py                       # http://127.0.0.1:8866/
    python scripts/present.py responses-map --port 8870
    make present PRESENT_ARGS="dsa-enforcement"

Any further ``--Key=value`` arguments go to ``voila``. The dashboards call ``aireg.setup(projector=True)``
(large type, high contrast) and only the kit's explorer builders.

Offline: Voila 0.5's own "lab" template links Font Awesome from cdn.jsdelivr.net. This script serves an
"aireg" template instead, identical to "lab" except that those ``<link>`` tags are gone (the kit's widgets
need no Font Awesome; the dashboard list loses its file icons, nothing else). The template is written to a
temporary Jupyter data folder put first on ``JUPYTER_PATH`` for the Voila process only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DASHBOARDS = ROOT / "lessons" / "dashboards"
TEMPLATE = "aireg"

# voila/templates/lab/index.html.j2's notebook_css block without its two Font Awesome CDN links;
# super.super() renders nbconvert's lab block underneath, exactly as Voila's own super() call would.
INDEX = """{%- extends 'lab/index.html.j2' -%}
{%- block notebook_css -%}
  {% if frontend == "voila" %}
    {{ resources.include_js("static/voila-style.js") }}
  {% endif %}
  {{ spinner.css() }}
  <style>
    .jp-mod-noOutputs.jp-mod-noInput { display: none; }
  </style>
{% if resources.show_margins %}
  <style>
    body { background: var(--jp-layout-color1); }
    #rendered_cells { padding-left: calc(calc(100% - 1200px) * 0.5);
                      padding-right: calc(calc(100% - 1200px - 20px) * 0.5); }
    #rendered_cells > div { background: var(--jp-layout-color0); padding: 6ex 12ex 8ex 12ex;
                            border-radius: var(--jp-border-radius); box-shadow: var(--jp-elevation-z4); }
  </style>
{% endif %}
  {{ super.super() }}
{%- endblock notebook_css -%}
"""

# voila/templates/base/page.html (used by the tree page) without its Font Awesome 4 CDN link.
PAGE = """<!DOCTYPE HTML>
<html>
  <head>
    <meta charset="utf-8">
    <title>{% block title %} Voilà {% endblock %}</title>
    <meta http-equiv="X-UA-Compatible" content="IE=edge" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    {% block stylesheets %}{% endblock %}
    {% block meta %}{% endblock %}
  </head>
  <body data-base-url="{{ base_url }}voila/" data-voila="voila">
    <noscript><div id='noscript'>Voilà requires JavaScript. Please enable it to proceed.</div></noscript>
    <div>{% block body %}{% endblock %}</div>
    {% block scripts %}{% endblock %}
  </body>
</html>
"""


def dashboard_cards() -> list[tuple[str, str, str]]:
    """(file name, title, first sentence) of each dashboard, from its own opening markdown cell."""
    import re

    import nbformat

    cards = []
    for path in dashboards():
        nb = nbformat.read(path, as_version=4)
        text = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        title = lines[0].lstrip("# ").strip() if lines else path.stem.replace("-", " ")
        rest = " ".join(lines[1:])
        first = re.split(r"(?<=[.!?])\s", re.sub(r"[*_`]", "", rest), maxsplit=1)[0] if rest else ""
        cards.append((path.name, title, first))
    return cards


def landing_page() -> str:
    """The dashboard list a workshop audience sees first: the kit's title, one card per dashboard (its own title
    and first sentence), large type, keyboard focus visible, no file names or tool names, nothing online."""
    import html

    cards = "".join(
        f"<li><a href='{{{{ base_url }}}}voila/render/{html.escape(name)}'><span class='t'>{html.escape(title)}</span>"
        f"<span class='d'>{html.escape(first)}</span></a></li>" for name, title, first in dashboard_cards())
    return f"""<!DOCTYPE HTML>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>AI regulation case studies: the Grok case, dashboards</title>
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <style>
      body {{ margin: 0; background: #f4f6f8; color: #111; font: 22px/1.4 "DejaVu Sans", Arial, sans-serif; }}
      main {{ max-width: 60em; margin: 0 auto; padding: 2.5em 1.5em; }}
      h1 {{ font-size: 1.8em; margin: 0 0 .2em; }}
      p.lead {{ margin: 0 0 1.4em; color: #333; }}
      ul {{ list-style: none; margin: 0; padding: 0; display: grid; gap: .8em; }}
      a {{ display: block; padding: .9em 1.1em; background: #fff; border: 2px solid #0072B2; border-radius: 8px;
           color: #111; text-decoration: none; }}
      a:hover {{ background: #eaf4fb; }}
      a:focus {{ outline: 4px solid #D55E00; outline-offset: 2px; }}
      .t {{ display: block; font-weight: bold; color: #0b4f7c; }}
      .d {{ display: block; font-size: .85em; color: #333; margin-top: .2em; }}
    </style>
  </head>
  <body data-base-url="{{{{ base_url }}}}voila/" data-voila="voila">
    <main>
      <h1>AI regulation case studies: the Grok case</h1>
      <p class="lead">Interactive dashboards for the lecture hall. Choose one; each works with the mouse and the
      keyboard, and none needs the internet.</p>
      <ul>{cards}</ul>
    </main>
  </body>
</html>
"""


def write_template(data_dir: Path) -> Path:
    """Write the offline "aireg" Voila template (based on "lab") under ``<data_dir>/voila/templates/``."""
    folder = data_dir / "voila" / "templates" / TEMPLATE
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.json").write_text(json.dumps({"base_template": "lab"}) + "\n")
    (folder / "index.html.j2").write_text(INDEX)
    (folder / "page.html").write_text(PAGE)
    for tree in ("tree.html", "tree-lab.html"):  # Voila 0.5 serves tree-lab.html unless --classic_tree
        (folder / tree).write_text(landing_page())
    return folder


def dashboards() -> list[Path]:
    return sorted(DASHBOARDS.glob("*.ipynb"))


def target_for(name: str | None) -> Path:
    """The notebook (or the dashboards folder) to serve; a clear message for an unknown name."""
    if not name:
        return DASHBOARDS
    path = DASHBOARDS / (name if name.endswith(".ipynb") else f"{name}.ipynb")
    if not path.exists():
        known = ", ".join(p.stem for p in dashboards()) or "none"
        raise SystemExit(f"no dashboard {name!r} in {DASHBOARDS.relative_to(ROOT)} (available: {known})")
    return path


def command(target: Path, port: int, extra: list[str]) -> list[str]:
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or "voila"
    return [
        voila, str(target), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
        f"--template={TEMPLATE}", "--theme=light", "--strip_sources=True",
        *extra,
    ]


def environment(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(data_dir), env.get("JUPYTER_PATH", "")) if p)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dashboard", nargs="?", help="dashboard name in lessons/dashboards/ (default: all, as a list)")
    ap.add_argument("--port", type=int, default=8866)
    args, extra = ap.parse_known_args(argv)
    target = target_for(args.dashboard)
    data_dir = Path(tempfile.mkdtemp(prefix="aireg-voila-"))
    write_template(data_dir)
    cmd = command(target, args.port, extra)
    print(f"serving {target.relative_to(ROOT)} at http://127.0.0.1:{args.port}/ (Ctrl-C to stop)", flush=True)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=environment(data_dir))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
