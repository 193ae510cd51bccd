"""Headless visual oracle: after every keyboard step of every visible control, the blitted canvas equals a
full (non-blitted) redraw of the same state, and the step changed something the student sees (figure or
readouts).

The browser version (tests/browser/test_apps_browser.py) compares the pixels in Chromium with the same full
redraw; this one runs everywhere and also covers the thread race behind the blank axes in JupyterLab
(issue 13).
"""

from __future__ import annotations

import contextlib
import threading

import pytest

from baclofen_teach import apps
from baclofen_teach.apps import _oracle as O


def _visible_controls(app):
    return [(n, w) for n, w in app.controls.items() if w.layout.display != "none"]


@pytest.mark.parametrize("name", apps.ALL_APPS)
def test_every_keyboard_step_is_drawn_exactly_and_visibly(name):
    app = getattr(apps, name)(interactive=False)
    problems = []
    for _round in range(2):
        for control, widget in _visible_controls(app):
            step = O.keyboard_step(widget)
            if step is None or widget.layout.display == "none":
                continue
            before_pixels, before_text = O.full_render(app), dict(app.readouts)
            app.set(**{control: step[1]})
            full = O.full_render(app)
            m = O.mismatch(O.canvas_rgb(app), full)
            if m > O.MISMATCH_TOLERANCE:
                problems.append(
                    f"{control} -> {step[1]!r}: blitted canvas differs from a full redraw ({m:.2%})"
                )
            if O.mismatch(before_pixels, full, threshold=0) == 0 and before_text == app.readouts:
                problems.append(f"{control} -> {step[1]!r} ({step[0]}): nothing visible changed")
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("name", apps.ALL_APPS)
def test_every_visible_control_changes_something_from_the_defaults(name):
    """What a student meets first: each control shown on a fresh app changes the figure or the readouts."""
    problems = []
    for control in _visible_controls(getattr(apps, name)(interactive=False)):
        app = getattr(apps, name)(interactive=False)
        step = O.keyboard_step(app.controls[control[0]])
        if step is None:
            continue
        before_pixels, before_text = O.full_render(app), dict(app.readouts)
        app.set(**{control[0]: step[1]})
        if O.mismatch(before_pixels, O.full_render(app), threshold=0) == 0 and before_text == app.readouts:
            problems.append(f"{control[0]} -> {step[1]!r}: nothing visible changed")
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


def test_oracle_catches_a_blank_background():
    """The comparison is not vacuous: a canvas that lost its axes (the Lab bug) is far outside tolerance."""
    app = apps.RoutesApp(interactive=False)
    full = O.full_render(app)
    app.draw()
    app.figure.canvas.get_renderer().clear()
    app._bg = app.figure.canvas.copy_from_bbox(app.figure.bbox)  # a background copied from a cleared renderer
    app.set(oral_mg_per_day=65.0)
    app.draw()
    assert O.mismatch(O.canvas_rgb(app), O.full_render(app)) > 10 * O.MISMATCH_TOLERANCE
    assert O.mismatch(full, full) == 0.0


@pytest.mark.parametrize("name", apps.ALL_APPS)
def test_browser_draw_requests_on_another_thread_do_not_corrupt_the_background(name):
    """JupyterLab sends ipympl's "draw" request on a kernel subshell thread while the main thread updates the
    figure. Before the fix the cached background was copied from a half-cleared renderer (blank axes)."""
    app = getattr(apps, name)()
    canvas = app.figure.canvas
    canvas.syncing_data_url = False  # as after the front end's "initialized" message
    stop = threading.Event()

    def browser_requests() -> None:
        while not stop.is_set():
            canvas.handle_draw({"type": "draw"})
            # a browser asks again after a frame, not in a tight loop; without this pause the thread
            # re-takes the app's lock at once and starves the main thread on a loaded machine
            stop.wait(0.002)

    thread = threading.Thread(target=browser_requests, daemon=True)
    thread.start()
    try:
        worst = 0.0
        for control, widget in _visible_controls(app):
            step = O.keyboard_step(widget)
            if step is None:
                continue
            app._bg = None  # every update re-caches its background: the window the race needs
            app.set(**{control: step[1]})
            with getattr(app, "_lock", contextlib.nullcontext()):
                app.draw()  # a blitted update on the cached background
                worst = max(worst, O.mismatch(O.canvas_rgb(app), O.full_render(app)))
    finally:
        stop.set()
        thread.join(timeout=30)
    assert worst <= O.MISMATCH_TOLERANCE, f"{name}: canvas differs from a full redraw by {worst:.2%}"
