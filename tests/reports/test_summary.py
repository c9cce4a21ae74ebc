"""The report's numbers, from attempts scored for real by replaying the shipped replays."""

from datetime import timedelta

import pytest

from simulator.reports.cusum import ACCEPTABLE, UNACCEPTABLE, UNDECIDED, CusumMethod
from simulator.reports.summary import error_label, summarize
from tests.reports.cohort import START, attempt, cohort, rating, scored, series

S1 = "s1_upper_trapezius_thin"
S2 = "s2_levator_scapulae_warfarin"


def test_score_series_per_trainee_oldest_first_with_pass_and_fail():
    later = series("zoe", S1, "FP", start=START + timedelta(days=3))
    earlier = series("zoe", S2, "P", start=START)
    data = summarize(later + earlier)
    points = data.scores["zoe"]
    assert [(p.case_id, p.passed) for p in points] == [(S2, True), (S1, False), (S1, True)]
    assert points[0].total == 100.0 and points[1].total < 70
    assert data.attempts == 3 and data.pass_rate == pytest.approx(2 / 3) and data.pass_mark == 70


def test_heat_map_is_the_mean_share_of_points_per_trainee_and_criterion():
    novice = scored(S1, "novice-intravascular")
    data = summarize([attempt("amy", S1, "expert", START), attempt("amy", S1, "novice-intravascular", START + timedelta(1)),
                      attempt("bob", S1, "expert", START)])
    heat = data.heat_map
    assert heat.trainees == ("amy", "bob")
    ids = [c for c, _ in heat.criteria]
    assert ids == [row["id"] for row in novice["criteria"] if row["max"]]
    for j, row in enumerate(r for r in novice["criteria"] if r["max"]):
        assert heat.shares[0][j] == pytest.approx((1 + row["points"] / row["max"]) / 2)
        assert heat.shares[1][j] == pytest.approx(1.0)
    localization = ids.index("localization")
    assert heat.shares[0][localization] < 1.0  # the novice injected 17 mm off the point


def test_critical_errors_counted_once_per_attempt_most_common_first():
    attempts = [attempt("amy", S1, "novice-intravascular", START), attempt("amy", S1, "novice-intravascular", START + timedelta(1)),
                attempt("bob", S1, "novice-pleura", START), attempt("bob", S1, "expert", START + timedelta(1))]
    errors = {e.type: e for e in summarize(attempts).errors}
    top = summarize(attempts).errors[0]
    assert top.type == "no_active_point_treated" and top.attempts == 3 and top.trainees == 2
    assert errors["intravascular_injection"].attempts == 2 and errors["intravascular_injection"].trainees == 1
    assert errors["pleura_puncture"].attempts == 1
    assert errors["intravascular_injection"].label == "Intravascular injection"
    assert "blood vessel" in errors["intravascular_injection"].example


def test_error_labels_read_as_words():
    assert error_label("tip_out_of_view") == "Tip out of view"
    assert error_label("NerveContacted") == "Nerve contacted"


def test_learning_curve_per_trainee_and_case_with_its_decision():
    attempts = series("amy", S1, "FFFF") + series("amy", S2, "P" * 19) + series("bob", S1, "FP")
    curves = {(c.trainee_id, c.case_id): c.curve for c in summarize(attempts).curves}
    assert set(curves) == {("amy", S1), ("amy", S2), ("bob", S1)}
    assert curves["amy", S1].verdict == UNACCEPTABLE and curves["amy", S1].decisions[0].attempt_no == 4
    assert curves["amy", S2].verdict == ACCEPTABLE and curves["amy", S2].decisions[0].attempt_no == 19
    assert curves["bob", S1].verdict == UNDECIDED


def test_the_method_chosen_changes_the_decision():
    # 9 passes (9 x 0.2188 = 1.97 > h0 1.756; 8 would be 1.75): undecided under 10%/20%, acceptable under a lenient 15%/30% with alpha 0.05, beta 0.20
    attempts = series("amy", S1, "P" * 9)
    assert summarize(attempts).curves[0].curve.verdict == UNDECIDED
    lenient = CusumMethod(p0=0.15, p1=0.30, alpha=0.05, beta=0.20)
    assert summarize(attempts, lenient).curves[0].curve.verdict == ACCEPTABLE


def test_ratings_listed_with_their_attempt():
    rated = attempt("amy", S1, "expert", START, rating=rating("Dr Who", 4, "steady hands"))
    data = summarize([rated, attempt("amy", S1, "novice-pleura", START + timedelta(1))])
    assert len(data.ratings) == 1
    r = data.ratings[0]
    assert (r.trainee_id, r.examiner, r.comment, r.scores["overall"], r.passed) == ("amy", "Dr Who", "steady hands", 4, True)


def test_cohort_of_five_trainees_three_cases():
    data = summarize(cohort())
    assert len(data.trainees) == 5 and len(data.cases) == 3 and len(data.curves) == 15
    assert data.attempts == sum(len(points) for points in data.scores.values())


def test_nothing_selected_gives_an_empty_summary():
    data = summarize([])
    assert data.attempts == 0 and data.pass_rate is None and data.curves == () and data.errors == ()


def test_trainees_and_cases_in_natural_order():
    attempts = [attempt(f"t{n}", case_id, "expert", START + timedelta(hours=n))
                for n in (10, 2, 1) for case_id in ("s2_levator_scapulae_warfarin", "s10_upper_trapezius_marcaine")]
    data = summarize(attempts)
    assert data.trainees == ("t1", "t2", "t10") == data.heat_map.trainees == tuple(data.scores)
    assert [c for c, _ in data.cases] == ["s2_levator_scapulae_warfarin", "s10_upper_trapezius_marcaine"]
    assert [(lc.trainee_id, lc.case_id[:3]) for lc in data.curves][:3] == [("t1", "s2_"), ("t1", "s10"), ("t2", "s2_")]
