"""Shared machinery of the widget apps: controls, one live figure updated in place, text readouts, static
view.

Subclasses implement four hooks:

* ``_make_controls()`` -> ordered dict name -> ipywidget (labels carry units, sane bounds);
* ``_build(fig)`` -> create the axes and artists once;
* ``_compute()`` -> run the model for the current control values (may raise ``ValueError`` for bad input);
* ``_apply(result)`` -> change artist data in place and return ``(readouts, numbers)``.

Everything a student can do (move a control, call :meth:`BaseApp.set`) goes through :meth:`BaseApp._refresh`,
which never lets an exception escape into the notebook: the message is shown in the ``status`` readout
instead.

Educational model, not dosing advice.
"""

from __future__ import annotations

import html
import math
import threading
from collections.abc import Mapping
from typing import Any, ClassVar

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from baclofen_teach import plotting

__all__ = [
    "BaseApp",
    "DISCLAIMER",
    "nice_ceiling",
    "decade_floor",
    "decade_ceiling",
    "slider",
    "int_slider",
    "log_slider",
    "dropdown",
    "checkbox",
]

DISCLAIMER = "Educational model, not dosing advice."

_CONTROL_LAYOUT = {"width": "440px"}

#: Page styles of every app (scoped to ``.bt-app``), sent once in the app's heading:
#:
#: * the live figure shrinks to the width of its output area and keeps its aspect ratio (a 900-950 px
#:   figure in the 850 px JupyterLab output area of a 1280 px laptop screen was clipped on the right, legend
#:   and right panel cut off); it is never enlarged;
#: * a clearly visible focus outline on slider handles, menus, checkboxes and the figure description, for
#:   keyboard users (ipywidgets only recolours a focused slider handle);
#: * ipympl's mouse overlay canvas is hidden: the front end switches ``resizable`` back on, which drew a grey
#:   drag-to-resize corner over the figure (dragging it would resize the figure away from the page layout);
#: * long readouts and the management table wrap instead of widening the page.
APP_CSS = """
.bt-app { max-width: 100%; min-width: 0; }
.bt-app .jupyter-matplotlib, .bt-app .jupyter-matplotlib-figure,
.bt-app .jupyter-matplotlib-canvas-container, .bt-app .jupyter-matplotlib-canvas-div {
  max-width: 100%; min-width: 0;
}
.bt-app .jupyter-matplotlib-canvas-div { margin: 2px 0; }
.bt-app .jupyter-matplotlib-canvas-div { height: auto !important; }
.bt-app .jupyter-matplotlib-canvas-div > canvas:first-child {
  position: relative !important; max-width: 100%; height: auto !important;
}
.bt-app .jupyter-matplotlib-canvas-div > canvas + canvas {
  width: 100% !important; height: 100% !important; visibility: hidden;
}
.bt-app .noUi-handle:focus, .bt-app .noUi-handle:focus-visible,
.bt-app select:focus-visible, .bt-app input:focus-visible, .bt-app summary:focus-visible {
  outline: 3px solid #0072B2 !important; outline-offset: 2px;
}
.bt-app .bt-readouts, .bt-app .bt-management { overflow-wrap: break-word; max-width: 100%; }
.bt-app .bt-management td:first-child + td { white-space: nowrap; }
.bt-app .bt-management td:last-child { overflow-wrap: anywhere; }
.bt-app .bt-management th, .bt-app .bt-management td {
  text-align: left; vertical-align: top; padding: 2px 8px 2px 0; border-bottom: 1px solid #ddd;
}
"""
_STYLE = {"description_width": "initial"}
_BOLD_READOUT_MAX_CHARS = 160


def slider(
    description: str,
    value: float,
    lo: float,
    hi: float,
    step: float,
    *,
    fmt: str = ".1f",
    continuous: bool = True,
) -> W.FloatSlider:
    """A keyboard-operable float slider whose label (with its unit) is never truncated."""
    return W.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        readout_format=fmt,
        continuous_update=continuous,
        style=_STYLE,
        layout=W.Layout(**_CONTROL_LAYOUT),
    )


def int_slider(
    description: str, value: int, lo: int, hi: int, step: int = 1, *, continuous: bool = True
) -> W.IntSlider:
    """A keyboard-operable integer slider with an untruncated label."""
    return W.IntSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=continuous,
        style=_STYLE,
        layout=W.Layout(**_CONTROL_LAYOUT),
    )


