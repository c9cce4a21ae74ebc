"""An exam in the trainer: the candidate, the cases one after another, each saved, then the verdict.

`tpi-sim exam run` gives the app a LoadedExam; the app hands it to an ExamFlow, which owns the
exam's progress and moves between its screens (screens/exam_*.py): candidate -> case 1 ->
saved -> case 2 -> ... -> the end screen, which shows what the exam's `show_at_end` allows.
Each case's attempt is saved to the attempt store (records.store) with mode 'exam' and the
exam id as soon as the case ends; a save that fails is offered again and the exam does not
move on until it is kept, so no attempt is lost silently. The last case's attempt is saved in
one transaction with the exam sitting (records.sitting): the verdict, its reasons and the
attempt ids, signed, so a programme keeps the exam's result and not only its cases'.

A sitting that was interrupted (the window closed between cases, the process killed) is
offered again when the same candidate starts the same exam: the cases whose attempts are
stored are not taken again (records.sitting.resume_plan), the remaining ones follow. A case
that was open when the sitting stopped was never saved, so it is taken again from its start,
but only with the time its limit had left: while a case runs its clock is kept in the store
every CLOCK_EVERY_S seconds and at each action (records.case_clock), so closing or killing
the trainer never gains a candidate time. A case whose time had run out finishes at once and
is scored as it stands.
"""

from __future__ import annotations

from datetime import datetime, timezone

from simulator.core.exam_rule import ExamVerdict, evaluate
from simulator.core.session import Session
from simulator.records.attempt import AttemptFilter, new_attempt
from simulator.records.case_clock import CaseClock, resume_clocks
from simulator.records.replay_file import parse_replay_lines
from simulator.records.sitting import SittingFilter, exam_hash, new_sitting, resume_plan
from simulator.records.store import StoreError


