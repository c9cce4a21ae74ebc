"""`tpi-sim exam run` refuses, before any window opens, an exam file with problems or a store it cannot open."""

from __future__ import annotations

from simulator import paths
from tests.cli_run import run_cli
from tests.exam.test_exam_file import GOOD, write_exam


def test_an_invalid_exam_prints_every_problem_and_opens_nothing(tmp_path):
    path = write_exam(tmp_path, GOOD.replace("seed: 5", "seed: -5").replace("time_limit_s: 120", "time_limit_s: 1"))
    code, out, err = run_cli("exam", "run", str(path), "--db", f"sqlite:///{tmp_path / 'a.db'}")
    assert code == 1 and out == ""
    assert err.splitlines() == [f"{path}:6:15: time_limit_s: must be >= 30, got 1",
                                f"{path}:13:11: cases[0].seed: must be >= 0, got -5"]
    assert not (tmp_path / "a.db").exists()


def test_a_store_that_cannot_be_opened_is_named_before_the_candidate_sits_down(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database's folder should be")
    code, out, err = run_cli("exam", "run", str(paths.SCENARIOS_DIR / "exams" / "foundation.yaml"),
                             "--db", f"sqlite:///{blocker / 'attempts.db'}")
    assert code == 1 and out == ""
    assert err.startswith("tpi-sim exam: cannot open the attempt store: ")


def test_exam_needs_its_run_word_and_a_file(tmp_path):
    code, _, err = run_cli("exam")
    assert code == 2 and "the following arguments are required: run" in err
    code, _, err = run_cli("exam", "run")
    assert code == 2 and "EXAM.yaml" in err
