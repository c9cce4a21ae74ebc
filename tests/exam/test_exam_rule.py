"""The exam pass rule on real scored attempts: the shipped expert replays pass, the novice ones fail."""

from __future__ import annotations

import functools

import pytest

from simulator import paths
from simulator.core.exam_rule import evaluate
from simulator.core.session import Session
from simulator.records import read_replay
from simulator.scenario import load_agents, load_library
from simulator.scenario.exam_schema import PassRule

CATALOGUE = load_agents()
CASES = {case.id: case for case in load_library(catalogue=CATALOGUE)}


@functools.cache
def scored(replay_name: str) -> dict:
    header, timed = read_replay(paths.REPLAYS_DIR / f"{replay_name}.jsonl")
    return Session(CASES[header["case"]], CATALOGUE, header["seed"]).run(timed)


EXPERTS = ["s1_upper_trapezius_thin.expert", "s3_infraspinatus_diabetic.expert", "s9_scm_whiplash.expert"]
NOVICE = "s3_infraspinatus_diabetic.novice-intravascular"  # a critical error: fails its case


def results(*names: str) -> list[dict]:
    return [scored(name) for name in names]


def test_each_case_passed_passes_when_every_case_passes():
    verdict = evaluate(PassRule(kind="each_case_passed"), results(*EXPERTS))
    assert verdict.passed and verdict.reasons == ()
    assert [c.case_id for c in verdict.cases] == ["s1_upper_trapezius_thin", "s3_infraspinatus_diabetic",
                                                   "s9_scm_whiplash"]


def test_each_case_passed_fails_on_one_failed_case_and_names_it():
    verdict = evaluate(PassRule(kind="each_case_passed"), results(EXPERTS[0], NOVICE, EXPERTS[2]))
    assert not verdict.passed
    failing = len(scored(NOVICE)["critical_errors"])
    assert verdict.reasons == (f"case 2 ({CASES['s3_infraspinatus_diabetic'].title}) did not pass: "
                               f"{failing} failing item{'s' if failing != 1 else ''}",)


def test_each_case_passed_names_the_points_when_a_case_fell_short_without_a_failing_item():
    """The expert's s1 attempt without its aftercare, against a variant of the case whose pass mark is 100."""
    header, timed = read_replay(paths.REPLAYS_DIR / "s1_upper_trapezius_thin.expert.jsonl")
    case = CASES["s1_upper_trapezius_thin"]
    strict = case.model_copy(update={"rubric": case.rubric.model_copy(update={"pass_mark": 100.0})})
    no_aftercare = [(t, a) for t, a in timed if type(a).__name__ != "Aftercare"]
    short = Session(strict, CATALOGUE, header["seed"]).run(no_aftercare)
    assert not short["passed"] and not short["critical_errors"] and short["total"] < 100
    verdict = evaluate(PassRule(kind="each_case_passed"), [short])
    assert verdict.reasons == (f"case 1 ({case.title}) did not pass: {int(short['total'])} points, pass mark 100",)


def test_total_passes_at_the_minimum_and_fails_just_below_it():
    attempts = results(EXPERTS[0], NOVICE, EXPERTS[2])
    mean = round(sum(r["total"] for r in attempts) / 3, 2)
    at_mean = evaluate(PassRule(kind="total", min_mean_total=mean), attempts)
    above = evaluate(PassRule(kind="total", min_mean_total=min(100.0, mean + 0.5)), attempts)
    assert at_mean.passed and at_mean.mean_total == mean
    assert not above.passed
    assert above.reasons == (f"the mean total {mean:g} is below the {min(100.0, mean + 0.5):g} this exam requires",)


def test_total_lets_a_failed_case_through_when_the_mean_is_high_enough():
    """The difference between the two rules: a failed case does not fail a `total` exam by itself."""
    attempts = results(EXPERTS[0], NOVICE, EXPERTS[2])
    assert not evaluate(PassRule(kind="each_case_passed"), attempts).passed
    assert evaluate(PassRule(kind="total", min_mean_total=50), attempts).passed


def test_a_required_criterion_fails_an_exam_whose_totals_pass():
    attempts = results(EXPERTS[0], NOVICE, EXPERTS[2])
    safety = {row["id"]: row for row in attempts[1]["criteria"]}["safety"]
    assert safety["points"] < safety["max"]  # the intravascular injection cost safety points
    rule = PassRule(kind="total", min_mean_total=50, required_criteria=[{"criterion": "safety"}])
    verdict = evaluate(rule, attempts)
    assert not verdict.passed
    assert verdict.reasons == (f"safety earned {round(100 * safety['points'] / safety['max'], 1):g}% in case 2; "
                               "100% required",)


def test_a_required_criterion_passes_when_every_case_earns_it():
    rule = PassRule(kind="each_case_passed", required_criteria=[{"criterion": "safety", "min_percent": 100}])
    assert evaluate(rule, results(*EXPERTS)).passed


@pytest.mark.parametrize("data, message", [
    ({"kind": "total"}, "needs min_mean_total"),
    ({"kind": "each_case_passed", "min_mean_total": 70}, "applies only to kind 'total'"),
    ({"kind": "each_case_passed", "required_criteria": [{"criterion": "safety"}, {"criterion": "safety"}]},
     "listed twice"),
])
def test_inconsistent_pass_rules_are_refused(data, message):
    with pytest.raises(ValueError, match=message):
        PassRule.model_validate(data)
