"""`tpi-sim attempt CASE ACTIONS.jsonl --trainee ID [--exam EXAM_ID] [--station S] [--db URL]`:
record an attempt without a window.

For stations that were offline (their replay files are entered later) and for tests: the
actions are scored with the case, and the attempt (result, replay, case hash, seed, trainee,
station) is stored and signed like one made in the trainer. A replay recorded for another
trainee is refused: it would file someone's work under a different name. Exit 0 when
stored, 1 with the reason when not.
"""

from __future__ import annotations

import argparse

from simulator.commands import AGENTS_HELP, add_store_arguments, failing, open_case_and_replay


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", metavar="CASE", help="a case file, or the id of a shipped case")
    parser.add_argument("actions", metavar="ACTIONS.jsonl", help="replay file: one timed action per line")
    parser.add_argument("--trainee", required=True, metavar="ID", help="the trainee's id (required, never empty)")
    parser.add_argument("--exam", metavar="EXAM_ID", default=None, help="the exam this attempt belongs to (mode exam)")
    parser.add_argument("--mode", choices=("practice", "assessment"), default="assessment",
                        help="without --exam: practice or assessment (default assessment)")
    parser.add_argument("--station", default=None, help="the station's name (default: this computer's name)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: the replay header's, else 0)")
    parser.add_argument("--agents", metavar="PATH", help=AGENTS_HELP)
    add_store_arguments(parser)


_fail = failing("attempt")


def run(args: argparse.Namespace) -> int:
    from datetime import datetime, timedelta, timezone

    from simulator.core.session import Session
    from simulator.records.attempt import check_trainee_id, new_attempt
    from simulator.records.store import StoreError, open_store

    try:
        trainee = check_trainee_id(args.trainee)
    except ValueError as exc:
        return _fail(f"--trainee: {exc}")
    loaded = open_case_and_replay(args)
    if loaded is None:
        return 1
    case, catalogue, header, timed = loaded
    recorded_by = header.get("trainee")
    if recorded_by and recorded_by != trainee:
        return _fail(f"{args.actions} was recorded by trainee {recorded_by!r}, not {trainee!r}; "
                     "an attempt is stored only under the trainee who made it")
    if header.get("case") and header["case"] != case.id:
        return _fail(f"{args.actions} was recorded for case {header['case']!r}, not {case.id!r}")
    session = Session(case, catalogue, args.seed if args.seed is not None else int(header.get("seed", 0)))
    session.run(timed)
    ended = datetime.now(timezone.utc)
    attempt = new_attempt(session, trainee_id=trainee, mode="exam" if args.exam else args.mode,
                          started_at=ended - timedelta(seconds=session.time_s), ended_at=ended, exam_id=args.exam,
                          station=args.station)
    try:
        with open_store(args.db, args.key) as store:
            saved = store.save(attempt)
    except StoreError as exc:
        return _fail(str(exc))
    verdict = "PASS" if saved.passed else "FAIL"
    print(f"Stored attempt {saved.attempt_id}: {trainee}, {case.id}, total {saved.total:.1f}/100 {verdict}")
    return 0
