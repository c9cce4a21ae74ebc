"""Anaphylaxis after an allergen: urticaria and a tight throat, then wheeze and hypotension.

Sources (docs/physiology.md): IM adrenaline 0.5 mg (0.5 mL of 1 mg/mL) in the anterolateral
thigh is first-line for adults, repeated after 5 min without improvement (Resuscitation
Council UK 2021); lie the patient flat with the legs raised unless breathing is worse, give
oxygen, call for help (WAO 2016). Circulation problems bring tachycardia, low blood pressure
and collapse; skin signs are absent in about 20% (RCUK 2021).
Authoring choices: timings and the size of each change in the vital signs.
"""

from __future__ import annotations

from simulator.core.physiology.course import RESOLVED, Care, Course
from simulator.core.physiology.vitals import Deviation

ONSET_TO_SEVERE_S = 60.0  # authoring: untreated, the reaction reaches the airway and circulation
RECOVERY_S = 180.0  # authoring


class Anaphylaxis(Course):
    kind = "anaphylaxis"
    TARGETS = {
        "onset": Deviation(heart_rate_bpm=22, systolic_mmhg=-15, diastolic_mmhg=-10, resp_rate_per_min=6, spo2_pct=-3),
        "severe": Deviation(heart_rate_bpm=48, systolic_mmhg=-50, diastolic_mmhg=-32, resp_rate_per_min=14,
                            spo2_pct=-11, consciousness=1),
        "recovering": Deviation(heart_rate_bpm=18, systolic_mmhg=-5, diastolic_mmhg=-3, resp_rate_per_min=2),
    }
    SPEECH = {
        "severe": "I can't... breathe properly... (she wheezes; her lips are swelling)",
        "recovering": "That's easing... I can breathe a bit better now.",
        RESOLVED: "The itching's nearly gone.",
    }

    def advance(self, clock_s: float, care: Care) -> list[str]:
        t = self.in_stage_s(clock_s)
        if self.stage in ("onset", "severe") and care.given_since("adrenaline_im", self.onset_s):
            return [self.move("recovering", clock_s, care)]
        if self.stage == "onset" and t >= ONSET_TO_SEVERE_S:
            return [self.move("severe", clock_s, care)]
        if self.stage == "recovering" and t >= RECOVERY_S:
            return [self.move(RESOLVED, clock_s, care)]
        return []
