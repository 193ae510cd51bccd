"""The widget apps in a real browser: dashboards/dashboards.ipynb in JupyterLab and in Voila (Chromium).

Visual oracle (issue 13): for each app, a model-side copy (same class, same defaults, Agg canvas) follows the
page. Every keyboard step on a control (ArrowRight on a slider, ArrowDown in a menu) is applied to the copy
too, and the canvas the student sees (``toDataURL``) must equal the copy's full, non-blitted redraw at the
same pixel size within ``MISMATCH_TOLERANCE``, and the readouts on the page must show the copy's readouts.
Every step must change the figure or the readouts. Checked in JupyterLab at 1280 px, then at 1024 px after
the file browser is toggled (which resizes the output area and makes ipympl ask for redraws); in Voila
at 1280 and 1024 px. This catches the blank axes of issue 13 (a stale cached background in Lab),
which "the pixels changed" did not.

Default run: every visible control of every app once per front end (split between the two widths).
``-m slow`` adds the exhaustive sweep: every control twice at both widths in both front ends.
"""

from __future__ import annotations

import base64
import html
import re
import time
from pathlib import Path

import pytest

from baclofen_teach import apps
from baclofen_teach.apps import _oracle as O

from .conftest import assert_clean, open_notebook_and_run_all

pytestmark = pytest.mark.browser

DASHBOARD = "dashboards/dashboards.ipynb"
#: app slug -> class name, in dashboard order (the dashboard builds each app with its defaults).
APPS = {"halflife": "HalfLifeApp", "oral": "OralDosingApp", "routes": "RoutesApp", "pump": "PumpApp"}
APPS["overdose"] = "OverdoseApp"
APPS["cohort"] = "CohortApp"
APPS["monitoring"] = "MonitoringApp"

_CANVAS = ".bt-app-{slug} .jupyter-matplotlib-canvas-div canvas"
_WAIT_MS = 90_000
#: How long one keyboard step may take to reach the page (kernel busy, CI machine loaded).
STEP_TIMEOUT_S = 25.0
ARTIFACTS = Path(__file__).resolve().parents[2] / ".browser-artifacts"

_SNAPSHOT_JS = "(sel) => document.querySelector(sel).toDataURL()"
_READOUTS_JS = "(slug) => document.querySelector(`.bt-app-${slug} .bt-readouts`).innerText"
_DRAWN_JS = """
(sel) => {
  const c = document.querySelector(sel);
  if (!c || c.width < 10 || c.height < 10) return false;
  const blank = document.createElement('canvas');
  blank.width = c.width; blank.height = c.height;
  return c.toDataURL() !== blank.toDataURL();
}
"""


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _canvas_rgb(page, slug: str):
    url = page.evaluate(_SNAPSHOT_JS, _CANVAS.format(slug=slug))
    return O.png_to_rgb(base64.b64decode(url.split(",", 1)[1]))


def _missing_readouts(page_text: str, shadow) -> list[str]:
    text = _norm(page_text)
    return [
        f"{k}={v!r}"
        for k, v in shadow.readouts.items()
        if (k != "status" or v != "OK") and _norm(v) not in text
    ]


