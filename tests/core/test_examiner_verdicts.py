"""The attempts examiners rated, each driven through the real Session with its own action list.

Every attempt here was observed to get the wrong verdict before scoring was rebuilt (issue:
"Scoring an examiner would sign"). Each test states the attempt, the verdict an experienced
examiner gives, and checks both the verdict and that a failed total never reads as a pass.
The starting point is always a shipped expert replay, which passes.
"""

from __future__ import annotations

import pytest

from simulator import paths
from simulator.core import actions as A
from simulator.core import events as E
from simulator.core.session import Session
from simulator.records import read_replay
from simulator.scenario import load_agents, load_library

CATALOGUE = load_agents()
CASES = {case.id: case for case in load_library(catalogue=CATALOGUE)}
S1, S3, S7, S10 = ("s1_upper_trapezius_thin", "s3_infraspinatus_diabetic", "s7_gluteus_medius_pregnancy",
                   "s10_upper_trapezius_marcaine")


def expert(case_id: str):
    header, timed = read_replay(paths.REPLAYS_DIR / f"{case_id}.expert.jsonl")
    return header["seed"], timed


def play(case_id: str, timed, seed: int = 1) -> dict:
    return Session(CASES[case_id], CATALOGUE, seed).run(timed)


def drop(timed, *kinds):
    return [(t, a) for t, a in timed if not isinstance(a, kinds)]


def swap(timed, kind, make):
    return [(t, make(a) if isinstance(a, kind) else a) for t, a in timed]


def failing(result) -> list[str]:
    return [e["type"] for e in result["critical_errors"]]


def assert_fails_and_reads_as_failed(result):
    assert result["passed"] is False
    assert result["total"] <= result["pass_mark"] - 1, "a failed attempt must never show a passing total"


def test_the_baseline_expert_attempts_pass():
    for case_id in (S1, S3, S7, S10):
        seed, timed = expert(case_id)
        result = play(case_id, timed, seed)
        assert result["passed"] and result["total"] >= 90 and failing(result) == []


def test_no_consent_and_no_skin_prep_before_the_puncture_fails():
    seed, timed = expert("s2_levator_scapulae_warfarin")
    result = play("s2_levator_scapulae_warfarin", drop(timed, A.Consent, A.SkinPrep), seed)
    assert_fails_and_reads_as_failed(result)
    assert {"puncture_before_consent", "puncture_before_skin_prep"} <= set(failing(result))


def test_no_consent_prep_aspiration_or_counselling_fails():
    seed, timed = expert(S1)
    result = play(S1, drop(timed, A.Consent, A.SkinPrep, A.Aspirate, A.Counsel), seed)
    assert_fails_and_reads_as_failed(result)
    assert "puncture_before_consent" in failing(result)


def test_consent_given_only_after_the_needle_is_not_consent():
    seed, timed = expert(S1)
    consent = next(a for _, a in timed if isinstance(a, A.Consent))
    late = drop(timed, A.Consent) + [(timed[-1][0] - 0.5, consent)]
    result = play(S1, sorted(late, key=lambda ta: ta[0]), seed)
    assert_fails_and_reads_as_failed(result)
    safety = next(c for c in result["criteria"] if c["id"] == "safety")
    assert "do not count as consent" in safety["evidence"]


def test_steroid_for_an_insulin_treated_diabetic_fails():
    seed, timed = expert(S3)
    result = play(S3, swap(timed, A.SelectAgent, lambda a: A.SelectAgent("lidocaine_1_triamcinolone", a.volume_ml)),
                  seed)
    assert_fails_and_reads_as_failed(result)
    assert failing(result) == ["contraindicated_agent"]
    assert "contraindicated for this patient" in result["critical_errors"][0]["message"]


def test_botulinum_toxin_at_24_weeks_of_pregnancy_fails():
    seed, timed = expert(S7)
    result = play(S7, swap(timed, A.SelectAgent, lambda a: A.SelectAgent("botulinum_toxin_a", a.volume_ml)), seed)
    assert_fails_and_reads_as_failed(result)
    assert "contraindicated_agent" in failing(result)


def test_a_not_recommended_agent_costs_points_but_passes_and_is_never_called_contraindicated():
    seed, timed = expert(S1)
    result = play(S1, swap(timed, A.SelectAgent, lambda a: A.SelectAgent("traumeel", a.volume_ml)), seed)
    agent = next(c for c in result["criteria"] if c["id"] == "agent")
    assert failing(result) == [] and result["passed"]
    assert agent["points"] < agent["max"] and "not recommended" in agent["evidence"]
    assert "contraindicated" not in agent["evidence"]


