"""Dosing and intervention events understood by :func:`baclofen_teach.pk.simulate`.

All times are in hours, amounts in mg, rates in mg/h. Amount and rate arguments also accept a
:class:`baclofen_teach.units.Quantity` (e.g. ``units.ug(50)``), converted exactly to mg or mg/h.

Events at the same time are applied in this order: doses are added first, then fractions are removed
(:class:`RemoveFraction`, :class:`CsfDrain`). Bolus doses are right-continuous: a concentration sampled
exactly at the dose time already includes the dose.

Educational model, not dosing advice.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import _validate as v

__all__ = [
    "Dose",
    "Infusion",
    "ClearanceWindow",
    "RemoveFraction",
    "CsfDrain",
    "Event",
    "DOSE_ROUTES",
    "INFUSION_ROUTES",
    "COMPARTMENTS",
]

DOSE_ROUTES: tuple[str, ...] = ("oral", "iv", "it")
INFUSION_ROUTES: tuple[str, ...] = ("iv", "it")
COMPARTMENTS: tuple[str, ...] = ("gut", "plasma", "csf")


@dataclass(frozen=True)
class Dose:
    """A bolus dose.

    Parameters
    ----------
    time_h : time of the dose, hours (0 to ``MAX_TIME_H`` = 1e6 h).
    amount_mg : amount, mg (0 to ``MAX_AMOUNT_MG`` = 1e9 mg, one tonne: overdoses are simulable; a
        ``Quantity`` such as ``units.ug(50)`` is converted to mg).
    route : ``"oral"`` (enters the gut; bioavailability ``f_oral`` applies), ``"iv"`` (plasma) or
        ``"it"`` (intrathecal: enters the CSF compartment).
    label : free text carried along (e.g. ``"missed dose taken late"``).
    """

    time_h: float
    amount_mg: float
    route: str = "oral"
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "time_h", v.time_h(self.time_h, "Dose.time_h", max_value=v.MAX_TIME_H))
        object.__setattr__(self, "amount_mg", v.amount(self.amount_mg, "Dose.amount_mg", unit="mg"))
        object.__setattr__(self, "route", v.choice(self.route, "Dose.route", DOSE_ROUTES))

    @property
    def amount_ug(self) -> float:
        """The amount in micrograms."""
        return self.amount_mg * 1000.0


@dataclass(frozen=True)
class Infusion:
    """A constant-rate infusion from ``start_h`` to ``stop_h`` (``math.inf`` for "never stops").

    Parameters
    ----------
    start_h, stop_h : hours, 0 <= start_h <= stop_h <= 1e6 h or ``math.inf`` (stop an infusion early simply
        by an earlier stop_h).
    rate_mg_per_h : mg/h (0 to 1e9; ``units.ug_per_day(600)`` is converted to mg/h exactly).
    route : ``"iv"`` (into plasma) or ``"it"`` (intrathecal pump: into CSF).
    """

    start_h: float
    stop_h: float
    rate_mg_per_h: float
    route: str = "iv"
    label: str = ""

    def __post_init__(self) -> None:
        start = v.time_h(self.start_h, "Infusion.start_h", max_value=v.MAX_TIME_H)
        stop = v.time_h(self.stop_h, "Infusion.stop_h", max_value=v.MAX_TIME_H, allow_inf=True)
        if stop < start:
            raise v.PKInputError(f"Infusion.stop_h must be >= start_h ({start!r} h); got {stop!r}")
        object.__setattr__(self, "start_h", start)
        object.__setattr__(self, "stop_h", stop)
        object.__setattr__(
            self,
            "rate_mg_per_h",
            v.real(
                self.rate_mg_per_h,
                "Infusion.rate_mg_per_h",
                min_value=0.0,
                max_value=v.MAX_RATE_MG_PER_H,
                unit="mg/h",
            ),
        )
        object.__setattr__(self, "route", v.choice(self.route, "Infusion.route", INFUSION_ROUTES))

    @property
    def rate_ug_per_day(self) -> float:
        """The rate in micrograms per day."""
        return self.rate_mg_per_h * 24_000.0

    @property
    def total_mg(self) -> float:
        """Total amount delivered, mg (inf for an infusion that never stops and has a positive rate)."""
        if self.rate_mg_per_h == 0.0:
            return 0.0
        return self.rate_mg_per_h * (self.stop_h - self.start_h)


@dataclass(frozen=True)
class ClearanceWindow:
    """Extra plasma clearance between ``start_h`` and ``stop_h``: haemodialysis, CVVH, etc.

    During the window the plasma elimination clearance is ``cl_L_per_h + extra_cl_L_per_h``; the system
    matrix changes at the window edges, which the engine treats as events (exact, no ODE solver).
    Overlapping windows add; ``extra_cl_L_per_h`` is at most 1e4 L/h. Example: a 4 h haemodialysis session
    with 7.7 L/h [brvar2007]:
    ``ClearanceWindow(start_h=6, stop_h=10, extra_cl_L_per_h=7.7, label="haemodialysis")``.
    """

    start_h: float
    stop_h: float
    extra_cl_L_per_h: float
    label: str = ""

    def __post_init__(self) -> None:
        start = v.time_h(self.start_h, "ClearanceWindow.start_h", max_value=v.MAX_TIME_H)
        stop = v.time_h(self.stop_h, "ClearanceWindow.stop_h", max_value=v.MAX_TIME_H, allow_inf=True)
        if stop < start:
            raise v.PKInputError(f"ClearanceWindow.stop_h must be >= start_h ({start!r} h); got {stop!r}")
        object.__setattr__(self, "start_h", start)
        object.__setattr__(self, "stop_h", stop)
        object.__setattr__(
            self,
            "extra_cl_L_per_h",
            v.real(
                self.extra_cl_L_per_h,
                "ClearanceWindow.extra_cl_L_per_h (L/h)",
                min_value=0.0,
                max_value=v.CLEARANCE_RANGE_L_PER_H[1],
            ),
        )


@dataclass(frozen=True)
class RemoveFraction:
    """Remove a fraction of the drug amount in one compartment at one instant (an exact state jump).

    ``compartment``: ``"gut"`` (e.g. idealised gastric decontamination), ``"plasma"`` or ``"csf"``
    (CSF drainage). ``fraction`` in [0, 1]. Right-continuous: the value at ``time_h`` is after removal.
    """

    time_h: float
    compartment: str
    fraction: float
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "time_h", v.time_h(self.time_h, "RemoveFraction.time_h", max_value=v.MAX_TIME_H)
        )
        object.__setattr__(
            self, "compartment", v.choice(self.compartment, "RemoveFraction.compartment", COMPARTMENTS)
        )
        object.__setattr__(
            self, "fraction", v.real(self.fraction, "RemoveFraction.fraction", min_value=0.0, max_value=1.0)
        )


def CsfDrain(time_h: float, fraction: float, label: str = "CSF drainage") -> RemoveFraction:  # noqa: N802
    """Remove ``fraction`` of the CSF drug amount at ``time_h`` (lumbar drain, CSF withdrawal via the pump's
    catheter access port). Returns a :class:`RemoveFraction`. See :func:`csf_drain_fraction` in
    :mod:`baclofen_teach.pk.params` for converting a drained volume in mL to a fraction.
    """
    return RemoveFraction(time_h=time_h, compartment="csf", fraction=fraction, label=label)


Event = Dose | Infusion | ClearanceWindow | RemoveFraction


def _is_event(x: object) -> bool:
    return isinstance(x, (Dose, Infusion, ClearanceWindow, RemoveFraction))