def log_slider(
    description: str,
    value: float,
    lo: float,
    hi: float,
    *,
    steps_per_decade: int = 10,
    fmt: str = ".3g",
    continuous: bool = True,
) -> W.FloatLogSlider:
    """A logarithmic slider from ``lo`` to ``hi`` (both > 0); arrow keys move one step of
    1/steps_per_decade."""
    return W.FloatLogSlider(
        value=value,
        base=10,
        min=math.log10(lo),
        max=math.log10(hi),
        step=1.0 / steps_per_decade,
        description=description,
        readout_format=fmt,
        continuous_update=continuous,
        style=_STYLE,
        layout=W.Layout(**_CONTROL_LAYOUT),
    )


def dropdown(description: str, options: Any, value: Any) -> W.Dropdown:
    """A labelled dropdown (keyboard: Tab to focus, arrow keys to choose)."""
    return W.Dropdown(
        options=options,
        value=value,
        description=description,
        style=_STYLE,
        layout=W.Layout(**_CONTROL_LAYOUT),
    )


def checkbox(description: str, value: bool) -> W.Checkbox:
    """A labelled checkbox (keyboard: Tab to focus, Space to toggle)."""
    return W.Checkbox(
        value=value, description=description, indent=False, style=_STYLE, layout=W.Layout(width="440px")
    )


_NICE_STEPS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
_COARSE_STEPS = (1.0, 2.0, 5.0, 10.0)


def nice_ceiling(x: float, coarse: bool = False) -> float:
    """Smallest "nice" number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) >= ``x`` (> 0).

    Used for axis limits, so that they change in visible steps rather than on every slider step (which keeps
    the cached background valid and updates cheap). ``coarse=True`` uses 1, 2, 5 times a power of ten.
    """
    if not x > 0 or not math.isfinite(x):
        return 1.0
    exp = math.floor(math.log10(x))
    base = 10.0**exp
    for step in _COARSE_STEPS if coarse else _NICE_STEPS:
        if step * base >= x * (1 - 1e-12):
            return step * base
    return 10.0 * base


def decade_floor(x: float) -> float:
    """Largest power of ten <= ``x`` (> 0)."""
    return 10.0 ** math.floor(math.log10(x)) if x > 0 and math.isfinite(x) else 1e-6


def decade_ceiling(x: float) -> float:
    """Smallest power of ten >= ``x`` (> 0)."""
    return 10.0 ** math.ceil(math.log10(x)) if x > 0 and math.isfinite(x) else 1.0


def flag_text(flags: list[str]) -> str:
    """Engine/scenario flags as one readable sentence each: "Flag: ... ." (duplicates dropped)."""
    out = []
    for f in dict.fromkeys(flags):
        f = f.strip()
        if not f:
            continue
        out.append(f if f.endswith((".", "!")) else f + ".")
    return " ".join(f"Flag: {f}" for f in out)


def _bounds(widget: W.Widget) -> tuple[float, float] | None:
    """The (min, max) allowed by a numeric widget, in the widget's value units."""
    if isinstance(widget, W.FloatLogSlider):
        return widget.base**widget.min, widget.base**widget.max
    if hasattr(widget, "min") and hasattr(widget, "max"):
        return widget.min, widget.max
    return None


def _snap(widget: W.Widget, value: float) -> float:
    """``value`` rounded to the slider's step grid, as the browser's slider does (half up, from ``min``).

    A slider shown in a browser snaps an off-grid value and sends it back to the kernel; snapping here first
    keeps the kernel's numbers and the page identical.
    """
    step = getattr(widget, "step", None)
    if not step or not isinstance(widget, W.FloatSlider | W.FloatLogSlider):
        return value
    if isinstance(widget, W.FloatLogSlider):
        exp = math.log(value, widget.base)
        k = math.floor((exp - widget.min) / step + 0.5)
        snapped = widget.base ** min(widget.min + k * step, widget.max)
        return float(f"{snapped:.12g}")
    k = math.floor((value - widget.min) / step + 0.5)
    return float(f"{min(widget.min + k * step, widget.max):.12g}")


#: A slider keeps at least this much room for its track and readout next to its (never truncated) label.
_MIN_TRACK_AND_READOUT_PX = 270
_LABEL_PX_PER_CHAR = 7.5  # the 13 px widget font, generous


