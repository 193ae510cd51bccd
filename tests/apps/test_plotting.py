"""baclofen_teach.plotting: Okabe-Ito palette, line styles, unit labels, pyplot-free figures, static PNGs."""

from __future__ import annotations

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from baclofen_teach import plotting


def test_palette_is_okabe_ito_with_distinct_line_styles() -> None:
    assert set(plotting.PALETTE) == set(plotting.OKABE_ITO.values()) and len(plotting.PALETTE) == 8
    styles = [plotting.line_style(i) for i in range(8)]
    assert len({s["color"] for s in styles}) == 8
    assert len({str(s["linestyle"]) for s in styles}) == 8  # never told apart by colour alone
    assert plotting.line_style(8) == plotting.line_style(0)


def test_axis_labels_always_carry_units() -> None:
    assert plotting.axis_label("Time", "h") == "Time (h)"
    assert plotting.PLASMA_MG_PER_L == "Plasma concentration (mg/L)"
    with pytest.raises(ValueError, match="unit"):
        plotting.axis_label("Time", " ")


def test_new_figure_does_not_touch_pyplot_or_the_backend() -> None:
    import matplotlib.pyplot as plt

    backend, open_figures = matplotlib.get_backend(), plt.get_fignums()
    fig = plotting.new_figure(4, 3)
    assert isinstance(fig.canvas, FigureCanvasAgg)
    live = plotting.new_figure(4, 3, interactive=True)
    assert type(live.canvas).__module__ == "ipympl.backend_nbagg"
    assert matplotlib.get_backend() == backend
    assert plt.get_fignums() == open_figures  # not registered with pyplot: nothing leaks into other cells


def test_static_figure_png_alt_text_and_key_numbers() -> None:
    fig = plotting.new_figure(4, 3)
    ax = fig.subplots()
    ax.plot([0, 1], [1, 0.5], **plotting.line_style(0))
    plotting.set_time_axis(ax, "h")
    plotting.set_concentration_axis(ax, "Plasma", "mg/L", log=True)
    s = plotting.static_figure(fig, alt='A falling "line"', key_numbers={"Cmax": "1 mg/L"}, title="T")
    assert s.png.startswith(b"\x89PNG")
    html = s._repr_mimebundle_()["text/html"]
    assert 'alt="A falling &quot;line&quot;"' in html and "<li>Cmax: 1 mg/L</li>" in html
    assert repr(s) == "T\n- Cmax: 1 mg/L"
    with pytest.raises(ValueError, match="alt text"):
        plotting.static_figure(fig, alt="")


def test_curves_figure_one_call_static_line_figure() -> None:
    import numpy as np

    t = np.linspace(0.0, 24.0, 49)
    curves = {f"t1/2 = {h:g} h": (t, 0.46 * 0.5 ** (t / h)) for h in (2.0, 3.8, 6.8)}
    samples = {"measured": (t[::8], 0.46 * 0.5 ** (t[::8] / 3.8))}
    out = plotting.curves_figure(
        curves,
        points=samples,
        hline=(0.08, "threshold 0.08 mg/L"),
        band=(0.08, 0.4, "therapeutic range"),
        x_step=6,
        alt="Three decay curves after 20 mg, starting at 0.46 mg/L.",
        key_numbers={"C0": "0.46 mg/L"},
        title="Three half-lives",
    )
    assert isinstance(out, plotting.StaticFigure) and out.png.startswith(b"\x89PNG")
    assert out.alt.startswith("Three decay curves") and "- C0: 0.46 mg/L" in out.text()
    with pytest.raises(ValueError, match="unit"):
        plotting.curves_figure(curves, alt="x", y_label=("Concentration", ""))
    with pytest.raises(ValueError, match="alt text"):
        plotting.curves_figure(curves, alt=" ")
    with pytest.raises(ValueError, match="at least one"):
        plotting.curves_figure({}, alt="x")


def test_curves_figure_lines_styles_axes_and_legend_outside(monkeypatch) -> None:
    import numpy as np

    captured = []
    original = plotting.static_figure

    def spy(fig, *args, **kwargs):
        captured.append(fig)
        return original(fig, *args, **kwargs)

    monkeypatch.setattr(plotting, "static_figure", spy)
    t = np.arange(5.0)
    plotting.curves_figure({"a": (t, t + 1), "b": (t, t + 2)}, alt="two lines", log_y=True)
    (fig,) = captured
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == ["a", "b"]
    assert [ln.get_color() for ln in lines] == list(plotting.PALETTE[:2])
    assert lines[0].get_linestyle() != lines[1].get_linestyle()  # told apart without colour
    assert ax.get_xlabel() == "Time after the dose (h)" and ax.get_ylabel() == "Plasma concentration (mg/L)"
    assert ax.get_yscale() == "log"
    assert ax.get_legend() is None and len(fig.legends) == 1  # legend above the axes, never over a curve
