"""Physiology: vital signs, the course of each complication, and what care does to it.

The fixture patient weighs 60 kg with a resting heart rate of 72; the trapezius lies over
the pleura (about 28 mm down at (60, 40)) and a transverse cervical artery runs at y 60,
19 mm deep.
"""

import numpy as np
import pytest

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core.physiology import last, vasovagal
from simulator.core.physiology.course import RAMP_S  # the monitor's numbers settle over this time
from simulator.core.session import Session
from simulator.scenario.schema import Allergy, Conditions

TICKS_PER_S = 60


def of(events, cls):
    return [e for e in events if isinstance(e, cls)]


def stages(session, kind):
    return [e.stage for e in session.events if isinstance(e, E.ComplicationChanged) and e.kind == kind]


def wait(session, seconds, actions=()):
    session.step(list(actions))
    for _ in range(round(seconds * TICKS_PER_S)):
        session.step()


def fainter(case, catalogue, position="seated"):
    """A session whose patient has the vasovagal prodrome at the first skin puncture (a seed that draws it)."""
    patient = case.patient.model_copy(update={"conditions": Conditions(fainting_history=True)})
    faint_case = case.model_copy(update={"patient": patient})
    for seed in range(200):
        s = Session(faint_case, catalogue, seed)
        s.step([A.Position(position=position), A.ChooseNeedle(gauge=25, length_mm=38)])
        if of(s.step([A.Insert(x_mm=60, y_mm=40, angle_deg=45, heading_deg=0)]), E.VasovagalEpisode):
            return s
    raise AssertionError("no seed in 200 gave a faint")


def with_patient(case, **changes):
    return case.model_copy(update={"patient": case.patient.model_copy(update=changes)})


def needle_in_artery(case, catalogue, agent, volume_ml, seed=0):
    s = Session(case, catalogue, seed)
    s.step([A.ChooseNeedle(gauge=25, length_mm=50), A.SelectAgent(agent_id=agent, volume_ml=volume_ml),
            A.Insert(x_mm=60, y_mm=60, angle_deg=90, heading_deg=0), A.Advance(mm=19)])
    return s


# ------------------------------------------------------------------ vital signs
def test_a_calm_patient_keeps_baseline_vitals_and_the_monitor_logs_nothing(case, catalogue):
    s = Session(case, catalogue, 0)
    wait(s, 2, [A.ChooseNeedle(gauge=25, length_mm=38), A.Insert(x_mm=60, y_mm=40, angle_deg=30, heading_deg=0)])
    v = s.state.vitals
    assert (v.heart_rate_bpm, v.blood_pressure, v.spo2_pct, v.consciousness) == (72, "120/78", 98, "alert")
    assert not of(s.events, E.VitalsRecorded)
    (checked,) = s.step([A.CheckVitals()])
    assert isinstance(checked, E.VitalsRecorded) and checked.checked and checked.heart_rate_bpm == 72


def test_same_seed_and_actions_give_the_same_vitals(case, catalogue):
    runs = []
    for _ in range(2):
        s = fainter(case, catalogue)
        wait(s, 30)
        runs.append([E.event_to_dict(e) for e in s.events])
    assert runs[0] == runs[1]


# ------------------------------------------------------------------ vasovagal
def test_an_unmanaged_prodrome_ends_in_a_faint_with_bradycardia_and_hypotension(case, catalogue):
    s = fainter(case, catalogue)
    assert stages(s, "vasovagal") == ["prodrome"]
    wait(s, vasovagal.PRODROME_TO_SYNCOPE_S + 10)
    assert stages(s, "vasovagal") == ["prodrome", "syncope"]
    v = s.state.vitals
    assert v.heart_rate_bpm < 50 and v.systolic_mmhg < 90 and v.consciousness == "unresponsive"
    logged = of(s.events, E.VitalsRecorded)
    assert len(logged) >= 5 and min(e.systolic_mmhg for e in logged) < 90  # the monitor logs the fall


