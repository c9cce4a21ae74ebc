"""Drug: agent choice, aspiration, dose against the ceiling, allergy, soreness.

The fixture patient weighs 60 kg, so plain lidocaine's ceiling is min(4.5 mg/kg x 60, 300 mg)
= 270 mg (docs/sources.md [98], as in scenarios/agents.yaml).
"""


import pytest

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core.session import Session
from simulator.scenario.schema import Allergy, Conditions


def with_patient(case, **changes):
    return case.model_copy(update={"patient": case.patient.model_copy(update=changes)})


def of(events, cls):
    return [e for e in events if isinstance(e, cls)]


def ready(case, catalogue, agent="lidocaine_0_5", volume_ml=5.0, at=(60, 40, 12), seed=0):
    """A session with the needle tip at `at` (vertical insertion) and an agent drawn up."""
    s = Session(case, catalogue, seed)
    x, y, depth = at
    s.step([A.ChooseNeedle(gauge=25, length_mm=50), A.SelectAgent(agent_id=agent, volume_ml=volume_ml),
            A.Insert(x_mm=x, y_mm=y, angle_deg=90, heading_deg=0), A.Advance(mm=depth)])
    return s


def test_unknown_agent_is_rejected(case, catalogue):
    s = Session(case, catalogue, 0)
    (event,) = s.step([A.SelectAgent(agent_id="snake_oil", volume_ml=1)])
    assert isinstance(event, E.ActionRejected) and "snake_oil" in event.reason
    assert s.state.agent_id is None


@pytest.mark.parametrize("volume_ml", [0.0, -1.0, 50.0])
def test_silly_syringe_volume_is_rejected(case, catalogue, volume_ml):
    (event,) = Session(case, catalogue, 0).step([A.SelectAgent(agent_id="lidocaine_1", volume_ml=volume_ml)])
    assert isinstance(event, E.ActionRejected)


def test_inject_needs_a_needle_and_an_agent(case, catalogue):
    s = Session(case, catalogue, 0)
    s.step([A.SelectAgent(agent_id="lidocaine_1", volume_ml=2)])
    (no_needle,) = s.step([A.Inject(volume_ml=1)])
    assert isinstance(no_needle, E.ActionRejected) and "needle" in no_needle.reason
    s = Session(case, catalogue, 0)
    s.step([A.ChooseNeedle(gauge=25, length_mm=50), A.Insert(x_mm=60, y_mm=40, angle_deg=90, heading_deg=0)])
    (no_agent,) = s.step([A.Inject(volume_ml=1)])
    assert isinstance(no_agent, E.ActionRejected) and "agent" in no_agent.reason
    assert s.state.dose_mg == () and s.state.boluses == ()


def test_dry_needling_has_nothing_to_inject(case, catalogue):
    s = ready(case, catalogue, agent="dry_needling", volume_ml=0)
    (event,) = s.step([A.Inject(volume_ml=0.5)])
    assert isinstance(event, E.ActionRejected) and "no injectate" in event.reason


def test_cannot_inject_more_than_the_syringe_holds(case, catalogue):
    s = ready(case, catalogue, volume_ml=1)
    (event,) = s.step([A.Inject(volume_ml=1.5)])
    assert isinstance(event, E.ActionRejected)
    assert s.state.syringe_ml == 1


def test_injection_at_the_point_reports_tissue_point_and_bolus(case, catalogue):
    s = ready(case, catalogue)
    s.step([A.Aspirate()])
    (inj,) = of(s.step([A.Inject(volume_ml=0.5)]), E.Injected)
    assert inj.point_id == "ut1" and inj.tissue in ("trigger_point", "muscle")
    assert inj.aspirated_first and not inj.intravascular
    assert s.state.syringe_ml == pytest.approx(4.5)
    (bolus,) = s.state.boluses
    assert bolus.volume_ml == 0.5 and bolus.depth_mm == pytest.approx(12)
    assert dict(s.state.dose_mg)["lidocaine"] == pytest.approx(2.5)  # 0.5 mL x 5 mg/mL


