"""Accessible plotting helpers shared by the apps and the notebooks.

* A colour-blind-safe palette (Okabe & Ito, "Color Universal Design", 2008) and a matching list of distinct
  line styles, so that no curve is told apart by colour alone.
* Axis-label helpers that always carry a unit ("Time (h)", "Plasma concentration (mg/L)").
* :func:`new_figure`: a matplotlib :class:`~matplotlib.figure.Figure` created *without* pyplot, drawn either
  by a live ipympl canvas (an ipywidget) or by a plain Agg canvas. Notebooks never call ``%matplotlib``.
* :class:`StaticFigure` / :func:`static_figure`: a figure rendered once as a PNG with alt text plus its key
  numbers as text, for GitHub, nbviewer, a built site, screen readers and nbval (no browser needed).

Educational model, not dosing advice.
"""

from __future__ import annotations

import base64
import html
import io
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = [
    "OKABE_ITO",
    "PALETTE",
    "LINESTYLES",
    "RANGE_FILL",
    "line_style",
    "axis_label",
    "TIME_H",
    "TIME_DAYS",
    "PLASMA_MG_PER_L",
    "CSF_MG_PER_L",
    "AMOUNT_MG",
    "set_time_axis",
    "set_concentration_axis",
    "new_figure",
    "figure_png",
    "StaticFigure",
    "static_figure",
    "curves_figure",
]

#: The eight Okabe-Ito colours (hex), safe for the common colour-vision deficiencies.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Order in which series get their colours (yellow last: low contrast on white).
PALETTE: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
)

#: Distinct line styles, paired index by index with :data:`PALETTE`.
LINESTYLES: tuple[Any, ...] = (
    "-",
    "--",
    "-.",
    ":",
    (0, (5, 1, 1, 1, 1, 1)),
    (0, (1, 1)),
    (0, (8, 3)),
    (0, (3, 1, 1, 1)),
)

#: Fill used for a reference range (e.g. the plasma reference range): light green plus a hatch, so that it
#: is
#: visible without colour vision and in greyscale print.
RANGE_FILL: dict[str, Any] = {
    "facecolor": OKABE_ITO["bluish_green"],
    "alpha": 0.15,
    "hatch": "//",
    "edgecolor": OKABE_ITO["bluish_green"],
    "linewidth": 0.0,
}


def line_style(index: int) -> dict[str, Any]:
    """Colour, line style and width of series number ``index`` (cycles after 8 series)."""
    i = index % len(PALETTE)
    return {"color": PALETTE[i], "linestyle": LINESTYLES[i], "linewidth": 2.0}


def axis_label(quantity: str, unit: str) -> str:
    """An axis label that always carries its unit, e.g. ``axis_label("Time", "h") == "Time (h)"``.

    Raises ``ValueError`` if the unit is empty: every axis has a unit (use ``"1"`` or ``"%"`` for ratios).
    """
    if not unit or not unit.strip():
        raise ValueError(f"axis_label: unit for {quantity!r} is empty; every axis needs a unit")
    return f"{quantity} ({unit})"


TIME_H = axis_label("Time after the first dose", "h")
TIME_DAYS = axis_label("Time", "days")
PLASMA_MG_PER_L = axis_label("Plasma concentration", "mg/L")
CSF_MG_PER_L = axis_label("CSF concentration", "mg/L")
AMOUNT_MG = axis_label("Amount", "mg")


def set_time_axis(ax: Axes, unit: str = "h", quantity: str = "Time after the first dose") -> None:
    """Label the x axis of ``ax`` as time with its unit."""
    ax.set_xlabel(axis_label(quantity, unit))


def set_concentration_axis(
    ax: Axes, compartment: str = "Plasma", unit: str = "mg/L", log: bool = False
) -> None:
    """Label the y axis of ``ax`` as a concentration with its unit; optionally a log scale."""
    ax.set_ylabel(axis_label(f"{compartment} concentration", unit))
    if log:
        ax.set_yscale("log")


def _import_ipympl_keeping_backend() -> None:
    """Import ipympl without switching the notebook's matplotlib backend.

    Importing ``ipympl`` runs ``matplotlib.use("module://ipympl.backend_nbagg")`` when matplotlib is already
    imported, which would turn every later ``plt.plot`` in the notebook into a live widget. The apps only need
    ipympl's canvas class, so the previous backend is put back.
    """
    import sys

    import matplotlib

    if "ipympl.backend_nbagg" in sys.modules:
        return
    before = dict.__getitem__(matplotlib.rcParams, "backend")
    import ipympl.backend_nbagg  # noqa: F401  (the import is the point)

    if dict.__getitem__(matplotlib.rcParams, "backend") == before:
        return
    if "matplotlib.pyplot" in sys.modules and isinstance(before, str):
        matplotlib.use(before)  # also switches pyplot back
    else:
        dict.__setitem__(matplotlib.rcParams, "backend", before)


