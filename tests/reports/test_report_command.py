"""`tpi-sim report`: attempts read through the attempt store (SQLite and PostgreSQL) into one HTML file."""

import os
import stat
from datetime import timedelta

import pytest

from simulator.records.store import open_store
from tests.cli_run import run_cli
from tests.reports.cohort import CASES, START, cohort, series
from tests.reports.page import Page


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "keys" / "signing.key"
    monkeypatch.setenv("TPI_SIM_KEY", str(path))
    return path


def fill(url: str, key_file, attempts) -> None:
    store = open_store(url, key_file)
    try:
        for attempt in attempts:
            store.save(attempt)
    finally:
        store.close()


def test_cohort_report_from_the_store(database_url, key_file, tmp_path):
    fill(database_url, key_file, cohort())
    out = tmp_path / "shared" / "report.html"
    code, stdout, stderr = run_cli("report", "--out", str(out), "--db", database_url)
    assert code == 0, stderr
    assert f"Report of 79 attempts written to {out}" in stdout
    page = Page(out.read_text(encoding="utf-8"))
    assert page.svgs == 5 + 1 + 1 + 15
    assert "Cohort: all trainees" in page.html and "<b>79</b>attempts" in page.html
    assert "Calm, tidy &amp; safe &lt;good&gt; technique." in page.html  # the rating came through the store
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]


def test_one_trainee_one_case_and_dates(key_file, tmp_path):
    url = f"sqlite:///{tmp_path / 'attempts.db'}"
    fill(url, key_file, cohort())
    out = tmp_path / "ben.html"
    code, _, stderr = run_cli("report", "--out", str(out), "--db", url, "--trainee", "ben.okafor", "--case", CASES[0],
                              "--since", "2026-09-02", "--until", "2026-09-03")
    assert code == 0, stderr
    page = Page(out.read_text(encoding="utf-8"))
    # ben's s1 attempts are one a day from 1 September (FFFPPP): the 2nd and the 3rd, both failed
    assert page.markers("score-0-failed") == 2 and page.markers("score-0-passed") == 0
    assert "Trainee ben.okafor; case s1_upper_trapezius_thin; from 2026-09-02; until 2026-09-03" in page.html
    assert 'data-trainee="ana.silva"' not in page.html


def test_cusum_method_from_the_options(key_file, tmp_path):
    url = f"sqlite:///{tmp_path / 'attempts.db'}"
    fill(url, key_file, series("solo", CASES[0], "P" * 9))
    out = tmp_path / "r.html"
    code, _, stderr = run_cli("report", "--out", str(out), "--db", url, "--p0", "0.15", "--p1", "0.3", "--alpha", "0.05",
                              "--beta", "0.2")
    assert code == 0, stderr
    html = out.read_text(encoding="utf-8")
    assert "p0 = 0.15" in html and '<span class="acceptable">acceptable</span> at attempt 9' in html


def test_nothing_matching_still_writes_a_report_that_says_so(key_file, tmp_path):
    url = f"sqlite:///{tmp_path / 'attempts.db'}"
    fill(url, key_file, series("solo", CASES[0], "P"))
    out = tmp_path / "r.html"
    code, stdout, _ = run_cli("report", "--out", str(out), "--db", url, "--trainee", "nobody")
    assert code == 0 and "Report of 0 attempts" in stdout
    assert "No attempts match this selection." in out.read_text(encoding="utf-8")


def test_a_large_report_shows_progress_on_stderr(key_file, tmp_path):
    url = f"sqlite:///{tmp_path / 'attempts.db'}"
    attempts = []
    for n in range(11):  # 11 trainees x 2 cases: 11 + 1 + 1 + 22 = 35 charts
        for k, case_id in enumerate(CASES[:2]):
            attempts += series(f"t{n:02d}", case_id, "FP", start=START + timedelta(hours=n, minutes=k))
    fill(url, key_file, attempts)
    out = tmp_path / "big.html"
    code, _, stderr = run_cli("report", "--out", str(out), "--db", url)
    assert code == 0, stderr
    assert "drawing charts" in stderr and "35/35" in stderr