def test_needling_on_through_the_prodrome_brings_the_faint_at_once(case, catalogue):
    s = fainter(case, catalogue)
    events = s.step([A.Advance(mm=2)])
    assert [e.stage for e in of(events, E.ComplicationChanged)] == ["syncope"]
    assert "slumps" in of(events, E.ComplicationChanged)[0].speech


def test_stop_and_legs_raised_bring_recovery_then_needling_can_resume(case, catalogue):
    s = fainter(case, catalogue)
    stopped = s.step([A.Stop()])
    assert [type(e) for e in stopped] == [E.NeedleRemoved, E.ProcedureStopped] and stopped[1].needle_removed
    wait(s, 1, [A.Reposition(posture="legs_raised")])
    assert stages(s, "vasovagal") == ["prodrome", "recovering"]
    wait(s, vasovagal.RECOVERY_LEGS_RAISED_S + 10)
    assert stages(s, "vasovagal") == ["prodrome", "recovering", "resolved"]
    assert s.state.vitals.heart_rate_bpm == 72 and s.state.vitals.consciousness == "alert"
    events = s.step([A.Insert(x_mm=60, y_mm=40, angle_deg=45, heading_deg=0), A.Advance(mm=3)])
    assert not of(events, E.ComplicationChanged) and not of(events, E.ActionRejected)


def test_lying_flat_without_the_legs_raised_recovers_more_slowly(case, catalogue):
    times = {}
    for posture in ("supine", "legs_raised"):
        s = fainter(case, catalogue)
        s.step([A.Stop(), A.Reposition(posture=posture)])
        wait(s, vasovagal.RECOVERY_FLAT_S + 5)
        times[posture] = next(e.t_s for e in of(s.events, E.ComplicationChanged) if e.stage == "resolved")
    assert times["legs_raised"] + 20 < times["supine"]


def test_sitting_her_up_too_soon_brings_the_prodrome_back(case, catalogue):
    s = fainter(case, catalogue)
    s.step([A.Stop(), A.Reposition(posture="legs_raised")])
    wait(s, 5, [A.Reposition(posture="seated")])
    assert stages(s, "vasovagal") == ["prodrome", "recovering", "prodrome"]


def test_observing_runs_the_patients_clock_forward(case, catalogue):
    s = fainter(case, catalogue)
    s.step([A.Stop(), A.Reposition(posture="legs_raised")])
    t_before = s.time_s
    events = s.step([A.Observe(duration_s=60)])
    assert isinstance(events[0], E.Observed)
    assert [e.stage for e in of(events, E.ComplicationChanged)] == ["resolved"]
    assert s.time_s == pytest.approx(t_before + 1 / TICKS_PER_S)


@pytest.mark.parametrize("action, reason", [
    (A.Reposition(posture="upside_down"), "unknown posture"),
    (A.Observe(duration_s=0), "duration_s must be above 0"),
    (A.GiveDrug(drug_id="snake_oil", amount=1), "unknown emergency drug"),
    (A.GiveDrug(drug_id="adrenaline_im", amount=0), "amount must be above 0"),
    (A.Arrange(what="mri"), "unknown arrangement"),
    (A.Aftercare(item="lollipop"), "unknown aftercare item"),
])
def test_care_actions_that_make_no_sense_are_rejected(case, catalogue, action, reason):
    s = Session(case, catalogue, 0)
    (event,) = s.step([action])
    assert isinstance(event, E.ActionRejected) and reason in event.reason


def test_moving_or_observing_the_patient_needs_the_needle_out(case, catalogue):
    s = Session(case, catalogue, 0)
    s.step([A.ChooseNeedle(gauge=25, length_mm=38), A.Insert(x_mm=60, y_mm=40, angle_deg=45, heading_deg=0)])
    for action in (A.Reposition(posture="supine"), A.Observe(duration_s=60)):
        (event,) = s.step([action])
        assert isinstance(event, E.ActionRejected) and "needle is still in" in event.reason
    assert s.step([A.GiveOxygen()])[0].type == "OxygenGiven"
    assert s.step([A.GiveOxygen()])[0].type == "ActionRejected"  # already running