def test_injection_in_fat_misses_the_point(case, catalogue):
    s = ready(case, catalogue, at=(60, 40, 4))
    (inj,) = of(s.step([A.Inject(volume_ml=0.5)]), E.Injected)
    assert inj.tissue == "fat" and inj.point_id is None


def test_moving_after_aspiration_needs_a_new_aspiration(case, catalogue):
    s = ready(case, catalogue)
    s.step([A.Aspirate(), A.Advance(mm=1)])
    (inj,) = of(s.step([A.Inject(volume_ml=0.5)]), E.Injected)
    assert not inj.aspirated_first


def test_dose_adds_up_across_points_and_crosses_the_ceiling(case, catalogue):
    s = ready(case, catalogue, agent="lidocaine_2", volume_ml=20)
    first = s.step([A.Inject(volume_ml=10)])  # 200 mg
    assert not of(first, E.DoseCeilingExceeded)
    s.step([A.Withdraw(mm=12), A.Redirect(angle_deg=60, heading_deg=0), A.Advance(mm=10)])
    second = s.step([A.Inject(volume_ml=4)])  # 280 mg > 270 mg
    (over,) = of(second, E.DoseCeilingExceeded)
    assert over.substance == "lidocaine" and over.unit == "mg"
    assert over.total_mg == pytest.approx(280) and over.ceiling_mg == pytest.approx(270)
    assert dict(s.state.dose_mg_per_kg)["lidocaine"] == pytest.approx(280 / 60)
    third = s.step([A.Inject(volume_ml=1)])
    assert not of(third, E.DoseCeilingExceeded)  # reported once, when first crossed


def test_lidocaine_from_two_agents_counts_as_one_substance(case, catalogue):
    s = ready(case, catalogue, agent="lidocaine_2", volume_ml=13)
    s.step([A.Inject(volume_ml=13)])  # 260 mg
    s.step([A.SelectAgent(agent_id="lidocaine_1", volume_ml=2)])
    (over,) = of(s.step([A.Inject(volume_ml=2)]), E.DoseCeilingExceeded)  # +20 mg = 280 mg
    assert over.total_mg == pytest.approx(280)


def test_heavier_patient_has_the_absolute_ceiling(case, catalogue):
    heavy = with_patient(case, weight_kg=100.0)  # 450 mg by weight, capped at 300 mg
    s = ready(heavy, catalogue, agent="lidocaine_2", volume_ml=20)
    (over,) = of(s.step([A.Inject(volume_ml=16)]), E.DoseCeilingExceeded)
    assert over.ceiling_mg == pytest.approx(300)


def test_ester_allergy_does_not_react_to_an_amide(case, catalogue):
    allergic = with_patient(case, allergies=[Allergy.model_validate(
        {"substance": "Novocain (procaine)", "class": "ester", "reaction": "hives"})])
    s = ready(allergic, catalogue, agent="lidocaine_1")
    assert not of(s.step([A.Inject(volume_ml=0.5)]), E.AllergicReaction)
    s.step([A.SelectAgent(agent_id="procaine_0_5", volume_ml=2)])
    (reaction,) = of(s.step([A.Inject(volume_ml=0.5)]), E.AllergicReaction)
    assert reaction.agent_id == "procaine_0_5" and reaction.allergy == "Novocain (procaine)"
    assert "hives" in reaction.speech


def test_allergy_by_agent_id(case, catalogue):
    allergic = with_patient(case, allergies=[Allergy(substance="the steroid shot", agent="lidocaine_1_triamcinolone")])
    s = ready(allergic, catalogue, agent="lidocaine_1_triamcinolone")
    assert of(s.step([A.Inject(volume_ml=0.5)]), E.AllergicReaction)


def test_intravascular_injection_washes_the_bolus_away(case, catalogue):
    # What the dose does to the patient is physiology's (tests/core/test_physiology.py).
    s = ready(case, catalogue, agent="lidocaine_1", at=(60, 60, 19))  # tip in the artery
    events = s.step([A.Inject(volume_ml=1)])
    (inj,) = of(events, E.Injected)
    assert inj.intravascular and not inj.aspirated_first and inj.tissue == "artery"
    assert s.state.boluses == ()  # washed away in the blood


