"""Needle: tissue crossings, contacts, near misses, the LTR locus and the rules on moving it.

Fixture anatomy (tests/fixtures/simple_case.yaml): skin 2, fat 4, fascia 1, upper trapezius
~9-11 mm, fascia 1, supraspinatus 10, then pleura (~28 mm) and lung. An artery runs along x
at y=60, depth 19 (r 1.2); a vein at y=64, depth 20 (r 1.5); the spinal accessory nerve at
y=20, depth 18 (r 1); a rib at y=72, depth 32 (r 6). Trigger point ut1 is at (60, 40, 12).
"""

import math

import pytest

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core.session import Session


@pytest.fixture
def session(case, catalogue):
    s = Session(case, catalogue, seed=11)
    s.step([A.ChooseNeedle(gauge=25, length_mm=50)])
    return s


def of(events, cls):
    return [e for e in events if isinstance(e, cls)]


def wait(session, seconds):
    for _ in range(round(seconds / Session.TICK_S)):
        session.step()


def vertical(session, x, y, depth):
    return session.step([A.Insert(x_mm=x, y_mm=y, angle_deg=90, heading_deg=0)]) + session.step(
        [A.Advance(mm=depth)])


def test_first_advance_crosses_fascia_into_muscle(session):
    events = vertical(session, 60, 40, 9)
    assert of(events, E.SkinPunctured)
    assert of(events, E.FasciaCrossed)
    assert [e.muscle for e in of(events, E.MuscleEntered)] == ["upper_trapezius"]
    (moved,) = of(events, E.NeedleMoved)
    assert moved.tip_depth_mm == pytest.approx(9) and moved.tissue == "muscle"
    assert session.state.tip_tissue == "muscle"


def fast_in_out(session, seed):
    session.reset(seed)
    session.step([A.ChooseNeedle(gauge=25, length_mm=50), A.Insert(x_mm=40, y_mm=40, angle_deg=30, heading_deg=0)])
    events = session.step([A.Advance(mm=24)])  # tip (60.8, 40, 12): inside ut1's 2.5 mm locus
    wait(session, 0.5)
    return events + session.step([A.Withdraw(mm=20)])


def test_fast_in_out_through_the_locus_usually_twitches(session):
    hits = sum(bool(of(fast_in_out(session, seed), E.TwitchElicited)) for seed in range(30))
    assert hits >= 18  # needle_probability 0.8 per pass (Hong [13][14])


def test_twitch_amplitude_decays_within_a_second(session):
    for seed in range(30):
        twitches = of(fast_in_out(session, seed), E.TwitchElicited)
        if twitches:
            break
    assert twitches and twitches[0].source == "needle" and twitches[0].point_id == "ut1"
    assert session.state.twitch_amplitude > 0.5
    wait(session, 1.0)
    assert session.state.twitch_amplitude == 0.0


def test_slow_or_short_passes_do_not_twitch(session):
    for seed in range(20):
        session.reset(seed)
        session.step([A.ChooseNeedle(gauge=25, length_mm=50), A.Insert(x_mm=40, y_mm=40, angle_deg=30, heading_deg=0)])
        events = session.step([A.Advance(mm=18)])  # stops short: tip 5 mm from the centre
        wait(session, 0.3)
        events += session.step([A.Withdraw(mm=10)])
        events += session.step([A.Advance(mm=16)])  # into the locus, then lingers 2 s
        wait(session, 2.0)
        events += session.step([A.Withdraw(mm=20)])
        assert not of(events, E.TwitchElicited)


def test_repeated_twitches_weaken(session):
    session.reset(5)
    session.step([A.ChooseNeedle(gauge=25, length_mm=50), A.Insert(x_mm=40, y_mm=40, angle_deg=30, heading_deg=0)])
    strengths = []
    for _ in range(25):
        session.step([A.Advance(mm=24)])
        strengths += [e.strength for e in of(session.step([A.Withdraw(mm=24)]), E.TwitchElicited)]
    assert len(strengths) >= 3
    assert all(b < a for a, b in zip(strengths, strengths[1:]))
    assert strengths[0] == pytest.approx(1.0)


