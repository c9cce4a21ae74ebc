"""Events of the patient's course and care after a complication, the aftercare, and the end of
the session."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.core.events_base import Event


# ---------------------------------------------------------------- the patient's course and care
@dataclass(frozen=True, kw_only=True)
class ComplicationChanged(Event):
    """A complication moved to a new stage (see simulator/core/physiology for the stages)."""

    kind: str  # vasovagal | last | anaphylaxis | pneumothorax
    stage: str  # e.g. prodrome, syncope, recovering, resolved; "resolved" ends it


@dataclass(frozen=True, kw_only=True)
class VitalsRecorded(Event):
    """The monitor's reading; `checked` when the trainee looked (check_vitals), else logged by the monitor."""

    heart_rate_bpm: float
    systolic_mmhg: float
    diastolic_mmhg: float
    resp_rate_per_min: float
    spo2_pct: float
    consciousness: str  # alert | drowsy | unresponsive | seizing
    checked: bool = False


@dataclass(frozen=True, kw_only=True)
class ProcedureStopped(Event):
    needle_removed: bool


@dataclass(frozen=True, kw_only=True)
class HelpCalled(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class PatientRepositioned(Event):
    posture: str  # supine | legs_raised | left_lateral | seated


@dataclass(frozen=True, kw_only=True)
class OxygenGiven(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class EmergencyDrugGiven(Event):
    drug_id: str
    amount: float
    unit: str  # mg | mL
    route: str  # IM | IV
    amount_per_kg: float


@dataclass(frozen=True, kw_only=True)
class Observed(Event):
    duration_s: float


@dataclass(frozen=True, kw_only=True)
class CareArranged(Event):
    what: str  # lung_ultrasound | chest_xray | transfer


@dataclass(frozen=True, kw_only=True)
class AftercareGiven(Event):
    item: str


@dataclass(frozen=True, kw_only=True)
class SessionFinished(Event):
    pass