def test_intravascular_saline_is_harmless(case, catalogue):
    s = ready(case, catalogue, agent="normal_saline", at=(60, 60, 19))
    assert not of(s.step([A.Inject(volume_ml=1)]), E.SystemicToxicity)


def test_soreness_depends_on_the_agent(case, catalogue):
    dry = ready(case, catalogue, agent="dry_needling", volume_ml=0)
    (pred,) = of(dry.step([A.Finish()]), E.SorenessPredicted)
    assert pred.probability == 1.0 and pred.sore and pred.agent_id == "dry_needling"  # Hong 1994: 100%
    lido = ready(case, catalogue)
    lido.step([A.Inject(volume_ml=0.5)])
    (pred,) = of(lido.step([A.Finish()]), E.SorenessPredicted)
    assert pred.probability == pytest.approx(0.42) and pred.agent_id == "lidocaine_0_5"
    assert lido.state.soreness_probability == pytest.approx(0.42)
    assert lido.result()["metrics"]["soreness_probability"] == pytest.approx(0.42)
    untouched = Session(case, catalogue, 0)
    (pred,) = of(untouched.step([A.Finish()]), E.SorenessPredicted)
    assert pred.probability == 0 and not pred.sore


@pytest.mark.parametrize("agent, probability, sourced", [
    ("lidocaine_0_5", 0.42, True),  # Hong 1994: 42% after 0.5% lidocaine
    ("bupivacaine_0_25", 0.42, False),  # a local anaesthetic without its own rate: estimated like lidocaine
    ("lidocaine_1_triamcinolone", 0.42, False),  # the steroid mix carries lidocaine
    ("botulinum_toxin_a", 1.0, False),  # no anaesthetic: the needling soreness of dry needling
    ("traumeel", 1.0, False),
    ("normal_saline", 1.0, False),
])
def test_soreness_names_the_agent_that_was_injected(case, catalogue, agent, probability, sourced):
    s = ready(case, catalogue, agent=agent, volume_ml=1)
    s.step([A.Inject(volume_ml=0.5)])
    (pred,) = of(s.step([A.Finish()]), E.SorenessPredicted)
    assert pred.agent_id == agent  # never another catalogue entry's name
    assert pred.probability == pytest.approx(probability) and pred.sourced is sourced


def test_lidocaine_soreness_rate_shows_in_a_few_of_many_patients(case, catalogue):
    s = ready(case, catalogue)
    sore = 0
    for seed in range(60):
        s.reset(seed)
        s.step([A.ChooseNeedle(gauge=25, length_mm=50), A.SelectAgent(agent_id="lidocaine_0_5", volume_ml=1),
                A.Insert(x_mm=60, y_mm=40, angle_deg=90, heading_deg=0), A.Advance(mm=12), A.Inject(volume_ml=0.5)])
        sore += of(s.step([A.Finish()]), E.SorenessPredicted)[0].sore
    assert 10 <= sore <= 45  # 42% (Hong 1994 [1])


def test_counselling_is_recorded(case, catalogue):
    diabetic = with_patient(case, conditions=Conditions(diabetes=True, insulin=True))
    s = Session(diabetic, catalogue, 0)
    (event,) = s.step([A.Counsel(topic="glucose monitoring")])
    assert isinstance(event, E.CounselGiven) and event.topic == "glucose monitoring"


def test_injection_in_the_wrong_muscle_or_in_fat_treats_no_point(case, catalogue):
    deeper = ready(case, catalogue, at=(60, 40, 19))  # supraspinatus, under ut1 (upper trapezius)
    (inj,) = of(deeper.step([A.Inject(volume_ml=1)]), E.Injected)
    assert inj.tissue == "muscle" and inj.point_id is None
    fat = ready(case, catalogue, at=(60, 40, 5.5))  # 6.5 mm above the centre: 1 mL would "reach" it
    (inj,) = of(fat.step([A.Inject(volume_ml=1)]), E.Injected)
    assert inj.tissue == "fat" and inj.point_id is None


