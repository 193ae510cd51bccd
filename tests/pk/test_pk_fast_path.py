"""The uniform-grid fast path of simulate() (blocks of rows, checked point by point) on grids larger than
one block: same values as the general per-point path, and invalid times are still caught in any block."""

from __future__ import annotations

import numpy as np
import pytest

from baclofen_teach import pk
from baclofen_teach.pk import engine


def _grid(days: int) -> np.ndarray:
    return np.arange(days * 24 * 60) / 60.0  # 1-minute grid, h


@pytest.mark.parametrize("route", ["oral", "it"])
def test_fast_path_matches_general_path_over_many_blocks(route: str) -> None:
    t = _grid(200)
    assert t.size > 4 * engine._BLOCK_POINTS
    p = pk.PKParams.adult()
    amt = 10.0 if route == "oral" else 0.05
    evs = pk.repeated_doses(amt, 8.0, n_doses=600, route=route)
    fast = pk.simulate(evs, p, t)
    # a no-op removal between grid points breaks the equal-segments structure: per-point general path
    slow = pk.simulate(list(evs) + [pk.RemoveFraction(1.0 / 120.0, "plasma", 0.0)], p, t)
    for a, b in ((fast.plasma_mg_per_L, slow.plasma_mg_per_L), (fast.csf_mg_per_L, slow.csf_mg_per_L)):
        assert np.all(a >= 0.0)
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15 * float(np.max(b)))


@pytest.mark.parametrize("where", [0, 1, -1])
def test_bad_time_in_any_block_is_caught(where: int) -> None:
    p = pk.PKParams.adult()
    evs = pk.repeated_doses(10.0, 8.0, n_doses=180)
    for bad in (np.nan, np.inf):
        t = _grid(60)
        idx = {0: 5, 1: engine._BLOCK_POINTS + 7, -1: t.size - 2}[where]
        t[idx] = bad
        with pytest.raises(pk.PKInputError, match="times_h"):
            pk.simulate(evs, p, t)
    t = _grid(60)
    idx = {0: 5, 1: engine._BLOCK_POINTS + 7, -1: t.size - 2}[where]
    t[idx], t[idx + 1] = t[idx + 1], t[idx]  # not ascending
    with pytest.raises(pk.PKInputError, match="times_h"):
        pk.simulate(evs, p, t)
