"""Independent reference solution of the gut/plasma/CSF model with scipy's ODE solver (tests only)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.integrate import solve_ivp

from baclofen_teach import pk

ROUTE_INDEX = {"oral": 0, "iv": 1, "it": 2}
COMP_INDEX = {"gut": 0, "plasma": 1, "csf": 2}


def ode_solution(
    p: pk.PKParams,
    events: list[Any],
    t_eval: np.ndarray,
    method: str = "LSODA",
    rtol: float = 1e-11,
    atol: float = 1e-14,
) -> np.ndarray:
    """Amounts (3, len(t_eval)): gut, plasma, CSF in mg, restarting the solver at every event.

    Right-continuous: a point exactly at an event time is reported after the event.
    """
    q = p.csf_plasma_ratio * p.cl_csf_L_per_h
    times = {0.0, float(t_eval[-1])}
    for e in events:
        if isinstance(e, (pk.Dose, pk.RemoveFraction)):
            times.add(e.time_h)
        else:
            times.add(e.start_h)
            if math.isfinite(e.stop_h):
                times.add(e.stop_h)
    bps = sorted(x for x in times if x <= t_eval[-1])

    def rhs(_t: float, x: np.ndarray, uiv: float, uit: float, cl: float) -> list[float]:
        g, a, c = x
        cp, cc = a / p.v_L, c / p.v_csf_L
        return [
            -p.ka_per_h * g,
            p.ka_per_h * g - cl * cp - q * cp + p.cl_csf_L_per_h * cc + uiv,
            q * cp - p.cl_csf_L_per_h * cc + uit,
        ]

    x = np.zeros(3)
    out = np.zeros((3, t_eval.size))
    for i, a in enumerate(bps):
        for e in events:
            if isinstance(e, pk.Dose) and e.time_h == a:
                x[ROUTE_INDEX[e.route]] += e.amount_mg * (p.f_oral if e.route == "oral" else 1.0)
        for e in events:
            if isinstance(e, pk.RemoveFraction) and e.time_h == a:
                x[COMP_INDEX[e.compartment]] *= 1.0 - e.fraction
        b = bps[i + 1] if i + 1 < len(bps) else None
        at = t_eval == a
        out[:, at] = x[:, None]
        if b is None:
            break
        uiv = sum(
            e.rate_mg_per_h
            for e in events
            if isinstance(e, pk.Infusion) and e.route == "iv" and e.start_h <= a < e.stop_h
        )
        uit = sum(
            e.rate_mg_per_h
            for e in events
            if isinstance(e, pk.Infusion) and e.route == "it" and e.start_h <= a < e.stop_h
        )
        cl = p.cl_L_per_h + sum(
            e.extra_cl_L_per_h
            for e in events
            if isinstance(e, pk.ClearanceWindow) and e.start_h <= a < e.stop_h
        )
        sel = (t_eval > a) & (t_eval < b)
        sol = solve_ivp(
            rhs,
            (a, b),
            x,
            method=method,
            rtol=rtol,
            atol=atol,
            args=(uiv, uit, cl),
            t_eval=np.append(t_eval[sel], b),
        )
        out[:, sel] = sol.y[:, :-1]
        x = sol.y[:, -1].copy()
        out[:, t_eval == b] = x[:, None]  # overwritten after jumps at b on the next iteration
    return out
