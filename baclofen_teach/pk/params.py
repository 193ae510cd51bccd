"""Pharmacokinetic parameters of baclofen, with sources, and named constructors.

Numbers live in ``baclofen_teach/data/parameters.csv`` (set, name, value, unit, population, source
key, note); full citations are in ``baclofen_teach/data/references.csv``. Cite as [key].

Apparent versus true parameters. Oral population-PK studies estimate *apparent* parameters CL/F and
V/F because F (the fraction absorbed) is not identifiable without an IV arm. The engine needs the
*true* systemic values because IV and intrathecal doses bypass absorption:
``CL = F * (CL/F)`` and ``V = F * (V/F)``. With these, an oral dose gives exactly the published oral
curve (the F cancels: AUC = F*D/CL = D/(CL/F)), while an IV dose gives the correct, higher exposure
per mg (AUC = D/CL). F = 0.74 comes from the only IV-versus-oral study in healthy adults [agarwal2015].

CSF volume: two different volumes. The whole adult neuraxis holds 100-160 mL of CSF [ijt2018]
(``CSF_TOTAL_VOLUME_L``). The model's CSF compartment has an *apparent* distribution volume
``v_csf_L`` = CL_csf x t1/2 / ln 2 = 30 mL/h x 1.5 h / 0.693 = 65 mL [label_lioresal_it]: a lumbar
intrathecal bolus is cleared with a 1.5 h half-life by bulk flow, which it could not be if it mixed
into all 130 mL (that would give 3 h). Intrathecal drug stays near the catheter tip with a steep
gradient along the spinal canal [kroin1993, heetla2016], so the volume it effectively occupies is
smaller than the anatomical CSF volume; C_csf in the model is a lumbar-level concentration.

Educational model, not dosing advice.
"""

from __future__ import annotations

import csv
import math
from dataclasses import asdict, dataclass, fields, replace
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from . import _validate as v

__all__ = [
    "PKParams",
    "parameter_table",
    "param_value",
    "THERAPEUTIC_RANGE_MG_PER_L",
    "CSF_TOTAL_VOLUME_L",
    "CSF_TOTAL_VOLUME_RANGE_L",
    "csf_drain_fraction",
    "renal_clearance_factor",
    "cockcroft_gault_mL_per_min",
    "haemodialysis",
    "haemofiltration",
    "ug_to_mg",
    "mg_to_ug",
    "it_infusion_ug_per_day",
    "it_bolus_ug",
    "published_half_lives",
]


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


def published_half_lives() -> Any:
    """Published oral elimination half-lives of baclofen (primary sources only) as a pandas DataFrame.

    Columns: ``source`` (reference key), ``population``, ``measured`` (what was measured or fitted),
    ``half_life_low_h`` and ``half_life_high_h`` (h; equal when a single value was reported), ``note``.
    Rows, shortest first: children 2.3-3.4 h [kriel1997]; healthy adults 3.6 h (terminal phase of a
    2-compartment model, ln 2 / 0.191 1/h) [kochak1985]; adults with alcohol use disorder 4.4 h
    [simon2018]; children with cerebral palsy 4.5 h [he2014]; healthy adults 6.8 h from plasma and
    urine together [wuis1989]. The spread (about 2.3-6.8 h) is real: show the range, not one number.
    Data: ``baclofen_teach/data/published_half_lives.csv``.
    """
    import pandas as pd

    path = resources.files("baclofen_teach.data").joinpath("published_half_lives.csv")
    with path.open(encoding="utf-8") as fh:
        df = pd.read_csv(
            fh, keep_default_na=False, dtype={"half_life_low_h": float, "half_life_high_h": float}
        )
    return df


