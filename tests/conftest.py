"""Shared test helpers: repository paths. Keep this small; topic fixtures live next to their tests."""

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (the folder holding pyproject.toml)."""
    return REPO_ROOT


MAX_ENGINE_CALLS = 10
"""Structural guard (not a timing assertion): a scenario result costs a few pk.simulate calls, not one per
root-finder step (which made the widgets slow)."""


@pytest.fixture
def engine_calls(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Count calls of ``pk.simulate``: ``with engine_calls() as n: ...`` then ``n[0]``."""
    from contextlib import contextmanager

    from baclofen_teach import pk

    real = pk.simulate

    @contextmanager
    def counting_calls():  # noqa: ANN202
        count = [0]

        def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            count[0] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(pk, "simulate", counting)
        try:
            yield count
        finally:
            monkeypatch.setattr(pk, "simulate", real)

    counting_calls.max_calls = MAX_ENGINE_CALLS  # type: ignore[attr-defined]
    return counting_calls
