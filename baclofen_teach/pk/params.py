"""Pharmacokinetic parameters of baclofen, with sources, and named constructors.

Numbers live in ``baclofen_teach/data/parameters.csv`` (set, name, value, unit, population, source
key, note); full citations are in ``baclofen_teach/data/references.csv``. Cite as [key].

Apparent versus true parameters. Oral population-PK studies estimate *apparent* parameters CL/F and
V/F because F (the fraction absorbed) is not identifiable without an IV arm. The engine needs the
*true* systemic values because IV and intrathecal doses bypass absorption:
``CL = F * (CL/F)`` and ``V = F * (V/F)``. With these, an oral dose gives exactly the published oral
curve (the F cancels: AUC = F*D/CL = D/(CL/F)), while an IV dose gives the correct, higher exposure
per mg (AUC = D/CL). F = 0.74 comes from the only IV-versus-oral study in healthy adults [agarwal2015].

Educational model, not dosing advice.
"""

from __future__ import annotations

import csv
import math
from dataclasses import asdict, dataclass, fields, replace
from functools import cache
from importlib import resources
from typing import Any

from . import _validate as v

__all__ = ["PKParams", "parameter_table", "param_value", "THERAPEUTIC_RANGE_MG_PER_L",
           "CSF_TOTAL_VOLUME_L", "CSF_TOTAL_VOLUME_RANGE_L", "csf_drain_fraction"]