def new_figure(
    width_in: float = 9.0,
    height_in: float = 3.6,
    *,
    interactive: bool = False,
    dpi: float = 100.0,
) -> Figure:
    """A figure built without pyplot (no global backend change, nothing leaks into other cells).

    ``interactive=True`` attaches an ipympl canvas, which is an ipywidget: updates are sent to the browser as
    image diffs after ``figure.canvas.draw_idle()``. Otherwise a plain Agg canvas is attached (static PNGs).
    """
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, layout="constrained")
    if interactive:
        _import_ipympl_keeping_backend()
        from ipympl.backend_nbagg import Canvas, FigureManager

        with warnings.catch_warnings():
            # ipympl 0.10's Toolbar passes the canvas on to traitlets, which warns (DeprecationWarning,
            # harmless;
            # ipympl's own code, not ours). Silence only that message so that it never reaches a student.
            warnings.filterwarnings(
                "ignore", message="Passing unrecognized arguments", category=DeprecationWarning
            )
            canvas = Canvas(fig)
            FigureManager(canvas, id(fig))
        canvas.header_visible = False
        canvas.footer_visible = False
        canvas.resizable = False
        canvas.toolbar_position = "right"
    else:
        FigureCanvasAgg(fig)
    return fig


def figure_png(fig: Figure, dpi: float | None = None) -> bytes:
    """Render ``fig`` to PNG bytes with an Agg canvas, without changing the figure's own canvas."""
    buf = io.BytesIO()
    original = fig.canvas
    try:
        FigureCanvasAgg(fig).print_figure(buf, format="png", dpi=dpi or fig.dpi)
    finally:
        fig.set_canvas(original)
    return buf.getvalue()


@dataclass
class StaticFigure:
    """A PNG with alt text plus its key numbers as text.

    Displays as HTML (``<img alt=...>`` data URI, a caption and a list of the key numbers) and, where HTML
    is not
    rendered (terminals, nbval text comparison, screen readers reading plain output), as plain text that
    carries the same key numbers.
    """

    png: bytes
    alt: str
    key_numbers: Mapping[str, str] = field(default_factory=dict)
    title: str = ""
    notes: Sequence[str] = ()

    def text(self) -> str:
        """Plain-text version: title, key numbers one per line, notes."""
        lines = [self.title] if self.title else []
        lines += [f"- {k}: {v}" for k, v in self.key_numbers.items()]
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def html(self) -> str:
        """HTML version: image with alt text, then the key numbers as a definition list."""
        b64 = base64.b64encode(self.png).decode("ascii")
        esc = html.escape
        parts = ['<figure style="margin:0">']
        parts.append(
            f'<img src="data:image/png;base64,{b64}" alt="{esc(self.alt, quote=True)}" '
            'style="max-width:100%;height:auto"/>'
        )
        if self.title:
            parts.append(f"<figcaption><strong>{esc(self.title)}</strong></figcaption>")
        parts.append("</figure>")
        if self.key_numbers:
            parts.append("<p><strong>Key numbers</strong></p><ul>")
            parts += [f"<li>{esc(k)}: {esc(v)}</li>" for k, v in self.key_numbers.items()]
            parts.append("</ul>")
        if self.notes:
            parts += [f"<p><em>{esc(n)}</em></p>" for n in self.notes]
        return "\n".join(parts)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.html(), "text/plain": self.text()}

    def __repr__(self) -> str:
        return self.text()


def outside_legend(fig: Figure, n_entries: int, max_cols: int = 3, fontsize: float = 9) -> Any:
    """A figure legend above the axes with as many columns (at most ``max_cols``) as fit the figure's width.

    Three columns of long labels were wider than the figure, and the PNG cut the legend off at its edges
    ("Marsot 2013 [6"); fewer columns make it taller instead, and the constrained layout makes room.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    original = fig.canvas
    renderer = FigureCanvasAgg(fig).get_renderer()
    try:
        for ncols in range(max(1, min(max_cols, n_entries)), 0, -1):
            leg = fig.legend(loc="outside upper center", ncols=ncols, fontsize=fontsize)
            if ncols == 1 or leg.get_window_extent(renderer).width <= 0.98 * fig.bbox.width:
                return leg
            leg.remove()
    finally:
        fig.set_canvas(original)
    return None


def clipped_artists(fig: Figure, tolerance_px: float = 1.0) -> list[str]:
    """Legends, axes (with their tick labels, axis labels and titles) and figure texts that reach outside
    the figure, measured on an Agg render of ``fig`` (matplotlib's tight bounding boxes, which count only
    what is drawn): what a saved PNG would cut off. Empty when everything is inside."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    original = fig.canvas
    canvas = FigureCanvasAgg(fig)
    try:
        canvas.draw()
        renderer = canvas.get_renderer()
        box = fig.bbox
        parts: list[tuple[str, Any]] = [(f"legend {i + 1}", leg) for i, leg in enumerate(fig.legends)]
        for k, ax in enumerate(fig.axes):
            if not ax.get_visible():
                continue
            title = ax.get_title() or ax.get_ylabel() or f"axes {k + 1}"
            parts.append((f"axes {title!r}", ax))
            if ax.get_legend() is not None:
                parts.append((f"legend of {title!r}", ax.get_legend()))
        parts += [
            (f"text {t.get_text()!r}", t) for t in fig.texts if t.get_visible() and t.get_text().strip()
        ]
        out = []
        for name, artist in parts:
            ext = artist.get_tightbbox(renderer) if hasattr(artist, "get_tightbbox") else None
            if ext is None:
                ext = artist.get_window_extent(renderer)
            if (
                ext.x0 < box.x0 - tolerance_px
                or ext.y0 < box.y0 - tolerance_px
                or ext.x1 > box.x1 + tolerance_px
                or ext.y1 > box.y1 + tolerance_px
            ):
                out.append(
                    f"{name} spans x {ext.x0:.0f}..{ext.x1:.0f}, y {ext.y0:.0f}..{ext.y1:.0f} px, outside "
                    f"the {box.width:.0f} x {box.height:.0f} px figure"
                )
        return out
    finally:
        fig.set_canvas(original)