# ------------------------------------------------------------------ LAST
def test_a_few_mg_intravenously_give_no_symptoms(case, catalogue):
    s = needle_in_artery(case, catalogue, "lidocaine_1", 1)
    wait(s, 30, [A.Inject(volume_ml=1)])  # 10 mg in 60 kg: 0.17 mg/kg, below an IV therapeutic dose
    assert of(s.events, E.Injected)[0].intravascular
    assert not of(s.events, E.SystemicToxicity) and not of(s.events, E.ComplicationChanged)
    assert s.state.vitals.heart_rate_bpm == 72


def big_lidocaine_bolus(case, catalogue):
    s = needle_in_artery(case, catalogue, "lidocaine_2", 20)
    events = s.step([A.Inject(volume_ml=20)])  # 400 mg: 6.7 mg/kg, in the seizure range
    (tox,) = of(events, E.SystemicToxicity)
    assert tox.severity == "mild" and "numb" in tox.speech and tox.dose_mg == pytest.approx(400)
    return s


def test_a_large_intravascular_bolus_worsens_without_treatment(case, catalogue):
    s = big_lidocaine_bolus(case, catalogue)
    wait(s, last.EARLY_TO_PEAK_S + last.SEIZURE_TO_COLLAPSE_S + RAMP_S + 2)
    assert stages(s, "last") == ["early", "seizure", "cardiovascular"]
    v = s.state.vitals
    assert v.systolic_mmhg < 80 and v.heart_rate_bpm < 50


def test_lipid_emulsion_by_weight_settles_it(case, catalogue):
    s = big_lidocaine_bolus(case, catalogue)
    wait(s, last.EARLY_TO_PEAK_S + 5, [A.Stop(), A.CallHelp(), A.GiveOxygen()])
    assert stages(s, "last")[-1] == "seizure"
    wait(s, last.RECOVERY_S + 10, [A.GiveDrug(drug_id="lipid_emulsion_20", amount=90)])  # 1.5 mL/kg x 60 kg
    assert stages(s, "last") == ["early", "seizure", "recovering", "resolved"]
    assert s.state.vitals.consciousness == "alert"


def test_a_wrong_lipid_dose_does_not_settle_it(case, catalogue):
    s = big_lidocaine_bolus(case, catalogue)
    wait(s, last.EARLY_TO_PEAK_S + 5, [A.Stop()])
    wait(s, 30, [A.GiveDrug(drug_id="lipid_emulsion_20", amount=20)])
    assert "recovering" not in stages(s, "last")


def test_a_benzodiazepine_stops_the_seizure(case, catalogue):
    s = big_lidocaine_bolus(case, catalogue)
    wait(s, last.EARLY_TO_PEAK_S + 5, [A.Stop()])
    wait(s, RAMP_S, [A.GiveDrug(drug_id="midazolam_iv", amount=2)])
    assert stages(s, "last") == ["early", "seizure", "early"]
    assert s.state.vitals.consciousness != "seizing"


def test_bupivacaine_can_reach_the_heart_without_a_seizure(case, catalogue):
    s = needle_in_artery(case, catalogue, "bupivacaine_0_25", 20)
    s.step([A.Inject(volume_ml=20)])  # 50 mg
    s.step([A.SelectAgent(agent_id="bupivacaine_0_25", volume_ml=20)])
    s.step([A.Inject(volume_ml=20)])  # 100 mg in all: 1.7 mg/kg, counted as 6.7 mg/kg of lidocaine
    wait(s, 5)
    assert stages(s, "last") == ["early", "cardiovascular"]
    assert "seizure" not in stages(s, "last")


def test_an_injection_into_the_vertebral_artery_fits_at_a_tiny_dose(case, catalogue):
    vessels = [v.model_copy(update={"name": "vertebral artery"}) if v.kind == "artery" else v
               for v in case.anatomy.vessels]
    neck = case.model_copy(update={"anatomy": case.anatomy.model_copy(update={"vessels": vessels})})
    for model, expected in ((neck, ["seizure"]), (case, [])):
        s = needle_in_artery(model, catalogue, "lidocaine_1", 1)
        s.step([A.Inject(volume_ml=0.5)])  # 5 mg
        assert stages(s, "last") == expected


