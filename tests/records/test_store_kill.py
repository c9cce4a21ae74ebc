"""kill -9 while saving: a station killed at any moment of a save leaves each attempt whole
(result, replay and a signature that verifies) or not there at all, never half of one."""

from __future__ import annotations

import json

from simulator.records.attempt import AttemptFilter, attempt_to_dict
from simulator.records.signing import check, load_key
from simulator.records.store import open_store
from tests.records.killing import kill_savers
from tests.records.test_attempt import expert_attempt

KILLS = 20
# Forks one saver per line read (imports paid once): each opens the store, saves the attempt
# once, says "ready", and goes on saving it under new ids as fast as it can until it is killed;
# the forker reports the saver's pid, and "done" when it has been reaped.
SAVERS = """
import json, os, sys, uuid
from dataclasses import replace
from simulator.records.attempt import attempt_from_dict
from simulator.records.store import open_store
import simulator.records.sql_store, alembic.command, psycopg
url, key, attempt_file = sys.argv[1:4]
attempt = attempt_from_dict(json.loads(open(attempt_file, encoding="utf-8").read()))
for _ in sys.stdin:
    pid = os.fork()
    if pid == 0:
        store = open_store(url, key)
        store.save(replace(attempt, attempt_id=uuid.uuid4().hex))
        os.write(1, b"ready\\n")  # one attempt in: the kill comes during one of the next saves
        while True:
            store.save(replace(attempt, attempt_id=uuid.uuid4().hex))
    os.write(1, f"{pid}\\n".encode())
    os.waitpid(pid, 0)
    os.write(1, b"done\\n")
"""


def test_a_station_killed_while_saving_never_leaves_half_an_attempt(database_url, key_file, tmp_path):
    attempt = expert_attempt()[0]
    attempt_file = tmp_path / "attempt.json"
    attempt_file.write_text(json.dumps(attempt_to_dict(attempt)), encoding="utf-8")
    open_store(database_url, key_file).close()  # the schema exists before the first kill
    # a different moment of the save each time
    kill_savers(SAVERS, [database_url, str(key_file), str(attempt_file)], KILLS,
                lambda i: 0.011 * (i % 10) + 0.001 * i)
    store = open_store(database_url, key_file)
    kept = store.find(AttemptFilter())
    store.close()
    assert len(kept) >= KILLS  # each saver stored one before it was killed, most more
    key = load_key(key_file)
    for stored in kept:  # every attempt is whole: its result, its replay, and a signature that holds
        assert stored.result == attempt.result and stored.replay == attempt.replay
        assert check(stored, key), stored.attempt_id
    assert len({a.attempt_id for a in kept}) == len(kept)
