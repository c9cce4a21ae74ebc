"""Exam sittings and modes on the command line, against SQLite and PostgreSQL: `results list
--exams`, `results export --exams`, `results list --mode`, and `tpi-sim verify` of a sitting
(an untouched one holds; an edited verdict, a missing or edited attempt are each rejected)."""

from __future__ import annotations

import csv
import dataclasses
import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from simulator.records.signing import load_key, signed_sitting
from simulator.records.store import open_store
from tests.cli_run import run_cli
from tests.records.sittings import EXAM_ID, START, case_attempts, sitting_of, three_case_exam
from tests.records.test_store import edit_row
from tests.reports.cohort import CASES, attempt


@pytest.fixture
def lab(database_url, key_file, tmp_path):
    """A store with a passed sitting (cand-1), a failed one (cand-2, case 2 a novice's) and a
    practice attempt; returns (store options, the two sittings)."""
    loaded = three_case_exam(tmp_path)
    kept = []
    with open_store(database_url, key_file) as store:
        for n, (candidate, kinds) in enumerate((("cand-1", ("expert",) * 3),
                                                ("cand-2", ("expert", "novice-no-consent", "expert")))):
            attempts = case_attempts(candidate, kinds, start=START + timedelta(hours=n))
            for done in attempts[:2]:
                store.save(done)
            kept.append(store.save_sitting(sitting_of(loaded, candidate, attempts), last_attempt=attempts[2]))
        practice = attempt("cand-1", CASES[0], "expert", START - timedelta(days=1))
        store.save(dataclasses.replace(practice, mode="practice"))
    return ["--db", database_url, "--key", str(key_file)], kept


def verify(*argv) -> tuple[int, list[str]]:
    code, out, err = run_cli("verify", *argv)
    return code, out.splitlines() + err.splitlines()


def test_results_list_exams_shows_each_sitting_with_its_verdict(lab):
    options, (passed, failed) = lab
    code, out, err = run_cli("results", "list", "--exams", *options)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["Sitting", "Date", "(UTC)", "Candidate", "Exam", "Cases", "Mean", "Verdict", "Resumed"]
    assert lines[2].split() == [passed.sitting_id, "2026-12-02", "09:00", "cand-1", EXAM_ID, "3", "100.0", "PASS", "-"]
    assert lines[3].split()[:4] == [failed.sitting_id, "2026-12-02", "10:00", "cand-2"]
    assert lines[3].split()[-2:] == ["FAIL", "-"] and len(lines) == 4
    code, out, _ = run_cli("results", "list", "--exams", "--trainee", "cand-2", *options)
    assert code == 0 and passed.sitting_id not in out and failed.sitting_id in out
    code, out, _ = run_cli("results", "list", "--exams", "--exam", "another", *options)
    assert (code, out) == (0, "No exam sittings match.\n")


def test_case_and_mode_do_not_select_sittings(lab):
    code, out, err = run_cli("results", "list", "--exams", "--case", CASES[0], "--mode", "exam", *lab[0])
    assert code == 1 and out == ""
    assert err == "tpi-sim results: --case and --mode select attempts; with --exams use --trainee, --exam, --since " \
                  "and --until\n"


def test_results_list_mode_keeps_practice_and_exam_attempts_apart(lab):
    counts = {}
    for mode in ("practice", "assessment", "exam"):
        code, out, err = run_cli("results", "list", "--mode", mode, *lab[0])
        assert code == 0, err
        rows = out.splitlines()[2:]
        assert all(row.split()[5] == mode for row in rows)
        counts[mode] = len(rows)
    assert counts == {"practice": 1, "assessment": 0, "exam": 6}
    code, _, err = run_cli("results", "list", "--mode", "drill", *lab[0])
    assert code == 2 and "invalid choice: 'drill'" in err