def _offset_injection(timed, mm: float):
    """The expert's route, aimed `mm` to the side, with no fast in-out passes (so no twitch)."""
    out, skip_fast = [], False
    for t, a in timed:
        if isinstance(a, A.Insert):
            a = A.Insert(a.x_mm, a.y_mm + mm, a.angle_deg, a.heading_deg)
        out.append((t, a))
    # drop the pistoning: every advance/withdraw pair of the fast passes (the 6 mm ones)
    fast = [i for i, (_, a) in enumerate(out) if isinstance(a, (A.Advance, A.Withdraw)) and abs(getattr(a, "mm", 0) - 6.0) < 1e-9]
    keep_last_advance = max(i for i in fast if isinstance(out[i][1], A.Advance))
    return [ta for i, ta in enumerate(out) if i not in fast or i == keep_last_advance]


def test_an_injection_18_mm_from_the_knot_without_a_twitch_fails():
    seed, timed = expert(S1)
    result = play(S1, _offset_injection(timed, 18.0), seed)
    assert_fails_and_reads_as_failed(result)
    assert "no_active_point_treated" in failing(result)
    judgement = next(c for c in result["criteria"] if c["id"] == "judgement")
    assert "left the latent trigger points alone" not in judgement["evidence"]
    assert judgement["points"] < judgement["max"]


def test_a_carpet_of_marks_without_palpation_fails_and_earns_no_mark_credit():
    seed, timed = expert(S1)
    case = CASES[S1]
    region = case.body_region
    grid = [A.Mark(float(x), float(y)) for x in range(5, int(region.width_mm), 10) for y in range(5, int(region.height_mm), 10)]
    assert len(grid) > 150
    plain = drop(timed, A.Palpate, A.Release, A.Mark)
    start = plain[1][0]
    carpet = plain[:1] + [(start + i * 0.01, m) for i, m in enumerate(grid)] + [(t + len(grid) * 0.01, a) for t, a in plain[1:]]
    result = play(S1, carpet, seed)
    assert_fails_and_reads_as_failed(result)
    assert {"marks_not_committed", "needled_without_palpation"} <= set(failing(result))
    assert result["metrics"]["marks"] == len(grid)
    assert result["metrics"]["marks_near_a_point"] / len(grid) < 0.3  # most marks are near no trigger point...
    localization = next(c for c in result["criteria"] if c["id"] == "localization")
    assert localization["points"] <= localization["max"] * (0.6 + 0.4 * 0.3)  # ...so the marks earn little of their share


def test_one_mark_after_palpation_still_passes():
    seed, timed = expert(S1)
    result = play(S1, timed, seed)
    assert result["metrics"]["marks"] == 1 and "marks_not_committed" not in failing(result)


def test_eleven_passes_with_the_tip_mostly_out_of_view_fails():
    seed, timed = expert(S3)
    case = CASES[S3]
    insert_i = next(i for i, (_, a) in enumerate(timed) if isinstance(a, A.Insert))
    t0, insert = timed[insert_i]
    point = next(p for p in case.trigger_points if p.activity == "active")
    # Lift the probe, then fan the needle: withdraw near the skin, redirect, re-advance, ten times.
    fan = [(t0 - 0.2, A.LiftProbe())]
    t = t0 + 0.5
    for k in range(10):
        fan += [(t, A.Withdraw(25.0)), (t + 0.3, A.Redirect(insert.angle_deg, (insert.heading_deg + 3 * (k + 1)) % 360)),
                (t + 0.6, A.Advance(12.0)), (t + 0.9, A.Advance(10.0))]
        t += 1.2
    rest = [(tt + t - t0, a) for tt, a in timed[insert_i + 1:]]
    first_advance = [(t0 + 0.1, A.Advance(20.0))]
    attempt = sorted(timed[:insert_i + 1] + fan + first_advance + [(t + 0.1, A.Withdraw(25.0))] + rest,
                     key=lambda ta: ta[0])
    result = play(S3, attempt, seed)
    assert result["metrics"]["passes"] >= 11
    assert result["metrics"]["tip_visible_fraction"] < 0.5
    assert_fails_and_reads_as_failed(result)
    assert "tip_out_of_view" in failing(result)
    assert point.id in result["metrics"]["passes_by_point"] or result["metrics"]["passes_worst_point"] >= 6


