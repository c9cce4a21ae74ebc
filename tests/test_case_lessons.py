"""The verdict an examiner would give on each revised lesson, from replays through the real session.

Each test plays a short attempt (the shipped expert and novice replays, or the expert's technique
with one decision changed) and checks the outcome a trainee sees: pass or fail, the critical error,
the agent class the debrief names.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import pytest

from simulator import paths
from simulator.core import actions as A
from simulator.core.anatomy import AnatomyModel
from simulator.core.session import Session
from simulator.records import read_replay
from simulator.scenario import load_agents, load_library

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import make_expert_replays as planner  # noqa: E402

CATALOGUE = load_agents()
CASES = {case.id: case for case in load_library(catalogue=CATALOGUE)}


def replay(case_id: str, kind: str) -> dict:
    header, timed = read_replay(paths.REPLAYS_DIR / f"{case_id}.{kind}.jsonl")
    return Session(CASES[case_id], CATALOGUE, header["seed"]).run(timed)


def expert_with_agent(case_id: str, agent_id: str) -> dict:
    case = CASES[case_id]
    header, timed = planner.expert(case, CATALOGUE)
    timed = [(t, A.SelectAgent(agent_id, a.volume_ml) if isinstance(a, A.SelectAgent) else a) for t, a in timed]
    return Session(case, CATALOGUE, header["seed"]).run(timed)


def criticals(result: dict) -> list[str]:
    return [e["type"] for e in result["critical_errors"]]


def agent_evidence(result: dict) -> str:
    return next(c["evidence"] for c in result["criteria"] if c["id"] == "agent")


def test_s9_red_flag_refer_for_ct_angiography_passes_and_injecting_fails():
    case = CASES["s9_scm_whiplash"]
    assert case.agent_policy.do_not_inject and "CT angiography" in case.agent_policy.do_not_inject_reason
    assert case.patient.conditions.red_flags
    expert = replay(case.id, "expert")
    assert expert["passed"] and expert["total"] >= 90
    novice = replay(case.id, "novice-injects")
    assert not novice["passed"] and "SkinPunctured" in criticals(novice)
    defer = next(d for d in case.agent_policy.decline_reasons if "trauma" in d.reason)
    assert defer.credit < 1 and "CT angiography" in defer.explanation


def test_s10_stop_and_reassess_passes_and_another_injection_fails():
    case = CASES["s10_upper_trapezius_marcaine"]
    assert replay(case.id, "expert")["passed"]
    novice = replay(case.id, "novice-injects")  # even plain 0.5% lidocaine
    assert not novice["passed"] and "SkinPunctured" in criticals(novice)
    assert [c.agent for c in case.agent_policy.contraindicated] == ["bupivacaine_0_25"]


def test_s2_warfarin_continued_with_in_range_inr_passes_and_stopping_it_fails():
    case = CASES["s2_levator_scapulae_warfarin"]
    assert case.patient.conditions.inr is not None and case.patient.conditions.inr < 3
    expert = replay(case.id, "expert")
    assert expert["passed"] and expert["total"] >= 90
    needle = next(a for _, a in read_replay(paths.REPLAYS_DIR / f"{case.id}.expert.jsonl")[1]
                  if isinstance(a, A.ChooseNeedle))
    assert needle.gauge >= 25  # fine needle
    novice = replay(case.id, "novice-wrong-decline")
    assert not novice["passed"]
    stop = next(d for d in case.agent_policy.decline_reasons if "stop" in d.reason.lower())
    assert stop.credit == 0


def test_s4_unknown_dental_anaesthetic_amide_fails_saline_passes():
    case = CASES["s4_quadratus_lumborum_novocain"]
    expert = replay(case.id, "expert")
    assert expert["passed"] and case.agent_policy.preferred[0].agent == "normal_saline"
    for agent in ("lidocaine_0_5", "lidocaine_1_epinephrine", "procaine_0_5"):
        result = expert_with_agent(case.id, agent)
        assert not result["passed"] and "allergen_injected" in criticals(result), agent


def test_s5_depth_follows_bmi_and_the_needle_reaches_without_the_hub():
    case = CASES["s5_piriformis_big_man"]
    model = AnatomyModel(case)
    point = case.trigger_points[0]
    top_mm = next(d / 2 for d in range(0, 400) if model.muscle_at(point.x_mm, point.y_mm, d / 2) == "piriformis")
    assert top_mm > 66  # deeper than the CT mean laterally (6.6 cm) at BMI 36
    timed = read_replay(paths.REPLAYS_DIR / f"{case.id}.expert.jsonl")[1]
    needle = next(a for _, a in timed if isinstance(a, A.ChooseNeedle))
    assert needle.length_mm > 89  # a 3.5 in needle does not reach in plane
    assert case.rubric.weights.localization == 0  # the impalpable point's skin mark is not scored
    assert replay(case.id, "expert")["passed"]


def test_s13_fibromyalgia_is_not_a_reason_to_refuse_the_active_point():
    case = CASES["s13_trapezius_fibromyalgia"]
    assert replay(case.id, "expert")["passed"]
    assert not replay(case.id, "novice-wrong-decline")["passed"]


def test_s14_repeat_within_rehabilitation_is_right_and_refusing_it_fails():
    case = CASES["s14_gluteus_medius_repeat_in_rehab"]
    assert replay(case.id, "expert")["passed"]
    assert not replay(case.id, "novice-wrong-decline")["passed"]


def test_s12_landmark_expert_uses_no_scanner_and_enters_1_to_2_cm_from_the_point():
    case = CASES["s12_infraspinatus_landmark"]
    timed = read_replay(paths.REPLAYS_DIR / f"{case.id}.expert.jsonl")[1]
    assert not any(isinstance(a, (A.Probe, A.Settings)) for _, a in timed)
    points = [p for p in case.trigger_points if p.activity == "active"]
    inserts = [a for _, a in timed if isinstance(a, A.Insert)]
    for insert, point in zip(inserts, points):
        assert 10 <= math.dist((insert.x_mm, insert.y_mm), (point.x_mm, point.y_mm)) <= 20
    assert any(isinstance(a, A.Aspirate) for _, a in timed)
    result = replay(case.id, "expert")
    assert result["passed"] and result["total"] >= 90


def test_s3_steroid_is_named_contraindicated_for_this_patient():
    result = expert_with_agent("s3_infraspinatus_diabetic", "lidocaine_1_triamcinolone")
    assert "contraindicated for this patient" in agent_evidence(result)
    assert result["total"] < replay("s3_infraspinatus_diabetic", "expert")["total"]


def test_every_case_classes_toxin_and_traumeel_honestly():
    for case in CASES.values():
        policy = case.agent_policy
        preferred = {c.agent for c in policy.preferred + policy.acceptable}
        assert "traumeel" not in preferred and "botulinum_toxin_a" not in preferred, case.id
        toxin_contraindicated = "botulinum_toxin_a" in {c.agent for c in policy.contraindicated}
        # The catalogue lists pregnancy among the toxin's contraindications [231].
        assert toxin_contraindicated == bool(case.patient.conditions.pregnancy_weeks), case.id


AUTHORING = re.compile(r"UNSOURCED|not retrieved|were not found|vignette|educator|§", re.IGNORECASE)


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_text_the_trainee_sees_holds_no_authoring_notes(case_id):
    case = CASES[case_id]
    policy = case.agent_policy
    shown = list(case.teaching.teaching_points) + list(case.teaching.hints) + list(policy.expected_counselling)
    shown += [c.reason for c in policy.preferred + policy.acceptable + policy.not_recommended + policy.contraindicated]
    shown += [d.reason for d in policy.decline_reasons] + [d.explanation or "" for d in policy.decline_reasons]
    shown += [policy.do_not_inject_reason or "", case.summary, *case.learning_objectives, case.patient.history]
    leaks = [text for text in shown if AUTHORING.search(text)]
    assert leaks == []