def param_value(set_name: str, name: str) -> float:
    """One value from the table, e.g. ``param_value("adult", "cl_over_f_L_per_h")``."""
    for r in _rows():
        if r["set"] == set_name and r["name"] == name:
            return float(r["value"])
    sets = sorted({r["set"] for r in _rows()})
    if set_name not in sets:
        raise v.PKLookupError(f"set_name must be one of {sets}; got {set_name!r}")
    names = sorted(r["name"] for r in _rows() if r["set"] == set_name)
    raise v.PKLookupError(f"name must be one of {names} (parameters of set {set_name!r}); got {name!r}")


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
        rk, rc, rv = v.RATE_CONSTANT_RANGE_PER_H, v.CLEARANCE_RANGE_L_PER_H, v.VOLUME_RANGE_L
        object.__setattr__(self, "ka_per_h", v.in_range(self.ka_per_h, "ka_per_h (1/h)", *rk))
        object.__setattr__(self, "cl_L_per_h", v.in_range(self.cl_L_per_h, "cl_L_per_h (L/h)", *rc))
        object.__setattr__(self, "v_L", v.in_range(self.v_L, "v_L (L)", *rv))
        object.__setattr__(
            self,
            "f_oral",
            v.real(self.f_oral, "f_oral (bioavailability)", min_value=v.MIN_F_ORAL, max_value=1.0),
        )
        object.__setattr__(
            self,
            "csf_plasma_ratio",
            v.in_range(self.csf_plasma_ratio, "csf_plasma_ratio", 0.0, v.MAX_CSF_PLASMA_RATIO),
        )
        object.__setattr__(self, "v_csf_L", v.in_range(self.v_csf_L, "v_csf_L (L)", *rv))
        object.__setattr__(
            self, "cl_csf_L_per_h", v.in_range(self.cl_csf_L_per_h, "cl_csf_L_per_h (L/h)", *rc)
        )
        # derived rate constants in the range the engine is exact in (and half-lives that fit teaching)
        hi = rk[1]
        for what, names, lo, k in (
            ("the elimination rate constant", "cl_L_per_h / v_L", rk[0], self.cl_L_per_h / self.v_L),
            (
                "the CSF clearance rate constant",
                "cl_csf_L_per_h / v_csf_L",
                rk[0],
                self.cl_csf_L_per_h / self.v_csf_L,
            ),
            (
                "the plasma-to-CSF transfer rate constant",
                "csf_plasma_ratio * cl_csf_L_per_h / v_L",
                0.0,
                self.q_in_L_per_h / self.v_L,
            ),
        ):
            if not lo <= k <= hi:
                raise v.PKInputError(
                    f"{names} ({what}) must be between {lo:g} and {hi:g} per h; got {k:.6g} per h "
                    f"(cl_L_per_h={self.cl_L_per_h!r}, v_L={self.v_L!r}, csf_plasma_ratio="
                    f"{self.csf_plasma_ratio!r}, v_csf_L={self.v_csf_L!r}, "
                    f"cl_csf_L_per_h={self.cl_csf_L_per_h!r})"
                )
        if self.slowest_half_life_h > v.MAX_HALF_LIFE_H:
            raise v.PKInputError(
                f"the slowest plasma/CSF half-life must be <= {v.MAX_HALF_LIFE_H:g} h; these parameters give "
                f"{self.slowest_half_life_h:.6g} h (cl_L_per_h={self.cl_L_per_h!r}, v_L={self.v_L!r}, "
                f"csf_plasma_ratio={self.csf_plasma_ratio!r}, v_csf_L={self.v_csf_L!r})"
            )

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
    def slowest_half_life_h(self) -> float:
        """Half-life (h) of the slowest exponential of the plasma/CSF subsystem (the eigenvalue of
        [[-(CL + Q_in)/V, CL_csf/V_csf], [Q_in/V, -CL_csf/V_csf]] closest to zero)."""
        q = self.q_in_L_per_h
        a11, a22 = -(self.cl_L_per_h + q) / self.v_L, -self.cl_csf_L_per_h / self.v_csf_L
        tr, det = a11 + a22, (self.cl_L_per_h / self.v_L) * (self.cl_csf_L_per_h / self.v_csf_L)
        disc = max(tr * tr / 4.0 - det, 0.0)
        mu_fast = tr / 2.0 - math.sqrt(disc)
        return math.log(2.0) / (-det / mu_fast)  # stable form of the eigenvalue closest to zero

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
    def from_apparent(
        cls, *, ka_per_h: float, cl_over_f_L_per_h: float, v_over_f_L: float, f_oral: float, **kw: Any
    ) -> PKParams:
        """Build from apparent oral parameters CL/F and V/F: CL = F*(CL/F), V = F*(V/F)."""
        f = v.real(f_oral, "f_oral (bioavailability)", min_value=v.MIN_F_ORAL, max_value=1.0)
        rc, rv = v.CLEARANCE_RANGE_L_PER_H, v.VOLUME_RANGE_L
        cl_f = v.in_range(cl_over_f_L_per_h, "cl_over_f_L_per_h", rc[0] / f, rc[1] / f)
        v_f = v.in_range(v_over_f_L, "v_over_f_L", rv[0] / f, rv[1] / f)
        return cls(
            ka_per_h=ka_per_h,
            cl_L_per_h=f * cl_f,
            v_L=f * v_f,
            f_oral=f,
            **kw,
        )

    @classmethod
    def adult(cls, *, csf: bool = True) -> PKParams:
        """Default healthy-adult parameter set (the set the notebooks use).

        Values (``parameters.csv``, set ``adult`` and ``csf``):

        ===================  ============  =========================================================
        ka                   1.64 /h       oral population PK [simon2018]
        CL/F                 10.8 L/h      healthy adults [kochak1985]  -> CL = 0.74 x 10.8 = 7.99 L/h
        V/F                  59.0 L        healthy adults, Varea/F [kochak1985] -> V = 43.7 L
        F                    0.74          IV vs oral crossover in healthy adults [agarwal2015]
        csf_plasma_ratio     0.12          teaching assumption: CSF about 12% of plasma on oral
                                           dosing, a secondary-source value [mims_bac10]; no
                                           primary source found (see parameters.csv)
        CL_csf               0.030 L/h     [label_lioresal_it]
        V_csf (apparent)     0.065 L       = CL_csf x 1.5 h / ln 2 [label_lioresal_it]
        ===================  ============  =========================================================

        Plasma half-life ln2 V/CL = 3.79 h (published 2.5-6.8 h; 3.6 h [kochak1985], 4.4 h
        [simon2018], 6.8 h with urine data [wuis1989]). Why this set: the population-PK sets from
        adults with alcohol use disorder under- or over-predict healthy-volunteer peaks (Cmax for 10 mg:
        0.107 mg/L [simon2018], 0.180 mg/L [chevillard2017] vs 0.139 observed [be10mg2017]); the
        healthy-volunteer disposition of [kochak1985] with the population ka of [simon2018] reproduces
        the single-dose studies below. The alternatives are available via :meth:`population`.

        Validation against single oral doses in healthy adults (model: this set, CSF on; tested in
        ``tests/pk/test_pk_validation.py``; tolerances there are justified by between-subject CVs of
        about 20-25% for Cmax and AUC [be10mg2017, agarwal2015]):

        ==================  ======  ====================  ======================  ===================
        study               dose    observed              model                   model / observed
        ==================  ======  ====================  ======================  ===================
        [be10mg2017]        10 mg   Cmax 0.139 mg/L,      Cmax 0.129 mg/L,        Cmax 0.93,
                                    tmax 1.25 h (median)  tmax 1.50 h             tmax +0.25 h
        [foroutan2003]      50 mg   Cmax 0.738 mg/L,      Cmax 0.643 mg/L,        Cmax 0.87,
                                    AUC0-t 3.98 mg.h/L    AUC0-24 4.57 mg.h/L     AUC 1.15
        [kochak1985]        any     CL/F 10.8 L/h         AUC = D/(CL/F)          1.00 (by design)
        [agarwal2015]       5 IV    AUC_iv/AUC_po = 1/F   AUC 0.626 mg.h/L (5 mg) F = 0.74 exactly
        [label_ozobax]      20 mg   tmax ~0.75 h          1.50 h                  solution absorbs
                                    (solution), t1/2 5.7  t1/2 3.79 h             faster than tablets
        ==================  ======  ====================  ======================  ===================

        Apparent vs true: oral studies report CL/F and V/F; the engine stores CL = F*(CL/F) and
        V = F*(V/F), so oral doses reproduce the published oral curves exactly while IV doses (and IT
        drug draining to blood) use the true systemic values. ``csf=False`` switches the CSF influx off
        (csf_plasma_ratio = 0): the plasma curve is then exactly one-compartment (Bateman).
        """
        csf = _flag(csf, "csf")
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
            notes="healthy adult: ka [simon2018]; CL/F, V/F [kochak1985]; F [agarwal2015]; CSF "
            "[label_lioresal_it]; CSF/plasma ratio a secondary-source teaching assumption [mims_bac10]",
        )

    @classmethod
    def population(cls, source: str, *, csf: bool = True) -> PKParams:
        """An alternative published oral population-PK set (adults with alcohol use disorder):
        ``"simon2018"``, ``"marsot2013"`` or ``"chevillard2017"``; F = 0.74 [agarwal2015] converts the
        apparent values to true ones, CSF parameters as in :meth:`adult`."""
        src = v.choice(source, "source", ("simon2018", "marsot2013", "chevillard2017"))
        csf = _flag(csf, "csf")
        base = cls.adult(csf=csf)
        return cls.from_apparent(
            ka_per_h=param_value(src, "ka_per_h"),
            cl_over_f_L_per_h=param_value(src, "cl_over_f_L_per_h"),
            v_over_f_L=param_value(src, "v_over_f_L"),
            f_oral=base.f_oral,
            csf_plasma_ratio=base.csf_plasma_ratio,
            v_csf_L=base.v_csf_L,
            cl_csf_L_per_h=base.cl_csf_L_per_h,
            name=src,
            notes=f"oral popPK [{src}]; F [agarwal2015]",
        )

    @classmethod
    def child(cls, weight_kg: float, *, csf: bool = True) -> PKParams:
        """Child (2-17 y, cerebral palsy cohort) scaled linearly by body weight [he2014]:
        CL/F = 0.273 L/h/kg x weight, V/F = 1.16 L/kg x weight (so the half-life, about 2.9 h in this
        one-compartment form, does not depend on weight; children 2.3-3.4 h [kriel1997]).

        ka and F are the adult values (no paediatric IV data; [he2014] used a transit absorption model
        with mean transit time 0.39 h). CSF parameters are the adult ones (children's CSF volume is
        smaller; an assumption). Weights outside 10-90 kg are allowed but outside the studied range;
        see :func:`child_flags`.
        """
        w = v.in_range(weight_kg, "weight_kg", 0.1, 500.0)
        base = cls.adult(csf=_flag(csf, "csf"))
        return cls.from_apparent(
            ka_per_h=base.ka_per_h,
            cl_over_f_L_per_h=param_value("child", "cl_over_f_L_per_h_per_kg") * w,
            v_over_f_L=param_value("child", "v_over_f_L_per_kg") * w,
            f_oral=base.f_oral,
            csf_plasma_ratio=base.csf_plasma_ratio,
            v_csf_L=base.v_csf_L,
            cl_csf_L_per_h=base.cl_csf_L_per_h,
            name=f"child {w:g} kg",
            notes="CL/F and V/F per kg [he2014]; ka, F and CSF as adult (assumption)",
        )

    @classmethod
    def renal(cls, crcl_mL_per_min: float, *, base: PKParams | None = None) -> PKParams:
        """Adult (or ``base``) parameters with clearance scaled for kidney function.

        ``CL(CrCl) = CL_normal x [(1 - fe) + fe x CrCl / CrCl_ref]`` with renal fraction fe = 0.69
        (69% of the dose is excreted unchanged in urine in healthy adults, and renal clearance
        approximates creatinine clearance, i.e. filtration [wuis1989]) and CrCl_ref = 100 mL/min
        (renal CL/F 103 mL/min in healthy adults [kochak1985]). Only CL changes; V is unchanged, so
        Cmax barely changes while AUC and half-life rise, as observed [vlavonou2014]. Estimate CrCl with
        :func:`cockcroft_gault_mL_per_min` [cockcroft1976]. In end-stage kidney disease (CrCl ~5 mL/min)
        this gives t1/2 about 11 h; reports reach 15-35 h [cvvh2014], so the model is if anything
        optimistic: non-renal clearance also falls in uraemia.
        """
        crcl = v.nonneg(crcl_mL_per_min, "crcl_mL_per_min")
        b = base if base is not None else cls.adult()
        if not isinstance(b, PKParams):
            raise v.PKInputError(f"base must be a PKParams or None; got {b!r}")
        factor = renal_clearance_factor(crcl)
        return b.with_(
            cl_L_per_h=b.cl_L_per_h * factor,
            name=f"{b.name}, CrCl {crcl:g} mL/min",
            notes=f"CL x {factor:.3f} for CrCl {crcl:g} mL/min (fe 0.69 [wuis1989])",
        )

    @classmethod
    def kidney(cls, crcl_mL_per_min: float, *, base: PKParams | None = None) -> PKParams:
        """Alias of :meth:`renal` (kidney impairment by creatinine clearance, mL/min)."""
        return cls.renal(crcl_mL_per_min, base=base)

    @classmethod
    def from_cockcroft_gault(
        cls,
        age_y: float,
        weight_kg: float,
        *,
        female: bool,
        scr_mg_per_dL: float | None = None,
        scr_umol_per_L: float | None = None,
        base: PKParams | None = None,
    ) -> PKParams:
        """Kidney-adjusted parameters from patient data: Cockcroft-Gault CrCl [cockcroft1976], then
        :meth:`renal`."""
        crcl = cockcroft_gault_mL_per_min(
            age_y, weight_kg, female=female, scr_mg_per_dL=scr_mg_per_dL, scr_umol_per_L=scr_umol_per_L
        )
        return cls.renal(crcl, base=base)


