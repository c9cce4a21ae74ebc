"""One complication's course: named stages, each with its effect on the vital signs.

A course moves from stage to stage on its own clock (the patient's clock, which `observe`
runs forward) and in answer to care. The vital signs move towards the new stage's
deviation over RAMP_S rather than jumping, as a monitor's numbers do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from simulator.core.physiology.vitals import NONE, Deviation

RAMP_S = 8.0  # authoring choice: the monitor's numbers settle within a few seconds of a change
RESOLVED = "resolved"
LYING = ("supine", "legs_raised", "left_lateral", "prone", "side_lying")  # lying down, whichever way up


@dataclass
class Care:
    """What the trainee has done for the patient so far (read by every course)."""

    needle_in: bool = False
    posture: str | None = None  # the Position / Reposition chosen last
    oxygen: bool = False
    help_called: bool = False
    drugs: list[tuple[str, float, float]] = field(default_factory=list)  # (drug_id, amount, clock_s)
    drug_ok: dict[str, bool] = field(default_factory=dict)  # drug_id -> the last dose was right for this patient

    @property
    def lying(self) -> bool:
        return self.posture in LYING

    def given_since(self, drug_id: str, clock_s: float, right_dose: bool = True) -> bool:
        return any(d == drug_id and t >= clock_s for d, _, t in self.drugs) and (
            not right_dose or self.drug_ok.get(drug_id, False))


@dataclass
class Course:
    """Base class: subclasses set `kind`, `TARGETS` (stage -> Deviation), `SPEECH` and `advance`."""

    kind: ClassVar[str] = ""
    TARGETS: ClassVar[dict[str, Deviation]] = {}
    SPEECH: ClassVar[dict[str, str]] = {}
    OXYGEN_SPO2_SHARE: ClassVar[float] = 0.4  # authoring choice: oxygen keeps 40% of the fall in SpO2

    stage: str
    since_s: float
    start: Deviation = NONE
    onset_s: float = float("nan")  # when the course began (set from since_s)

    def __post_init__(self) -> None:
        if self.onset_s != self.onset_s:
            self.onset_s = self.since_s

    @property
    def active(self) -> bool:
        return self.stage != RESOLVED

    def deviation(self, clock_s: float, care: Care) -> Deviation:
        target = self.TARGETS.get(self.stage, NONE)
        share = (clock_s - self.since_s) / RAMP_S if RAMP_S > 0 else 1.0
        d = self.start.blend(target, share)
        if care.oxygen and d.spo2_pct < 0:
            d = Deviation(d.heart_rate_bpm, d.systolic_mmhg, d.diastolic_mmhg, d.resp_rate_per_min,
                          d.spo2_pct * self.OXYGEN_SPO2_SHARE, d.consciousness)
        return d

    def move(self, stage: str, clock_s: float, care: Care) -> str:
        """Enter `stage` now, starting from where the numbers are; returns the stage."""
        self.start = self.deviation(clock_s, Care())  # the raw numbers, without oxygen's relief
        self.stage, self.since_s = stage, clock_s
        return stage

    def in_stage_s(self, clock_s: float) -> float:
        return clock_s - self.since_s

    def advance(self, clock_s: float, care: Care) -> list[str]:
        """Stages entered now (time passing, care given); subclasses decide."""
        return []

    def needled(self, clock_s: float, care: Care) -> list[str]:
        """Stages entered because the needle moved or something was injected during this course."""
        return []