def test_artery_puncture_and_blood_on_aspiration(session):
    session.step([A.SelectAgent(agent_id="lidocaine_0_5", volume_ml=2)])
    events = vertical(session, 60, 60, 19)
    (hit,) = of(events, E.VesselPunctured)
    assert hit.kind == "artery" and hit.name == "transverse cervical artery"
    (asp,) = session.step([A.Aspirate()])
    assert isinstance(asp, E.Aspirated) and asp.blood
    session.step([A.Withdraw(mm=8)])
    (clear,) = session.step([A.Aspirate()])
    assert not clear.blood


def test_fast_advance_cannot_jump_the_artery(session):
    events = vertical(session, 60, 60, 25)  # ends in supraspinatus, past the artery at 17.8-20.2 mm
    assert [e.name for e in of(events, E.VesselPunctured)] == ["transverse cervical artery"]


def test_haematoma_is_likelier_when_anticoagulated(case, catalogue):
    from simulator.scenario.schema import Medication

    warfarin = case.patient.model_copy(update={"medications": [Medication(name="warfarin", anticoagulant=True)]})
    rates = []
    for c in (case, case.model_copy(update={"patient": warfarin})):
        s = Session(c, catalogue, 0)
        count = 0
        for seed in range(40):
            s.reset(seed)
            s.step([A.ChooseNeedle(gauge=25, length_mm=50)])
            count += bool(of(vertical(s, 60, 60, 19), E.HaematomaFormed))
        rates.append(count)
    assert rates[1] > rates[0]


def test_deep_needle_punctures_the_pleura_and_symptoms_come_later(session):
    events = vertical(session, 60, 40, 31)
    (pleura,) = of(events, E.PleuraPunctured)
    assert 27 <= pleura.depth_mm <= 30
    assert session.state.pneumothorax
    punctured_at = session.time_s
    later = []
    for _ in range(round(320 / Session.TICK_S)):
        later += session.step()
    (symptoms,) = of(later, E.PneumothoraxSymptoms)
    assert 100 <= symptoms.t_s - punctured_at <= 320
    assert "breath" in symptoms.speech


def test_pneumothorax_symptoms_show_at_finish_when_early(session):
    vertical(session, 60, 40, 31)
    events = session.step([A.Finish()])
    kinds = [type(e) for e in events]
    assert kinds.index(E.PneumothoraxSymptoms) < kinds.index(E.SessionFinished)


def test_bone_stops_the_needle(session):
    events = vertical(session, 60, 72, 30)  # the rib's top is at 26 mm here
    (bone,) = of(events, E.BoneContacted)
    assert bone.name == "2nd rib"
    assert not of(events, E.PleuraPunctured)
    assert session.state.needle.tip[2] < 26


def test_nerve_contact_gives_paraesthesia_in_its_territory(session):
    events = vertical(session, 60, 20, 18)
    (nerve,) = of(events, E.NerveContacted)
    assert nerve.territory == ("upper_shoulder_right",)
    assert "shoulder" in nerve.speech


def test_passing_close_to_the_artery_is_a_near_miss(session):
    events = vertical(session, 60, 57, 25)  # 3 mm from the artery's axis: 1.8 mm from its wall
    assert not of(events, E.VesselPunctured)
    misses = [e for e in of(events, E.NearMiss) if e.kind == "artery"]
    assert len(misses) == 1 and misses[0].distance_mm == pytest.approx(1.8, abs=0.2)
    session.step([A.RemoveNeedle()])
    far = vertical(session, 30, 45, 9)
    assert not of(far, E.NearMiss)


def test_shallow_pass_near_the_pleura_is_a_near_miss(session):
    events = vertical(session, 60, 40, 26.5)
    assert [e.kind for e in of(events, E.NearMiss)] == ["pleura"]
    assert not of(events, E.PleuraPunctured)


def test_never_to_the_hub(session):
    vertical(session, 60, 40, 10)
    for mm in (41, 40):  # past the hub, and exactly to it: both refused ([6][42])
        (event,) = session.step([A.Advance(mm=mm)])
        assert isinstance(event, E.ActionRejected) and "hub" in event.reason
        assert session.state.needle.length_mm == pytest.approx(10)
    assert isinstance(session.step([A.Advance(mm=39)])[-1], E.NeedleMoved)


def test_redirect_only_near_the_skin_and_counts_passes(session):
    session.step([A.Insert(x_mm=40, y_mm=40, angle_deg=30, heading_deg=0), A.Advance(mm=20)])
    (deep,) = session.step([A.Redirect(angle_deg=30, heading_deg=10)])
    assert isinstance(deep, E.ActionRejected) and "skin" in deep.reason
    session.step([A.Withdraw(mm=14)])
    (ok,) = session.step([A.Redirect(angle_deg=25, heading_deg=10)])
    assert isinstance(ok, E.NeedleRedirected) and ok.pass_number == 2
    assert session.state.pass_number == 2 and session.state.needle.heading_deg == 10


