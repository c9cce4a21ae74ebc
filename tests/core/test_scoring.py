"""Scoring rules on hand-built event logs: each criterion, each critical error, determinism.

The fixture case (tests/fixtures/simple_case.yaml) has one active point ut1 at (60, 40, 12 mm)
in the upper trapezius and a latent point ut2 at (90, 30); the patient weighs 60 kg, so the
plain lidocaine ceiling is min(4.5 mg/kg x 60, 300) = 270 mg. Default weights: localization 20,
twitch 15, agent 15, safety 25, technique 15, judgement 10.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.core import events as ev
from simulator.core.scoring import score
from simulator.scenario import load_case


TOPICS = ("bleeding", "infection", "soreness", "fainting", "no_guarantee", "alternatives", "pneumothorax",
          "nerve_injury")  # what applies to the fixture case: it has pleura and a nerve


def with_policy(case, **changes):
    return case.model_copy(update={"agent_policy": case.agent_policy.model_copy(update=changes)})


def with_rubric(case, **changes):
    return case.model_copy(update={"rubric": case.rubric.model_copy(update=changes)})


def six_criteria(case):
    """The figures in these tests assume the six original criteria (weights adding up to 100)."""
    return with_rubric(case, weights=case.rubric.weights.model_copy(update={"complications": 0, "aftercare": 0}))


def injected(t_s, *, agent="lidocaine_0_5", volume_ml=0.8, point="ut1", aspirated=True, intravascular=False):
    return ev.Injected(t_s=t_s, agent_id=agent, volume_ml=volume_ml, tip_x_mm=60, tip_y_mm=40, tip_depth_mm=12,
                       tissue="artery" if intravascular else "trigger_point", point_id=point,
                       aspirated_first=aspirated, intravascular=intravascular)


def moved(t_s, delta_mm, visible=True):
    return ev.NeedleMoved(t_s=t_s, delta_mm=delta_mm, tip_x_mm=60, tip_y_mm=40, tip_depth_mm=12,
                          tip_visible=visible, tissue="muscle")


def expert_log(*, mark=(61.0, 41.0), consent=True, prep=True, twitch=True, aspirate=True, agent="lidocaine_0_5",
               volume_ml=0.8, point="ut1", visible=True, extra=()):
    log = [ev.PatientPositioned(t_s=1.5, position="prone", recommended=True),
           ev.PalpationFelt(t_s=2.5, x_mm=60, y_mm=40, pressure=0.7, feel="nodule", pain=7, jump_sign=True,
                            recognition="yes"),
           ev.NeedleChosen(t_s=4.5, gauge=25, length_mm=38.0)]
    if consent:
        log.append(ev.ConsentObtained(t_s=1, topics=TOPICS))
    if prep:
        log.append(ev.SkinPrepared(t_s=2))
    if mark:
        log.append(ev.SkinMarked(t_s=3, x_mm=mark[0], y_mm=mark[1]))
    log += [
        ev.ProbePlaced(t_s=4, x_mm=60, y_mm=40, heading_deg=0, pressure=0.2),
        ev.SkinPunctured(t_s=5, x_mm=40, y_mm=40, angle_deg=25, heading_deg=0, pain=2, after_wheal=False),
        moved(6, 22, visible),
    ]
    if twitch:
        log += [moved(6.5, -6, visible), moved(7, 6, visible),
                ev.TwitchElicited(t_s=7.5, point_id=point, strength=1.0, source="needle")]
    log += [ev.AgentSelected(t_s=8, agent_id=agent, volume_ml=volume_ml)]
    if aspirate:
        log.append(ev.Aspirated(t_s=9, blood=False))
    log += [injected(10, agent=agent, volume_ml=volume_ml, point=point, aspirated=aspirate),
            *extra, moved(11, -22, visible), ev.NeedleRemoved(t_s=12), ev.SessionFinished(t_s=13)]
    return sorted(log, key=lambda e: e.t_s)


def crit(result, cid):
    return next(row for row in result["criteria"] if row["id"] == cid)


# ------------------------------------------------------------------ whole result
def test_expert_log_earns_full_marks_and_passes(case, catalogue):
    result = score(case, catalogue, expert_log(), seed=3)
    assert result["total"] == 100.0
    assert result["passed"] is True
    assert result["critical_errors"] == []
    assert result["result_version"] == 2 and result["case_id"] == case.id and result["seed"] == 3
    assert [row["id"] for row in result["criteria"]] == ["localization", "twitch", "agent", "safety", "technique", "judgement",
                                                          "complications", "aftercare"]
    assert sum(row["max"] for row in result["criteria"]) == pytest.approx(100.0)
    assert result["events"][0] == {"t_s": 1.0, "type": "ConsentObtained", "topics": list(TOPICS), "speech": None}


def test_result_is_byte_identical_for_identical_inputs(case, catalogue):
    a = json.dumps(score(case, catalogue, expert_log(extra=(ev.NearMiss(t_s=10.5, kind="artery", name="x", distance_mm=1.23456789),)), seed=1), sort_keys=True)
    b = json.dumps(score(case, catalogue, expert_log(extra=(ev.NearMiss(t_s=10.5, kind="artery", name="x", distance_mm=1.23456789),)), seed=1), sort_keys=True)
    assert a == b
    assert "1.23456789" not in a  # floats are rounded


def test_weights_are_normalised_to_100(case, catalogue):
    weights = case.rubric.weights.model_copy(update=dict(localization=1, twitch=1, agent=1, safety=1, technique=1, judgement=2))
    result = score(with_rubric(case, weights=weights), catalogue, expert_log())
    maxima = {row["id"]: row["max"] for row in result["criteria"]}
    assert maxima["judgement"] == pytest.approx(2 * maxima["agent"], abs=0.01)
    assert result["total"] == pytest.approx(100.0, abs=0.05)


# ------------------------------------------------------------------ localization
def test_mark_halfway_between_full_and_zero_gets_half_credit(case, catalogue):
    result = score(case, catalogue, expert_log(mark=(80.0, 40.0)))  # 20 mm: halfway from 10 to 30
    row = crit(result, "localization")
    assert row["points"] == pytest.approx(20 * (0.6 + 0.4 * 0.5))  # treated at the centre, the mark half way
    assert "20.0 mm" in row["evidence"]


def test_best_remaining_mark_counts_and_erased_marks_do_not(case, catalogue):
    extra_marks = [ev.SkinMarked(t_s=3.1, x_mm=100, y_mm=40), ev.SkinMarked(t_s=3.2, x_mm=60.5, y_mm=40),
                   ev.MarkErased(t_s=3.3, x_mm=60.5, y_mm=40)]
    log = sorted(expert_log(mark=(85.0, 40.0)) + extra_marks, key=lambda e: e.t_s)
    result = score(case, catalogue, log)
    assert result["metrics"]["marks"] == 2
    assert result["metrics"]["mark_distance_mm"] == pytest.approx(25.0)
    assert crit(result, "localization")["points"] == pytest.approx(20 * (0.6 + 0.4 * 0.25))


def test_no_mark_no_localization_credit(case, catalogue):
    assert crit(score(case, catalogue, expert_log(mark=None)), "localization")["points"] == pytest.approx(20 * 0.6)


# ------------------------------------------------------------------ twitch
def test_injection_without_prior_twitch_loses_twitch_credit(case, catalogue):
    log = expert_log(twitch=False, extra=(ev.TwitchElicited(t_s=10.5, point_id="ut1", strength=1, source="needle"),))
    row = crit(score(case, catalogue, log), "twitch")
    assert row["points"] == 0
    assert "without seeking a twitch" in row["evidence"]


def test_snap_twitch_does_not_replace_a_needle_twitch(case, catalogue):
    log = sorted(expert_log(twitch=False) + [ev.TwitchElicited(t_s=3.5, point_id="ut1", strength=1, source="snap")],
                 key=lambda e: e.t_s)
    assert crit(score(case, catalogue, log), "twitch")["points"] == 0


def test_dry_needling_twitch_counts_as_treatment(case, catalogue):
    log = [e for e in expert_log(agent="dry_needling") if not isinstance(e, (ev.Injected, ev.Aspirated))]
    result = score(case, catalogue, log)
    assert crit(result, "twitch")["points"] == 15
    agent = crit(result, "agent")
    assert agent["points"] == pytest.approx(15 * (0.6 * 0.6 + 0.2 + 0.2))  # acceptable, volume n/a, dose ok
    assert "acceptable" in agent["evidence"]


# ------------------------------------------------------------------ agent
def test_contraindicated_agent_loses_the_choice_share(case, catalogue):
    row = crit(score(case, catalogue, expert_log(agent="lidocaine_1_triamcinolone")), "agent")
    assert row["points"] == pytest.approx(15 * 0.4)
    assert "Steroid adds nothing" in row["evidence"]


def test_volume_outside_the_range_loses_part_of_the_volume_share(case, catalogue):
    row = crit(score(case, catalogue, expert_log(volume_ml=2.0)), "agent")
    assert row["points"] == pytest.approx(15 * (0.6 + 0.2 * 0.5 + 0.2))  # 1.0 / 2.0 of the volume item


# ------------------------------------------------------------------ safety
def test_missing_consent_and_aspiration_cost_their_shares(case, catalogue):
    result = score(case, catalogue, expert_log(consent=False, aspirate=False))
    assert crit(result, "safety")["points"] == pytest.approx(25 * (0.15 + 0.1 + 0.3))
    assert "did not obtain consent" in crit(result, "safety")["evidence"]
    assert [e["type"] for e in result["critical_errors"]] == ["puncture_before_consent"]


def test_consent_after_puncture_does_not_count(case, catalogue):
    log = [e for e in expert_log(consent=False)] + [ev.ConsentObtained(t_s=5.5, topics=TOPICS)]
    result = score(case, catalogue, sorted(log, key=lambda e: e.t_s))
    row = crit(result, "safety")
    assert row["points"] == pytest.approx(25 * 0.8)
    assert "do not count as consent" in row["evidence"]
    assert result["passed"] is False and result["total"] == 69


def test_vessel_contact_costs_and_near_misses_are_listed(case, catalogue):
    extra = (ev.VesselPunctured(t_s=6.2, name="companion vein", kind="vein"),
             ev.NearMiss(t_s=6.3, kind="artery", name="transverse cervical artery", distance_mm=1.5))
    result = score(case, catalogue, expert_log(extra=extra))
    row = crit(result, "safety")
    assert row["points"] == pytest.approx(25 * (1 - 0.3 * 0.5))
    assert "companion vein" in row["evidence"] and "Near misses: transverse cervical artery" in row["evidence"]
    assert result["critical_errors"] == []  # a vein is not critical unless the case says so


# ------------------------------------------------------------------ critical errors
@pytest.mark.parametrize("extra, kind", [
    ((ev.PleuraPunctured(t_s=6.1, depth_mm=30),), "pleura_puncture"),
    ((injected(10.2, intravascular=True, point=None),), "intravascular_injection"),
])
def test_critical_errors_fail_the_attempt(case, catalogue, extra, kind):
    result = score(case, catalogue, expert_log(extra=extra))
    assert [e["type"] for e in result["critical_errors"]] == [kind]
    assert result["passed"] is False
    assert result["uncapped_total"] >= 70  # the points alone would have passed
    assert result["total"] == 69  # ...but a failed attempt never shows a passing total


def test_allergen_injection_is_critical(case, catalogue):
    allergy = {"substance": "lidocaine", "class": "amide", "reaction": "hives"}
    patient = case.patient.model_copy(update={"allergies": [type(case.patient).model_fields["allergies"].annotation.__args__[0].model_validate(allergy)]})
    allergic = case.model_copy(update={"patient": patient})
    result = score(allergic, catalogue, expert_log())
    assert [e["type"] for e in result["critical_errors"]] == ["allergen_injected"]
    assert "allergic to lidocaine" in result["critical_errors"][0]["message"]
    assert result["passed"] is False


def test_dose_over_the_ceiling_is_critical_once(case, catalogue):
    # 60 kg x 4.5 mg/kg = 270 mg; 2 x 15 mL of 1% lidocaine = 300 mg
    extra = (injected(10.1, agent="lidocaine_1", volume_ml=15), injected(10.3, agent="lidocaine_1", volume_ml=15),
             ev.DoseCeilingExceeded(t_s=10.3, substance="lidocaine", total_mg=304, ceiling_mg=270))
    result = score(case, catalogue, expert_log(extra=extra))
    errors = result["critical_errors"]
    assert [e["type"] for e in errors] == ["dose_over_ceiling"]
    assert errors[0]["t_s"] == 10.3
    assert result["metrics"]["dose_mg"]["lidocaine"] == pytest.approx(304.0)
    assert result["passed"] is False


def test_case_critical_events_are_honoured(case, catalogue):
    strict = with_rubric(case, critical_events=["VesselPunctured"])
    extra = (ev.VesselPunctured(t_s=6.2, name="companion vein", kind="vein"),)
    result = score(strict, catalogue, expert_log(extra=extra))
    assert [e["type"] for e in result["critical_errors"]] == ["VesselPunctured"]
    assert "companion vein" in result["critical_errors"][0]["message"]
    assert score(case, catalogue, expert_log(extra=extra))["critical_errors"] == []


# ------------------------------------------------------------------ technique
def test_tip_out_of_view_loses_the_visibility_share(case, catalogue):
    result = score(case, catalogue, expert_log(visible=False))
    assert result["metrics"]["tip_visible_fraction"] == 0
    assert crit(result, "technique")["points"] == pytest.approx(15 * 0.6)
    assert "tip_out_of_view" in [e["type"] for e in result["critical_errors"]]


def test_too_many_passes_lose_credit(case, catalogue):
    redirects = tuple(e for i in range(11) for e in (
        ev.NeedleRedirected(t_s=6.0 + i / 100, angle_deg=25, heading_deg=i, pass_number=i + 2), moved(6.005 + i / 100, 3)))
    result = score(case, catalogue, expert_log(extra=redirects))
    assert result["metrics"]["passes"] == 12  # 1 puncture + 11 readvanced redirections = 2 x max_passes
    assert result["metrics"]["passes_worst_point"] == 12
    assert crit(result, "technique")["points"] == pytest.approx(15 * 0.8)


def test_aiming_at_the_skin_is_not_a_pass(case, catalogue):
    aims = tuple(ev.NeedleRedirected(t_s=5.1 + i / 100, angle_deg=25 + i, heading_deg=0, pass_number=i + 2)
                 for i in range(11))  # angle changes before the needle ever advanced
    result = score(case, catalogue, expert_log(extra=aims))
    assert result["metrics"]["passes"] == 1
    assert crit(result, "technique")["points"] == pytest.approx(15.0)


def test_time_to_target_counts_from_the_start(case, catalogue):
    late = [e.__class__(**{**e.__dict__, "t_s": e.t_s + 600}) if e.t_s >= 5 else e for e in expert_log()]
    result = score(case, catalogue, late)
    assert result["metrics"]["time_to_target_s"] == pytest.approx(607.5)
    assert crit(result, "technique")["points"] == pytest.approx(15 * 0.9)  # 607.5 s is past 2 x 300 s


# ------------------------------------------------------------------ judgement
def test_injecting_a_latent_point_costs_judgement(case, catalogue):
    result = score(case, catalogue, expert_log(extra=(injected(10.5, point="ut2"),)))
    row = crit(result, "judgement")
    assert row["points"] == pytest.approx(5.0)
    assert "latent" in row["evidence"] and "ut2" in row["evidence"]


def test_correct_decline_earns_full_credit_when_told_not_to_inject(case, catalogue):
    told = with_policy(case, do_not_inject=True, do_not_inject_reason="Acute muscle trauma at the site.")
    log = [ev.PalpationFelt(t_s=1, x_mm=60, y_mm=40, pressure=0.5, pain=6, jump_sign=False),
           ev.InjectionDeclined(t_s=2, reason="Acute muscle trauma at the site"), ev.SessionFinished(t_s=3)]
    result = score(told, catalogue, log)
    assert result["total"] == 100.0 and result["passed"] is True
    assert "rightly declined" in crit(result, "judgement")["evidence"]


def test_right_decline_for_a_reason_the_case_does_not_turn_on_earns_half_the_decision(case, catalogue):
    told = with_policy(case, do_not_inject=True, do_not_inject_reason="Acute muscle trauma at the site.")
    log = [ev.InjectionDeclined(t_s=2, reason="Patient prefers not to"), ev.SessionFinished(t_s=3)]
    result = score(told, catalogue, log)
    assert crit(result, "twitch")["points"] == pytest.approx(15 * 0.5)
    assert crit(result, "safety")["points"] == 25
    assert result["critical_errors"] == []


def test_injecting_when_told_not_to_fails(case, catalogue):
    told = with_policy(case, do_not_inject=True, do_not_inject_reason="Acute muscle trauma at the site.")
    result = score(told, catalogue, expert_log())
    assert crit(result, "judgement")["points"] == 0
    assert crit(result, "twitch")["points"] == 0 and crit(result, "agent")["points"] == 0
    assert result["passed"] is False


def test_doing_nothing_fails(case, catalogue):
    result = score(case, catalogue, [ev.SessionFinished(t_s=1)])
    assert result["total"] < 10 and result["passed"] is False


def test_expected_counselling_is_required_once_the_needle_goes_in(case, catalogue):
    told = with_policy(case, expected_counselling=["Blood glucose monitoring for two days.", "Soreness"])
    partial = score(told, catalogue, expert_log(extra=(ev.CounselGiven(t_s=12.5, topic="blood glucose monitoring"),)))
    assert crit(partial, "judgement")["points"] == pytest.approx(7.5)
    assert "Soreness" in crit(partial, "judgement")["evidence"]
    full = score(told, catalogue, expert_log(extra=(ev.CounselGiven(t_s=12.5, topic="Blood glucose monitoring"),
                                                    ev.CounselGiven(t_s=12.6, topic="soreness"))))
    assert crit(full, "judgement")["points"] == 10


# ------------------------------------------------------------------ robustness
_floats = st.floats(allow_nan=True, allow_infinity=True, width=32)
_events = st.one_of(
    st.builds(ev.SkinMarked, t_s=_floats, x_mm=_floats, y_mm=_floats),
    st.builds(ev.MarkErased, t_s=_floats, x_mm=_floats, y_mm=_floats),
    st.builds(ev.SkinPunctured, t_s=_floats, x_mm=_floats, y_mm=_floats, angle_deg=_floats, heading_deg=_floats,
              pain=st.integers(0, 10), after_wheal=st.booleans()),
    st.builds(ev.NeedleMoved, t_s=_floats, delta_mm=_floats, tip_x_mm=_floats, tip_y_mm=_floats, tip_depth_mm=_floats,
              tip_visible=st.booleans(), tissue=st.sampled_from(["muscle", "fat"])),
    st.builds(ev.TwitchElicited, t_s=_floats, point_id=st.sampled_from(["ut1", "ut2", "nope"]), strength=_floats,
              source=st.sampled_from(["needle", "snap"])),
    st.builds(ev.Injected, t_s=_floats, agent_id=st.sampled_from(["lidocaine_1", "dry_needling", "unknown", "botulinum_toxin_a"]),
              volume_ml=_floats, tip_x_mm=_floats, tip_y_mm=_floats, tip_depth_mm=_floats, tissue=st.just("muscle"),
              point_id=st.sampled_from([None, "ut1", "ut2", "zz"]), aspirated_first=st.booleans(), intravascular=st.booleans()),
    st.builds(ev.AgentSelected, t_s=_floats, agent_id=st.sampled_from(["lidocaine_0_5", "dry_needling", "x"]), volume_ml=_floats),
    st.builds(ev.ProbePlaced, t_s=_floats, x_mm=_floats, y_mm=_floats, heading_deg=_floats, pressure=_floats),
    st.builds(ev.NeedleRedirected, t_s=_floats, angle_deg=_floats, heading_deg=_floats, pass_number=st.integers(0, 50)),
    st.builds(ev.InjectionDeclined, t_s=_floats, reason=st.text(max_size=5)),
    st.builds(ev.CounselGiven, t_s=_floats, topic=st.text(max_size=10)),
    st.builds(ev.PleuraPunctured, t_s=_floats, depth_mm=_floats),
    st.builds(ev.DoseCeilingExceeded, t_s=_floats, substance=st.just("lidocaine"), total_mg=_floats, ceiling_mg=_floats),
    st.builds(ev.ConsentObtained, t_s=_floats),
    st.builds(ev.NeedleRemoved, t_s=_floats),
)


@settings(max_examples=150, deadline=None)
@given(log=st.lists(_events, max_size=25))
def test_any_event_log_scores_within_bounds_and_serialises(case, catalogue, log):
    result = score(case, catalogue, log, seed=0)
    assert 0.0 <= result["total"] <= 100.0
    for row in result["criteria"]:
        assert 0.0 <= row["points"] <= row["max"]
    text = json.dumps(result, sort_keys=True, allow_nan=False)
    assert json.loads(text)["total"] == result["total"]


# ================================================================== through the real Session
# The shipped S1 expert replay is the baseline; each test changes the actions to show one rule.
from simulator import paths  # noqa: E402
from simulator.core import actions as A  # noqa: E402
from simulator.core.session import Session  # noqa: E402
from simulator.records import read_replay  # noqa: E402

S1 = "s1_upper_trapezius_thin"


@pytest.fixture(scope="module")
def s1(catalogue):
    return six_criteria(load_case(paths.SCENARIOS_DIR / f"{S1}.yaml", catalogue))


@pytest.fixture(scope="module")
def s1_expert():
    return read_replay(paths.REPLAYS_DIR / f"{S1}.expert.jsonl")[1]


def play(case, catalogue, timed, seed=1):
    return Session(case, catalogue, seed).run(timed)


def replace(timed, kind, make):
    """Swap every action of class `kind` for make(action); make may return None to drop it."""
    out = []
    for t, action in timed:
        if isinstance(action, kind):
            action = make(action)
        if action is not None:
            out.append((t, action))
    return out


def test_session_expert_baseline_is_full_marks(s1, catalogue, s1_expert):
    result = play(s1, catalogue, s1_expert)
    assert result["total"] == 100.0 and result["passed"] is True
    assert result["metrics"]["twitches"] >= 1


def test_session_mark_20_mm_off_gets_half_localization(s1, catalogue, s1_expert):
    point = next(p for p in s1.trigger_points if p.activity == "active")
    # The expert marks where its finger said, a few mm from the point: put the mark 20 mm from the point itself.
    timed = replace(s1_expert, A.Mark, lambda a: A.Mark(point.x_mm + 20, point.y_mm))
    result = play(s1, catalogue, timed)
    assert crit(result, "localization")["points"] == pytest.approx(20 * (0.6 + 0.4 * 0.5))


def test_session_injecting_without_fast_passes_loses_twitch(s1, catalogue, s1_expert):
    # keep the approach and the final advance into the point; drop the fast in-out passes
    passes = [i for i, (_, a) in enumerate(s1_expert) if isinstance(a, (A.Advance, A.Withdraw)) and a.mm == 6.0]
    drop = set(passes[:-1])
    timed = [pair for i, pair in enumerate(s1_expert) if i not in drop]
    result = play(s1, catalogue, timed)
    assert crit(result, "twitch")["points"] == 0
    assert result["metrics"]["injections"] == 1


def test_session_not_recommended_agent_costs_points_but_is_not_called_contraindicated(s1, catalogue, s1_expert):
    timed = replace(s1_expert, A.SelectAgent, lambda a: A.SelectAgent("traumeel", a.volume_ml))
    result = play(s1, catalogue, timed)
    row = crit(result, "agent")
    assert row["points"] == pytest.approx(15 * (0.6 * 0.2 + 0.4))
    assert "not recommended" in row["evidence"] and "Not evidence-based" in row["evidence"]
    assert "contraindicated" not in row["evidence"]
    assert result["critical_errors"] == []


def test_session_no_consent_no_aspiration(s1, catalogue, s1_expert):
    timed = replace(replace(s1_expert, A.Consent, lambda a: None), A.Aspirate, lambda a: None)
    result = play(s1, catalogue, timed)
    assert crit(result, "safety")["points"] == pytest.approx(25 * (0.15 + 0.1 + 0.3))
    assert result["metrics"]["aspirated_injections"] == 0
    assert result["passed"] is False and result["total"] <= result["pass_mark"] - 1


def test_session_lifted_probe_costs_tip_visibility_and_steadiness(s1, catalogue, s1_expert):
    timed = replace(s1_expert, A.SkinPrep, lambda a: A.LiftProbe())
    timed = [(0.0, A.SkinPrep()), *timed]
    result = play(s1, catalogue, timed)
    assert result["metrics"]["tip_visible_fraction"] == 0
    assert crit(result, "technique")["points"] == pytest.approx(15 * (1 - 0.4 - 0.15))


def test_session_missing_counselling_costs_judgement(s1, catalogue, s1_expert):
    result = play(s1, catalogue, replace(s1_expert, A.Counsel, lambda a: None))
    assert crit(result, "judgement")["points"] == pytest.approx(5.0)


@pytest.mark.parametrize("novice, error", [("pleura", "pleura_puncture"), ("intravascular", "intravascular_injection"),
                                           ("overdose", "dose_over_ceiling")])
def test_session_critical_errors(s1, catalogue, novice, error):
    header, timed = read_replay(paths.REPLAYS_DIR / f"{S1}.novice-{novice}.jsonl")
    result = play(s1, catalogue, timed, header["seed"])
    assert error in [e["type"] for e in result["critical_errors"]]
    assert result["passed"] is False


def test_session_allergen_is_critical(catalogue):
    case = six_criteria(load_case(paths.SCENARIOS_DIR / "s4_quadratus_lumborum_novocain.yaml", catalogue))
    header, timed = read_replay(paths.REPLAYS_DIR / f"{case.id}.novice-allergen.jsonl")
    result = play(case, catalogue, timed, header["seed"])
    assert "allergen_injected" in [e["type"] for e in result["critical_errors"]]
    assert crit(result, "agent")["points"] <= 15 * 0.4 + 1e-9


def test_session_case_critical_event(s1, catalogue):
    strict = with_rubric(s1, critical_events=["PleuraPunctured", "VesselPunctured"])
    _, timed = read_replay(paths.REPLAYS_DIR / f"{S1}.novice-intravascular.jsonl")
    kinds = [e["type"] for e in play(strict, catalogue, timed)["critical_errors"]]
    assert "VesselPunctured" in kinds and "intravascular_injection" in kinds


def test_session_latent_point_injected(case, catalogue):
    # fixture: latent ut2 at (90, 30, 12 mm); in plane from 20.8 mm away at 30 degrees is 24 mm to its centre
    timed = [(0.0, A.Consent()), (0.5, A.Mark(60, 40)), (1.0, A.Probe(80, 30, 0)), (1.5, A.SkinPrep()),
             (2.0, A.ChooseNeedle(25, 38)), (2.5, A.SelectAgent("lidocaine_0_5", 1.0)),
             (3.0, A.Insert(90 - 20.785, 30, 30, 0)), (3.5, A.Advance(24.0)), (4.0, A.Aspirate()),
             (4.5, A.Inject(0.8)), (5.0, A.RemoveNeedle())]
    result = play(case, catalogue, timed)
    assert result["metrics"]["latent_injected"] == ["ut2"]
    assert crit(result, "judgement")["points"] == 0  # latent injected (-half), nothing that hurts treated (-half)
    assert "no_active_point_treated" in [e["type"] for e in result["critical_errors"]]


def test_session_decline_when_told_not_to_inject(catalogue):
    case = load_case(paths.SCENARIOS_DIR / "s9_scm_whiplash.yaml", catalogue)
    header, timed = read_replay(paths.REPLAYS_DIR / f"{case.id}.expert.jsonl")
    assert any(isinstance(a, A.Decline) for _, a in timed)
    result = play(case, catalogue, timed, header["seed"])
    assert result["total"] == 100.0 and result["passed"] is True


def test_session_needling_when_told_not_to_inject_fails(s1, catalogue, s1_expert):
    told = with_policy(s1, do_not_inject=True, do_not_inject_reason="Acute muscle trauma at the site.")
    result = play(told, catalogue, s1_expert)
    assert crit(result, "judgement")["points"] == 0 and result["passed"] is False


def test_session_results_are_byte_identical(s1, catalogue, s1_expert):
    assert json.dumps(play(s1, catalogue, s1_expert), sort_keys=True) == json.dumps(play(s1, catalogue, s1_expert), sort_keys=True)


# ------------------------------------------------------------------ random action sequences
_num = st.one_of(st.floats(-50, 200), st.sampled_from([0.0, -1.0, float("nan"), float("inf"), 1e9]))
_actions = st.one_of(
    st.just(A.Consent()), st.just(A.SkinPrep()), st.just(A.Release()), st.just(A.LiftProbe()),
    st.builds(A.Consent, st.lists(st.sampled_from(["bleeding", "pneumothorax", "kidney_damage", "rabies"]),
                                  max_size=4).map(tuple)),
    st.just(A.RemoveNeedle()), st.just(A.Aspirate()), st.just(A.Finish()), st.just(A.SkinWheal()),
    st.builds(A.Position, st.sampled_from(["prone", "seated", "upside_down"])),
    st.builds(A.ChooseNeedle, st.sampled_from([25, 27, 13]), st.sampled_from([38.0, 50.0, -5.0])),
    st.builds(A.Palpate, _num, _num, st.floats(-1, 2)),
    st.builds(A.Snap, _num, _num, _num),
    st.builds(A.Mark, _num, _num),
    st.builds(A.EraseMark),
    st.builds(A.Probe, _num, _num, _num, st.floats(-1, 2)),
    st.builds(A.Settings, depth_cm=st.one_of(st.none(), _num), doppler=st.one_of(st.none(), st.booleans())),
    st.builds(A.Insert, _num, _num, st.floats(-10, 100), _num),
    st.builds(A.Advance, st.floats(-5, 60)),
    st.builds(A.Withdraw, st.floats(-5, 60)),
    st.builds(A.Redirect, st.floats(-10, 100), _num),
    st.builds(A.SelectAgent, st.sampled_from(["lidocaine_1", "dry_needling", "procaine_0_5", "nope"]), st.floats(-1, 25)),
    st.builds(A.Inject, st.floats(-1, 25)),
    st.builds(A.Counsel, st.text(max_size=8)),
    st.builds(A.Decline, st.text(max_size=8)),
)


# half the sequences start with the needle in near ut1, so random moves reach deep states (lung, vessels, loci)
_SETUP = [A.Consent(), A.ChooseNeedle(25, 76), A.SelectAgent("lidocaine_1", 20), A.Insert(40, 40, 30, 0), A.Advance(22)]


@settings(max_examples=80, deadline=None)
@given(actions=st.lists(_actions, max_size=18), setup=st.booleans())
def test_random_action_sequences_never_raise_and_stay_in_bounds(case, catalogue, actions, setup):
    actions = (_SETUP if setup else []) + actions
    timed = [(round(0.2 * i, 3), action) for i, action in enumerate(actions)]
    result = Session(case, catalogue, 0).run(timed)
    assert 0.0 <= result["total"] <= 100.0
    assert isinstance(result["passed"], bool)
    if result["critical_errors"]:
        assert not result["passed"] and result["total"] <= result["pass_mark"] - 1
    assert result["total"] <= result["uncapped_total"]
    text = json.dumps(result, sort_keys=True, allow_nan=False)
    assert json.dumps(Session(case, catalogue, 0).run(timed), sort_keys=True, allow_nan=False) == text


def test_needling_without_a_twitch_is_not_dry_needling_treatment(case, catalogue):
    log = [e for e in expert_log(agent="dry_needling", twitch=False) if not isinstance(e, (ev.Injected, ev.Aspirated))]
    result = score(case, catalogue, log)
    assert crit(result, "agent")["points"] == 0
    assert "no trigger point was treated" in crit(result, "agent")["evidence"]


def test_correct_decline_ignores_a_stray_mark(case, catalogue):
    told = with_policy(case, do_not_inject=True, do_not_inject_reason="Acute muscle trauma at the site.")
    log = [ev.SkinMarked(t_s=1, x_mm=5, y_mm=5), ev.InjectionDeclined(t_s=2, reason="Acute muscle trauma at the site")]
    assert crit(score(told, catalogue, log), "localization")["points"] == 20


def test_a_case_can_make_blind_advancing_near_the_pleura_a_failing_item(case, catalogue):
    blind = (ev.NeedleMoved(t_s=6.2, delta_mm=2, tip_x_mm=60, tip_y_mm=40, tip_depth_mm=26, tip_visible=False,
                            tissue="muscle", danger_kind="pleura", danger_name="pleura", danger_mm=3.0),)
    plain = score(case, catalogue, expert_log(extra=blind))
    assert "blind_advance_near_pleura" not in [e["type"] for e in plain["critical_errors"]]
    assert "out of view 3.0 mm from the pleura" in crit(plain, "technique")["evidence"]  # named, not failed
    strict = score(with_rubric(case, critical_rules=["blind_advance_near_pleura"]), catalogue, expert_log(extra=blind))
    assert [e["type"] for e in strict["critical_errors"]] == ["blind_advance_near_pleura"]
    assert strict["passed"] is False
    far = (ev.NeedleMoved(t_s=6.2, delta_mm=2, tip_x_mm=60, tip_y_mm=40, tip_depth_mm=10, tip_visible=False,
                          tissue="muscle", danger_kind="pleura", danger_name="pleura", danger_mm=12.0),)
    assert score(with_rubric(case, critical_rules=["blind_advance_near_pleura"]), catalogue,
                 expert_log(extra=far))["critical_errors"] == []


def test_a_reasoned_deferral_earns_its_credit_and_full_safety(case, catalogue):
    from simulator.scenario.schema import DeclineReason

    deferring = with_policy(case, decline_reasons=[DeclineReason(reason="INR not known: check it first", credit=0.6)])
    log = [ev.PalpationFelt(t_s=1, x_mm=60, y_mm=40, pressure=0.7, feel="nodule", pain=7, jump_sign=True),
           ev.SkinMarked(t_s=2, x_mm=60, y_mm=40), ev.InjectionDeclined(t_s=3, reason="INR not known: check it first"),
           ev.SessionFinished(t_s=4)]
    result = score(deferring, catalogue, log)
    assert crit(result, "safety")["points"] == 25
    assert crit(result, "localization")["points"] == 20  # the examination found the knot
    assert crit(result, "twitch")["points"] == pytest.approx(15 * 0.6)
    assert result["critical_errors"] == []
    unlisted = score(case, catalogue, log)
    assert unlisted["total"] < result["total"] and "no_active_point_treated" in [e["type"] for e in unlisted["critical_errors"]]
