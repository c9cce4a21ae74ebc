"""An exam of three cases, end to end, in a real X window (Xvfb) driven by real key presses (xdotool).

`tpi-sim exam run` with a temporary SQLite store: the candidate types an id and presses
Enter; the first two cases are finished with End and a confirming Enter, the third runs out
of time and finishes itself; the end screen shows the scores; Esc closes the program. The
store then holds three attempts of that candidate, mode 'exam', with the exam's id, each
with a signature that checks. Each exam screen is saved to test-artifacts/.
"""

from __future__ import annotations

import subprocess
import sys

from simulator.records.attempt import AttemptFilter
from simulator.records.signing import check, load_key
from simulator.records.store import open_store
from tests.ui.xwindow import screen_of, screenshot, stop, wait_for, x_server

SIZE = (1280, 800)
CASES = ["s1_upper_trapezius_thin", "s3_infraspinatus_diabetic", "s9_scm_whiplash"]
EXAM = """\
# yaml-language-server: $schema=./exam.schema.json
exam_version: 1
id: e2e-exam
title: End-to-end exam
instructions: Three patients. Finish each case with End, then Enter.
time_limit_s: 600
help_allowed: false
show_at_end: scores
pass_rule:
  kind: each_case_passed
cases:
  - case: s1_upper_trapezius_thin
    seed: 11
  - case: s3_infraspinatus_diabetic
    seed: 12
  - case: s9_scm_whiplash
    seed: 13
    time_limit_s: 30
"""


def test_an_exam_of_three_cases_in_a_real_window_leaves_three_signed_attempts(tmp_path, artifacts):
    exam_file = tmp_path / "exam.yaml"
    exam_file.write_text(EXAM, encoding="utf-8")
    (tmp_path / "exam.schema.json").write_text(subprocess.run(
        [sys.executable, "-m", "simulator", "schema", "--exam"], capture_output=True, text=True, check=True).stdout)
    db_url, key_file, fps_log = f"sqlite:///{tmp_path / 'exam.db'}", tmp_path / "signing.key", tmp_path / "fps.jsonl"
    app = None
    with x_server(SIZE) as (display, env):
        try:
            env["TPI_SIM_KEY"] = str(key_file)
            app = subprocess.Popen([sys.executable, "-m", "simulator", "exam", "run", str(exam_file), "--db", db_url,
                                    "--mute", "--size", f"{SIZE[0]}x{SIZE[1]}", "--fps-log", str(fps_log)],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(app.pid)], env=env,
                                   capture_output=True, text=True, timeout=60)
            assert found.returncode == 0 and found.stdout.split(), f"no window for the app: {found.stderr}"
            window = found.stdout.split()[0]

            def xdo(*args: str) -> None:
                subprocess.run(["xdotool", *args], env=env, check=True, timeout=20)

            def shown(name: str, timeout_s: float = 60) -> None:
                wait_for(lambda: screen_of(fps_log) == name or app.poll() is not None, timeout_s, f"the {name} screen")
                assert app.poll() is None, app.stderr.read().decode(errors="replace")[-2000:]

            shown("exam_candidate")
            xdo("windowfocus", "--sync", window)
            xdo("key", "Return")  # no id yet: refused, the candidate screen stays
            xdo("type", "--delay", "60", "cand-42")
            screenshot(display, artifacts / "exam_candidate.png")
            xdo("key", "Return")
            for number in (1, 2):
                shown("exam_case")
                screenshot(display, artifacts / f"exam_case_{number}.png")
                xdo("key", "Escape")  # Esc cannot leave a case
                xdo("key", "End")  # End asks; Enter confirms
                xdo("key", "Return")
                shown("exam_between")
                screenshot(display, artifacts / f"exam_between_{number}.png")
                xdo("key", "Return")
            shown("exam_case")  # the third case runs out of its 30 s
            shown("exam_between", timeout_s=90)
            xdo("key", "Return")
            shown("exam_end")
            screenshot(display, artifacts / "exam_end.png")
            xdo("key", "Escape")
            assert app.wait(timeout=30) == 0, app.stderr.read().decode(errors="replace")[-2000:]
        finally:
            stop(app)

    store = open_store(db_url, key_file)
    try:
        attempts = store.find(AttemptFilter(exam_id="e2e-exam"))
    finally:
        store.close()
    assert [a.case_id for a in attempts] == CASES
    assert {(a.trainee_id, a.mode, a.exam_id) for a in attempts} == {("cand-42", "exam", "e2e-exam")}
    key = load_key(key_file, create=False)
    assert all(a.signature and check(a, key) for a in attempts)
    assert [a.seed for a in attempts] == [11, 12, 13]
    last = attempts[2]
    assert last.result["metrics"]["duration_s"] >= 30 - 1e-6  # ended by the clock, not by the candidate
    assert last.replay[-1]["type"] == "finish"  # the clock sent the last action