def test_aiming_at_the_skin_does_not_count_as_passes():
    seed, timed = expert(S1)
    insert_i = next(i for i, (_, a) in enumerate(timed) if isinstance(a, A.Insert))
    t0, insert = timed[insert_i]
    aims = [(t0 + 0.01 * (k + 1), A.Redirect(insert.angle_deg + (k % 3), insert.heading_deg)) for k in range(20)]
    result = play(S1, sorted(timed + aims, key=lambda ta: ta[0]), seed)
    assert result["metrics"]["passes"] == 1
    assert result["passed"]


def test_pleural_puncture_then_a_good_injection_fails_with_a_capped_total():
    seed, timed = read_replay(paths.REPLAYS_DIR / f"{S1}.novice-pleura.jsonl")
    seed = seed["seed"]
    expert_seed, good = expert(S1)
    last = timed[-2][0]  # before Finish
    attempt = [ta for ta in timed if not isinstance(ta[1], A.Finish)] + [
        (last + 1 + t, a) for t, a in good if not isinstance(a, (A.Consent, A.Position, A.Palpate, A.Release, A.Mark,
                                                                     A.SkinPrep, A.ChooseNeedle))]
    result = play(S1, attempt, seed)
    assert "pleura_puncture" in failing(result)
    assert_fails_and_reads_as_failed(result)
    assert result["uncapped_total"] > result["total"]


def test_an_overdose_fails_with_a_capped_total():
    header, timed = read_replay(paths.REPLAYS_DIR / f"{S1}.novice-overdose.jsonl")
    result = play(S1, timed, header["seed"])
    assert failing(result) == ["dose_over_ceiling"]
    assert_fails_and_reads_as_failed(result)
    message = result["critical_errors"][0]["message"]
    assert "ceiling" in message and " mg" in message


def test_totals_are_never_rounded_up():
    from simulator.core.scoring import shown_total

    assert shown_total(99.8) == 99 and shown_total(70.0) == 70 and shown_total(69.99) == 69


def test_repeated_correct_locus_passes_are_not_failed_by_the_draw():
    """Three fast in-outs through the locus: whatever each seed draws, the twitch criterion is full."""
    seed, timed = expert(S1)
    fast = [i for i, (_, a) in enumerate(timed) if isinstance(a, (A.Advance, A.Withdraw)) and abs(a.mm - 6.0) < 1e-9]
    keep = set(fast[:6]) | {max(i for i in fast if isinstance(timed[i][1], A.Advance))}
    three = [ta for i, ta in enumerate(timed) if i not in fast or i in keep]
    twitch_points = set()
    for s in range(10):
        result = play(S1, three, s)
        twitch = next(c for c in result["criteria"] if c["id"] == "twitch")
        twitch_points.add(twitch["points"])
        assert result["passed"]
    assert len(twitch_points) == 1 and twitch_points.pop() == twitch["max"]


def test_fast_in_out_from_inside_the_locus_is_answered():
    """Pressing fast in-out with the tip already in the locus gives a twitch or 'No twitch seen', never silence."""
    seed, timed = expert(S1)
    case = CASES[S1]
    session = Session(case, CATALOGUE, seed)
    upto = next(i for i, (_, a) in enumerate(timed) if isinstance(a, A.Aspirate))  # tip sits at the point
    for t, a in timed[:upto]:
        session._step_at(t, [a])
    assert session.world.track is not None and session.world.track.in_locus
    answers = []
    for k in range(6):
        new = session.step([A.Advance(2.0)]) + session.step([A.Withdraw(2.0)])
        answers.append([type(e).__name__ for e in new if isinstance(e, (E.TwitchElicited, E.TwitchNotSeen))])
    assert all(len(a) == 1 for a in answers), answers


def test_a_fast_in_out_that_misses_the_locus_says_no_twitch():
    seed, timed = expert(S1)
    session = Session(CASES[S1], CATALOGUE, seed)
    upto = next(i for i, (_, a) in enumerate(timed) if isinstance(a, A.Insert))
    for t, a in timed[:upto + 1]:
        session._step_at(t, [a])
    new = session.step([A.Advance(3.0)]) + session.step([A.Withdraw(3.0)])
    missed = [e for e in new if isinstance(e, E.TwitchNotSeen)]
    assert len(missed) == 1 and missed[0].locus_point_ids == () and missed[0].speech is None


