"""`tpi-sim attempt`, `results list`, `results export` and `verify`, against SQLite and PostgreSQL:
what a programme sees, and each kind of tampering `verify` must catch."""

from __future__ import annotations

import csv
import json
import stat

import pytest

from simulator import paths
from simulator.records.store import open_store
from tests.cli_run import run_cli
from tests.records.test_store import edit_row

EXPERT = paths.REPLAYS_DIR / "s1_upper_trapezius_thin.expert.jsonl"
CASE_ID = "s1_upper_trapezius_thin"


@pytest.fixture
def lab(database_url, key_file):
    """Store options for every command: this test's database and key."""
    return ["--db", database_url, "--key", str(key_file)]


def record(lab, trainee="dr-a", *extra) -> str:
    code, out, err = run_cli("attempt", CASE_ID, str(EXPERT), "--trainee", trainee, *extra, *lab)
    assert code == 0, err
    assert out.startswith("Stored attempt ") and out.rstrip().endswith(f"{trainee}, {CASE_ID}, total 100.0/100 PASS")
    return out.split()[2].rstrip(":")


def test_attempt_stores_a_signed_attempt_that_verifies(lab):
    attempt_id = record(lab, "dr-a", "--station", "lab-3")
    stored = open_store(lab[1], lab[3]).get(attempt_id)
    assert stored.station == "lab-3" and stored.mode == "assessment" and stored.exam_id is None
    code, out, _ = run_cli("verify", attempt_id, *lab)
    assert code == 0 and out.startswith(f"ok   {attempt_id}: dr-a, {CASE_ID}, total 100.0") and "1 of 1" in out


@pytest.mark.parametrize("trainee, fragment", [("", "a trainee id is required"), ("a/b", "a trainee id may use letters, digits")])
def test_attempt_refuses_a_missing_or_bad_trainee_id(lab, trainee, fragment):
    code, _, err = run_cli("attempt", CASE_ID, str(EXPERT), "--trainee", trainee, *lab)
    assert code == 1 and f"tpi-sim attempt: --trainee: {fragment}" in err


def test_attempt_refuses_a_replay_recorded_by_another_trainee(lab, tmp_path):
    theirs = tmp_path / "theirs.jsonl"
    lines = EXPERT.read_text().splitlines()
    header = json.loads(lines[0])
    theirs.write_text("\n".join([json.dumps({**header, "trainee": "dr-expert"}), *lines[1:]]) + "\n")
    code, _, err = run_cli("attempt", CASE_ID, str(theirs), "--trainee", "dr-a", *lab)
    assert code == 1 and "was recorded by trainee 'dr-expert', not 'dr-a'" in err


def test_an_exam_attempt_is_filed_under_its_exam(lab):
    attempt_id = record(lab, "dr-a", "--exam", "final-2026")
    stored = open_store(lab[1], lab[3]).get(attempt_id)
    assert stored.mode == "exam" and stored.exam_id == "final-2026"


def test_results_list_shows_each_attempt_and_filters(lab):
    first, second = record(lab, "dr-a"), record(lab, "dr-b")
    code, out, _ = run_cli("results", "list", *lab)
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["Attempt", "Date", "(UTC)", "Trainee", "Case", "Mode", "Total", "Verdict"]
    assert [line.split()[0] for line in lines[2:]] == [first, second]
    assert lines[2].split()[3:] == ["dr-a", CASE_ID, "assessment", "100.0", "PASS"]
    code, out, _ = run_cli("results", "list", "--trainee", "dr-b", *lab)
    assert [line.split()[0] for line in out.splitlines()[2:]] == [second]
    code, out, _ = run_cli("results", "list", "--until", "2000-01-01", *lab)
    assert code == 0 and out.strip() == "No attempts match."
    code, _, err = run_cli("results", "list", "--since", "yesterday", *lab)
    assert code == 1 and "--since must be a date (2026-12-01) or an ISO time" in err


def test_export_json_carries_whole_signed_attempts_readable_by_the_group(lab, tmp_path):
    ids = [record(lab, "dr-a"), record(lab, "dr-b")]
    target = tmp_path / "exports" / "cohort" / "attempts.json"
    code, out, _ = run_cli("results", "export", "--json", str(target), *lab)
    assert code == 0 and out.strip() == f"Exported 2 attempts to {target}"
    data = json.loads(target.read_text())
    assert data["format"] == "tpi-sim-attempts/1" and [a["attempt_id"] for a in data["attempts"]] == ids
    assert all(a["signature"].startswith("hmac-sha256:v1:") and a["replay"] and a["result"]["criteria"]
               for a in data["attempts"])
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert stat.S_IMODE(target.parent.stat().st_mode) == stat.S_IMODE(target.parent.parent.stat().st_mode) == 0o750
    code, out, _ = run_cli("verify", str(target), "--key", lab[3])
    assert code == 0 and out.splitlines()[-1] == "2 of 2 attempts verified"