class Follower:
    """A model-side copy of one app on the page, and the checks that the page shows what it says."""

    def __init__(self, page, slug: str, where: str) -> None:
        self.page, self.slug, self.where = page, slug, where
        self.shadow = getattr(apps, APPS[slug])(interactive=False)
        self.steps = 0

    def _save(self, tag: str, seen, expected) -> str:
        from PIL import Image

        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{self.where}_{self.slug}_{tag}")
        Image.fromarray(seen).save(ARTIFACTS / f"{stem}_page.png")
        Image.fromarray(expected).save(ARTIFACTS / f"{stem}_model.png")
        return str(ARTIFACTS / f"{stem}_*.png")

    def assert_matches(self, tag: str, timeout_s: float = STEP_TIMEOUT_S) -> None:
        """Wait until the page canvas equals the copy's full redraw and the readouts show its values."""
        expected = O.full_render(self.shadow)
        deadline = time.monotonic() + timeout_s
        while True:
            seen = _canvas_rgb(self.page, self.slug)
            m = O.mismatch(seen, expected)
            missing = _missing_readouts(self.page.evaluate(_READOUTS_JS, self.slug), self.shadow)
            if m <= O.MISMATCH_TOLERANCE and not missing:
                return
            if time.monotonic() > deadline:
                saved = self._save(tag, seen, expected) if m > O.MISMATCH_TOLERANCE else "-"
                pytest.fail(
                    f"{self.where} {self.slug} after {tag}: the page does not show the model's state: "
                    f"{m:.2%} of the canvas pixels differ from a full redraw (tolerance "
                    f"{O.MISMATCH_TOLERANCE:.2%}; page {seen.shape[1]}x{seen.shape[0]}, model "
                    f"{expected.shape[1]}x{expected.shape[0]}; images {saved}); readouts missing: {missing}",
                    pytrace=False,
                )
            time.sleep(0.15)

    def visible_controls(self) -> list[str]:
        return [n for n, w in self.shadow.controls.items() if w.layout.display != "none"]

    def step(self, control: str) -> None:
        """One keyboard step on ``control`` in the page and in the copy; then the oracle and "it changed"."""
        widget = self.shadow.controls[control]
        if widget.layout.display == "none":
            return
        move = O.keyboard_step(widget)
        if move is None:
            return
        key, value = move
        root = f".bt-app-{self.slug} .bt-control-{control}"
        target = self.page.locator(f"{root} .noUi-handle, {root} select, {root} input[type=checkbox]").first
        target.scroll_into_view_if_needed()
        pixels_before = _canvas_rgb(self.page, self.slug)
        text_before = self.page.evaluate(_READOUTS_JS, self.slug)
        target.focus()
        if (
            self.where.startswith("lab")
            and key in ("ArrowDown", "ArrowUp")
            and "select" in target.evaluate("e => e.tagName.toLowerCase()")
        ):
            # Known problem (issue 13 report): in JupyterLab 4.6 ArrowDown on a focused menu moves the
            # notebook to its footer instead of choosing the next option (Voila is fine). Choose it as a
            # mouse user would.
            label = next(lbl for lbl, v in _labelled_options(widget) if v == value)
            target.select_option(label=label)
        else:
            self.page.keyboard.press(key)
        self.shadow.set(**{control: value})
        self.steps += 1
        tag = f"{control}={value!r} ({key})"
        self.assert_matches(tag)
        changed_pixels = O.mismatch(pixels_before, _canvas_rgb(self.page, self.slug), threshold=0) > 0
        changed_text = _norm(text_before) != _norm(self.page.evaluate(_READOUTS_JS, self.slug))
        assert changed_pixels or changed_text, f"{self.where} {self.slug} {tag}: nothing visible changed"


def _labelled_options(widget):
    return [opt if isinstance(opt, tuple) else (str(opt), opt) for opt in widget.options]


def followers(page, where: str) -> dict[str, Follower]:
    out = {}
    for slug in APPS:
        page.locator(_CANVAS.format(slug=slug)).first.scroll_into_view_if_needed()
        page.wait_for_function(_DRAWN_JS, arg=_CANVAS.format(slug=slug), timeout=_WAIT_MS, polling=250)
        out[slug] = f = Follower(page, slug, where)
        f.assert_matches("loading", timeout_s=60)
    return out


def sweep(fols: dict[str, Follower], part: int, parts: int, rounds: int = 1) -> None:
    """Step every ``parts``-th visible control of every app (offset ``part``), ``rounds`` times."""
    for f in fols.values():
        for _ in range(rounds):
            for i, control in enumerate(f.visible_controls()):
                if i % parts == part:
                    f.step(control)


def recheck(fols: dict[str, Follower], tag: str) -> None:
    for f in fols.values():
        f.page.locator(_CANVAS.format(slug=f.slug)).first.scroll_into_view_if_needed()
        f.assert_matches(tag)