# ------------------------------------------------------------------ choices that were free now count
def technique_of(result):
    return next(c for c in result["criteria"] if c["id"] == "technique")


def safety_of(result):
    return next(c for c in result["criteria"] if c["id"] == "safety")


def test_prone_at_24_weeks_of_pregnancy_costs_the_position_item():
    seed, timed = expert(S7)
    right = play(S7, timed, seed)
    prone = play(S7, swap(timed, A.Position, lambda a: A.Position("prone")), seed)
    assert safety_of(right)["points"] - safety_of(prone)["points"] == pytest.approx(safety_of(right)["max"] * 0.1, abs=0.02)
    assert "a position to avoid" in safety_of(prone)["evidence"]


def test_a_wide_needle_in_an_anticoagulated_patient_costs_the_needle_item():
    case_id = "s2_levator_scapulae_warfarin"
    seed, timed = expert(case_id)
    wide = play(case_id, swap(timed, A.ChooseNeedle, lambda a: A.ChooseNeedle(21, a.length_mm)), seed)
    assert "anticoagulated" in technique_of(wide)["evidence"]
    assert technique_of(wide)["points"] < technique_of(play(case_id, timed, seed))["points"]


def test_a_needle_too_short_for_the_deep_point_is_named():
    case_id = "s5_piriformis_big_man"
    seed, timed = expert(case_id)
    result = play(case_id, swap(timed, A.ChooseNeedle, lambda a: A.ChooseNeedle(25, 38.0)), seed)
    assert "cannot reach" in technique_of(result)["evidence"]
    assert result["passed"] is False  # it never reaches the point, so nothing is treated


def test_a_needle_long_enough_to_reach_the_lung_is_named_when_a_shorter_one_would_do():
    seed, timed = expert(S1)
    result = play(S1, swap(timed, A.ChooseNeedle, lambda a: A.ChooseNeedle(25, 76.0)), seed)
    assert "long enough to reach the pleura" in technique_of(result)["evidence"]
    assert technique_of(result)["points"] == pytest.approx(technique_of(result)["max"] * 0.95, abs=0.02)


# ------------------------------------------------------------------ consent is a conversation
def test_consent_with_every_topic_on_the_list_does_not_earn_full_credit():
    from simulator.core.preparation import CONSENT_TOPICS

    seed, timed = expert(S1)
    everything = play(S1, swap(timed, A.Consent, lambda a: A.Consent(topics=tuple(CONSENT_TOPICS))), seed)
    right = play(S1, timed, seed)
    assert safety_of(right)["points"] == safety_of(right)["max"]
    assert safety_of(everything)["points"] < safety_of(right)["points"]
    assert "do not apply" in safety_of(everything)["evidence"]


def test_consent_without_the_pneumothorax_risk_over_the_lung_is_incomplete():
    seed, timed = expert(S1)
    topics = tuple(t for t in next(a for _, a in timed if isinstance(a, A.Consent)).topics if t != "pneumothorax")
    result = play(S1, swap(timed, A.Consent, lambda a: A.Consent(topics=topics)), seed)
    assert "pneumothorax" in safety_of(result)["evidence"]
    assert safety_of(result)["points"] < safety_of(result)["max"]


def test_an_unknown_consent_topic_is_rejected_with_the_list():
    session = Session(CASES[S1], CATALOGUE, 1)
    [event] = session.step([A.Consent(topics=("rabies",))])
    assert isinstance(event, E.ActionRejected) and "unknown consent topic 'rabies'" in event.reason
    assert not session.state.checklist.consent


# ------------------------------------------------------------------ evidence sentences
def test_doses_are_stated_exactly_and_toxin_in_units():
    seed, timed = expert(S1)
    small = play(S1, swap(swap(timed, A.SelectAgent, lambda a: A.SelectAgent(a.agent_id, 0.5)), A.Inject,
                          lambda a: A.Inject(0.5)), seed)
    agent = next(c for c in small["criteria"] if c["id"] == "agent")
    assert "lidocaine 2.5 mg" in agent["evidence"]  # 0.5 mL of 0.5 %, not "2 mg"
    toxin = play(S1, swap(swap(timed, A.SelectAgent, lambda a: A.SelectAgent("botulinum_toxin_a", 0.2)), A.Inject,
                          lambda a: A.Inject(0.2)), seed)
    agent = next(c for c in toxin["criteria"] if c["id"] == "agent")
    assert " units" in agent["evidence"] and "units (ceiling" in agent["evidence"]


