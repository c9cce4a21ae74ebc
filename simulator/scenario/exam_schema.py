"""The exam format: pydantic models a programme's exam file (YAML) must satisfy.

An exam is a fixed list of shipped or local cases, each with a fixed seed so that every
candidate meets the same patient, a time limit per case, a pass rule, whether the help overlay
may be opened, the instructions shown before the first case, and what the candidate sees at
the end. Like the case format every model forbids unknown keys and every field has a
description, so the generated JSON Schema (`tpi-sim schema --exam`) is what an editor shows.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from simulator.scenario.schema import Strict

EXAM_VERSION = 1
CriterionId = Literal["localization", "twitch", "agent", "safety", "technique", "judgement", "complications",
                      "aftercare"]  # the scoring criteria (simulator/core/scoring, docs/scoring.md)
MAX_CASES = 50
MAX_TIME_LIMIT_S = 2 * 3600  # a replay holds at most 2 hours of a session (records.replay_file.MAX_SESSION_S)


class ExamCase(Strict):
    case: str = Field(min_length=1, max_length=400, description=(
        "A case id from the shipped library (e.g. s1_upper_trapezius_thin), or a case file path relative to "
        "this exam file (e.g. ../s1_upper_trapezius_thin.yaml or cases/my_case.yaml)."))
    seed: int = Field(ge=0, le=2**31 - 1, description=(
        "The fixed random seed of this case: every candidate meets the same patient, the same palpation "
        "findings and the same ultrasound speckle."))
    time_limit_s: int | None = Field(default=None, ge=30, le=MAX_TIME_LIMIT_S, description=(
        "This case's time limit in seconds, instead of the exam's time_limit_s."))


class RequiredCriterion(Strict):
    criterion: CriterionId = Field(description="A scoring criterion id (docs/scoring.md).")
    min_percent: float = Field(default=100.0, gt=0, le=100, description=(
        "The share of the criterion's maximum points it must earn in every case, in percent (default 100: "
        "full marks)."))


class PassRule(Strict):
    kind: Literal["each_case_passed", "total"] = Field(description=(
        "each_case_passed: every case must pass by its own rubric (its pass mark and no critical error). "
        "total: the mean of the cases' totals must reach min_mean_total (a case with a critical error counts "
        "with its capped total, one point below its pass mark)."))
    min_mean_total: float | None = Field(default=None, ge=0, le=100, description=(
        "With kind: total, the lowest passing mean of the cases' totals (0-100). Not used with each_case_passed."))
    required_criteria: list[RequiredCriterion] = Field(default_factory=list, max_length=8, description=(
        "Criteria that must be passed in every case whatever the totals, e.g. safety at 100 percent."))

    @model_validator(mode="after")
    def _minimum_with_total(self) -> "PassRule":
        if self.kind == "total" and self.min_mean_total is None:
            raise ValueError("a pass rule of kind 'total' needs min_mean_total (the lowest passing mean, 0-100)")
        if self.kind == "each_case_passed" and self.min_mean_total is not None:
            raise ValueError("min_mean_total applies only to kind 'total'; remove it or use kind: total")
        named = [item.criterion for item in self.required_criteria]
        repeated = sorted({name for name in named if named.count(name) > 1})
        if repeated:
            raise ValueError(f"criterion {repeated[0]!r} is listed twice in required_criteria")
        return self


class Exam(Strict):
    exam_version: Literal[1] = Field(description="Version of the exam format; currently 1.")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80, description=(
        "Unique exam id; every attempt made in this exam is stored with it."))
    title: str = Field(min_length=1, max_length=200, description="Shown on the candidate screen and the results.")
    instructions: str = Field(min_length=1, max_length=4000, description=(
        "What the candidate reads before the first case (plain text; blank lines separate paragraphs)."))
    time_limit_s: int = Field(ge=30, le=MAX_TIME_LIMIT_S, description=(
        "The time limit of each case in seconds; at zero the case finishes itself and is scored."))
    help_allowed: bool = Field(default=False, description="Whether the key help overlay (F1) may be opened.")
    show_at_end: Literal["pass_fail_only", "scores", "full_debrief"] = Field(description=(
        "What the candidate sees when the exam ends: pass_fail_only (the verdict only), scores (each case's "
        "total and criteria), full_debrief (scores, then each case's debrief)."))
    pass_rule: PassRule = Field(description="How the exam is passed.")
    cases: list[ExamCase] = Field(min_length=1, max_length=MAX_CASES, description="The cases, in the order given.")

    def limit_s(self, index: int) -> int:
        """The time limit of the case at `index` (its own, else the exam's)."""
        own = self.cases[index].time_limit_s
        return own if own is not None else self.time_limit_s