def static_figure(
    fig: Figure,
    alt: str,
    key_numbers: Mapping[str, str] | None = None,
    title: str = "",
    notes: Sequence[str] = (),
    dpi: float | None = None,
) -> StaticFigure:
    """Render ``fig`` once as a :class:`StaticFigure` (PNG + alt text + key numbers as text)."""
    if not alt or not alt.strip():
        raise ValueError("static_figure: alt text is required (describe what the figure shows)")
    return StaticFigure(figure_png(fig, dpi=dpi), alt, dict(key_numbers or {}), title, tuple(notes))


def curves_figure(
    curves: Mapping[str, tuple[Any, Any]],
    *,
    alt: str,
    points: Mapping[str, tuple[Any, Any]] | None = None,
    x_label: tuple[str, str] = ("Time after the dose", "h"),
    y_label: tuple[str, str] = ("Plasma concentration", "mg/L"),
    log_y: bool = False,
    hline: tuple[float, str] | None = None,
    band: tuple[float, float, str] | None = None,
    x_step: float | None = None,
    y_step: float | None = None,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    size: tuple[float, float] = (8.0, 3.6),
    legend_loc: str = "outside",
    key_numbers: Mapping[str, str] | None = None,
    title: str = "",
    notes: Sequence[str] = (),
) -> StaticFigure:
    """A static line figure in one call: one line per entry of ``curves`` (label -> (x, y)), drawn with
    :func:`line_style` in order, optional measured ``points`` (markers), a dotted reference line ``hline``
    (value, label), a :data:`RANGE_FILL` ``band`` (lo, hi, label), axis labels with units
    (:func:`axis_label`), optional grid/tick spacing ``x_step``/``y_step`` for read-off exercises.

    The legend goes above the axes (``legend_loc="outside"``), so it never hides a curve; any matplotlib
    ``loc`` (e.g. ``"upper right"``) puts it inside instead. Returns a :class:`StaticFigure` (PNG with
    ``alt`` text, plus ``key_numbers`` as text).
    """
    import numpy as np
    from matplotlib.ticker import MultipleLocator

    if not curves and not points:
        raise ValueError("curves_figure: give at least one curve or set of points")
    fig = new_figure(*size)
    ax = fig.subplots()
    if band is not None:
        lo, hi, band_label = band
        ax.axhspan(lo, hi, label=band_label, **RANGE_FILL)
    for i, (label, (x, y)) in enumerate((points or {}).items()):
        ax.plot(
            np.asarray(x, float),
            np.asarray(y, float),
            linestyle="none",
            marker="os^Dv"[i % 5],
            markersize=5,
            color=OKABE_ITO["black"],
            label=label,
        )
    for i, (label, (x, y)) in enumerate(curves.items()):
        ax.plot(np.asarray(x, float), np.asarray(y, float), label=label, **line_style(i))
    if hline is not None:
        value, hline_label = hline
        ax.axhline(value, color=OKABE_ITO["black"], linestyle=":", linewidth=1.5, label=hline_label)
    ax.set_xlabel(axis_label(*x_label))
    ax.set_ylabel(axis_label(*y_label))
    if log_y:
        ax.set_yscale("log")
    if xlim is not None:
        ax.set_xlim(*xlim)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if x_step:
        ax.xaxis.set_major_locator(MultipleLocator(x_step))
    if y_step and not log_y:
        ax.yaxis.set_major_locator(MultipleLocator(y_step))
    ax.grid(True, which="major", alpha=0.35)
    n_entries = len(curves) + len(points or {}) + (hline is not None) + (band is not None)
    if legend_loc == "outside":
        outside_legend(fig, n_entries)
    else:
        ax.legend(loc=legend_loc, fontsize=9)
    return static_figure(fig, alt, key_numbers, title=title, notes=notes)
