"""Local anaesthetic systemic toxicity (LAST): driven by the dose that reached the circulation.

Sources (docs/physiology.md): IV lidocaine 1-1.5 mg/kg is a therapeutic ACLS dose (AHA ACLS
drug table); 2-3 mg/kg can stop status epilepticus, and rising levels bring perioral
numbness, tinnitus and tremor, then seizures and coma; accidental IV epidural doses of
5-8 mg/kg cause seizures (Epilepsy Foundation). Bupivacaine 1.25-7.5 mg straight into the
vertebral artery caused grand mal seizures (Burney 1979; case reports in Anesth Analg).
Bupivacaine is the more cardiotoxic (boxed warning), and cardiovascular signs can come
without neurological ones. Treatment: stop, call for help, 100% oxygen, benzodiazepines for
seizures, 20% lipid emulsion 1.5 mL/kg then 0.25 mL/kg/min (ASRA checklist 2020; Neal 2018).

Authoring choices: the stage thresholds below (anchored on the figures above), bupivacaine
counted as 4 x lidocaine, the timings, and the size of each change in the vital signs.
"""

from __future__ import annotations

from simulator.core.physiology.course import RESOLVED, Care, Course
from simulator.core.physiology.vitals import Deviation

POTENCY = {"lidocaine": 1.0, "procaine": 0.5, "bupivacaine": 4.0}  # lidocaine-equivalent mg per mg (authoring)
EARLY_MG_PER_KG = 1.5  # above the ACLS therapeutic dose: early CNS signs
SEIZURE_MG_PER_KG = 5.0  # accidental IV epidural doses (5-8 mg/kg) cause seizures
COLLAPSE_MG_PER_KG = 8.0
BUPIVACAINE_COLLAPSE_MG_PER_KG = 4.0  # lidocaine-equivalent; below the seizure line: heart before brain
ARTERIAL_BRAIN_MG = 5.0  # lidocaine-equivalent mg into a vertebral or carotid artery: immediate seizure
BRAIN_ARTERIES = ("vertebral", "carotid")

EARLY_TO_PEAK_S = 20.0  # authoring: the early signs lead to the dose's full picture
SEIZURE_TO_COLLAPSE_S = 60.0  # authoring: an untreated seizure brings hypoxia and collapse
EARLY_ONLY_RESOLVES_S = 120.0  # authoring: a small dose wears off on its own
RECOVERY_S = 120.0  # authoring: after lipid emulsion the signs settle

STAGES = ("early", "seizure", "cardiovascular")


def dose_stage(equivalent_mg_per_kg: float, bupivacaine: bool) -> str | None:
    """The worst stage a circulating dose (lidocaine-equivalent mg/kg) brings, or None."""
    if equivalent_mg_per_kg >= COLLAPSE_MG_PER_KG or (bupivacaine and equivalent_mg_per_kg >= BUPIVACAINE_COLLAPSE_MG_PER_KG):
        return "cardiovascular"
    if equivalent_mg_per_kg >= SEIZURE_MG_PER_KG:
        return "seizure"
    if equivalent_mg_per_kg >= EARLY_MG_PER_KG:
        return "early"
    return None


def to_brain(vessel: tuple[str, str] | None) -> bool:
    """An artery that carries the injectate straight to the brain (vertebral or carotid territory)."""
    return vessel is not None and vessel[0] == "artery" and any(w in vessel[1].lower() for w in BRAIN_ARTERIES)


class Last(Course):
    kind = "last"
    TARGETS = {
        "early": Deviation(heart_rate_bpm=12, systolic_mmhg=12, diastolic_mmhg=6, resp_rate_per_min=4),
        "seizure": Deviation(heart_rate_bpm=35, systolic_mmhg=25, diastolic_mmhg=12, resp_rate_per_min=10,
                             spo2_pct=-12, consciousness=3),
        "cardiovascular": Deviation(heart_rate_bpm=-32, systolic_mmhg=-55, diastolic_mmhg=-35, resp_rate_per_min=-6,
                                    spo2_pct=-16, consciousness=2),
        "recovering": Deviation(heart_rate_bpm=6, systolic_mmhg=-5, diastolic_mmhg=-3, consciousness=1),
    }
    SPEECH = {
        "early": "My lips and tongue feel numb... my ears are ringing, and there's a funny metallic taste.",
        "seizure": "(She stops answering, stares, and starts to jerk all over.)",
        "cardiovascular": "(The monitor alarms: her pulse is slow and irregular and her blood pressure is falling.)",
        "recovering": "(She is drowsy but breathing steadily; the monitor settles.)",
        RESOLVED: "What happened? I feel so tired.",
    }
    peak: str = "early"  # the worst stage the circulating dose supports
    seizure_controlled: bool = False

    def raise_peak(self, stage: str, clock_s: float, care: Care) -> list[str]:
        """More drug reached the circulation: the picture can only get worse."""
        if STAGES.index(stage) > STAGES.index(self.peak):
            self.peak = stage
        if self.stage in STAGES and STAGES.index(stage) > STAGES.index(self.stage) and stage != "early":
            return [self.move(stage, clock_s, care)]
        if self.stage in ("recovering", RESOLVED):
            return [self.move(stage, clock_s, care)]
        return []

    def advance(self, clock_s: float, care: Care) -> list[str]:
        t = self.in_stage_s(clock_s)
        if self.stage in STAGES and care.given_since("lipid_emulsion_20", self.onset_s):
            return [self.move("recovering", clock_s, care)]
        if self.stage == "seizure" and care.given_since("midazolam_iv", self.since_s):
            self.seizure_controlled = True
            return [self.move("early", clock_s, care)]
        if self.stage == "early":
            if STAGES.index(self.peak) > 0 and not self.seizure_controlled and t >= EARLY_TO_PEAK_S:
                return [self.move(self.peak, clock_s, care)]
            if self.peak == "early" and t >= EARLY_ONLY_RESOLVES_S:
                return [self.move(RESOLVED, clock_s, care)]
            if self.seizure_controlled and self.peak == "cardiovascular" and t >= SEIZURE_TO_COLLAPSE_S:
                return [self.move("cardiovascular", clock_s, care)]
        if self.stage == "seizure" and t >= SEIZURE_TO_COLLAPSE_S:
            return [self.move("cardiovascular", clock_s, care)]
        if self.stage == "recovering" and t >= RECOVERY_S:
            return [self.move(RESOLVED, clock_s, care)]
        return []
