"""Scoring the management of complications: the criterion, its evidence and the critical items.

The fainting case (s6) is played from its expert replay with the patient seated: with a seed
that gives the prodrome at the skin puncture, needling on fails; stopping, lying her flat
with the legs raised and resuming when she has recovered can pass.
"""

import pytest

from simulator import paths
from simulator.core import actions as A
from simulator.core.physiology import vasovagal
from simulator.core.session import Session
from simulator.records import read_replay
from simulator.scenario import load_case

S6 = "s6_masseter_fainting"


def crit(result, cid):
    return next(c for c in result["criteria"] if c["id"] == cid)


def errors(result):
    return [e["type"] for e in result["critical_errors"]]


@pytest.fixture(scope="module")
def s6(catalogue):
    return load_case(paths.SCENARIOS_DIR / f"{S6}.yaml", catalogue)


@pytest.fixture(scope="module")
def seated_expert():
    _header, timed = read_replay(paths.REPLAYS_DIR / f"{S6}.expert.jsonl")
    return [(t, A.Position(position="seated") if isinstance(a, A.Position) else a) for t, a in timed]


@pytest.fixture(scope="module")
def faint_seed(s6, catalogue, seated_expert):
    """A seed whose prodrome starts at the skin puncture of the seated expert attempt."""
    insert_t = next(t for t, a in seated_expert if isinstance(a, A.Insert))
    for seed in range(300):
        s = Session(s6, catalogue, seed)
        s.run([(t, a) for t, a in seated_expert if t <= insert_t])
        if any(e.type == "VasovagalEpisode" and e.t_s == pytest.approx(insert_t) for e in s.events):
            return seed, insert_t
    raise AssertionError("no seed gave a prodrome at the puncture")


def test_needling_on_through_the_prodrome_fails(s6, catalogue, seated_expert, faint_seed):
    seed, _ = faint_seed
    result = Session(s6, catalogue, seed).run(seated_expert)
    assert "needled_through_vasovagal" in errors(result) and not result["passed"]
    message = next(e["message"] for e in result["critical_errors"] if e["type"] == "needled_through_vasovagal")
    assert "legs raised" in message
    evidence = crit(result, "complications")["evidence"]
    assert "You should have: lie the patient flat; raise the legs; check the vital signs." in evidence


def test_stop_lie_flat_legs_raised_and_resume_when_recovered_can_pass(s6, catalogue, seated_expert, faint_seed):
    seed, insert_t = faint_seed
    resume_s = vasovagal.RECOVERY_LEGS_RAISED_S + 20
    timed = [(t, a) for t, a in seated_expert if t <= insert_t]
    timed += [(insert_t + 1, A.Stop()), (insert_t + 2, A.Reposition(posture="legs_raised")),
              (insert_t + 3, A.CheckVitals())]
    timed += [(t + resume_s, a) for t, a in seated_expert if t >= insert_t]
    result = Session(s6, catalogue, seed).run(timed)
    assert errors(result) == []
    assert result["passed"] and result["total"] >= result["pass_mark"]
    row = crit(result, "complications")
    assert row["points"] == row["max"] > 0
    assert "every step on time" in row["evidence"]
    stages = [e["stage"] for e in result["events"] if e["type"] == "ComplicationChanged"]
    assert stages == ["prodrome", "recovering", "resolved"]


def test_resuming_before_she_has_recovered_is_still_critical(s6, catalogue, seated_expert, faint_seed):
    seed, insert_t = faint_seed
    timed = [(t, a) for t, a in seated_expert if t <= insert_t]
    timed += [(insert_t + 1, A.Stop()), (insert_t + 2, A.Reposition(posture="legs_raised"))]
    timed += [(t + 5, a) for t, a in seated_expert if t >= insert_t]  # back in after 5 s
    assert "needled_through_vasovagal" in errors(Session(s6, catalogue, seed).run(timed))


def test_no_complication_is_full_credit_with_nothing_to_manage(s6, catalogue):
    _header, timed = read_replay(paths.REPLAYS_DIR / f"{S6}.expert.jsonl")
    result = Session(s6, catalogue, 1).run(timed)
    row = crit(result, "complications")
    assert row["points"] == row["max"] and "nothing to manage" in row["evidence"]


def test_drugs_without_an_indication_cost_points(s6, catalogue):
    result = Session(s6, catalogue, 1).run([(1.0, A.GiveDrug(drug_id="adrenaline_im", amount=0.5))])
    row = crit(result, "complications")
    assert row["points"] < row["max"] and "no indication" in row["evidence"]


