"""The CUSUM learning curve: the method's numbers and its decisions on known sequences.

Worked by hand for p0 = 0.10, p1 = 0.20, alpha = beta = 0.10 (the report's default):
P = ln 2 = 0.69315, Q = ln(0.9/0.8) = 0.11778, P + Q = 0.81093, s = 0.14525,
h0 = h1 = ln 9 / 0.81093 = 2.70951.
"""

import pytest

from simulator.reports.cusum import ACCEPTABLE, UNACCEPTABLE, UNDECIDED, CusumMethod, cusum

DEFAULT = CusumMethod()


def test_default_method_numbers():
    assert (DEFAULT.p0, DEFAULT.p1, DEFAULT.alpha, DEFAULT.beta) == (0.10, 0.20, 0.10, 0.10)
    assert DEFAULT.s == pytest.approx(0.14525, abs=1e-5)
    assert DEFAULT.h0 == pytest.approx(2.70951, abs=1e-5)
    assert DEFAULT.h1 == pytest.approx(2.70951, abs=1e-5)


def test_unequal_errors_give_unequal_limits():
    # p0 0.15, p1 0.30, alpha 0.05, beta 0.20: P = ln 2, Q = ln(0.85/0.70) = 0.19416, P + Q = 0.88730
    method = CusumMethod(p0=0.15, p1=0.30, alpha=0.05, beta=0.20)
    assert method.s == pytest.approx(0.21882, abs=1e-5)
    assert method.h0 == pytest.approx(1.75605, abs=1e-4)  # ln(0.95/0.20) = 1.55814, / 0.88730
    assert method.h1 == pytest.approx(3.12474, abs=1e-4)  # ln(0.80/0.05) = 2.77259, / 0.88730


def test_each_failure_adds_one_minus_s_and_each_pass_takes_s():
    curve = cusum([True, False, True], DEFAULT)
    assert curve.values == pytest.approx((0.0, 0.85475, 0.70951, 1.56426), abs=1e-5)
    assert curve.attempts == 3 and curve.failures == 2


def test_three_failures_stay_below_h1_four_cross_it():
    assert cusum([True] * 3, DEFAULT).verdict == UNDECIDED  # 2.564 < 2.710
    curve = cusum([True] * 4, DEFAULT)  # 3.419 >= 2.710
    assert curve.verdict == UNACCEPTABLE
    assert [(d.attempt_no, d.kind) for d in curve.decisions] == [(4, UNACCEPTABLE)]


def test_eighteen_passes_are_not_enough_nineteen_cross_h0():
    assert cusum([False] * 18, DEFAULT).verdict == UNDECIDED  # -2.614 > -2.710
    curve = cusum([False] * 19, DEFAULT)  # -2.760 <= -2.710
    assert curve.verdict == ACCEPTABLE
    assert curve.decisions[0].attempt_no == 19
    assert curve.values[-1] == pytest.approx(-2.75964, abs=1e-5)


def test_after_a_decision_the_test_starts_again_from_that_point():
    curve = cusum([True] * 4 + [False] * 19, DEFAULT)
    assert [(d.attempt_no, d.kind) for d in curve.decisions] == [(4, UNACCEPTABLE), (23, ACCEPTABLE)]
    assert curve.verdict == ACCEPTABLE
    first, second, last = curve.limits
    assert (first.start_no, first.end_no) == (0, 4)
    assert first.upper == pytest.approx(2.70951, abs=1e-5) and first.lower == pytest.approx(-2.70951, abs=1e-5)
    assert (second.start_no, second.end_no) == (4, 23)
    assert second.upper == pytest.approx(3.41901 + 2.70951, abs=1e-4)
    assert second.lower == pytest.approx(3.41901 - 2.70951, abs=1e-4)
    assert (last.start_no, last.end_no) == (23, 23)


def test_no_attempts_no_decision():
    curve = cusum([], DEFAULT)
    assert curve.values == (0.0,) and curve.verdict == UNDECIDED and curve.attempts == 0


@pytest.mark.parametrize("kwargs, message", [
    ({"p0": 0.2, "p1": 0.1}, "p0 (0.2) must be below the unacceptable p1 (0.1)"),
    ({"p0": 0.0}, "the CUSUM p0 must be a number between 0 and 1, got 0.0"),
    ({"alpha": 1.5}, "the CUSUM alpha must be a number between 0 and 1, got 1.5"),
    ({"alpha": 0.6, "beta": 0.5}, "alpha + beta must be below 1"),
])
def test_impossible_methods_are_refused_with_the_reason(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")):
        CusumMethod(**kwargs)