class ExamFlow:
    def __init__(self, app, loaded):
        self.app = app
        self.loaded = loaded
        self.exam = loaded.exam
        self.exam_hash = exam_hash(loaded.exam)
        self.candidate = ""
        self.index = -1  # the case being taken (or just finished)
        self.started_at: datetime | None = None  # when the case being taken opened
        self.sitting_started_at: datetime | None = None
        self.todo: list[int] = []  # the cases still to take, in exam order
        self.resumed: dict = {}  # case index -> its attempt stored by an earlier, interrupted run
        self.clocks: dict = {}  # case index -> the CaseClock of a case an interrupted run left open
        self.clock_error = ""  # why the running case's clock could not be kept ('' when it was)
        self.done: dict = {}  # case index -> (case, session) of each finished case
        self.kept: dict = {}  # case index -> its attempt as saved
        self.pending = None  # the finished case's attempt while it is not yet saved
        self.pending_sitting = None  # the exam's sitting while it is not yet saved (with the last attempt)
        self.sitting = None  # the signed sitting, once saved
        self.save_error = ""

    # ------------------------------------------------------------------ steps
    def start(self) -> None:
        from simulator.ui.screens.exam_candidate import CandidateScreen

        self.app.switch(CandidateScreen(self.app, self))

    def begin(self, candidate: str) -> str:
        """The candidate confirmed their id (already checked): the first case opens, or, when this
        candidate has an interrupted sitting of this exam, the offer to resume it. Returns '' or,
        when the store cannot be read, the reason (the candidate screen shows it)."""
        from simulator.ui.screens.exam_resume import ResumeScreen

        try:
            store = self.app.attempt_store()
            attempts = store.find(AttemptFilter(trainee_id=candidate, exam_id=self.exam.id, mode="exam"))
            sittings = store.find_sittings(SittingFilter(candidate_id=candidate, exam_id=self.exam.id))
            clocks = store.find_clocks(candidate, self.exam.id)
        except StoreError as exc:
            return f"The attempt store cannot be read: {exc}"
        self.candidate = candidate
        self.app.config.trainee = candidate
        plan = resume_plan(self.loaded, attempts, sittings)
        open_cases = resume_clocks(self.loaded, clocks, sittings, plan)
        if plan or open_cases:
            self.app.switch(ResumeScreen(self.app, self, plan, open_cases))
        else:
            self.resumed = {}
            self.sitting_started_at = datetime.now(timezone.utc)
            self.todo = list(range(len(self.loaded.cases)))
            self.next()
        return ""

    def resume(self, plan: dict, open_cases: dict | None = None) -> None:
        """Take the stored cases of an interrupted sitting as done (their sessions re-run from
        their replays, for the end screen's debriefs) and go on with the first remaining case;
        a case in `open_cases` (index -> CaseClock) goes on with only the time it has left."""
        self.resumed, self.clocks = dict(plan), dict(open_cases or {})
        for index, attempt in sorted(plan.items()):
            head, timed = parse_replay_lines(attempt.replay, f"attempt {attempt.attempt_id} replay")
            session = Session(self.loaded.cases[index], self.loaded.catalogue, int(head.get("seed", attempt.seed)))
            session.run(timed)
            self.done[index], self.kept[index] = (session.case, session), attempt
        self.sitting_started_at = min([a.started_at for a in plan.values()] +
                                      [c.started_at for c in self.clocks.values()])
        self.todo = [i for i in range(len(self.loaded.cases)) if i not in plan]
        if self.todo:
            self.next()
            return
        self.index = max(plan)  # every case was stored before the sitting stopped: keep its record now
        self.pending_sitting = self._sitting(None)
        self.save()
        if self.pending_sitting is None:
            self.show_end()
        else:
            from simulator.ui.screens.exam_between import BetweenScreen

            self.app.switch(BetweenScreen(self.app, self))

    def start_case(self, index: int) -> None:
        from simulator.ui.screens.exam_case import ExamCaseScreen

        self.index = index
        clock = self.clocks.pop(index, None)
        self.started_at = datetime.now(timezone.utc) if clock is None else clock.started_at
        case = self.loaded.cases[index]
        self.app.switch(ExamCaseScreen(self.app, self, case, self.exam.cases[index].seed, self.exam.limit_s(index),
                                       used_before_s=0.0 if clock is None else clock.used_s))

    def keep_clock(self, used_s: float) -> bool:
        """Keep the running case's clock (`used_s` seconds of its limit used) in the store; False
        (with `clock_error` in words) when the store refused: the case goes on, the next try may work."""
        clock = CaseClock(exam_id=self.exam.id, exam_hash=self.exam_hash, candidate_id=self.candidate,
                          case_index=self.index, case_id=self.loaded.cases[self.index].id,
                          seed=self.exam.cases[self.index].seed, used_s=used_s, started_at=self.started_at,
                          updated_at=datetime.now(timezone.utc))
        try:
            self.app.attempt_store().keep_clock(clock)
        except StoreError as exc:
            self.clock_error = f"The case's clock could not be kept: {exc}"
            return False
        self.clock_error = ""
        return True

    def case_finished(self, session) -> None:
        """The case screen's session has finished (confirmed, or out of time): keep and save it, with
        the exam's sitting when it was the last case."""
        from simulator.ui.screens.exam_between import BetweenScreen

        self.done[self.index] = (session.case, session)
        self.pending = new_attempt(session, trainee_id=self.candidate, mode="exam", started_at=self.started_at,
                                   exam_id=self.exam.id)
        if not self.todo:
            self.pending_sitting = self._sitting(self.pending)
        self.save()
        self.app.switch(BetweenScreen(self.app, self))

    def _sitting(self, last_attempt):
        attempts = {**self.kept, **({self.index: last_attempt} if last_attempt is not None else {})}
        return new_sitting(self.loaded, candidate_id=self.candidate, attempts=[attempts[i] for i in sorted(attempts)],
                           verdict=self.verdict(), started_at=self.sitting_started_at,
                           cases_resumed=len(self.resumed))

    def save(self) -> bool:
        """Save what is pending (the attempt, and with the last one the sitting); False (with
        `save_error` in words) when the store refused."""
        if not self.unsaved:
            return True
        try:
            store = self.app.attempt_store()
            if self.pending_sitting is not None:
                self.sitting = store.save_sitting(self.pending_sitting, last_attempt=self.pending)
                if self.pending is not None:
                    self.kept[self.index] = self.pending  # stored (and signed by the store) with the sitting
            else:
                self.kept[self.index] = store.save(self.pending)
        except StoreError as exc:
            self.save_error = f"The attempt could not be saved: {exc}"
            return False
        self.pending, self.pending_sitting, self.save_error = None, None, ""
        return True

    def next(self) -> None:
        """After a saved case: the next case, or the end of the exam."""
        if self.unsaved:
            return
        if self.todo:
            self.start_case(self.todo.pop(0))
        else:
            self.show_end()

    def show_end(self) -> None:
        from simulator.ui.screens.exam_end import ExamEndScreen

        self.app.switch(ExamEndScreen(self.app, self))

    # ------------------------------------------------------------------ what there is to show
    @property
    def unsaved(self) -> bool:
        return self.pending is not None or self.pending_sitting is not None

    @property
    def is_last(self) -> bool:
        return not self.todo

    @property
    def next_index(self) -> int | None:
        return self.todo[0] if self.todo else None

    @property
    def finished(self) -> list:
        """(case, session) of each finished case, in exam order."""
        return [self.done[i] for i in sorted(self.done)]

    @property
    def saved(self) -> list:
        """The saved attempts, in exam order."""
        return [self.kept[i] for i in sorted(self.kept)]

    def verdict(self) -> ExamVerdict:
        return evaluate(self.exam.pass_rule, [session.result() for _, session in self.finished])