def test_export_exams_json_carries_the_sittings_and_their_attempts_and_verifies(lab, tmp_path):
    options, (passed, failed) = lab
    target = tmp_path / "exams.json"
    code, out, err = run_cli("results", "export", "--exams", "--json", str(target), *options)
    assert (code, out) == (0, f"Exported 2 exam sittings to {target}\n"), err
    data = json.loads(target.read_text())
    assert data["format"] == "tpi-sim-exam-sittings/1"
    assert [s["sitting_id"] for s in data["sittings"]] == [passed.sitting_id, failed.sitting_id]
    assert [a["attempt_id"] for a in data["attempts"]] == [*passed.attempt_ids, *failed.attempt_ids]
    code, lines = verify(str(target), "--key", options[3])
    assert code == 0 and lines[-1] == "2 of 2 exam sittings verified (6 of 6 attempts)"
    assert f"ok   {failed.sitting_id}: exam {EXAM_ID}, cand-2, FAIL, 3 attempts; signature, attempts and verdict agree" \
        in lines
    data["sittings"][1]["verdict"]["passed"] = True
    target.write_text(json.dumps(data))
    code, lines = verify(str(target), "--key", options[3])
    assert code == 1 and lines[-1] == "1 of 2 exam sittings verified (6 of 6 attempts)"
    assert f"FAIL {failed.sitting_id}: exam sitting: edited verdict: the verdict is not the one that was signed" in \
        lines[-2]


def test_export_exams_csv_has_a_row_per_sitting_with_its_reasons(lab, tmp_path):
    options, (passed, failed) = lab
    target = tmp_path / "exams.csv"
    code, _, err = run_cli("results", "export", "--exams", "--csv", str(target), *options)
    assert code == 0, err
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["sitting_id"] for r in rows] == [passed.sitting_id, failed.sitting_id]
    assert rows[0]["passed"] == "True" and rows[0]["reasons"] == "" and rows[0]["cases"] == "3"
    assert rows[1]["passed"] == "False" and rows[1]["reasons"].startswith("case 2 (")
    assert rows[1]["attempt_ids"].split() == list(failed.attempt_ids) and rows[1]["signature"] == failed.signature


def test_verify_a_stored_sitting_and_each_kind_of_tampering(lab, key_file):
    options, (passed, failed) = lab
    code, lines = verify(passed.sitting_id, *options)
    assert code == 0 and lines[-1] == "1 of 1 exam sitting verified (3 of 3 attempts)"
    assert [line[:4] for line in lines[:-1]] == ["ok  "] * 4
    with open_store(options[1], key_file) as store:
        with store.engine.begin() as connection:  # the failed sitting turned into a pass in the database
            connection.execute(text("UPDATE exam_sittings SET verdict_json = replace(verdict_json, :old, :new), "
                                    "passed = :yes WHERE sitting_id = :id"),
                               {"old": '"passed":false', "new": '"passed":true', "yes": True, "id": failed.sitting_id})
        code, lines = verify(failed.sitting_id, *options)
        assert code == 1 and "edited verdict: the verdict is not the one that was signed" in lines[-2]
        assert "the stored verdict (PASS, mean total" in lines[-2]  # and the rule gives FAIL for these attempts
        # someone holding the key re-signs the pass: the attempts still say otherwise
        forged = signed_sitting(dataclasses.replace(failed, verdict={**failed.verdict, "passed": True}),
                                load_key(key_file))
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE exam_sittings SET verdict_json = :verdict, signature = :signature "
                                    "WHERE sitting_id = :id"),
                               {"verdict": json.dumps(forged.verdict, sort_keys=True, separators=(",", ":")),
                                "signature": forged.signature, "id": failed.sitting_id})
        code, lines = verify(failed.sitting_id, *options)
        assert code == 1 and lines[-2] == (
            f"FAIL {failed.sitting_id}: exam sitting: the stored verdict (PASS, mean total {failed.mean_total}) is not "
            f"what the exam's rule gives for its attempts (FAIL, mean total {failed.mean_total:g})")
        edit_row(store, passed.attempt_ids[1], "result_json", '"passed":true', '"passed":false')
        code, lines = verify(passed.sitting_id, *options)
        assert code == 1 and f"case 2's attempt {passed.attempt_ids[1]} does not verify" in lines[-2]
        with store.engine.begin() as connection:
            connection.execute(text("DELETE FROM attempts WHERE attempt_id = :id"), {"id": passed.attempt_ids[2]})
        code, lines = verify(passed.sitting_id, *options)
        assert code == 1 and f"case 3's attempt {passed.attempt_ids[2]} is missing" in lines[-2]
        assert lines[-1] == "0 of 1 exam sitting verified (1 of 2 attempts)"
