"""The typed attempt: a finished Session becomes one, trainee ids are checked, ratings are 1-5 on
the OSATS domains, and the JSON form reads back to the same attempt."""

from datetime import datetime, timedelta, timezone

import pytest

from simulator import paths
from simulator.core.session import Session
from simulator.records import read_replay
from simulator.records.attempt import (Attempt, Rating, attempt_from_dict, attempt_to_dict, case_hash,
                                       check_trainee_id, new_attempt)
from simulator.records.replay_file import parse_replay_lines
from simulator.scenario import load_agents, load_case

CASE_FILE = paths.SCENARIOS_DIR / "s1_upper_trapezius_thin.yaml"
EXPERT = paths.REPLAYS_DIR / "s1_upper_trapezius_thin.expert.jsonl"
START = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


def expert_attempt(trainee="dr-a", mode="assessment"):
    catalogue = load_agents()
    case = load_case(CASE_FILE, catalogue)
    header, timed = read_replay(EXPERT)
    session = Session(case, catalogue, header["seed"])
    session.run(timed)
    return new_attempt(session, trainee_id=trainee, mode=mode, started_at=START,
                       ended_at=START + timedelta(minutes=4), station="station-1"), session


def test_a_finished_session_becomes_an_attempt_whose_replay_rescores_to_its_result():
    attempt, session = expert_attempt()
    assert attempt.case_id == "s1_upper_trapezius_thin" and attempt.trainee_id == "dr-a"
    assert attempt.result is session.result() and attempt.total == session.result()["total"] and attempt.passed
    assert len(attempt.attempt_id) == 32 and attempt.case_hash == case_hash(session.case)
    assert attempt.replay[0] == {"format": "tpi-sim-replay/1", "case": attempt.case_id, "seed": attempt.seed,
                                 "trainee": "dr-a", "mode": "assessment"}
    header, timed = parse_replay_lines(attempt.replay)
    again = Session(session.case, session.catalogue, header["seed"]).run(timed)
    assert again == attempt.result
    assert expert_attempt()[0].attempt_id != attempt.attempt_id  # every attempt its own id


def test_the_json_form_reads_back_to_the_same_attempt():
    attempt, _ = expert_attempt()
    rated = Attempt(**{**attempt.__dict__, "rating": Rating({"overall": 4, "flow": 3}, "steady hands", "dr-exam",
                                                            START + timedelta(hours=1))})
    assert attempt_from_dict(attempt_to_dict(rated)) == rated
    assert attempt_to_dict(rated)["started_at"] == "2026-12-02T09:00:00.000000+00:00"


@pytest.mark.parametrize("text, fragment", [("", "a trainee id is required"), ("   ", "a trainee id is required"),
                                            ("x" * 65, "at most 64 characters"), ("a;drop", "letters, digits")])
def test_a_bad_trainee_id_is_refused_with_the_reason(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        check_trainee_id(text)


def test_a_good_trainee_id_is_kept_without_surrounding_spaces():
    assert check_trainee_id("  r.smith@uni-x.edu ") == "r.smith@uni-x.edu"


@pytest.mark.parametrize("scores, fragment", [({"overall": 6}, "from 1 to 5"), ({"overall": 0}, "from 1 to 5"),
                                              ({"charm": 3}, "unknown rating domain 'charm'")])
def test_a_rating_outside_1_to_5_or_the_domains_is_refused(scores, fragment):
    with pytest.raises(ValueError, match=fragment):
        Rating(scores, "", "dr-exam", START)


def test_times_must_carry_a_timezone_and_the_mode_must_be_known():
    attempt, _ = expert_attempt()
    with pytest.raises(ValueError, match="timezone-aware"):
        Attempt(**{**attempt.__dict__, "started_at": datetime(2026, 12, 2, 9, 0)})
    with pytest.raises(ValueError, match="mode must be one of practice, assessment, exam"):
        Attempt(**{**attempt.__dict__, "mode": "homework"})
