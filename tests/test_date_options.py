"""--since and --until of `tpi-sim results` and `tpi-sim report`: one parser (commands/dates.py), so a
bad date reads the same in both (each command keeps its own name, prefix and exit status), and a
good one selects the same span in both."""

from __future__ import annotations

from datetime import timedelta

import pytest

from simulator.records.store import open_store
from tests.cli_run import run_cli
from tests.reports.cohort import CASES, START, series

BAD = ["soon", "2026-13-01", "2026-12-01T25:00", "", "1.12.2026"]


def _commands(tmp_path):
    db = f"sqlite:///{tmp_path / 'attempts.db'}"
    return {
        "results": (["results", "list", "--db", db], 1, "tpi-sim results: "),
        "report": (["report", "--out", str(tmp_path / "r.html"), "--db", db], 2, "tpi-sim report: error: "),
    }


@pytest.mark.parametrize("command", ["results", "report"])
@pytest.mark.parametrize("option", ["--since", "--until"])
@pytest.mark.parametrize("text", BAD)
def test_a_bad_date_gives_the_same_message_in_both_commands(command, option, text, tmp_path):
    args, status, prefix = _commands(tmp_path)[command]
    code, out, err = run_cli(*args, option, text)
    assert (code, out) == (status, "")
    assert err == f"{prefix}{option} must be a date (2026-12-01) or an ISO time (2026-12-01T14:00), got {text!r}\n"
    assert not (tmp_path / "r.html").exists()


def test_an_until_date_includes_its_whole_day_and_a_time_without_zone_is_utc_in_both_commands(tmp_path, key_file):
    # one attempt a day from START (09:00 UTC): the first day's attempt is kept by --until of that day
    attempts = series("solo", CASES[0], "PPP")
    with open_store(f"sqlite:///{tmp_path / 'attempts.db'}", key_file) as store:
        for attempt in attempts:
            store.save(attempt)
    first_day = START.date().isoformat()
    second_morning = (START + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")  # 09:00 UTC, no zone
    commands = _commands(tmp_path)
    listed = run_cli(*commands["results"][0], "--until", first_day)[1]
    assert [line.split()[0] for line in listed.splitlines()[2:]] == [attempts[0].attempt_id]
    listed = run_cli(*commands["results"][0], "--since", second_morning)[1]
    assert [line.split()[0] for line in listed.splitlines()[2:]] == [a.attempt_id for a in attempts[1:]]
    assert run_cli(*commands["report"][0], "--until", first_day)[1].startswith("Report of 1 attempts")
    assert run_cli(*commands["report"][0], "--since", second_morning)[1].startswith("Report of 2 attempts")