def _widen_for_labels(widgets: Any) -> None:
    """Give the sliders of an app one common row width that leaves every track long enough to drag (a
    46-character label left a 35 px track in a 440 px row), so their readouts also line up; a row never gets
    wider than its container. Labels stay untruncated (description_width "initial")."""
    sliders = [w for w in widgets if isinstance(w, W.FloatSlider | W.IntSlider | W.FloatLogSlider)]
    if not sliders:
        return
    need = max(round(_LABEL_PX_PER_CHAR * len(w.description)) + _MIN_TRACK_AND_READOUT_PX for w in sliders)
    width = max(need, int(_CONTROL_LAYOUT["width"].removesuffix("px")))
    for w in sliders:
        w.layout.width = f"{width}px"
        w.layout.max_width = "calc(100% - 4px)"  # the widget margin is 2 px each side


def _short(value: Any) -> str:
    """``repr(value)``, cut to 40 characters (a 400-digit integer in a status line helps nobody)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:30] + "..." + text[-6:]


def _as_number(value: Any) -> float | None:
    """``value`` as a float if it is a real number (int, float, numpy integer or floating scalar, 0-d
    numeric array), else None: text, booleans, complex numbers, lists and None are not numbers (as for
    every function of the package, see baclofen_teach.validation)."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    try:
        return float(value)
    except OverflowError:  # an int beyond the float range
        return math.inf if value > 0 else -math.inf


def _unit_of(widget: W.Widget) -> str:
    """The unit in parentheses at the end of a control's description, if any."""
    d = getattr(widget, "description", "")
    if d.endswith(")") and "(" in d:
        return d[d.rindex("(") + 1 : -1]
    return ""