def _flag(x: Any, name: str) -> bool:
    if not isinstance(x, (bool, np.bool_)):
        raise v.PKInputError(f"{name} must be True or False; got {x!r}")
    return bool(x)


def renal_clearance_factor(crcl_mL_per_min: float) -> float:
    """CL(CrCl) / CL(normal) = (1 - fe) + fe x CrCl / 100 with fe = 0.69 [wuis1989] (see PKParams.renal)."""
    crcl = v.nonneg(crcl_mL_per_min, "crcl_mL_per_min")
    fe = param_value("adult", "fe_renal")
    ref = param_value("adult", "crcl_ref_mL_per_min")
    return (1.0 - fe) + fe * crcl / ref


def cockcroft_gault_mL_per_min(
    age_y: float,
    weight_kg: float,
    *,
    female: bool,
    scr_mg_per_dL: float | None = None,
    scr_umol_per_L: float | None = None,
) -> float:
    """Creatinine clearance (mL/min) by Cockcroft-Gault [cockcroft1976]:
    ``(140 - age_y) x weight_kg / (72 x SCr[mg/dL])``, x 0.85 for women.

    Give the serum creatinine in exactly one unit: ``scr_mg_per_dL`` or ``scr_umol_per_L``
    (1 mg/dL = 88.4 umol/L). Age 18-120 y, weight > 0 kg.
    """
    age = v.real(age_y, "age_y (years)", min_value=18.0, max_value=120.0)
    w = v.positive(weight_kg, "weight_kg")
    if (scr_mg_per_dL is None) == (scr_umol_per_L is None):
        raise v.PKInputError(
            "give exactly one of scr_mg_per_dL or scr_umol_per_L; got "
            f"scr_mg_per_dL={scr_mg_per_dL!r}, scr_umol_per_L={scr_umol_per_L!r}"
        )
    if scr_mg_per_dL is not None:
        scr = v.positive(scr_mg_per_dL, "scr_mg_per_dL")
    else:
        scr = v.positive(scr_umol_per_L, "scr_umol_per_L") / 88.4
    if not isinstance(female, bool):
        raise v.PKInputError(f"female must be True or False; got {female!r}")
    crcl = (140.0 - age) * w / (72.0 * scr)
    return crcl * 0.85 if female else crcl


