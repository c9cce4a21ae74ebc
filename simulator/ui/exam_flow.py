"""An exam in the trainer: the candidate, the cases one after another, each saved, then the verdict.

`tpi-sim exam run` gives the app a LoadedExam; the app hands it to an ExamFlow, which owns the
exam's progress and moves between its screens (screens/exam_*.py): candidate -> case 1 ->
saved -> case 2 -> ... -> the end screen, which shows what the exam's `show_at_end` allows.
Each case's attempt is saved to the attempt store (records.store) with mode 'exam' and the
exam id as soon as the case ends; a save that fails is offered again and the exam does not
move on until it is kept, so no attempt is lost silently.
"""

from __future__ import annotations

from datetime import datetime, timezone

from simulator.core.exam_rule import ExamVerdict, evaluate
from simulator.records.attempt import new_attempt
from simulator.records.store import StoreError


class ExamFlow:
    def __init__(self, app, loaded):
        self.app = app
        self.loaded = loaded
        self.exam = loaded.exam
        self.candidate = ""
        self.index = -1  # the case being taken (or just finished)
        self.started_at: datetime | None = None
        self.finished: list = []  # (case, session) of each finished case, in exam order
        self.saved: list = []  # the signed attempts the store returned, in exam order
        self.pending = None  # the finished case's attempt while it is not yet saved
        self.save_error = ""

    # ------------------------------------------------------------------ steps
    def start(self) -> None:
        from simulator.ui.screens.exam_candidate import CandidateScreen

        self.app.switch(CandidateScreen(self.app, self))

    def begin(self, candidate: str) -> None:
        """The candidate confirmed their id (already checked): the first case opens."""
        self.candidate = candidate
        self.app.config.trainee = candidate
        self.start_case(0)

    def start_case(self, index: int) -> None:
        from simulator.ui.screens.exam_case import ExamCaseScreen

        self.index = index
        self.started_at = datetime.now(timezone.utc)
        case = self.loaded.cases[index]
        self.app.switch(ExamCaseScreen(self.app, self, case, self.exam.cases[index].seed, self.exam.limit_s(index)))

    def case_finished(self, session) -> None:
        """The case screen's session has finished (confirmed, or out of time): keep and save it."""
        from simulator.ui.screens.exam_between import BetweenScreen

        self.finished.append((session.case, session))
        self.pending = new_attempt(session, trainee_id=self.candidate, mode="exam", started_at=self.started_at,
                                   exam_id=self.exam.id)
        self.save()
        self.app.switch(BetweenScreen(self.app, self))

    def save(self) -> bool:
        """Save the pending attempt; False (with `save_error` in words) when the store refused."""
        if self.pending is None:
            return True
        try:
            self.saved.append(self.app.attempt_store().save(self.pending))
        except StoreError as exc:
            self.save_error = f"The attempt could not be saved: {exc}"
            return False
        self.pending, self.save_error = None, ""
        return True

    def next(self) -> None:
        """After a saved case: the next case, or the end of the exam."""
        if self.pending is not None:
            return
        if self.index + 1 < len(self.loaded.cases):
            self.start_case(self.index + 1)
        else:
            self.show_end()

    def show_end(self) -> None:
        from simulator.ui.screens.exam_end import ExamEndScreen

        self.app.switch(ExamEndScreen(self.app, self))

    # ------------------------------------------------------------------ what there is to show
    @property
    def is_last(self) -> bool:
        return self.index + 1 >= len(self.loaded.cases)

    def verdict(self) -> ExamVerdict:
        return evaluate(self.exam.pass_rule, [session.result() for _, session in self.finished])
