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

import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np

from baclofen_teach import data

from . import _validate as v
from .events import ClearanceWindow, Dose, Infusion
from .flags import Flag

__all__ = [
    "PKParams",
    "parameter_table",
    "param_value",
    "THERAPEUTIC_RANGE_MG_PER_L",
    "REFERENCE_RANGE_MG_PER_L",
    "claims",
    "references",
    "CSF_TOTAL_VOLUME_L",
    "CSF_TOTAL_VOLUME_RANGE_L",
    "csf_drain_fraction",
    "HAEMODIALYSIS_CL_L_PER_H",
    "CVVH_CL_L_PER_H",
    "POPULATION_SETS",
    "PUBLISHED_HALF_LIFE_RANGE_H",
    "CSF_HALF_LIFE_H",
    "child_flags",
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


def parameter_table() -> Any:
    """The parameter table (set, name, value, unit, population, source, note) as a pandas DataFrame."""
    return data.table("parameters")


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
    return data.table("published_half_lives")


#: The reference list and the evidence register are the data layer's (one loader):
#: :func:`baclofen_teach.data.references` and :func:`baclofen_teach.data.claims`, re-exported here.
references = data.references
claims = data.claims


def param_value(set_name: str, name: str) -> float:
    """One value from the table, e.g. ``param_value("adult", "cl_over_f_L_per_h")``
    (:func:`baclofen_teach.data.param`); an unknown set or name raises :class:`PKLookupError` naming it."""
    for arg, val in (("set_name", set_name), ("name", name)):
        if not isinstance(val, str):
            raise v.PKLookupError(f"{arg} must be a string (a row of parameters.csv); got {val!r}")
    try:
        return data.param(set_name, name)
    except KeyError:
        pass
    sets = list(data.param_sets())
    if set_name not in sets:
        raise v.PKLookupError(f"set_name must be one of {sets}; got {set_name!r}") from None
    names = sorted(r["name"] for r in data.rows("parameters") if r["set"] == set_name)
    raise v.PKLookupError(
        f"name must be one of {names} (parameters of set {set_name!r}); got {name!r}"
    ) from None


#: Plasma *reference* range of baclofen, mg/L (= ug/mL): 0.08-0.40, the laboratory range an overdose report
#: gives as "normal, 0.08 to .40 microgram/mL" [perry1998]. It is not a validated therapeutic target: optimal
#: responses were obtained at very different plasma levels [knutsson1974]. Use it as a landmark only.
#: (parameters.csv, set ``therapeutic``.)
REFERENCE_RANGE_MG_PER_L: tuple[float, float] = (
    param_value("therapeutic", "plasma_low_mg_per_L"),
    param_value("therapeutic", "plasma_high_mg_per_L"),
)
#: Old name of :data:`REFERENCE_RANGE_MG_PER_L`, kept for backward compatibility (same tuple). The range is a
#: reported reference range, not a therapeutic range.
THERAPEUTIC_RANGE_MG_PER_L: tuple[float, float] = REFERENCE_RANGE_MG_PER_L
#: Total adult CSF volume (whole neuraxis), L: mean 0.13, range 0.10-0.16 [ijt2018] (parameters.csv, set
#: ``csf``).
CSF_TOTAL_VOLUME_L: float = param_value("csf", "csf_total_volume_L")
CSF_TOTAL_VOLUME_RANGE_L: tuple[float, float] = (
    param_value("csf", "csf_total_volume_low_L"),
    param_value("csf", "csf_total_volume_high_L"),
)
#: Mean CSF elimination half-life after a 50 or 100 ug lumbar intrathecal bolus, h: 1.5 [label_lioresal_it]
#: (parameters.csv, ``csf,csf_half_life_h``); the apparent CSF volume ``v_csf_L`` = CL_csf x this / ln 2.
CSF_HALF_LIFE_H: float = param_value("csf", "csf_half_life_h")
#: Haemodialysis clearance of baclofen, L/h: 2.14 mL/s = 7.7 L/h (one patient, 4 h session) [brvar2007]
#: (parameters.csv, set ``dialysis``).
HAEMODIALYSIS_CL_L_PER_H: float = param_value("dialysis", "hd_cl_L_per_h")
#: Continuous veno-venous haemofiltration (CVVH) clearance, L/h: 2.4 (case report) [cvvh2014].
CVVH_CL_L_PER_H: float = param_value("dialysis", "cvvh_cl_L_per_h")
#: The published oral population-PK sets for :meth:`PKParams.population`: every set of parameters.csv
#: other than ``adult`` that gives ka, CL/F and V/F (a new set is a new block of rows, no code change).
POPULATION_SETS: tuple[str, ...] = ()


def _population_sets() -> tuple[str, ...]:
    needed = {"ka_per_h", "cl_over_f_L_per_h", "v_over_f_L"}
    names: dict[str, set[str]] = {}
    for r in data.rows("parameters"):
        names.setdefault(r["set"], set()).add(r["name"])
    return tuple(s for s, n in names.items() if s != "adult" and n >= needed)


POPULATION_SETS = _population_sets()


#: Range of the published oral elimination half-lives, h: (shortest low, longest high) over
#: :func:`published_half_lives` (2.3-6.8 h [kriel1997; wuis1989]).
PUBLISHED_HALF_LIFE_RANGE_H: tuple[float, float] = (
    min(float(r["half_life_low_h"]) for r in data.rows("published_half_lives")),
    max(float(r["half_life_high_h"]) for r in data.rows("published_half_lives")),
)


def csf_drain_fraction(volume_removed_mL: float, csf_volume_mL: float = CSF_TOTAL_VOLUME_L * 1000.0) -> float:
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
    v_csf_L: float = data.param("csf", "v_csf_L")
    cl_csf_L_per_h: float = data.param("csf", "cl_csf_L_per_h")
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
        ``"simon2018"``, ``"marsot2013"`` or ``"chevillard2017"`` (:data:`POPULATION_SETS`, read from
        parameters.csv); F = 0.74 [agarwal2015] converts the apparent values to true ones, CSF parameters as
        in :meth:`adult`."""
        src = v.choice(source, "source", POPULATION_SETS)
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
        CL/F = 0.273 L/h/kg x weight, V/F = 1.16 L/kg x weight (Vss/F), so the half-life does not
        depend on weight.

        Limits, disclosed in notebook 03 too: (1) the half-life of this one-compartment form,
        ln 2 x 1.16 / 0.273 = 2.9 h, is shorter than the terminal half-life of the same study's
        2-compartment model, 4.5 h [he2014], and than 5.1 h in 8 children (with gastro-oesophageal
        reflux) given 2.5 mg [tdm2003]; it lies within 2.3-3.4 h reported by [kriel1997].
        (2) In [he2014] "body weight, a possible genetic factor, and age were determinants of apparent
        clearance"; the model uses weight only.

        ka and F are the adult values (no paediatric IV data; [he2014] used a transit absorption model
        with mean transit time 0.39 h). CSF parameters are the adult ones (children's CSF volume is
        smaller; an assumption). Weights outside 10-90 kg (parameters.csv, ``child,weight_min_kg`` and
        ``weight_max_kg``, a teaching choice) are allowed but flagged by :func:`child_flags`.
        """
        w = v.in_range(weight_kg, "weight_kg", *v.WEIGHT_RANGE_KG)
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

        ``CL(CrCl) = CL_normal x [(1 - fe) + fe x CrCl / CrCl_ref]``, CrCl_ref = 100 mL/min, where fe is
        the renal share of *systemic* clearance, CLr / CL. Renal clearance approximates creatinine
        clearance (mostly filtration [wuis1989; wuis1990]), hence the linear scaling.

        Deriving fe (``parameters.csv``, ``fe_renal``). Studies report the fraction of an *oral* dose
        excreted unchanged in urine, fe_urine = F x CLr / CL. With F = 0.74 [agarwal2015]:

        - 69 +- 14 % unchanged after 40 mg in 4 healthy adults [wuis1989]: fe = 0.69 / 0.74 = 0.93;
        - 65 +- 16 % in 6 patients on 30-80 mg/day [wuis1990]: fe = 0.65 / 0.74 = 0.88;
        - renal clearance 103 mL/min (a true clearance, amount in urine / AUC) and CL/F 180 mL/min in
          healthy adults [kochak1985]: fe = 103 / (0.74 x 180) = 0.77.

        The model uses their mean, **fe = 0.86** (range 0.77-0.93), so 14 % of clearance survives
        anuria. (Before December 2026 it used 0.69 itself, the oral-dose fraction, which left 31 %.) At
        CrCl 100 the model's renal clearance is 0.86 x 7.99 L/h = 115 mL/min, against 103 mL/min
        measured [kochak1985].

        Only CL changes; V is unchanged, so Cmax changes little while AUC and half-life rise, as
        observed ("Cmax was not statistically different between the groups" [vlavonou2014]). Model
        half-life (adult base): 3.8 h at CrCl 100, 5.4 h at 65, 7.8 h at 40, 12.1 h at 20, 14.1 h at 15,
        16.8 h at 10, 20.7 h at 5 and 27.0 h at 0 mL/min. Checked in
        ``tests/pk/test_pk_renal_published.py`` against: the same-exposure dose reductions proposed by
        [vlavonou2014] (1/3, 1/2, 2/3 for CrCl 50-80, 30-50, < 30 mL/min; model 30 %, 52 %, 69 % at
        65, 40 and 20 mL/min, less near the top of each band: 17 %, 43 %, 60 % at 80, 50, 30 mL/min);
        toxicity usually starting 2-3 days after starting baclofen (as late as 16 weeks in some) in 41
        patients with renal insufficiency, most on dialysis [elhusseini2011] (model: 90 % of steady state
        after 2.3-2.9 days at CrCl 10-5; a loose anchor: onset is not the time to 90 %); and
        half-lives "of up to 34 h" reported after overdose [cvvh2014] (an abstract that does not say
        whether those patients had kidney failure). Estimate CrCl with
        :func:`cockcroft_gault_mL_per_min` [cockcroft1976]. The model has one clearance per CrCl; real
        patients vary widely around it (CL/F between-subject variability 21-56 % in the population
        studies), and dialysis is added separately (:func:`haemodialysis`).
        """
        crcl = v.in_range(crcl_mL_per_min, "crcl_mL_per_min", *v.CRCL_RANGE_ML_PER_MIN)
        b = base if base is not None else cls.adult()
        if not isinstance(b, PKParams):
            raise v.PKInputError(f"base must be a PKParams or None; got {b!r}")
        factor = renal_clearance_factor(crcl)
        fe = param_value("adult", "fe_renal")
        return b.with_(
            cl_L_per_h=b.cl_L_per_h * factor,
            name=f"{b.name}, CrCl {crcl:g} mL/min",
            notes=f"CL x {factor:.3f} for CrCl {crcl:g} mL/min (renal share fe {fe:.2f}: fe_urine / F)",
        )

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
        hi = v.CRCL_RANGE_ML_PER_MIN[1]
        if crcl > hi:
            raise v.PKInputError(
                f"the creatinine clearance from age_y, weight_kg and the serum creatinine must be <= {hi:g} "
                f"mL/min; got {crcl:.6g} mL/min (age_y={age_y!r}, weight_kg={weight_kg!r}, "
                f"scr_mg_per_dL={scr_mg_per_dL!r}, scr_umol_per_L={scr_umol_per_L!r})"
            )
        return cls.renal(crcl, base=base)


def _flag(x: Any, name: str) -> bool:
    if not isinstance(x, (bool, np.bool_)):
        raise v.PKInputError(f"{name} must be True or False; got {x!r}")
    return bool(x)


def renal_clearance_factor(crcl_mL_per_min: float) -> float:
    """CL(CrCl) / CL(normal) = (1 - fe) + fe x CrCl / 100, with fe = 0.86 the renal share of systemic
    clearance (fe_urine / F [wuis1989; wuis1990; kochak1985; agarwal2015]; derivation in
    :meth:`PKParams.renal`). Examples: 0.70 at CrCl 65, 0.48 at 40, 0.31 at 20, 0.14 at 0 mL/min."""
    crcl = v.in_range(crcl_mL_per_min, "crcl_mL_per_min", *v.CRCL_RANGE_ML_PER_MIN)
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
    (1 mg/dL = 88.4 umol/L). Age 18-120 y, weight 0.1-500 kg, serum creatinine 0.05-30 mg/dL
    (4.42-2652 umol/L); the result is capped by :meth:`PKParams.renal` at 1000 mL/min.
    """
    age = v.real(age_y, "age_y (years)", min_value=18.0, max_value=120.0)
    w = v.in_range(weight_kg, "weight_kg", *v.WEIGHT_RANGE_KG)
    if (scr_mg_per_dL is None) == (scr_umol_per_L is None):
        raise v.PKInputError(
            "give exactly one of scr_mg_per_dL or scr_umol_per_L; got "
            f"scr_mg_per_dL={scr_mg_per_dL!r}, scr_umol_per_L={scr_umol_per_L!r}"
        )
    if scr_mg_per_dL is not None:
        scr = v.in_range(scr_mg_per_dL, "scr_mg_per_dL", *v.SCR_RANGE_MG_PER_DL)
    else:
        lo, hi = v.SCR_RANGE_MG_PER_DL
        scr = v.in_range(scr_umol_per_L, "scr_umol_per_L", round(lo * 88.4, 9), round(hi * 88.4, 9)) / 88.4
    female = _flag(female, "female")
    crcl = (140.0 - age) * w / (72.0 * scr)
    return crcl * 0.85 if female else crcl


def haemodialysis(
    start_h: float,
    duration_h: float = 4.0,
    cl_L_per_h: float = HAEMODIALYSIS_CL_L_PER_H,
    label: str = "haemodialysis",
) -> ClearanceWindow:
    """One intermittent haemodialysis session as extra plasma clearance: ``cl_L_per_h`` (default
    :data:`HAEMODIALYSIS_CL_L_PER_H`, 7.7 L/h [brvar2007]) from ``start_h`` for ``duration_h`` hours (default
    4 h, the session in [brvar2007])."""
    d = v.real(duration_h, "duration_h (hours)", min_value=0.0, min_inclusive=False, max_value=v.MAX_TIME_H)
    s = v.time_h(start_h, "start_h", max_value=v.MAX_TIME_H - d)
    cl = _extra_cl(cl_L_per_h)
    return ClearanceWindow(start_h=s, stop_h=s + d, extra_cl_L_per_h=cl, label=label)


def _extra_cl(x: Any) -> float:
    return v.real(x, "cl_L_per_h", min_value=0.0, max_value=v.CLEARANCE_RANGE_L_PER_H[1])


def haemofiltration(
    start_h: float,
    duration_h: float = 24.0,
    cl_L_per_h: float = CVVH_CL_L_PER_H,
    label: str = "CVVH",
) -> ClearanceWindow:
    """Continuous veno-venous haemofiltration (CVVH) as extra plasma clearance: ``cl_L_per_h`` (default
    :data:`CVVH_CL_L_PER_H`, 2.4 L/h [cvvh2014]) from ``start_h`` for ``duration_h`` hours (default 24 h, a
    teaching choice; ``math.inf`` = until the end of the simulation)."""
    s = v.time_h(start_h, "start_h", max_value=v.MAX_TIME_H)
    d = v.real(duration_h, "duration_h (hours)", min_value=0.0, min_inclusive=False, allow_inf=True)
    if math.isfinite(d) and s + d > v.MAX_TIME_H:
        raise v.PKInputError(
            f"duration_h must be <= {v.MAX_TIME_H - s:g} h (start_h + duration_h <= {v.MAX_TIME_H:g} h) "
            f"or inf; got {duration_h!r}"
        )
    cl = _extra_cl(cl_L_per_h)
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
) -> Infusion:
    """An intrathecal :class:`Infusion` from a pump rate in micrograms per day (converted exactly to
    mg/h: ug/day / 24000). Label maintenance is mostly 300-800 ug/day [label_lioresal_it]."""
    r = v.real(rate_ug_per_day, "rate_ug_per_day", min_value=0.0, max_value=24_000.0 * v.MAX_RATE_MG_PER_H)
    s = v.time_h(start_h, "start_h", max_value=v.MAX_TIME_H)
    e = v.time_h(stop_h, "stop_h", max_value=v.MAX_TIME_H, allow_inf=True)
    if e < s:
        raise v.PKInputError(f"stop_h must be >= start_h ({s!r} h); got {stop_h!r}")
    return Infusion(start_h=s, stop_h=e, rate_mg_per_h=r / 24_000.0, route="it", label=label)


