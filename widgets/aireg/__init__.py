"""aireg: the library behind the AI-regulation teaching kit.

Notebooks narrate; this package computes. Start a lesson with::

    import aireg
    aireg.setup()                 # offline plotting assets + the kit's theme
    aireg.setup(projector=True)   # the same, in large type and high contrast for a projector
"""

from __future__ import annotations

__version__ = "0.1.0"

from .data import (  # noqa: E402
    DataError,
    case_info,
    cases,
    day_zero,
    load_company_figures,
    load_evidence,
    load_geometry,
    load_jurisdictions,
    load_penalty_regimes,
    load_responses,
    load_timeline,
)
from .theme import projector, use_projector  # noqa: E402

__all__ = [
    "DataError",
    "case_info",
    "cases",
    "day_zero",
    "load_company_figures",
    "load_evidence",
    "load_geometry",
    "load_jurisdictions",
    "load_penalty_regimes",
    "load_responses",
    "load_timeline",
    "projector",
    "setup",
    "use_projector",
]


def setup(projector: bool = False, display: bool = True, tables: bool = True, case: str | None = None) -> str | None:
    """Prepare a notebook: the kit's plot theme, offline world topojson for plotly, static plot fallbacks, and
    the "data verified to" line (computed from the data by :func:`aireg.sources.currency_banner`).

    ``case`` names the case whose "data verified to" line is shown (default: the Grok case, ``grok-2026``;
    ``aireg.cases()`` lists them).
    ``projector=True`` switches plots, maps and widgets to large type and high contrast. ``tables=True`` (the
    default) shows every DataFrame and Series as a table for people (:func:`aireg.tables.people_table`: plain
    headers, dates and money written out, no ``NaT`` or index column); ``tables=False`` keeps pandas' own. With
    ``display=False`` nothing is shown and the HTML (a ``<script>`` handing plotly the vendored topojson,
    and the widget CSS) is returned instead, e.g. for a static export.
    """
    import plotly.io as pio

    from .offline import plotly_geo_script, register_plotly_renderer
    from .sources import currency_banner
    from .tables import use_people_tables
    from .theme import widget_css

    use_projector(projector)
    use_people_tables(tables)
    banner = currency_banner(case) if case else currency_banner()
    # The mimetype renders live in JupyterLab/Voila; "notebook" also saves an inline-plotly.js HTML copy,
    # so figures stay visible in exported HTML, slides and nbgrader feedback (no CDN involved).
    pio.renderers.default = register_plotly_renderer()
    # what the audience sees: the data's currency, no developer status (a hidden marker says setup ran)
    ready = f'<span class="aireg-ready" data-version="{__version__}" data-projector="{str(projector).lower()}" hidden></span>'
    if not display:  # a static export holds one notebook: the projector style may apply to the whole page
        return (plotly_geo_script() + (f"<style>{widget_css()}</style>" if projector else "") + ready
                + banner)
    from IPython.display import HTML
    from IPython.display import display as show

    from .theme import projector_style

    show(HTML(plotly_geo_script() + ready + banner))
    style = projector_style(projector)  # live and scoped to this notebook; undone by setup(projector=False)
    if style is not None:
        show(style)
    return None
