"""Pneumothorax symptoms after a pleural puncture: cough, pleuritic pain, breathlessness, falling SpO2.

Sources (docs/physiology.md): symptoms can start during the session or hours later; dry cough,
chest pain and breathlessness after needling should raise the suspicion (Patel 2019); a
pneumothorax recovered with supplemental oxygen (Patel 2019; EVMS case); lung ultrasound rules
it in or out better than a supine chest X-ray (ACEP Sonoguide 2021); iatrogenic pneumothorax is
observed or drained depending on size and stability (Respirology 2004).
Authoring choices: timings and the size of each change in the vital signs.
"""

from __future__ import annotations

from simulator.core.physiology.course import Care, Course
from simulator.core.physiology.vitals import Deviation

SYMPTOMS_TO_WORSE_S = 120.0  # authoring: the air leak grows while nobody acts


class Pneumothorax(Course):
    kind = "pneumothorax"
    TARGETS = {
        "symptomatic": Deviation(heart_rate_bpm=14, systolic_mmhg=0, resp_rate_per_min=8, spo2_pct=-4),
        "worsening": Deviation(heart_rate_bpm=28, systolic_mmhg=-8, diastolic_mmhg=-4, resp_rate_per_min=14,
                               spo2_pct=-10),
    }
    SPEECH = {
        "worsening": "(She coughs.) It's getting harder to breathe... it hurts on that side.",
    }

    def advance(self, clock_s: float, care: Care) -> list[str]:
        if self.stage == "symptomatic" and self.in_stage_s(clock_s) >= SYMPTOMS_TO_WORSE_S and not care.oxygen:
            return [self.move("worsening", clock_s, care)]
        return []
