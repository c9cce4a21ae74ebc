"""The CUSUM learning curve for procedural competence (Kestin 1995 [270]; Biau 2007 [271]).

Each attempt is a success or a failure (here: the attempt failed, by its total or by a
critical error). With an acceptable failure rate p0, an unacceptable one p1, and the chances
alpha (of calling an acceptable trainee unacceptable) and beta (of calling an unacceptable
trainee acceptable):

    P = ln(p1 / p0)      Q = ln((1 - p0) / (1 - p1))
    s  = Q / (P + Q)                        the step down for a success
    h0 = ln((1 - alpha) / beta) / (P + Q)   the distance down to the lower (acceptable) limit
    h1 = ln((1 - beta) / alpha) / (P + Q)   the distance up to the upper (unacceptable) limit

The curve starts at 0, goes down by s for each success and up by 1 - s for each failure. It is
read as a sequential probability ratio test: when it falls h0 below the point where the test
started, the trainee's failure rate is shown to be acceptable (not above p0); when it rises h1
above it, the failure rate is shown to be unacceptable (p1 or worse). After each decision the
test starts again from the current point, with a new pair of limits, so a trainee who struggled
early is not held back by those failures for ever.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

ACCEPTABLE = "acceptable"
UNACCEPTABLE = "unacceptable"
UNDECIDED = "undecided"


@dataclass(frozen=True)
class CusumMethod:
    """The four choices that fix a CUSUM chart; the derived s, h0 and h1 follow from them."""

    p0: float = 0.10  # acceptable failure rate
    p1: float = 0.20  # unacceptable failure rate
    alpha: float = 0.10  # type I error: an acceptable trainee shown as unacceptable
    beta: float = 0.10  # type II error: an unacceptable trainee shown as acceptable

    def __post_init__(self) -> None:
        for name in ("p0", "p1", "alpha", "beta"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
                raise ValueError(f"the CUSUM {name} must be a number between 0 and 1, got {value!r}")
        if not self.p0 < self.p1:
            raise ValueError(f"the acceptable failure rate p0 ({self.p0:g}) must be below the unacceptable p1 ({self.p1:g})")
        if self.alpha + self.beta >= 1:
            raise ValueError(f"alpha + beta must be below 1, got {self.alpha:g} + {self.beta:g}")

    @property
    def _pq(self) -> float:
        return math.log(self.p1 / self.p0) + math.log((1 - self.p0) / (1 - self.p1))

    @property
    def s(self) -> float:
        return math.log((1 - self.p0) / (1 - self.p1)) / self._pq

    @property
    def h0(self) -> float:
        return math.log((1 - self.alpha) / self.beta) / self._pq

    @property
    def h1(self) -> float:
        return math.log((1 - self.beta) / self.alpha) / self._pq


@dataclass(frozen=True)
class Decision:
    """The test crossed a limit at attempt `attempt_no` (1-based): `kind` is acceptable or unacceptable."""

    attempt_no: int
    kind: str


@dataclass(frozen=True)
class Limits:
    """The pair of decision limits in force from attempt `start_no` to `end_no` (inclusive, 0 = the start)."""

    start_no: int
    end_no: int
    lower: float  # origin - h0
    upper: float  # origin + h1


@dataclass(frozen=True)
class CusumCurve:
    """values[i] is the CUSUM after attempt i (values[0] = 0 before the first attempt)."""

    values: tuple[float, ...]
    decisions: tuple[Decision, ...]
    limits: tuple[Limits, ...]

    @property
    def attempts(self) -> int:
        return len(self.values) - 1

    @property
    def failures(self) -> int:
        return sum(1 for a, b in zip(self.values, self.values[1:]) if b > a)

    @property
    def verdict(self) -> str:
        """The latest decision, or undecided when the curve has not yet crossed a limit."""
        return self.decisions[-1].kind if self.decisions else UNDECIDED


def cusum(failed: Sequence[bool], method: CusumMethod) -> CusumCurve:
    """The CUSUM curve of a trainee's attempts in order (True = failed) under `method`."""
    s, h0, h1 = method.s, method.h0, method.h1
    values = [0.0]
    decisions: list[Decision] = []
    limits: list[Limits] = []
    origin, origin_no = 0.0, 0
    for number, fail in enumerate(failed, start=1):
        value = values[-1] + (1 - s if fail else -s)
        values.append(value)
        kind = None
        # a small tolerance so that a limit reached exactly (in exact arithmetic) counts as crossed
        if value - origin >= h1 - 1e-9:
            kind = UNACCEPTABLE
        elif value - origin <= -h0 + 1e-9:
            kind = ACCEPTABLE
        if kind:
            decisions.append(Decision(number, kind))
            limits.append(Limits(origin_no, number, origin - h0, origin + h1))
            origin, origin_no = value, number
    limits.append(Limits(origin_no, len(values) - 1, origin - h0, origin + h1))
    return CusumCurve(tuple(values), tuple(decisions), tuple(limits))
