"""An exam's pass rule applied to the scored results of its cases: the verdict and the reasons.

Pure: the exam (scenario.exam_schema.PassRule) and each case's Session.result() in, an
ExamVerdict out. The reasons are sentences a candidate or an examiner reads ("Case 2 (s3 ...)
did not pass", "safety earned 80% in case 1; 100% required"), so a fail is never unexplained.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.core.scoring import shown_total
from simulator.scenario.exam_schema import PassRule


@dataclass(frozen=True)
class CaseVerdict:
    case_id: str
    case_title: str
    total: float
    passed: bool  # by the case's own rubric
    pass_mark: float
    critical_errors: int  # how many failing items (any fails the case)
    criteria_percent: dict[str, float]  # criterion id -> share of its maximum earned, 0-100


@dataclass(frozen=True)
class ExamVerdict:
    passed: bool
    mean_total: float
    cases: tuple[CaseVerdict, ...]
    reasons: tuple[str, ...] = field(default_factory=tuple)  # why it failed; empty when passed


def _percent(row: dict) -> float:
    top = float(row.get("max") or 0.0)
    return 100.0 if top <= 0 else round(100.0 * float(row.get("points") or 0.0) / top, 1)


def case_verdict(result: dict) -> CaseVerdict:
    """One case's numbers from its stored result (Session.result())."""
    return CaseVerdict(
        case_id=str(result.get("case_id", "")), case_title=str(result.get("case_title", "")),
        total=float(result.get("total") or 0.0), passed=bool(result.get("passed")),
        pass_mark=float(result.get("pass_mark") or 0.0), critical_errors=len(result.get("critical_errors") or []),
        criteria_percent={str(row.get("id")): _percent(row) for row in result.get("criteria", [])},
    )


def evaluate(rule: PassRule, results: list[dict]) -> ExamVerdict:
    """The exam's verdict for the cases' results, in exam order (every case has a result: a case
    that ran out of time was finished and scored)."""
    cases = tuple(case_verdict(r) for r in results)
    mean = round(sum(c.total for c in cases) / len(cases), 2) if cases else 0.0
    reasons: list[str] = []
    if not cases:
        reasons.append("no case was scored")
    if rule.kind == "each_case_passed":
        for number, case in enumerate(cases, start=1):
            if not case.passed:
                why = (f"{case.critical_errors} failing item{'s' if case.critical_errors != 1 else ''}"
                       if case.critical_errors else f"{shown_total(case.total)} points, pass mark {case.pass_mark:g}")
                reasons.append(f"case {number} ({case.case_title or case.case_id}) did not pass: {why}")
    elif mean < float(rule.min_mean_total or 0.0):
        reasons.append(f"the mean total {mean:g} is below the {rule.min_mean_total:g} this exam requires")
    for required in rule.required_criteria:
        for number, case in enumerate(cases, start=1):
            earned = case.criteria_percent.get(required.criterion, 0.0)
            if earned < required.min_percent:
                reasons.append(f"{required.criterion} earned {earned:g}% in case {number}; "
                               f"{required.min_percent:g}% required")
    return ExamVerdict(passed=not reasons, mean_total=mean, cases=cases, reasons=tuple(reasons))