def haemodialysis(
    start_h: float, duration_h: float = 4.0, cl_L_per_h: float | None = None, label: str = "haemodialysis"
) -> Any:
    """A :class:`ClearanceWindow` for one haemodialysis session (default clearance 7.7 L/h [brvar2007])."""
    from .events import ClearanceWindow

    d = v.real(duration_h, "duration_h (hours)", min_value=0.0, min_inclusive=False, max_value=v.MAX_TIME_H)
    s = v.time_h(start_h, "start_h", max_value=v.MAX_TIME_H - d)
    cl = param_value("dialysis", "hd_cl_L_per_h") if cl_L_per_h is None else _extra_cl(cl_L_per_h)
    return ClearanceWindow(start_h=s, stop_h=s + d, extra_cl_L_per_h=cl, label=label)


def _extra_cl(x: Any) -> float:
    return v.real(x, "cl_L_per_h", min_value=0.0, max_value=v.CLEARANCE_RANGE_L_PER_H[1])


def haemofiltration(
    start_h: float, duration_h: float, cl_L_per_h: float | None = None, label: str = "CVVH"
) -> Any:
    """A :class:`ClearanceWindow` for continuous veno-venous haemofiltration (default 2.4 L/h [cvvh2014])."""
    from .events import ClearanceWindow

    s = v.time_h(start_h, "start_h", max_value=v.MAX_TIME_H)
    d = v.real(duration_h, "duration_h (hours)", min_value=0.0, min_inclusive=False, allow_inf=True)
    if math.isfinite(d) and s + d > v.MAX_TIME_H:
        raise v.PKInputError(
            f"duration_h must be <= {v.MAX_TIME_H - s:g} h (start_h + duration_h <= {v.MAX_TIME_H:g} h) "
            f"or inf; got {duration_h!r}"
        )
    cl = param_value("dialysis", "cvvh_cl_L_per_h") if cl_L_per_h is None else _extra_cl(cl_L_per_h)
    return ClearanceWindow(start_h=s, stop_h=s + d, extra_cl_L_per_h=cl, label=label)