# ------------------------------------------------------------------ anaphylaxis (s4: "allergic to Novocain")
@pytest.fixture(scope="module")
def allergen(catalogue):
    case = load_case(paths.SCENARIOS_DIR / "s4_quadratus_lumborum_novocain.yaml", catalogue)
    header, timed = read_replay(paths.REPLAYS_DIR / f"{case.id}.novice-allergen.jsonl")
    return case, header["seed"], timed


def test_untreated_anaphylaxis_says_what_should_have_been_done(catalogue, allergen):
    case, seed, timed = allergen
    result = Session(case, catalogue, seed).run(timed)
    assert {"allergen_injected", "anaphylaxis_untreated"} <= set(errors(result)) and not result["passed"]
    evidence = crit(result, "complications")["evidence"]
    assert "Anaphylaxis began" in evidence and "give IM adrenaline 0.5 mg" in evidence


def until_the_reaction(catalogue, allergen):
    """The novice attempt up to the allergic reaction, and its time."""
    case, seed, timed = allergen
    onset = Session(case, catalogue, seed)
    onset.run(timed)
    t0 = next(e.t_s for e in onset.events if e.type == "AllergicReaction")
    return [(t, a) for t, a in timed if t <= t0 and not isinstance(a, A.Finish)], t0


def test_managed_anaphylaxis_still_fails_but_the_management_is_credited(catalogue, allergen):
    case, seed, _timed = allergen
    before, t0 = until_the_reaction(catalogue, allergen)
    care = [A.Stop(), A.CallHelp(), A.GiveDrug(drug_id="adrenaline_im", amount=0.5),
            A.Reposition(posture="legs_raised"), A.GiveOxygen(), A.CheckVitals()]
    result = Session(case, catalogue, seed).run(before + [(t0 + 2 + i, a) for i, a in enumerate(care)])
    assert errors(result)[0] == "allergen_injected" and "anaphylaxis_untreated" not in errors(result)
    assert not result["passed"]
    row = crit(result, "complications")
    assert row["points"] == row["max"] and "every step on time" in row["evidence"]


def test_a_wrong_adrenaline_dose_is_not_treatment(catalogue, allergen):
    case, seed, _timed = allergen
    before, t0 = until_the_reaction(catalogue, allergen)
    result = Session(case, catalogue, seed).run(before + [(t0 + 2, A.GiveDrug(drug_id="adrenaline_im", amount=5))])
    assert "wrong dose" in crit(result, "complications")["evidence"]
    assert "anaphylaxis_untreated" in errors(result)


def test_needling_on_after_anaphylaxis_began_is_critical(catalogue, allergen):
    case, seed, _timed = allergen
    before, t0 = until_the_reaction(catalogue, allergen)
    advanced = Session(case, catalogue, seed).run(before + [(t0 + 2, A.Advance(mm=2))])
    assert "needled_through_anaphylaxis" in errors(advanced) and not advanced["passed"]
    message = next(e["message"] for e in advanced["critical_errors"] if e["type"] == "needled_through_anaphylaxis")
    assert message.startswith(f"You went on needling at {t0 + 2:.1f} s after anaphylaxis began at {t0:.1f} s")
    stopped = Session(case, catalogue, seed).run(before + [(t0 + 2, A.Withdraw(mm=2)), (t0 + 3, A.RemoveNeedle())])
    assert "needled_through_anaphylaxis" not in errors(stopped)  # pulling back and out is stopping


# ------------------------------------------------------------------ LAST and pneumothorax (fixture case)
def lidocaine_into_the_artery(case, catalogue):
    """400 mg of lidocaine straight into the fixture's artery at t = 1 s (6.7 mg/kg: a seizure follows)."""
    return [(0.0, A.ChooseNeedle(gauge=25, length_mm=50)), (0.0, A.SelectAgent(agent_id="lidocaine_2", volume_ml=20)),
            (0.0, A.Insert(x_mm=60, y_mm=60, angle_deg=90, heading_deg=0)), (0.0, A.Advance(mm=19)),
            (1.0, A.Inject(volume_ml=20))]