@pytest.mark.parametrize("additive, reacts_to, spared", [
    ("sulfite", "lidocaine_1_epinephrine", "lidocaine_1"),
    ("paraben", "lidocaine_1_multidose", "lidocaine_1"),
])
def test_additive_allergy_matches_only_products_that_contain_it(case, catalogue, additive, reacts_to, spared):
    allergic = with_patient(case, allergies=[Allergy.model_validate(
        {"substance": f"{additive} (dental anaesthetic)", "class": additive, "reaction": "hives and lip swelling"})])
    s = ready(allergic, catalogue, agent=spared)
    assert not of(s.step([A.Inject(volume_ml=0.5)]), E.AllergicReaction)  # preservative-free, no epinephrine
    s.step([A.SelectAgent(agent_id=reacts_to, volume_ml=2)])
    (reaction,) = of(s.step([A.Inject(volume_ml=0.5)]), E.AllergicReaction)
    assert reaction.agent_id == reacts_to and additive in reaction.allergy


def test_epinephrine_raises_the_lidocaine_ceiling_to_7_mg_per_kg(case, catalogue):
    # 60 kg: plain 270 mg, with epinephrine min(7 x 60, 500) = 420 mg [98].
    s = ready(case, catalogue, agent="lidocaine_1_epinephrine", volume_ml=20)
    assert not of(s.step([A.Inject(volume_ml=20)]), E.DoseCeilingExceeded)  # 200 mg
    s.step([A.SelectAgent(agent_id="lidocaine_1_epinephrine", volume_ml=20)])
    assert not of(s.step([A.Inject(volume_ml=20)]), E.DoseCeilingExceeded)  # 400 mg: over plain, under 420
    s.step([A.SelectAgent(agent_id="lidocaine_1_epinephrine", volume_ml=5)])
    (over,) = of(s.step([A.Inject(volume_ml=3)]), E.DoseCeilingExceeded)  # 430 mg
    assert over.ceiling_mg == pytest.approx(420) and over.substance == "lidocaine"


def test_plain_lidocaine_keeps_its_ceiling(case, catalogue):
    s = ready(case, catalogue, agent="lidocaine_1", volume_ml=20)
    s.step([A.Inject(volume_ml=20)])
    s.step([A.SelectAgent(agent_id="lidocaine_1", volume_ml=8)])
    (over,) = of(s.step([A.Inject(volume_ml=8)]), E.DoseCeilingExceeded)  # 280 mg
    assert over.ceiling_mg == pytest.approx(270)


def test_toxin_units_are_limited_per_muscle_and_per_visit(case, catalogue):
    # Dysport 200 U/mL: 80 U per muscle, 400 U per visit (scenarios/agents.yaml).
    s = ready(case, catalogue, agent="botulinum_toxin_a", volume_ml=3)
    assert not of(s.step([A.Inject(volume_ml=0.4)]), E.DoseCeilingExceeded)  # 80 U into the trapezius point
    (over,) = of(s.step([A.Inject(volume_ml=0.1)]), E.DoseCeilingExceeded)  # 100 U into one muscle
    assert over.unit == "units" and over.ceiling_mg == pytest.approx(80)
    assert "upper_trapezius" in over.substance and "Dysport" in over.substance
    per_visit = ready(case, catalogue, agent="botulinum_toxin_a", volume_ml=3, at=(20, 40, 12))  # away from any point
    assert not of(per_visit.step([A.Inject(volume_ml=2.0)]), E.DoseCeilingExceeded)  # 400 U, no muscle counted
    (visit,) = of(per_visit.step([A.Inject(volume_ml=0.5)]), E.DoseCeilingExceeded)
    assert visit.ceiling_mg == pytest.approx(400)


def test_toxin_product_and_contraindications_are_in_the_catalogue(catalogue):
    toxin = catalogue.get("botulinum_toxin_a")
    assert toxin.product == "abobotulinumtoxinA (Dysport)"
    assert "Dysport" in toxin.name and "not interchangeable" in toxin.notes
    text = " ".join(toxin.contraindications).lower()
    assert "myasthenia" in text and "aminoglycoside" in text and "pregnancy" in text