def test_a_decline_is_explained_once_and_never_says_the_patient_was_needled():
    seed, timed = expert("s9_scm_whiplash")
    result = play("s9_scm_whiplash", timed, seed)
    texts = [c["evidence"] for c in result["criteria"]]
    assert sum("rightly declined" in t for t in texts) == 1  # Judgement explains; the rest point to it
    assert not any("should not have been needled" in t for t in texts)


def test_dry_needling_is_worded_as_dry_needling():
    seed, timed = expert(S1)
    dry = [(t, A.SelectAgent("dry_needling", 0.0) if isinstance(a, A.SelectAgent) else a)
           for t, a in timed if not isinstance(a, (A.Aspirate, A.Inject))]
    result = play(S1, dry, seed)
    localization = next(c for c in result["criteria"] if c["id"] == "localization")
    assert "Dry needling drew a twitch" in localization["evidence"] and "injection" not in localization["evidence"]
    assert result["passed"]


# ------------------------------------------------------------------ deciding not to inject
@pytest.mark.parametrize("case_id, partial", [
    ("s9_scm_whiplash", "Acute muscle trauma at the site: defer and reassess in a few weeks"),
    ("s10_upper_trapezius_marcaine", "He has had an injection in the last 2-3 weeks: wait and inject next time"),
])
def test_declining_for_the_reason_that_misses_the_point_scores_below_the_right_reason(case_id, partial):
    seed, timed = expert(case_id)
    right = play(case_id, timed, seed)
    wrong_reason = play(case_id, swap(timed, A.Decline, lambda a: A.Decline(reason=partial)), seed)
    assert right["passed"] and right["total"] >= 90
    assert wrong_reason["total"] < right["total"] and not wrong_reason["passed"]
    judgement = next(c for c in wrong_reason["criteria"] if c["id"] == "judgement")
    assert "defensible" in judgement["evidence"]
    safety = next(c for c in wrong_reason["criteria"] if c["id"] == "safety")
    assert safety["points"] == safety["max"]  # no needle, nothing unsafe: safety is not zero


def test_a_reasoned_deferral_on_warfarin_scores_above_a_pleural_puncture():
    seed, timed = expert("s2_levator_scapulae_warfarin")
    defer = [(t, a) for t, a in timed if isinstance(a, (A.Consent, A.Position, A.Palpate, A.Release, A.Mark, A.Probe))]
    defer += [(defer[-1][0] + 1, A.Decline(reason="INR not known: check it first"))]
    result = play("s2_levator_scapulae_warfarin", defer, seed)
    safety = next(c for c in result["criteria"] if c["id"] == "safety")
    assert safety["points"] == safety["max"] and result["total"] > 20
    header, pleura = read_replay(paths.REPLAYS_DIR / f"{S1}.novice-pleura.jsonl")
    assert result["total"] > play(S1, pleura, header["seed"])["total"]


def test_mentioning_a_drug_allergy_neither_earns_nor_costs_but_a_stroke_risk_costs():
    seed, timed = expert(S1)
    applicable = next(a for _, a in timed if isinstance(a, A.Consent)).topics
    plus_allergy = play(S1, swap(timed, A.Consent, lambda a: A.Consent(topics=applicable + ("allergic_reaction",))), seed)
    plus_stroke = play(S1, swap(timed, A.Consent, lambda a: A.Consent(topics=applicable + ("blood_clot_stroke",))), seed)
    assert safety_of(plus_allergy)["points"] == safety_of(plus_allergy)["max"]
    assert safety_of(plus_stroke)["points"] < safety_of(plus_stroke)["max"]


def test_s1_names_advancing_blind_near_the_pleura_as_its_own_failing_item():
    header, timed = read_replay(paths.REPLAYS_DIR / f"{S1}.novice-pleura.jsonl")
    result = play(S1, timed, header["seed"])
    blind = next(e for e in result["critical_errors"] if e["type"] == "blind_advance_near_pleura")
    pleura = next(e for e in result["critical_errors"] if e["type"] == "pleura_puncture")
    assert blind["t_s"] <= pleura["t_s"] and "out of view" in blind["message"]
    seed, good = expert(S1)
    assert "blind_advance_near_pleura" not in failing(play(S1, good, seed))