def it_bolus_ug(time_h: float, amount_ug: float, label: str = "intrathecal bolus") -> Dose:
    """An intrathecal bolus :class:`Dose` from an amount in micrograms (screening 50-100 ug
    [label_lioresal_it])."""
    if isinstance(amount_ug, (str, list, tuple)) or np.ndim(amount_ug) != 0:
        raise v.PKInputError(f"amount_ug must be one real number (ug); got {amount_ug!r}")
    t = v.time_h(time_h, "time_h", max_value=v.MAX_TIME_H)
    return Dose(
        time_h=t, amount_mg=ug_to_mg(v.to_unit(amount_ug, "ug", "amount_ug")), route="it", label=label
    )


def child_flags(weight_kg: float) -> list[Flag]:
    """Warnings (never errors) for :meth:`PKParams.child`: a weight outside 10-90 kg, the range meant to
    cover the ages of the cerebral palsy cohort (2-17 y) whose clearance per kg is used [he2014]; the limits
    are a teaching choice (parameters.csv, ``child,weight_min_kg`` and ``child,weight_max_kg``)."""
    w = v.positive(weight_kg, "weight_kg")
    lo, hi = param_value("child", "weight_min_kg"), param_value("child", "weight_max_kg")
    if lo <= w <= hi:
        return []
    return [
        Flag(
            f"weight_kg={w:g} kg is outside {lo:g}-{hi:g} kg, the range this course uses for the children "
            "studied (2-17 y) [he2014]: the weight-scaled clearance is an extrapolation.",
            "child_weight_outside_studied_range",
        )
    ]
