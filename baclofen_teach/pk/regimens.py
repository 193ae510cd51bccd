"""Regimen builders (return event lists) and label-limit flags.

Flags never refuse: overdoses must stay simulable. Educational model, not dosing advice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .events import Dose, Infusion

__all__ = ["regimen_flags", "ORAL_MAX_MG_PER_DAY", "IT_EXPERIENCE_LIMIT_UG_PER_DAY"]

#: Oral daily maxima by jurisdiction, mg/day: US labels 80 [label_us_tablets]; EU/international 100
#: [label_uk_smpc]; up to 120 in carefully monitored hospital patients [label_lioresal_intl].
ORAL_MAX_MG_PER_DAY: dict[str, float] = {"US": 80.0, "EU": 100.0, "hospital": 120.0}
#: Intrathecal: experience above 1000 ug/day is limited [label_lioresal_it].
IT_EXPERIENCE_LIMIT_UG_PER_DAY: float = 1000.0


def max_oral_mg_in_24h(events: Sequence[Any]) -> float:
    """Largest total oral amount (mg) taken in any 24 h window [t, t+24) starting at a dose."""
    times = np.array(sorted(e.time_h for e in events if isinstance(e, Dose) and e.route == "oral"))
    if times.size == 0:
        return 0.0
    amts = np.array([e.amount_mg for e in sorted((e for e in events if isinstance(e, Dose)
                                                   and e.route == "oral"), key=lambda e: e.time_h)])
    cum = np.concatenate([[0.0], np.cumsum(amts)])
    end = np.searchsorted(times, times + 24.0, side="left")
    return float(np.max(cum[end] - cum[np.arange(times.size)]))


def regimen_flags(events: Sequence[Any], params: Any = None, jurisdiction: str = "US") -> list[str]:
    """Human-readable warnings for a regimen above label limits (never a refusal)."""
    flags: list[str] = []
    mx = max_oral_mg_in_24h(events)
    lim = ORAL_MAX_MG_PER_DAY.get(jurisdiction, 80.0)
    if mx > lim:
        flags.append(f"oral intake reaches {mx:g} mg in 24 h, above the {jurisdiction} label maximum of "
                     f"{lim:g} mg/day")
    if mx > ORAL_MAX_MG_PER_DAY["hospital"] and jurisdiction != "hospital":
        flags.append(f"oral intake of {mx:g} mg in 24 h exceeds even the 120 mg/day hospital maximum")
    if mx >= 200.0:
        flags.append(f"oral intake of {mx:g} mg in 24 h is in the range where coma, delirium and seizures "
                     "were reported in overdose (>= 200 mg) [leung2006]")
    it_rate = 0.0
    for e in events:
        if isinstance(e, Infusion) and e.route == "it":
            it_rate = max(it_rate, e.rate_ug_per_day)
    if it_rate > IT_EXPERIENCE_LIMIT_UG_PER_DAY:
        flags.append(f"intrathecal rate {it_rate:g} ug/day is above 1000 ug/day, where label experience "
                     "is limited")
    for e in events:
        if isinstance(e, Dose) and e.route == "it" and e.amount_mg > 0.1:
            flags.append(f"intrathecal bolus of {e.amount_ug:g} ug at {e.time_h:g} h is above the 100 ug "
                         "maximum screening bolus")
    return flags