def test_last_reaching_a_seizure_without_lipid_is_critical(case, catalogue):
    result = Session(case, catalogue, 0).run(lidocaine_into_the_artery(case, catalogue) + [(40.0, A.Stop())])
    assert "last_untreated" in errors(result)
    treated = lidocaine_into_the_artery(case, catalogue) + [
        (3.0, A.Stop()), (4.0, A.CallHelp()), (5.0, A.GiveOxygen()),
        (6.0, A.GiveDrug(drug_id="lipid_emulsion_20", amount=90)), (40.0, A.CheckVitals())]
    assert "last_untreated" not in errors(Session(case, catalogue, 0).run(treated))


def test_needling_on_after_last_began_is_critical(case, catalogue):
    timed = lidocaine_into_the_artery(case, catalogue) + [(3.0, A.Withdraw(mm=5)), (4.0, A.Advance(mm=3))]
    assert "needled_through_last" in errors(Session(case, catalogue, 0).run(timed))
    timed = lidocaine_into_the_artery(case, catalogue) + [(3.0, A.Withdraw(mm=5))]  # pulling back is stopping
    assert "needled_through_last" not in errors(Session(case, catalogue, 0).run(timed))


def pneumothorax_attempt(case, catalogue, care):
    s = Session(case, catalogue, 0)
    s.step([A.ChooseNeedle(gauge=22, length_mm=89), A.Insert(x_mm=60, y_mm=40, angle_deg=90, heading_deg=0),
            A.Advance(mm=30), A.RemoveNeedle()])
    while not any(e.type == "PneumothoraxSymptoms" for e in s.events):
        s.step()
    s.step(care)
    s.step([A.Finish()])
    return s.result()


def test_a_symptomatic_pneumothorax_needs_imaging_or_transfer(case, catalogue):
    assert "pneumothorax_unmanaged" in errors(pneumothorax_attempt(case, catalogue, []))
    managed = pneumothorax_attempt(case, catalogue, [A.CheckVitals(), A.GiveOxygen(), A.Arrange(what="chest_xray")])
    assert "pneumothorax_unmanaged" not in errors(managed)
    assert "pleura_puncture" in errors(managed)  # the puncture itself stays critical
    assert "managed it with every step on time" in crit(managed, "complications")["evidence"]


# ------------------------------------------------------------------ haematoma
def bleeder(case, catalogue):
    """An anticoagulated patient and a seed whose artery puncture (the fixture's artery at y 60,
    19 mm deep) leaves a haematoma; returns the case, the seed and the timed needle work."""
    from simulator.scenario.schema import Conditions

    patient = case.patient.model_copy(update={"conditions": Conditions(bleeding_disorder=True)})
    weights = case.rubric.weights.model_copy(update={"complications": 10})  # the fixture scores it at 0
    bleeding = case.model_copy(update={"patient": patient,
                                       "rubric": case.rubric.model_copy(update={"weights": weights})})
    timed = [(1.0, A.ChooseNeedle(gauge=25, length_mm=50)),
             (2.0, A.Insert(x_mm=60, y_mm=60, angle_deg=90, heading_deg=0)), (3.0, A.Advance(mm=19))]
    for seed in range(50):
        s = Session(bleeding, catalogue, seed)
        s.run(timed)
        if any(e.type == "HaematomaFormed" for e in s.events):
            return bleeding, seed, timed
    raise AssertionError("no seed in 50 gave a haematoma")


def test_a_haematoma_managed_with_pressure_is_credited(case, catalogue):
    bleeding, seed, timed = bleeder(case, catalogue)
    pressed = Session(bleeding, catalogue, seed).run(timed + [(4.0, A.RemoveNeedle()), (5.0, A.Aftercare(item="pressure"))])
    row = crit(pressed, "complications")
    assert "The haematoma began at 3.0 s. You managed it with every step on time." in row["evidence"]
    assert row["points"] == row["max"] > 0


def test_a_haematoma_left_without_pressure_says_what_to_do(case, catalogue):
    bleeding, seed, timed = bleeder(case, catalogue)
    row = crit(Session(bleeding, catalogue, seed).run(timed + [(4.0, A.RemoveNeedle())]), "complications")
    assert "You should have: take the needle out and hold pressure on the site." in row["evidence"]
    assert row["points"] == 0
    late = crit(Session(bleeding, catalogue, seed).run(
        timed + [(4.0, A.RemoveNeedle()), (90.0, A.Aftercare(item="pressure"))]), "complications")
    assert "Late: take the needle out and hold pressure on the site (87 s after the onset" in late["evidence"]
    assert 0 < late["points"] < late["max"]
