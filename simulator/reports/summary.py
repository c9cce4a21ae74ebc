"""The numbers behind each section of a programme's report, from a list of stored attempts.

Input: attempts as `simulator.records.attempt.Attempt` (only trainee_id, case_id, started_at,
attempt_id, result and rating are read), in any order. Output: plain frozen dataclasses of
numbers and text that the HTML builder draws and the tests check directly. Nothing here plots.

Trainees and cases are listed in natural order (trainee-2 before trainee-10, case s2 before s10).
An attempt counts as failed when its result did not pass (a total under the pass mark or any
critical error): that is the outcome the CUSUM learning curve follows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from simulator.reports.cusum import CusumCurve, CusumMethod, cusum
from simulator.scenario.loader import natural_key


@dataclass(frozen=True)
class ScorePoint:
    """One attempt on a trainee's score-over-time chart."""

    started_at: datetime
    case_id: str
    total: float
    passed: bool
    attempt_id: str


@dataclass(frozen=True)
class HeatMap:
    """Mean share of the points per trainee (rows) and criterion (columns), 0..1; None when no attempt had it."""

    trainees: tuple[str, ...]
    criteria: tuple[tuple[str, str], ...]  # (criterion id, title)
    shares: tuple[tuple[float | None, ...], ...]


@dataclass(frozen=True)
class ErrorCount:
    """A critical error type: in how many attempts (and of how many trainees) it happened."""

    type: str
    label: str
    attempts: int
    trainees: int
    example: str  # the message most often given for it


@dataclass(frozen=True)
class LearningCurve:
    """A trainee's CUSUM curve on one case, attempts taken oldest first."""

    trainee_id: str
    case_id: str
    curve: CusumCurve


@dataclass(frozen=True)
class RatedAttempt:
    """An attempt an examiner rated: the global scores (1-5 per domain) and the comment."""

    trainee_id: str
    case_id: str
    started_at: datetime
    total: float
    passed: bool
    examiner: str
    scores: dict[str, int]
    comment: str


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, in the order it shows it."""

    attempts: int
    trainees: tuple[str, ...]
    cases: tuple[tuple[str, str], ...]  # (case id, title)
    pass_rate: float | None
    pass_mark: float | None
    scores: dict[str, tuple[ScorePoint, ...]]
    heat_map: HeatMap
    errors: tuple[ErrorCount, ...]
    method: CusumMethod
    curves: tuple[LearningCurve, ...]
    ratings: tuple[RatedAttempt, ...]


def in_order(attempts: Iterable) -> list:
    """Oldest first; attempts started in the same instant keep a fixed order (by attempt id)."""
    return sorted(attempts, key=lambda a: (a.started_at, a.attempt_id))


def failed(attempt) -> bool:
    return not attempt.result.get("passed", False)


def error_label(error_type: str) -> str:
    """'intravascular_injection' -> 'Intravascular injection'; CamelCase event names are split too."""
    words: list[str] = []
    for part in error_type.replace("-", "_").split("_"):
        start = 0
        for i in range(1, len(part)):
            if part[i].isupper() and part[i - 1].islower():
                words.append(part[start:i])
                start = i
        words.append(part[start:])
    text = " ".join(w.lower() for w in words if w)
    return text[:1].upper() + text[1:]


def score_series(attempts: Sequence) -> dict[str, tuple[ScorePoint, ...]]:
    series: dict[str, list[ScorePoint]] = defaultdict(list)
    for a in in_order(attempts):
        series[a.trainee_id].append(ScorePoint(a.started_at, a.case_id, float(a.result.get("total", 0.0)),
                                               not failed(a), a.attempt_id))
    return {trainee: tuple(series[trainee]) for trainee in sorted(series, key=natural_key)}


def heat_map(attempts: Sequence) -> HeatMap:
    """Trainee x criterion: the mean over the trainee's attempts of points / max (criteria worth 0 are left out)."""
    titles: dict[str, str] = {}
    shares: dict[tuple[str, str], list[float]] = defaultdict(list)
    for a in in_order(attempts):
        for row in a.result.get("criteria", []):
            if not row.get("max"):
                continue
            titles.setdefault(row["id"], row.get("title", row["id"]))
            shares[a.trainee_id, row["id"]].append(float(row["points"]) / float(row["max"]))
    trainees = tuple(sorted({a.trainee_id for a in attempts}, key=natural_key))
    criteria = tuple(titles.items())
    matrix = tuple(
        tuple((sum(v) / len(v)) if (v := shares.get((t, c))) else None for c, _ in criteria) for t in trainees
    )
    return HeatMap(trainees, criteria, matrix)


def error_counts(attempts: Sequence) -> tuple[ErrorCount, ...]:
    """Critical error types, most common first (an error counted once per attempt)."""
    per_attempt: Counter[str] = Counter()
    trainees: dict[str, set[str]] = defaultdict(set)
    messages: dict[str, Counter[str]] = defaultdict(Counter)
    for a in in_order(attempts):
        seen = set()
        for error in a.result.get("critical_errors", []):
            kind = error.get("type", "unknown")
            messages[kind][error.get("message", "")] += 1
            if kind not in seen:
                seen.add(kind)
                per_attempt[kind] += 1
                trainees[kind].add(a.trainee_id)
    ranked = sorted(per_attempt, key=lambda k: (-per_attempt[k], -len(trainees[k]), k))
    return tuple(
        ErrorCount(k, error_label(k), per_attempt[k], len(trainees[k]),
                   sorted(messages[k].items(), key=lambda m: (-m[1], m[0]))[0][0])
        for k in ranked
    )


def learning_curves(attempts: Sequence, method: CusumMethod) -> tuple[LearningCurve, ...]:
    outcomes: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for a in in_order(attempts):
        outcomes[a.trainee_id, a.case_id].append(failed(a))
    ordered = sorted(outcomes, key=lambda key: (natural_key(key[0]), natural_key(key[1])))
    return tuple(LearningCurve(t, c, cusum(outcomes[t, c], method)) for t, c in ordered)


def rated_attempts(attempts: Sequence) -> tuple[RatedAttempt, ...]:
    return tuple(
        RatedAttempt(a.trainee_id, a.case_id, a.started_at, float(a.result.get("total", 0.0)), not failed(a),
                     a.rating.examiner, dict(a.rating.global_score_1_5), a.rating.comment)
        for a in in_order(attempts) if a.rating is not None
    )


def summarize(attempts: Sequence, method: CusumMethod | None = None) -> ReportData:
    """All the report's numbers for `attempts` (any order; an empty list gives an empty report)."""
    method = method or CusumMethod()
    ordered = in_order(attempts)
    titles: dict[str, str] = {}
    for a in ordered:
        titles.setdefault(a.case_id, a.result.get("case_title", a.case_id))
    marks = Counter(a.result.get("pass_mark") for a in ordered if a.result.get("pass_mark") is not None)
    return ReportData(
        attempts=len(ordered),
        trainees=tuple(sorted({a.trainee_id for a in ordered}, key=natural_key)),
        cases=tuple(sorted(titles.items(), key=lambda item: natural_key(item[0]))),
        pass_rate=(sum(not failed(a) for a in ordered) / len(ordered)) if ordered else None,
        pass_mark=marks.most_common(1)[0][0] if marks else None,
        scores=score_series(ordered),
        heat_map=heat_map(ordered),
        errors=error_counts(ordered),
        method=method,
        curves=learning_curves(ordered, method),
        ratings=rated_attempts(ordered),
    )
