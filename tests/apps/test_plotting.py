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
