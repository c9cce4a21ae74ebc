"""kill -9 while an exam's last case is saved with its sitting: at any moment of the save there
is either the last attempt and the sitting naming it, both whole and signed, or neither."""

from __future__ import annotations

import json

from simulator.records.attempt import AttemptFilter, attempt_to_dict
from simulator.records.signing import check, load_key, sitting_problem
from simulator.records.sitting import SittingFilter, sitting_to_dict
from simulator.records.store import open_store
from tests.records.killing import kill_savers
from tests.records.sittings import case_attempts, sitting_of, three_case_exam

KILLS = 12
# As in test_store_kill.py: one forked saver per line read; each saves the last case with the
# sitting under new ids until it is killed.
SAVERS = """
import json, os, sys, uuid
from dataclasses import replace
from simulator.records.attempt import attempt_from_dict
from simulator.records.sitting import sitting_from_dict
from simulator.records.store import open_store
import simulator.records.sql_store, alembic.command, psycopg
url, key, record_file = sys.argv[1:4]
record = json.loads(open(record_file, encoding="utf-8").read())
last, sitting = attempt_from_dict(record["last"]), sitting_from_dict(record["sitting"])

def save(store):
    attempt_id = uuid.uuid4().hex
    store.save_sitting(replace(sitting, sitting_id=uuid.uuid4().hex, attempt_ids=(*sitting.attempt_ids[:-1], attempt_id)),
                       last_attempt=replace(last, attempt_id=attempt_id))

for _ in sys.stdin:
    pid = os.fork()
    if pid == 0:
        store = open_store(url, key)
        save(store)
        os.write(1, b"ready\\n")
        while True:
            save(store)
    os.write(1, f"{pid}\\n".encode())
    os.waitpid(pid, 0)
    os.write(1, b"done\\n")
"""


def test_a_station_killed_while_saving_the_last_case_never_leaves_it_without_its_sitting(database_url, key_file,
                                                                                          tmp_path):
    attempts = case_attempts("cand-1")
    with open_store(database_url, key_file) as store:
        for done in attempts[:2]:
            store.save(done)
    sitting = sitting_of(three_case_exam(tmp_path), "cand-1", attempts)
    record_file = tmp_path / "record.json"
    record_file.write_text(json.dumps({"last": attempt_to_dict(attempts[2]), "sitting": sitting_to_dict(sitting)}),
                           encoding="utf-8")
    # a different moment of the save each time
    kill_savers(SAVERS, [database_url, str(key_file), str(record_file)], KILLS,
                lambda i: 0.013 * (i % 6) + 0.001 * i)
    key = load_key(key_file)
    with open_store(database_url, key_file) as store:
        lasts = [a for a in store.find(AttemptFilter()) if a.case_id == attempts[2].case_id]
        sittings = store.find_sittings(SittingFilter())
    assert len(sittings) >= KILLS  # each saver kept one before it was killed, most more
    assert sorted(s.attempt_ids[-1] for s in sittings) == sorted(a.attempt_id for a in lasts)  # one for one
    for kept in sittings:
        assert sitting_problem(kept, key) is None and kept.verdict == sitting.verdict
    for kept in lasts:
        assert check(kept, key) and kept.result == attempts[2].result