class BaseApp:
    """Base class of every app. Public contract (docs/developers.md, "Widget apps"):

    ``controls`` (dict name -> widget), ``figure`` (matplotlib Figure, created once), ``readouts``
    (dict name -> str), ``set(**values)``, ``static()``; displaying the app shows the live widget.

    Extras: ``numbers`` (dict name -> float, the values behind the readouts, in the units named by the key),
    ``artists`` (dict name -> matplotlib artist updated in place) and ``widget`` (the root ipywidget).
    """

    #: Short title shown above the controls and used as the static figure's caption.
    title: ClassVar[str] = ""
    #: Slug used in the root widget's CSS class ``bt-app-<slug>`` (browser tests).
    slug: ClassVar[str] = "app"
    #: Figure size in inches (width, height) at 100 dpi.
    figsize: ClassVar[tuple[float, float]] = (9.0, 3.6)
    #: Human-readable labels of the readouts, in display order.
    readout_labels: ClassVar[dict[str, str]] = {}

    def __init__(self, *, interactive: bool = True, **initial: Any) -> None:
        self.controls: dict[str, W.Widget] = self._make_controls()
        self.readouts: dict[str, str] = {}
        self.numbers: dict[str, float] = {}
        #: Named artists (lines, fills) that updates change in place; tests read their data.
        self.artists: dict[str, Any] = {}
        self._suspended = False
        #: Serialises model updates and every draw of the figure (see :meth:`_guard_canvas_draws`).
        self._lock = threading.RLock()
        self._bg: Any = None
        self._bg_key: tuple[Any, ...] = ()
        #: True when the figure has a live ipympl canvas (False: Agg, for static rendering and tests).
        #: Problems with constructor keywords that are not controls (subclasses add theirs before calling
        #: this constructor); shown in the status line of the first update, never raised.
        self._constructor_problems: list[str] = list(getattr(self, "_constructor_problems", []))
        if not isinstance(interactive, (bool, np.bool_)):
            self._constructor_problems.append(
                f"interactive = {_short(interactive)} must be True or False; used True (the live figure)."
            )
            interactive = True
        self.interactive = bool(interactive)
        self.figure: Figure = plotting.new_figure(*self.figsize, interactive=interactive)
        # Whole pixels, never a hair under: 4.6 in at 100 dpi came out as 459.99999999999994 px, which the
        # browser truncates to a 459 px canvas while the kernel renders 460 rows (the last row was cut off).
        dpi = self.figure.dpi
        w_px, h_px = (round(v * dpi) for v in self.figsize)
        self.figure.set_size_inches((w_px + 1e-3) / dpi, (h_px + 1e-3) / dpi)
        if self.interactive:
            # The figure is driven by the controls. ipympl's pan/zoom toolbar floated over the right panel,
            # and its mouse coordinates would be wrong once the figure is shrunk to fit the page (APP_CSS).
            self.figure.canvas.toolbar_visible = False
            self._guard_canvas_draws()
        self._build(self.figure)
        for ax in self.figure.axes:
            ax.set_axisbelow(True)  # grid under every data artist, so a cached background composes exactly
        self._readout_html = W.HTML(layout=W.Layout(width="auto"))
        self._description_html = W.HTML(layout=W.Layout(width="auto"))
        _widen_for_labels(self.controls.values())
        for name, widget in self.controls.items():
            widget.observe(self._on_change, names="value")
            widget.add_class(f"bt-control-{name}")  # stable hook for browser tests
        self._root = self._layout()
        self._root.add_class("bt-app")
        self._root.add_class(f"bt-app-{self.slug}")
        self.set(**initial)  # also draws the first time, validating the initial values
        self._freeze_layout()

    # ------------------------------------------------------------------ hooks for subclasses
    def _make_controls(self) -> dict[str, W.Widget]:
        raise NotImplementedError

    def _build(self, fig: Figure) -> None:
        raise NotImplementedError

    def _compute(self) -> Any:
        raise NotImplementedError

    def _apply(self, result: Any) -> tuple[dict[str, str], dict[str, float]]:
        raise NotImplementedError

    def _alt_text(self) -> str:
        """Alt text of the static figure (subclasses describe the curves; key numbers are added as text)."""
        return self.title

    def _caption(self) -> str:
        """One or two sentences under the title of the live widget."""
        return ""

    # ------------------------------------------------------------------ public API
    @property
    def widget(self) -> W.Box:
        """The root widget (controls, figure canvas, readouts)."""
        return self._root

    def value(self, name: str) -> Any:
        """Current value of control ``name``."""
        return self.controls[name].value

    def set(self, **values: Any) -> None:
        """Set controls by name, then update the figure and readouts once.

        An unknown control name raises ``TypeError`` (like an unexpected keyword argument). A value outside
        the control's allowed range or options does not raise: the control keeps its value and the ``status``
        readout explains what is allowed. A value between a slider's steps is rounded to the nearest step
        (what the browser's slider would do) and the ``status`` readout says so.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise TypeError(
                f"{type(self).__name__}.set(): unknown control(s) {', '.join(unknown)}; "
                f"known controls: {', '.join(self.controls)}"
            )
        problems: list[str] = self._constructor_problems
        self._constructor_problems = []
        self._suspended = True
        try:
            for name, val in values.items():
                msg = self._assign(name, val)
                if msg:
                    problems.append(msg)
        finally:
            self._suspended = False
        self._refresh(extra_status=problems)

    def static(self) -> plotting.StaticFigure:
        """The current figure as a PNG with alt text, plus the key numbers (the readouts) as text."""
        key = {self.readout_labels.get(k, k): v for k, v in self.readouts.items() if k != "status"}
        notes = [self.readouts["status"]] if self.readouts.get("status") not in (None, "", "OK") else []
        notes.append(DISCLAIMER)
        with self._lock:  # static_figure swaps the figure's canvas while it renders
            return plotting.static_figure(self.figure, self._alt_text(), key, title=self.title, notes=notes)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        return self._root._repr_mimebundle_(include=include, exclude=exclude)

    def __repr__(self) -> str:
        vals = ", ".join(f"{k}={self.controls[k].value!r}" for k in self.controls)
        return f"{type(self).__name__}({vals})"

    # ------------------------------------------------------------------ internals
    def _assign(self, name: str, val: Any) -> str:
        """Assign one control value; return an error message instead of raising."""
        w = self.controls[name]
        unit = _unit_of(w)
        if isinstance(w, (W.Dropdown, W.ToggleButtons, W.RadioButtons)):
            allowed = [opt[1] if isinstance(opt, tuple) else opt for opt in w.options]
            # the same type as the options (no True for 1, no "500" for 500), then equal to one of them
            same = [a for a in allowed if isinstance(val, str) == isinstance(a, str)]
            num = None if isinstance(val, str) else _as_number(val)
            match = [a for a in same if (a == val if isinstance(val, str) else num is not None and a == num)]
            if not match:
                return f"{name} = {_short(val)} is not one of {allowed}; kept {w.value!r}."
            val = match[0]
        elif isinstance(w, W.Checkbox):
            if not isinstance(val, (bool, np.bool_)):
                return f"{name} = {_short(val)} must be True or False; kept {w.value!r}."
            val = bool(val)
        else:
            bounds = _bounds(w)
            where = f" (allowed: {bounds[0]:g} to {bounds[1]:g} {unit})".replace(" )", ")") if bounds else ""
            num = _as_number(val)
            if num is None:
                return f"{name} = {_short(val)} is not a number{where}; kept {w.value:g} {unit}."
            if not math.isfinite(num):
                return f"{name} = {_short(val)} is not a finite number{where}; kept {w.value:g} {unit}."
            if bounds is not None:
                lo, hi = bounds
                tol = 1e-9 * max(1.0, abs(hi))
                if num < lo - tol or num > hi + tol:
                    return (
                        f"{name} = {num:g} {unit} is outside the allowed range {lo:g} to {hi:g} {unit}; "
                        f"kept {w.value:g} {unit}."
                    )
            if isinstance(w, W.IntSlider | W.BoundedIntText | W.IntText):
                if num != int(num):
                    return f"{name} = {_short(val)} must be a whole number{where}; kept {w.value}."
                val = int(num)
            else:
                val = _snap(w, num)
                if not math.isclose(val, num, rel_tol=1e-9, abs_tol=1e-12):
                    w.value = val
                    return (
                        f"Note: {name} = {num:g} {unit} is between the slider's steps; used {val:g} {unit} "
                        "(what the slider shows)."
                    )
        w.value = val
        return ""

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if not self._suspended:
            self._refresh()

    def _refresh(self, extra_status: list[str] | None = None) -> None:
        """Model -> artists -> readouts -> draw. Never raises: errors go into the status readout.

        Holds the app's lock: JupyterLab delivers widget messages on a kernel subshell thread, so two
        updates (or an update and a draw requested by the browser) can otherwise run at the same time.
        """
        with self._lock:
            self._refresh_locked(extra_status)

    def _refresh_locked(self, extra_status: list[str] | None) -> None:
        status = list(extra_status or [])
        try:
            result = self._compute()
            readouts, numbers = self._apply(result)
            flags = readouts.pop("status", "").strip()
            if flags:
                status.append(flags)
            self.readouts = readouts
            self.numbers = numbers
        except (ValueError, TypeError, ArithmeticError) as exc:
            status.append(f"Error: {exc}")
        self.readouts["status"] = " ".join(status) if status else "OK"
        self._render_readouts()
        self._render_description()
        if self.interactive:
            self.draw()

    def _render_description(self) -> None:
        """The live figure's text alternative (the static figure's alt text), under the canvas."""
        try:
            alt = self._alt_text()
        except (KeyError, ValueError, TypeError, ArithmeticError):
            alt = self.title
        value = (
            '<details class="bt-figure-description"><summary>Text description of the figure</summary>'
            f"<p>{html.escape(alt)}</p></details>"
        )
        if self._description_html.value != value:
            self._description_html.value = value

    # ------------------------------------------------------------------ drawing (blitting)
    def _background_key(self) -> tuple[Any, ...]:
        """Everything that, when changed, needs a full redraw: figure size, axes limits, scales, labels."""
        fig = self.figure
        key: list[Any] = [tuple(fig.canvas.get_width_height(physical=True)), fig.dpi]
        for ax in fig.axes:
            key += [
                ax.get_xlim(),
                ax.get_ylim(),
                ax.get_xscale(),
                ax.get_yscale(),
                ax.get_title(),
                ax.get_xlabel(),
                ax.get_ylabel(),
                ax.get_visible(),
            ]
            leg = ax.get_legend()
            if leg is not None:
                key.append(tuple(t.get_text() for t in leg.get_texts()))
        return tuple(key)

    def _overlays(self) -> list[Any]:
        """Artists drawn with the dynamic ones, in the same zorder as a full draw: the axes spines (a full
        draw puts them over the curves, zorder 2.5; a curve blitted over a cached spine hid it) and legends
        inside axes (slow to draw: prefer a figure legend outside the axes, part of the cached background)."""
        out: list[Any] = []
        for ax in self.figure.axes:
            if not ax.get_visible():
                continue
            out += [sp for sp in ax.spines.values() if sp.get_visible()]
            leg = ax.get_legend()
            if leg is not None and not getattr(leg, "bt_outside", False):
                out.append(leg)
        return out

    def _guard_canvas_draws(self) -> None:
        """Make the ipympl canvas's own full draws take the app's lock.

        The blank-axes bug (issue 13): JupyterLab 4 with ipykernel 7 handles widget comm messages on a kernel
        *subshell* thread. When the front end asks for a draw (``{"type": "draw"}``, sent after it connects or
        resizes), ipympl's ``Canvas.draw`` runs on that thread and starts with ``renderer.clear()``, outside
        matplotlib's figure lock, while :meth:`draw` on the main thread may be half-way through drawing the
        background it caches. The cached background then lacked axes, ticks, labels and legend, and every
        later blit restored it: only the curves remained, on white, until the axis limits changed. Voila has
        no subshells, so it was fine there. Every draw now goes through one lock, so a background is always
        drawn and copied in one piece.
        """
        canvas = self.figure.canvas
        unlocked_draw = canvas.draw  # the bound method of ipympl's Canvas
        lock = self._lock

        def draw(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return unlocked_draw(*args, **kwargs)

        canvas.draw = draw  # handle_draw() calls self.draw(): the instance attribute wins

    def draw(self) -> None:
        """Render the current state into the canvas and, for ipympl, send the changed pixels to the browser.

        Only the artists in :attr:`artists` change on an update. The rest (axes, ticks, labels) is drawn once
        per set of axis limits and cached; an update restores that background and draws the changed artists
        on top (blitting). When limits change, a full draw is made. With ipympl and no browser connected
        (plain pytest, nbval) nothing is drawn: the browser asks for a full draw when it connects.
        """
        with self._lock:
            self._draw_locked()

    def _draw_locked(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = self.figure
        canvas = fig.canvas
        if self.interactive and getattr(canvas, "syncing_data_url", False):
            self._bg = None
            return
        axes_order = {id(ax): i for i, ax in enumerate(fig.axes)}
        # The order of a full draw: axes by axes, artists by zorder within each (sort is stable).
        dynamic = [a for a in self.artists.values() if a.figure is fig]
        overlays = self._overlays()
        key = self._background_key()
        if self._bg is None or key != self._bg_key:
            hidden = [a for a in dynamic + overlays if a.get_visible()]
            for a in hidden:
                a.set_visible(False)
            try:
                FigureCanvasAgg.draw(canvas)
                self._bg = canvas.copy_from_bbox(fig.bbox)
            finally:
                for a in hidden:
                    a.set_visible(True)
            self._bg_key = self._background_key()
        else:
            canvas.restore_region(self._bg)
        ordered = sorted(
            dynamic + overlays,
            key=lambda a: (axes_order.get(id(a.axes), len(axes_order)), a.get_zorder()),
        )
        for a in ordered:
            if a.get_visible() and (a.axes is None or a.axes.get_visible()):
                fig.draw_artist(a)
        if self.interactive:
            canvas.blit(fig.bbox)

    def _render_readouts(self) -> None:
        esc = html.escape
        # Numbers in bold; a long sentence (e.g. the management summary) in normal weight: a paragraph of bold
        # text is hard to read.
        items = "".join(
            f"<li><span>{esc(self.readout_labels.get(k, k))}:</span> "
            + (f"<strong>{esc(v)}</strong>" if len(v) <= _BOLD_READOUT_MAX_CHARS else esc(v))
            + "</li>"
            for k, v in self.readouts.items()
            if k != "status"
        )
        status = self.readouts.get("status", "OK")
        status_html = (
            ""
            if status == "OK"
            else f'<p class="bt-status" style="color:#A63F00"><strong>{esc(status)}</strong></p>'
        )
        self._readout_html.value = (
            '<div role="status" aria-live="polite" aria-atomic="true" class="bt-readouts">'
            f'<ul style="margin:0.2em 0;padding-left:1.2em">{items}</ul>{status_html}</div>'
        )

    def _layout(self) -> W.Box:
        head = W.HTML(
            f"<style>{APP_CSS}</style>"
            f"<h3 style='margin:0.2em 0'>{html.escape(self.title)}</h3>"
            f"<p style='margin:0.2em 0'>{html.escape(self._caption())} <em>{DISCLAIMER}</em></p>"
        )
        controls = W.VBox(list(self.controls.values()))
        canvas = self.figure.canvas
        canvas_widget = canvas if isinstance(canvas, W.Widget) else W.HTML("")
        readouts = W.VBox([W.HTML("<strong>Readouts</strong>"), self._readout_html])
        return W.VBox(
            [head, controls, canvas_widget, self._description_html, readouts, *self._extra_widgets()]
        )

    def _extra_widgets(self) -> list[W.Widget]:
        """Widgets shown under the readouts (e.g. a table); none by default."""
        return []

    def _freeze_layout(self) -> None:
        """Compute the constrained layout once, then keep axes positions fixed (cheap, no jumping)."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        original = self.figure.canvas
        FigureCanvasAgg(self.figure).draw()
        self.figure.set_canvas(original)
        self.figure.set_layout_engine("none")