@cache
def _rows() -> tuple[dict[str, str], ...]:
    with resources.files("baclofen_teach.data").joinpath("parameters.csv").open(encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


def parameter_table() -> Any:
    """The parameter table (set, name, value, unit, population, source, note) as a pandas DataFrame."""
    import pandas as pd

    df = pd.DataFrame(list(_rows()))
    df["value"] = df["value"].astype(float)
    return df


def param_value(set_name: str, name: str) -> float:
    """One value from the table, e.g. ``param_value("adult", "cl_over_f_L_per_h")``."""
    for r in _rows():
        if r["set"] == set_name and r["name"] == name:
            return float(r["value"])
    raise KeyError(f"no parameter {name!r} in set {set_name!r} of parameters.csv")


#: Therapeutic plasma range of baclofen, mg/L (= ug/mL): 0.08-0.40 [perry1998].
THERAPEUTIC_RANGE_MG_PER_L: tuple[float, float] = (0.08, 0.40)
#: Total adult CSF volume (whole neuraxis), L: mean 0.13, range 0.10-0.16 [ijt2018].
CSF_TOTAL_VOLUME_L: float = 0.13
CSF_TOTAL_VOLUME_RANGE_L: tuple[float, float] = (0.10, 0.16)


def csf_drain_fraction(volume_removed_mL: float, csf_volume_mL: float = 130.0) -> float:
    """Fraction of the CSF drug removed by draining ``volume_removed_mL`` of CSF, assuming the drug is
    evenly mixed in ``csf_volume_mL`` (default: the total adult CSF volume, 130 mL [ijt2018]).

    Example: the label's 30-40 mL CSF withdrawal after an intrathecal overdose [label_lioresal_it]
    removes about 23-31% of a well-mixed CSF pool. Near the catheter tip, where the drug concentrates
    [heetla2016], the fraction removed may be larger; pass a smaller ``csf_volume_mL`` to explore.
    """
    vol = v.nonneg(volume_removed_mL, "volume_removed_mL")
    tot = v.positive(csf_volume_mL, "csf_volume_mL")
    if vol > tot:
        raise v.PKInputError(f"volume_removed_mL must be <= csf_volume_mL ({tot:g} mL); got {vol!r}")
    return vol / tot


@dataclass(frozen=True)
class PKParams:
    """Parameters of the gut / plasma / CSF model (true systemic values; see the module docstring).

    Parameters
    ----------
    ka_per_h : first-order absorption rate constant, 1/h (> 0).
    cl_L_per_h : systemic (true) elimination clearance CL, L/h (> 0). The only route out of the body.
    v_L : plasma (central) volume of distribution V, L (> 0).
    f_oral : oral bioavailability F, in (0, 1]; applies to oral doses only.
    csf_plasma_ratio : steady-state C_csf / C_p when plasma is held constant (>= 0; 0 switches the CSF
        influx off and gives exactly the one-compartment plasma model).
    v_csf_L : apparent CSF distribution volume, L (> 0).
    cl_csf_L_per_h : CSF bulk-flow clearance back to blood, L/h (> 0).
    name : a label (e.g. ``"adult"``); notes : free text (sources, caveats).

    Derived: ``ke_per_h = CL/V``, ``half_life_h``, ``q_in_L_per_h = csf_plasma_ratio * CL_csf``,
    ``csf_half_life_h = ln2 * V_csf / CL_csf``, apparent oral ``cl_over_f_L_per_h`` and ``v_over_f_L``.
    """

    ka_per_h: float
    cl_L_per_h: float
    v_L: float
    f_oral: float = 1.0
    csf_plasma_ratio: float = 0.0
    v_csf_L: float = 0.065
    cl_csf_L_per_h: float = 0.03
    name: str = "custom"
    notes: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "ka_per_h", v.positive(self.ka_per_h, "ka_per_h (1/h)"))
        object.__setattr__(self, "cl_L_per_h", v.positive(self.cl_L_per_h, "cl_L_per_h (L/h)"))
        object.__setattr__(self, "v_L", v.positive(self.v_L, "v_L (L)"))
        object.__setattr__(self, "f_oral", v.real(self.f_oral, "f_oral (bioavailability)", min_value=0.0,
                                                  min_inclusive=False, max_value=1.0))
        object.__setattr__(self, "csf_plasma_ratio", v.nonneg(self.csf_plasma_ratio, "csf_plasma_ratio"))
        object.__setattr__(self, "v_csf_L", v.positive(self.v_csf_L, "v_csf_L (L)"))
        object.__setattr__(self, "cl_csf_L_per_h", v.positive(self.cl_csf_L_per_h, "cl_csf_L_per_h (L/h)"))

    # ---- derived quantities ----
    @property
    def ke_per_h(self) -> float:
        """Plasma elimination rate constant CL/V, 1/h (the one-compartment value, CSF off)."""
        return self.cl_L_per_h / self.v_L

    @property
    def half_life_h(self) -> float:
        """Plasma elimination half-life ln2 * V / CL, h."""
        return math.log(2.0) / self.ke_per_h

    @property
    def q_in_L_per_h(self) -> float:
        """Plasma-to-CSF transfer clearance Q_in = csf_plasma_ratio * CL_csf, L/h."""
        return self.csf_plasma_ratio * self.cl_csf_L_per_h

    @property
    def csf_half_life_h(self) -> float:
        """Half-life of drug in the CSF compartment, ln2 * V_csf / CL_csf, h."""
        return math.log(2.0) * self.v_csf_L / self.cl_csf_L_per_h

    @property
    def cl_over_f_L_per_h(self) -> float:
        """Apparent oral clearance CL/F, L/h."""
        return self.cl_L_per_h / self.f_oral

    @property
    def v_over_f_L(self) -> float:
        """Apparent oral volume V/F, L."""
        return self.v_L / self.f_oral

    def with_(self, **changes: Any) -> PKParams:
        """A copy with some fields changed (validated), e.g. ``p.with_(csf_plasma_ratio=0)``."""
        names = {f.name for f in fields(self)}
        bad = sorted(set(changes) - names)
        if bad:
            raise v.PKInputError(f"with_() got unknown parameter(s) {bad}; allowed: {sorted(names)}")
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        """The fields as a dict."""
        return asdict(self)

    # ---- named constructors ----
    @classmethod
    def from_apparent(cls, *, ka_per_h: float, cl_over_f_L_per_h: float, v_over_f_L: float,
                      f_oral: float, **kw: Any) -> PKParams:
        """Build from apparent oral parameters CL/F and V/F: CL = F*(CL/F), V = F*(V/F)."""
        f = v.real(f_oral, "f_oral (bioavailability)", min_value=0.0, min_inclusive=False, max_value=1.0)
        return cls(ka_per_h=ka_per_h, cl_L_per_h=f * v.positive(cl_over_f_L_per_h, "cl_over_f_L_per_h"),
                   v_L=f * v.positive(v_over_f_L, "v_over_f_L"), f_oral=f, **kw)

    @classmethod
    def adult(cls, *, csf: bool = True) -> PKParams:
        """Default healthy-adult parameter set (the one the notebooks use); see ``_adult_doc``."""
        a = "adult"
        c = "csf"
        return cls.from_apparent(
            ka_per_h=param_value(a, "ka_per_h"),
            cl_over_f_L_per_h=param_value(a, "cl_over_f_L_per_h"),
            v_over_f_L=param_value(a, "v_over_f_L"),
            f_oral=param_value(a, "f_oral"),
            csf_plasma_ratio=param_value(c, "csf_plasma_ratio") if csf else 0.0,
            v_csf_L=param_value(c, "v_csf_L"),
            cl_csf_L_per_h=param_value(c, "cl_csf_L_per_h"),
            name="adult",
            notes="healthy adult; see PKParams.adult docstring and parameters.csv",
        )