def ug_to_mg(amount_ug: Any) -> Any:
    """Micrograms to milligrams (x 0.001), validated (>= 0, finite); floats or arrays."""
    if isinstance(amount_ug, (int, float, np.number)) or (
        isinstance(amount_ug, np.ndarray) and amount_ug.ndim == 0
    ):
        return v.real(amount_ug, "amount_ug", min_value=0.0, max_value=1000.0 * v.MAX_AMOUNT_MG) / 1000.0
    return v.array(amount_ug, "amount_ug", min_value=0.0, max_value=1000.0 * v.MAX_AMOUNT_MG) / 1000.0


def mg_to_ug(amount_mg: Any) -> Any:
    """Milligrams to micrograms (x 1000), validated (>= 0, finite); floats or arrays."""
    if isinstance(amount_mg, (int, float, np.number)) or (
        isinstance(amount_mg, np.ndarray) and amount_mg.ndim == 0
    ):
        return v.real(amount_mg, "amount_mg", min_value=0.0, max_value=v.MAX_AMOUNT_MG) * 1000.0
    return v.array(amount_mg, "amount_mg", min_value=0.0, max_value=v.MAX_AMOUNT_MG) * 1000.0


def it_infusion_ug_per_day(
    rate_ug_per_day: float, start_h: float = 0.0, stop_h: float = math.inf, label: str = "intrathecal pump"
) -> Any:
    """An intrathecal :class:`Infusion` from a pump rate in micrograms per day (converted exactly to
    mg/h: ug/day / 24000). Label maintenance is mostly 300-800 ug/day [label_lioresal_it]."""
    from .events import Infusion

    r = v.real(rate_ug_per_day, "rate_ug_per_day", min_value=0.0, max_value=24_000.0 * v.MAX_RATE_MG_PER_H)
    s = v.time_h(start_h, "start_h", max_value=v.MAX_TIME_H)
    e = v.time_h(stop_h, "stop_h", max_value=v.MAX_TIME_H, allow_inf=True)
    if e < s:
        raise v.PKInputError(f"stop_h must be >= start_h ({s!r} h); got {stop_h!r}")
    return Infusion(start_h=s, stop_h=e, rate_mg_per_h=r / 24_000.0, route="it", label=label)


def it_bolus_ug(time_h: float, amount_ug: float, label: str = "intrathecal bolus") -> Any:
    """An intrathecal bolus :class:`Dose` from an amount in micrograms (screening 50-100 ug
    [label_lioresal_it])."""
    from .events import Dose

    if isinstance(amount_ug, (str, list, tuple)) or np.ndim(amount_ug) != 0:
        raise v.PKInputError(f"amount_ug must be one real number (ug); got {amount_ug!r}")
    t = v.time_h(time_h, "time_h", max_value=v.MAX_TIME_H)
    return Dose(
        time_h=t, amount_mg=ug_to_mg(v.to_unit(amount_ug, "ug", "amount_ug")), route="it", label=label
    )