def toggle_file_browser(page) -> None:
    """Open (or close) JupyterLab's file browser in the left side bar: the notebook's output area resizes."""
    tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='filebrowser']").first
    tab.click()
    page.wait_for_timeout(800)


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
    for slug in APPS:
        problems = page.evaluate(_FIT_JS, slug)
        assert not problems, f"{slug} at {width} px: " + "; ".join(problems)
        handle = page.locator(f".bt-app-{slug} .noUi-handle >> visible=true").first
        handle.focus()
        assert handle.evaluate(_FOCUS_OUTLINE_JS), f"{slug}: focused slider has no visible outline"


def _open_lab(lab_server, page) -> None:
    result = open_notebook_and_run_all(page, lab_server.url, DASHBOARD)
    assert_clean(result)
    for slug in APPS:
        live = page.locator(f".bt-app-{slug} [aria-live='polite']")
        assert live.count() == 1, f"{slug}: readouts are not an aria-live text region"


def _open_voila(voila_server, page) -> None:
    server = voila_server("dashboards.ipynb")
    page.goto(server.url + "/", wait_until="domcontentloaded")
    page.wait_for_selector(_CANVAS.format(slug=list(APPS)[-1]), timeout=60_000)  # the last app
    body = page.inner_text("body")
    assert "Error displaying widget" not in body and "Traceback" not in body
    assert "Educational model, not dosing advice" in body


def test_dashboards_in_lab_show_what_the_model_says(lab_server, page):
    _open_lab(lab_server, page)
    fols = followers(page, "lab-1280")
    sweep(fols, part=0, parts=2)
    assert_apps_fit_and_focus_visible(page, 1024)
    toggle_file_browser(page)
    for f in fols.values():
        f.where = "lab-1024-filebrowser"
    recheck(fols, "resize and file browser toggle")
    sweep(fols, part=1, parts=2)
    toggle_file_browser(page)
    recheck(fols, "file browser toggled back")
    assert_apps_fit_and_focus_visible(page, 1280)
    assert sum(f.steps for f in fols.values()) >= 20, "too few steps: the sweep lost its controls"


def test_dashboards_in_voila_show_what_the_model_says(voila_server, page):
    _open_voila(voila_server, page)
    fols = followers(page, "voila-1280")
    sweep(fols, part=1, parts=2)
    assert_apps_fit_and_focus_visible(page, 1024)
    for f in fols.values():
        f.where = "voila-1024"
    recheck(fols, "resize to 1024 px")
    sweep(fols, part=0, parts=2)
    assert_apps_fit_and_focus_visible(page, 1280)


def _require_slow(request) -> None:
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("exhaustive browser sweep: run with -m slow")


@pytest.mark.slow
@pytest.mark.parametrize("front_end", ["lab", "voila"])
def test_exhaustive_sweep_every_control_both_widths(front_end, request, lab_server, voila_server, page):
    _require_slow(request)
    if front_end == "lab":
        _open_lab(lab_server, page)
    else:
        _open_voila(voila_server, page)
    fols = followers(page, f"{front_end}-1280-all")
    sweep(fols, part=0, parts=1, rounds=2)
    page.set_viewport_size({"width": 1024, "height": 900})
    if front_end == "lab":
        toggle_file_browser(page)
    for f in fols.values():
        f.where = f"{front_end}-1024-all"
    recheck(fols, "resize")
    sweep(fols, part=0, parts=1, rounds=2)


def test_readout_check_is_not_vacuous():
    """The readout comparison finds a value that the page does not show."""
    shadow = apps.RoutesApp(interactive=False)
    page_text = " ".join(f"{k}: {html.unescape(v)}" for k, v in shadow.readouts.items())
    assert _missing_readouts(page_text, shadow) == []
    shadow.set(oral_mg_per_day=65.0)
    assert _missing_readouts(page_text, shadow)
