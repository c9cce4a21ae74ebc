"""Pneumothorax symptoms after a pleural puncture: cough, pleuritic pain, breathlessness, falling SpO2.

Sources (docs/physiology.md): symptoms can start during the session or hours later; dry cough,
chest pain and breathlessness after needling should raise the suspicion (Patel 2019); a
pneumothorax recovered with supplemental oxygen (Patel 2019; EVMS case); lung ultrasound rules
it in or out better than a supine chest X-ray (ACEP Sonoguide 2021); iatrogenic pneumothorax is
observed or drained depending on size and stability (Respirology 2004).
Authoring choices: timings, the onset rule below and the size of each change in the vital signs.

Onset: reports give both immediate symptoms and symptoms hours later (docs/sources.md [41][42]),
but no rate by kind of puncture. Here a larger breach (a needle of 22 G or larger bore) or a
repeated one (the pleura crossed again) brings the symptoms at once more often than a single
breach with a fine needle; a delayed onset comes a few minutes later in the session (real
delays run to hours), on the patient's clock, so observing lets it show.
"""

from __future__ import annotations

import numpy as np

from simulator.core.physiology.course import Care, Course
from simulator.core.physiology.vitals import Deviation

SYMPTOMS_TO_WORSE_S = 120.0  # authoring: the air leak grows while nobody acts
LARGE_BORE_GAUGE = 22  # authoring: this gauge or a larger bore (a smaller number) makes a larger breach
IMMEDIATE_CHANCE_LARGE = 0.7  # authoring: a larger or repeated breach shows at once this often
IMMEDIATE_CHANCE_SMALL = 0.1  # authoring: one breach with a finer needle
DELAY_S = (120.0, 300.0)  # authoring: a delayed onset, compressed from hours to minutes


def large_breach(gauge: int, breaches: int) -> bool:
    """A needle of LARGE_BORE_GAUGE or larger bore, or the pleura crossed more than once."""
    return gauge <= LARGE_BORE_GAUGE or breaches > 1


def onset_delay_s(rng: np.random.Generator, gauge: int, breaches: int) -> float:
    """Seconds (on the patient's clock) from this breach to the symptoms: 0 for an immediate onset.

    One draw decides immediate or delayed; a delayed onset draws its delay from DELAY_S.
    """
    chance = IMMEDIATE_CHANCE_LARGE if large_breach(gauge, breaches) else IMMEDIATE_CHANCE_SMALL
    if rng.random() < chance:
        return 0.0
    lo, hi = DELAY_S
    return float(rng.uniform(lo, hi))


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
