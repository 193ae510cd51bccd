"""The widget apps in a real browser: dashboards/dashboards.ipynb in JupyterLab and in Voila (Chromium).

For every app one slider is changed with the keyboard (focus the slider handle, press ArrowRight) and the
figure must change: the ipympl canvas pixels (``toDataURL``) differ before and after, and the slider's value
and the text readouts follow. Server and page fixtures come from tests/browser/conftest.py.
"""

from __future__ import annotations

import pytest

from .conftest import assert_clean, open_notebook_and_run_all

pytestmark = pytest.mark.browser

DASHBOARD = "dashboards/dashboards.ipynb"
#: (app slug, control changed with the keyboard): controls whose single arrow step visibly moves a curve.
KEYBOARD_CHANGES = (
    ("halflife", "half_life_h"),
    ("oral", "dose_mg"),
    ("routes", "oral_mg_per_day"),
    ("pump", "daily_dose_ug"),
    ("overdose", "crcl_mL_per_min"),
)

_CANVAS = ".bt-app-{slug} .jupyter-matplotlib-canvas-div canvas"
_WAIT_MS = 90_000

# The figure canvas holds a drawn image: not blank and not still changing (ipympl draws after it connects).
_DRAWN_JS = """
(sel) => {
  const c = document.querySelector(sel);
  if (!c || c.width < 10 || c.height < 10) return false;
  const blank = document.createElement('canvas');
  blank.width = c.width; blank.height = c.height;
  const now = c.toDataURL();
  if (now === blank.toDataURL()) return false;
  const same = (window.__bt_last && window.__bt_last[sel] === now);
  window.__bt_last = Object.assign(window.__bt_last || {}, {[sel]: now});
  return same;
}
"""
_SNAPSHOT_JS = "(sel) => document.querySelector(sel).toDataURL()"
_CHANGED_JS = "([sel, before]) => document.querySelector(sel).toDataURL() !== before"
_READOUTS_JS = "(slug) => document.querySelector(`.bt-app-${slug} .bt-readouts`).innerText"


def change_each_app_with_keyboard(page) -> None:
    """For every app: focus one slider handle, press ArrowRight, and require changed pixels and readouts."""
    for slug, control in KEYBOARD_CHANGES:
        canvas = _CANVAS.format(slug=slug)
        handle = page.locator(f".bt-app-{slug} .bt-control-{control} .noUi-handle").first
        handle.scroll_into_view_if_needed()
        page.wait_for_function(_DRAWN_JS, arg=canvas, timeout=_WAIT_MS, polling=250)
        readout = page.locator(f".bt-app-{slug} .bt-control-{control} .widget-readout").first
        value_before = readout.inner_text()
        text_before = page.evaluate(_READOUTS_JS, slug)
        pixels_before = page.evaluate(_SNAPSHOT_JS, canvas)
        handle.focus()
        page.keyboard.press("ArrowRight")
        # The kernel may still be busy drawing the other figures: wait for it generously (not a timing test).
        page.wait_for_function(
            "([slug, before]) => document.querySelector(`.bt-app-${slug} .bt-readouts`).innerText !== before",
            arg=[slug, text_before],
            timeout=_WAIT_MS,
        )
        page.wait_for_function(_CHANGED_JS, arg=[canvas, pixels_before], timeout=_WAIT_MS, polling=100)
        assert readout.inner_text() != value_before, f"{slug}.{control}: slider value did not change"


# Every app fits its output area: the figure canvas is not wider than the app, the app not wider than its
# container, and nothing inside an app scrolls sideways (a 900-950 px figure used to be clipped in the 848 px
# output area of JupyterLab at a 1280 px screen).
_FIT_JS = """
(slug) => {
  const app = document.querySelector(`.bt-app-${slug}`);
  const canvas = app.querySelector('.jupyter-matplotlib-canvas-div canvas');
  const a = app.getBoundingClientRect(), p = app.parentElement.getBoundingClientRect();
  const c = canvas.getBoundingClientRect();
  const problems = [];
  if (c.width < 300 || c.height < 100) problems.push(`canvas shown at ${c.width}x${c.height} px`);
  if (c.right > a.right + 0.5) problems.push(`canvas right edge ${c.right} > app ${a.right}`);
  if (a.right > p.right + 0.5) problems.push(`app right edge ${a.right} > container ${p.right}`);
  for (const e of [app, ...app.querySelectorAll('*')]) {
    const ox = getComputedStyle(e).overflowX;
    if (ox !== 'visible' && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
      problems.push(`${e.className} scrolls sideways: ${e.scrollWidth} > ${e.clientWidth}`);
  }
  return problems;
}
"""
# A focused slider handle has a visible outline (not only the ipywidgets colour change).
_FOCUS_OUTLINE_JS = """
(el) => {
  const s = getComputedStyle(el);
  return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
}
"""


def assert_apps_fit_and_focus_visible(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(500)
    for slug, control in KEYBOARD_CHANGES:
        problems = page.evaluate(_FIT_JS, slug)
        assert not problems, f"{slug} at {width} px: " + "; ".join(problems)
        handle = page.locator(f".bt-app-{slug} .bt-control-{control} .noUi-handle").first
        handle.focus()
        assert handle.evaluate(_FOCUS_OUTLINE_JS), f"{slug}.{control}: focused slider has no visible outline"


def test_dashboards_in_lab_keyboard_changes_every_figure(lab_server, page):
    result = open_notebook_and_run_all(page, lab_server.url, DASHBOARD)
    assert_clean(result)
    for slug, _ in KEYBOARD_CHANGES:
        # ipympl: the figure canvas first, then a transparent overlay canvas for the zoom rubber band
        assert page.locator(_CANVAS.format(slug=slug)).count() >= 1, f"{slug}: no live figure canvas"
        live = page.locator(f".bt-app-{slug} [aria-live='polite']")
        assert live.count() == 1, f"{slug}: readouts are not an aria-live text region"
    change_each_app_with_keyboard(page)
    for width in (1280, 1024):
        assert_apps_fit_and_focus_visible(page, width)


def test_dashboards_in_voila_keyboard_changes_every_figure(voila_server, page):
    server = voila_server("dashboards.ipynb")
    page.goto(server.url + "/", wait_until="domcontentloaded")
    page.wait_for_selector(_CANVAS.format(slug="overdose"), timeout=60_000)
    body = page.inner_text("body")
    assert "Error displaying widget" not in body and "Traceback" not in body
    assert "Educational model, not dosing advice" in body
    change_each_app_with_keyboard(page)
    for width in (1280, 1024):
        assert_apps_fit_and_focus_visible(page, width)