# ------------------------------------------------------------------ anaphylaxis
def allergic(case, catalogue):
    patient = with_patient(case, allergies=[Allergy(substance="lidocaine", allergy_class="amide", reaction="hives")])
    s = Session(patient, catalogue, 0)
    s.step([A.ChooseNeedle(gauge=25, length_mm=50), A.SelectAgent(agent_id="lidocaine_0_5", volume_ml=1),
            A.Insert(x_mm=60, y_mm=40, angle_deg=90, heading_deg=0), A.Advance(mm=12)])
    events = s.step([A.Inject(volume_ml=0.5)])
    assert of(events, E.AllergicReaction) and [e.stage for e in of(events, E.ComplicationChanged)] == ["onset"]
    return s


def test_untreated_anaphylaxis_brings_wheeze_and_hypotension(case, catalogue):
    s = allergic(case, catalogue)
    wait(s, 70)
    assert stages(s, "anaphylaxis") == ["onset", "severe"]
    v = s.state.vitals
    assert v.heart_rate_bpm > 110 and v.systolic_mmhg < 80 and v.resp_rate_per_min > 25


def test_im_adrenaline_treats_anaphylaxis(case, catalogue):
    s = allergic(case, catalogue)
    wait(s, 200, [A.Stop(), A.CallHelp(), A.GiveDrug(drug_id="adrenaline_im", amount=0.5),
                  A.Reposition(posture="legs_raised")])
    assert stages(s, "anaphylaxis") == ["onset", "recovering", "resolved"]


# ------------------------------------------------------------------ pneumothorax
def test_a_pleural_puncture_brings_symptoms_falling_spo2_and_no_lung_sliding(case, catalogue):
    s = Session(case, catalogue, 0)
    s.step([A.ChooseNeedle(gauge=22, length_mm=89), A.Insert(x_mm=60, y_mm=40, angle_deg=90, heading_deg=0),
            A.Advance(mm=30)])
    assert of(s.events, E.PleuraPunctured)
    s.step([A.RemoveNeedle()])
    while not of(s.events, E.PneumothoraxSymptoms):
        s.step()
    wait(s, 10)
    assert stages(s, "pneumothorax") == ["symptomatic"]
    assert s.state.vitals.spo2_pct <= 95 and s.state.vitals.resp_rate_per_min >= 20
    wait(s, 130)
    assert stages(s, "pneumothorax") == ["symptomatic", "worsening"] and s.state.vitals.spo2_pct <= 90
    s.step([A.GiveOxygen()])
    assert s.state.vitals.spo2_pct >= 93
    # Rescanning over the site: with the lung collapsed away from the pleura nothing slides.
    s.step([A.Probe(x_mm=60, y_mm=40, heading_deg=0), A.Settings(depth_cm=4.5)])
    first = s.frame().image
    wait(s, 0.4)
    assert np.array_equal(first, s.frame().image)
    calm = Session(case, catalogue, 0)
    calm.step([A.Probe(x_mm=60, y_mm=40, heading_deg=0), A.Settings(depth_cm=4.5)])
    before = calm.frame().image
    wait(calm, 0.4)
    assert not np.array_equal(before, calm.frame().image)  # a healthy lung slides


# ------------------------------------------------------------------ aspiration
def aspirations(case, catalogue, gauge, seeds=300):
    """How many of `seeds` aspirations with the tip in the artery bring blood back."""
    blood = 0
    for seed in range(seeds):
        s = Session(case, catalogue, seed)
        s.step([A.ChooseNeedle(gauge=gauge, length_mm=50), A.SelectAgent(agent_id="lidocaine_1", volume_ml=1),
                A.Insert(x_mm=60, y_mm=60, angle_deg=90, heading_deg=0), A.Advance(mm=19)])
        blood += of(s.step([A.Aspirate()]), E.Aspirated)[0].blood
    return blood