def test_export_csv_has_a_row_per_attempt_and_a_column_per_criterion(lab, tmp_path):
    attempt_id = record(lab, "dr-a", "--exam", "final-2026")
    record(lab, "dr-b")
    target = tmp_path / "attempts.csv"
    code, _, _ = run_cli("results", "export", "--csv", str(target), "--exam", "final-2026", *lab)
    rows = list(csv.DictReader(target.open()))
    assert code == 0 and len(rows) == 1 and stat.S_IMODE(target.stat().st_mode) == 0o640
    row = rows[0]
    assert (row["attempt_id"], row["trainee_id"], row["exam_id"], row["total"], row["passed"]) == \
        (attempt_id, "dr-a", "final-2026", "100.0", "True")
    assert row["localization"] == "17.39" and row["signature"].startswith("hmac-sha256:v1:")


# ---------------------------------------------------------------- verify rejects each kind of tampering

def _verify_fails(*argv) -> str:
    code, out, _ = run_cli("verify", *argv)
    assert code == 1, out
    assert out.splitlines()[-1].startswith("0 of 1 attempt")
    return out


def test_verify_rejects_an_edited_result(lab):
    attempt_id = record(lab)
    edit_row(open_store(lab[1], lab[3]), attempt_id, "result_json", '"total":100.0', '"total":99.0')
    assert f"FAIL {attempt_id}: edited result" in _verify_fails(attempt_id, *lab)


def test_verify_rejects_an_edited_replay(lab):
    attempt_id = record(lab)
    edit_row(open_store(lab[1], lab[3]), attempt_id, "replay_json", '"type":"mark"', '"type":"marks"')
    assert f"FAIL {attempt_id}: edited replay" in _verify_fails(attempt_id, *lab)


def test_verify_rejects_a_replay_moved_to_another_trainee(lab):
    attempt_id = record(lab, "dr-expert")
    edit_row(open_store(lab[1], lab[3]), attempt_id, "trainee_id", "dr-expert", "dr-b")  # handed in under a new name
    out = _verify_fails(attempt_id, *lab)
    assert f"FAIL {attempt_id}: replay moved to another trainee: it was recorded by 'dr-expert'" in out


def test_verify_rejects_an_attempt_signed_with_an_unknown_key(lab, tmp_path):
    attempt_id = record(lab)
    other_key = tmp_path / "other.key"
    run_cli("attempt", CASE_ID, str(EXPERT), "--trainee", "dr-z", "--db", lab[1], "--key", str(other_key))
    assert f"FAIL {attempt_id}: unknown key: signed with key" in _verify_fails(attempt_id, "--db", lab[1],
                                                                               "--key", str(other_key))


def test_verify_rejects_an_attempt_whose_case_changed(lab, tmp_path):
    attempt_id = record(lab)
    changed = tmp_path / f"{CASE_ID}.yaml"
    text = (paths.SCENARIOS_DIR / f"{CASE_ID}.yaml").read_text(encoding="utf-8")
    old = 'title: "Thin typist with a temple headache"'
    assert text.count(old) == 1
    changed.write_text(text.replace(old, 'title: "Thin typist, edited"'), encoding="utf-8")
    assert f"FAIL {attempt_id}: case changed: {CASE_ID} is not the content" in \
        _verify_fails(attempt_id, "--case", str(changed), *lab)


def test_verify_rejects_an_edited_export_and_an_unknown_id(lab, tmp_path):
    attempt_id = record(lab)
    target = tmp_path / "one.json"
    run_cli("results", "export", "--json", str(target), *lab)
    data = json.loads(target.read_text())
    data["attempts"][0]["result"]["passed"] = False
    target.write_text(json.dumps(data))
    assert f"FAIL {attempt_id}: edited result" in _verify_fails(str(target), "--key", lab[3])
    code, _, err = run_cli("verify", "feedfeed", *lab)
    assert code == 1 and "tpi-sim verify: no attempt with id feedfeed" in err