def test_a_small_report_without_a_terminal_prints_no_progress(key_file, tmp_path):
    url = f"sqlite:///{tmp_path / 'attempts.db'}"
    fill(url, key_file, series("solo", CASES[0], "FP"))
    code, _, stderr = run_cli("report", "--out", str(tmp_path / "r.html"), "--db", url)
    assert code == 0 and stderr == ""


@pytest.mark.parametrize("options, message", [
    (["--since", "last week"], "--since must be a date (2026-12-01) or an ISO time (2026-12-01T14:00), got 'last week'"),
    (["--p0", "0.3"], "the acceptable failure rate p0 (0.3) must be below the unacceptable p1 (0.2)"),
])
def test_bad_options_exit_2_with_the_reason(options, message, tmp_path):
    code, _, stderr = run_cli("report", "--out", str(tmp_path / "r.html"), *options)
    assert code == 2 and message in stderr
    assert not (tmp_path / "r.html").exists()


def test_trainee_and_cohort_exclude_each_other(tmp_path):
    code, _, stderr = run_cli("report", "--out", str(tmp_path / "r.html"), "--trainee", "a", "--cohort")
    assert code == 2 and "not allowed with argument" in stderr


def test_a_file_that_cannot_be_written_exits_1(key_file, tmp_path):
    url = f"sqlite:///{tmp_path / 'attempts.db'}"
    fill(url, key_file, series("solo", CASES[0], "P"))
    folder = tmp_path / "taken"
    folder.mkdir()
    code, _, stderr = run_cli("report", "--out", str(folder), "--db", url)
    assert code == 1 and stderr.startswith("tpi-sim report: could not save")
    assert os.listdir(folder) == []


def test_an_unreadable_store_exits_1_with_the_reason(tmp_path):
    code, _, stderr = run_cli("report", "--out", str(tmp_path / "r.html"), "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert code == 1 and stderr.startswith("tpi-sim report: ")
    assert not (tmp_path / "r.html").exists()


def test_exam_selects_the_attempts_of_that_exam(key_file, tmp_path):
    url = f"sqlite:///{tmp_path / 'attempts.db'}"
    practice = series("solo", CASES[0], "FF")
    exam = series("solo", CASES[0], "PPP", start=START + timedelta(days=10), exam_id="spring-osce")
    fill(url, key_file, practice + exam)
    out = tmp_path / "exam.html"
    code, stdout, stderr = run_cli("report", "--out", str(out), "--db", url, "--exam", "spring-osce")
    assert code == 0, stderr
    assert "Report of 3 attempts" in stdout
    page = Page(out.read_text(encoding="utf-8"))
    assert page.markers("score-0-passed") == 3 and page.markers("score-0-failed") == 0
    assert "Cohort: all trainees; exam spring-osce" in page.html


def test_mode_keeps_practice_and_exam_attempts_apart(key_file, tmp_path):
    import dataclasses

    url = f"sqlite:///{tmp_path / 'attempts.db'}"
    practice = [dataclasses.replace(a, mode="practice") for a in series("solo", CASES[0], "FFFF")]
    exam = series("solo", CASES[0], "PP", start=START + timedelta(days=10), exam_id="spring-osce")
    fill(url, key_file, practice + exam)
    counts = {}
    for mode in (None, "practice", "exam", "assessment"):
        out = tmp_path / f"{mode}.html"
        code, stdout, stderr = run_cli("report", "--out", str(out), "--db", url, *(["--mode", mode] if mode else []))
        assert code == 0, stderr
        page = Page(out.read_text(encoding="utf-8"))
        counts[mode] = (stdout.split()[2], page.markers("score-0-passed"), page.markers("score-0-failed"))
        if mode:
            assert f"Cohort: all trainees; {mode} attempts only" in page.html
    assert counts == {None: ("6", 2, 4), "practice": ("4", 0, 4), "exam": ("2", 2, 0), "assessment": ("0", 0, 0)}


def test_an_unknown_mode_exits_2(tmp_path):
    code, _, stderr = run_cli("report", "--out", str(tmp_path / "r.html"), "--mode", "drill")
    assert code == 2 and "invalid choice: 'drill'" in stderr
