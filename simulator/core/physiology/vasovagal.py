"""The vasovagal reaction: prodrome, syncope if needling goes on, recovery lying flat.

Sources (docs/physiology.md lists them): a reaction follows 2.3% of 2,462 ultrasound-guided
MSK injections (J Clin Orthop Trauma 2021) and 2.6% of 8,010 pain procedures (Pain Med 2013);
a previous reaction recurred in 23.3% (Pain Med 2015;16:673). Sitting up makes it likelier
(J Clin Orthop Trauma 2021). Pallor, sweating and nausea usually come first; the faint brings
bradycardia and hypotension and usually lasts about 20 s (Malave & Vrooman 2022; MedicalAlgorithms
2019). Management: stop, lie the patient down with the legs raised (MedicalAlgorithms).
Timings and the size of each change in the vital signs are authoring choices.
"""

from __future__ import annotations

from simulator.core.physiology.course import RESOLVED, Care, Course
from simulator.core.physiology.vitals import Deviation
from simulator.scenario.schema import Case

VASOVAGAL_BASE = 0.025  # about 2.5% per procedure (2.3% and 2.6%, above)
VASOVAGAL_AFTER_PREVIOUS = 0.233  # recurrence after a previous reaction
VASOVAGAL_SEATED_FACTOR = 2.0  # authoring choice: the sources say likelier seated, not by how much
# A reaction can follow any of these steps; each is drawn once per session, not at every puncture.
DRAW_STEPS = ("skin_puncture", "injection")

PRODROME_TO_SYNCOPE_S = 20.0  # authoring choice: an unmanaged prodrome ends in a faint
RECOVERY_LEGS_RAISED_S = 30.0  # authoring choice (the sources give "legs raised for up to 30 min")
RECOVERY_FLAT_S = 60.0  # authoring choice: lying flat without the legs raised recovers more slowly


def vasovagal_probability(case: Case, posture: str | None) -> float:
    """Chance of a reaction at one drawn step, for this patient in this posture."""
    base = VASOVAGAL_AFTER_PREVIOUS if case.patient.conditions.fainting_history else VASOVAGAL_BASE
    if posture == "seated":
        base *= VASOVAGAL_SEATED_FACTOR
    return min(1.0, base)


class Vasovagal(Course):
    kind = "vasovagal"
    TARGETS = {
        "prodrome": Deviation(heart_rate_bpm=-10, systolic_mmhg=-18, diastolic_mmhg=-10, resp_rate_per_min=4),
        "syncope": Deviation(heart_rate_bpm=-30, systolic_mmhg=-50, diastolic_mmhg=-30, resp_rate_per_min=-4,
                             spo2_pct=-3, consciousness=2),
        "recovering": Deviation(heart_rate_bpm=-4, systolic_mmhg=-8, diastolic_mmhg=-4),
    }
    SPEECH = {
        "syncope": "(Her eyes roll up and she slumps, pale and sweaty; she does not answer.)",
        "recovering": "(She stirs and opens her eyes; the colour is coming back to her face.)",
        RESOLVED: "Oh... I went all funny. I feel all right now, lying here.",
    }

    def _managed(self, care: Care) -> bool:
        return not care.needle_in and care.lying

    def advance(self, clock_s: float, care: Care) -> list[str]:
        t = self.in_stage_s(clock_s)
        if self.stage in ("prodrome", "syncope") and self._managed(care):
            return [self.move("recovering", clock_s, care)]
        if self.stage == "prodrome" and t >= PRODROME_TO_SYNCOPE_S:
            return [self.move("syncope", clock_s, care)]
        if self.stage == "recovering":
            if not care.lying:  # sat up again too soon
                return [self.move("prodrome", clock_s, care)]
            needed = RECOVERY_LEGS_RAISED_S if care.posture == "legs_raised" else RECOVERY_FLAT_S
            if t >= needed:
                return [self.move(RESOLVED, clock_s, care)]
        return []

    def needled(self, clock_s: float, care: Care) -> list[str]:
        if self.stage in ("prodrome", "recovering"):
            return [self.move("syncope", clock_s, care)]
        return []
