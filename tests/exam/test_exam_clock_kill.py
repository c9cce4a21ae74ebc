"""An exam case's clock survives a kill -9: a station process taking case 1 is killed with SIGKILL,
and when the same candidate resumes, case 1 goes on with only the time it had left (a candidate
gains at most the few seconds between two keepings of the clock, never the whole limit), or, when
its time had already run out, finishes at once and is scored as it stands."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pygame
import pytest

from simulator import paths
from simulator.records.attempt import AttemptFilter
from simulator.render.hud import format_clock
from simulator.records.case_clock import CLOCK_EVERY_S
from tests.exam.test_exam_resume import CASE_IDS, THREE_CASES, enter_candidate, exam_app
from tests.exam.test_exam_file import write_exam
from tests.ui.driving import key, wait

LIMIT_S = 120.0  # case 1's limit in THREE_CASES
# A station taking case 1 of the exam in `folder` as candidate cand-9: the case's time passes (the
# screen's own update, as the window loop calls it) until `run_s` seconds are used, or, with
# run_s "out", until the case's time has run out and it finished; the screen's clock is printed,
# then the process waits to be killed.
STATION = """
import json, sys
from pathlib import Path
import pygame
from simulator.scenario.exam_loader import load_exam
from simulator.ui.app import App, AppConfig
from tests.ui.driving import key, type_text, wait
exam_file, folder, run_s = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
loaded = load_exam(exam_file)
app = App(AppConfig(cases=list(loaded.cases), catalogue=loaded.catalogue, mode="exam", exam=loaded, sound=False,
                    db_url=f"sqlite:///{folder / 'attempts.db'}", key_file=folder / "signing.key"))
type_text(app, "cand-9")
key(app, pygame.K_RETURN)
wait(app, 0.05)
screen = app.screen
assert screen.name == "exam_case", screen.name
if run_s == "out":
    while screen.finished_at is None:
        screen.update(0.5)
else:
    while screen.used_s < float(run_s):
        screen.update(0.5)
print(json.dumps({"clock": screen.clock()[0], "used_s": screen.used_s, "timed_out": screen.timed_out}), flush=True)
sys.stdin.read()  # until killed
"""


def run_station_and_kill(exam_file, folder, run_s: str) -> dict:
    """Run STATION, read what it printed, kill it with SIGKILL; returns the printed state."""
    station = subprocess.Popen([sys.executable, "-c", STATION, str(exam_file), str(folder), run_s],
                               cwd=paths.PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"})
    try:
        line = station.stdout.readline()
        assert line, "the station stopped before the case ran"
        os.kill(station.pid, signal.SIGKILL)
        assert station.wait(30) == -signal.SIGKILL
    finally:
        if station.poll() is None:
            station.kill()
            station.wait()
    return json.loads(line)


def resumed_case(make_app, folder):
    """cand-9 back at the station after the kill: the offer to resume, then case 1 (returned)."""
    app = exam_app(make_app, folder)
    enter_candidate(app, "cand-9")
    offer = app.screen
    assert offer.name == "exam_resume" and offer.plan == {} and sorted(offer.open_cases) == [0]
    assert offer.resume_button.text == "Resume at case 1   (Enter)"
    key(app, pygame.K_RETURN)
    return app, offer.open_cases[0]


def test_a_station_killed_in_case_1_resumes_it_with_only_the_time_left(make_app, tmp_path, artifacts):
    exam_file = write_exam(tmp_path, THREE_CASES)
    before = run_station_and_kill(exam_file, tmp_path, "50")
    assert before["clock"] == "01:10 left" and not before["timed_out"]  # 50 s of 120 used at the kill

    app, clock = resumed_case(make_app, tmp_path)
    pygame.image.save(app.window, str(artifacts / "exam_resume_open_case.png"))
    assert before["used_s"] - CLOCK_EVERY_S <= clock.used_s <= before["used_s"]  # kept every few seconds
    case = app.screen
    assert case.name == "exam_case" and case.case.id == CASE_IDS[0] and case.limit_s == LIMIT_S
    assert case.clock()[0] == format_clock(LIMIT_S - clock.used_s + 0.999) + " left"
    assert case.clock()[0] in ("01:10 left", "01:11 left", "01:12 left")  # not 02:00: no time gained
    wait(app, 1.0)
    assert case.clock()[0] == format_clock(LIMIT_S - clock.used_s - 1.0 + 0.999) + " left"  # and it runs on
    pygame.image.save(app.window, str(artifacts / "exam_case_resumed_clock.png"))


def test_a_case_whose_time_ran_out_before_the_kill_is_scored_as_timed_out_on_resume(make_app, tmp_path):
    exam_file = write_exam(tmp_path, THREE_CASES)
    before = run_station_and_kill(exam_file, tmp_path, "out")  # killed before its attempt was saved
    assert before["timed_out"] and before["clock"] == "00:00 left"

    app, clock = resumed_case(make_app, tmp_path)
    assert clock.used_s >= LIMIT_S
    wait(app, 0.05)
    case = app.screen
    assert case.name == "exam_case" and case.timed_out and case.finished_at is not None
    assert case.clock()[0] == "00:00 left" and case.notice[1] == "Time is up: the case is scored as it stands"
    wait(app, 2.0)
    assert app.screen.name == "exam_between"
    (attempt,) = app.attempt_store().find(AttemptFilter(trainee_id="cand-9", exam_id="unit-exam"))
    assert attempt.case_id == CASE_IDS[0] and attempt.passed is False
    assert attempt.result["metrics"]["finished"] and attempt.result["metrics"]["time_s"] < 1.0
    assert attempt.replay[-1]["type"] == "finish"  # the clock sent the last action, at once


@pytest.mark.parametrize("used_s", [0.0, 59.5])
def test_the_clock_is_kept_from_the_case_opening_on(make_app, tmp_path, used_s):
    app = exam_app(make_app, tmp_path)
    enter_candidate(app, "cand-9")
    case = app.screen
    while case.used_s < used_s:
        case.update(0.5)
    (kept,) = app.attempt_store().find_clocks("cand-9", "unit-exam")
    assert kept.case_index == 0 and kept.case_id == CASE_IDS[0] and used_s - CLOCK_EVERY_S <= kept.used_s <= used_s + 0.1