def test_tip_visibility_follows_the_beam(session):
    # Default probe at (60, 40), heading 0: an in-plane needle along x is seen.
    session.step([A.Insert(x_mm=40, y_mm=40, angle_deg=30, heading_deg=0)])
    (moved,) = of(session.step([A.Advance(mm=20)]), E.NeedleMoved)
    assert moved.tip_visible and session.state.tip_visible
    session.step([A.LiftProbe()])
    assert not session.state.tip_visible
    session.step([A.RemoveNeedle(), A.Probe(x_mm=60, y_mm=40, heading_deg=0),
                  A.Insert(x_mm=60, y_mm=50, angle_deg=30, heading_deg=90)])
    (moved,) = of(session.step([A.Advance(mm=20)]), E.NeedleMoved)
    assert not moved.tip_visible  # out of plane: the tip is 17 mm off the beam


@pytest.mark.parametrize(
    "setup, action, words",
    [
        ([], A.Advance(mm=5), "no needle"),
        ([], A.Withdraw(mm=5), "no needle"),
        ([], A.Redirect(angle_deg=30, heading_deg=0), "no needle"),
        ([], A.RemoveNeedle(), "no needle"),
        ([], A.Insert(x_mm=200, y_mm=40, angle_deg=30, heading_deg=0), "outside"),
        ([], A.Insert(x_mm=60, y_mm=40, angle_deg=0, heading_deg=0), "angle"),
        ([], A.Insert(x_mm=60, y_mm=40, angle_deg=math.nan, heading_deg=0), "finite"),
        ([A.Insert(x_mm=60, y_mm=40, angle_deg=45, heading_deg=0)], A.Insert(x_mm=60, y_mm=40, angle_deg=45, heading_deg=0), "already"),
        ([A.Insert(x_mm=60, y_mm=40, angle_deg=45, heading_deg=0)], A.Advance(mm=-3), "above 0"),
        ([A.Insert(x_mm=60, y_mm=40, angle_deg=45, heading_deg=0)], A.ChooseNeedle(gauge=21, length_mm=50), "remove"),
        ([], A.ChooseNeedle(gauge=19, length_mm=50), "gauge"),
    ],
)
def test_rejections_leave_the_needle_alone(session, setup, action, words):
    session.step(setup)
    before = session.state
    (event,) = session.step([action])
    assert isinstance(event, E.ActionRejected) and words in event.reason
    after = session.state
    assert (after.needle, after.pass_number, after.checklist) == (before.needle, before.pass_number, before.checklist)


def test_insert_needs_a_chosen_needle(case, catalogue):
    s = Session(case, catalogue, 0)
    (event,) = s.step([A.Insert(x_mm=60, y_mm=40, angle_deg=45, heading_deg=0)])
    assert isinstance(event, E.ActionRejected) and "choose a needle" in event.reason


def test_wheal_softens_the_next_puncture(session):
    plain = of(session.step([A.Insert(x_mm=60, y_mm=40, angle_deg=45, heading_deg=0)]), E.SkinPunctured)[0]
    session.step([A.RemoveNeedle(), A.SkinWheal()])
    softened = of(session.step([A.Insert(x_mm=60, y_mm=40, angle_deg=45, heading_deg=0)]), E.SkinPunctured)[0]
    assert softened.after_wheal and not plain.after_wheal
    assert softened.pain < plain.pain


def test_swinging_the_needle_cannot_jump_the_artery(session):
    # 40 mm in at 7 deg stays 4.9 mm deep; swung to 30 deg across y the shaft would reach
    # 20 mm deep at y = 60: the new line is traced, so the artery it crosses is reported.
    session.step([A.ChooseNeedle(gauge=25, length_mm=60), A.Insert(x_mm=60, y_mm=25, angle_deg=7, heading_deg=0),
                  A.Advance(mm=40)])
    events = session.step([A.Redirect(angle_deg=30, heading_deg=90)])
    assert isinstance(events[0], E.NeedleRedirected)
    assert [e.name for e in of(events, E.VesselPunctured)] == ["transverse cervical artery"]
    assert session.state.needle.length_mm == pytest.approx(40)