def test_aspiration_can_miss_an_intravascular_tip_more_often_with_a_fine_needle(case, catalogue):
    fine, wide = aspirations(case, catalogue, 27), aspirations(case, catalogue, 21)
    assert 240 <= fine < 300  # about 10% missed
    assert fine < wide <= 300 and wide >= 285  # about 2% missed
    s = Session(case, catalogue, 0)  # outside a vessel: never blood
    s.step([A.ChooseNeedle(gauge=27, length_mm=50), A.SelectAgent(agent_id="lidocaine_1", volume_ml=1),
            A.Insert(x_mm=60, y_mm=40, angle_deg=90, heading_deg=0), A.Advance(mm=12)])
    assert not of(s.step([A.Aspirate()]), E.Aspirated)[0].blood


# ------------------------------------------------------------------ pneumothorax onset
def breach(case, catalogue, seed, gauge):
    """A session whose needle of `gauge` has just crossed the pleura once; returns it and that step's events."""
    s = Session(case, catalogue, seed)
    s.step([A.ChooseNeedle(gauge=gauge, length_mm=50), A.Insert(x_mm=60, y_mm=40, angle_deg=90, heading_deg=0)])
    events = s.step([A.Advance(mm=30)])
    assert of(events, E.PleuraPunctured)
    return s, events


def immediate(events):
    return bool(of(events, E.PneumothoraxSymptoms)) and "symptomatic" in [
        e.stage for e in of(events, E.ComplicationChanged) if e.kind == "pneumothorax"]


def test_a_larger_or_repeated_breach_shows_at_once_more_often_than_one_fine_breach():
    from simulator.core.physiology.pneumothorax import DELAY_S, onset_delay_s

    rng = np.random.default_rng(7)
    fine = [onset_delay_s(rng, 25, 1) for _ in range(2000)]
    large = [onset_delay_s(rng, 22, 1) for _ in range(2000)]
    repeated = [onset_delay_s(rng, 27, 2) for _ in range(2000)]
    share = [sum(d == 0.0 for d in delays) / 2000 for delays in (fine, large, repeated)]
    assert 0.0 < share[0] < 0.2 and share[1] > 0.5 and share[2] > 0.5
    assert all(DELAY_S[0] <= d <= DELAY_S[1] for d in fine + large + repeated if d > 0)


def test_an_immediate_onset_comes_with_the_puncture(case, catalogue):
    seeds = [seed for seed in range(20) if immediate(breach(case, catalogue, seed, 22)[1])]
    assert len(seeds) >= 8  # a 22 G breach is usually immediate
    s, events = breach(case, catalogue, seeds[0], 22)
    assert of(events, E.PneumothoraxSymptoms)[0].t_s == of(events, E.PleuraPunctured)[0].t_s
    calm = Session(case, catalogue, seeds[0])
    wait(s, 10)
    wait(calm, 10)
    assert s.state.vitals.spo2_pct < calm.state.vitals.spo2_pct  # already falling


def test_a_delayed_onset_waits_and_observing_lets_it_show(case, catalogue):
    seed = next(seed for seed in range(40) if not immediate(breach(case, catalogue, seed, 25)[1]))
    s, _ = breach(case, catalogue, seed, 25)
    s.step([A.RemoveNeedle()])
    wait(s, 60)
    assert not of(s.events, E.PneumothoraxSymptoms)  # nothing yet a minute later
    t_observe = s.time_s
    shown = s.step([A.Observe(duration_s=300)])
    symptoms = of(shown, E.PneumothoraxSymptoms)
    assert len(symptoms) == 1 and symptoms[0].t_s == pytest.approx(t_observe)
    assert stages(s, "pneumothorax") and s.state.vitals.spo2_pct < 97


def test_a_repeated_breach_can_bring_a_delayed_onset_forward(case, catalogue):
    brought_forward = 0
    for seed in range(30):
        s, events = breach(case, catalogue, seed, 25)
        if immediate(events):
            continue
        s.step([A.RemoveNeedle(), A.Insert(x_mm=62, y_mm=40, angle_deg=90, heading_deg=0)])
        again = s.step([A.Advance(mm=30)])  # a second pass through the pleura
        assert of(again, E.PleuraPunctured)
        brought_forward += immediate(again)
    assert brought_forward >= 10
