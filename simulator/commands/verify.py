"""`tpi-sim verify (ATTEMPT_ID | SITTING_ID | FILE.json) [--case FILE] [--db URL] [--key FILE]`: check attempts.

An attempt id, or an exam sitting's id, is looked up in the store; a JSON file (from `tpi-sim
results export --json` or `--exams --json`, or one attempt's JSON) has every attempt and
sitting in it checked. Each attempt is checked against the programme's key, its own replay
(re-scored with the case now) and the case's content hash (records.verify says how). A
sitting is checked against the key, and its attempts (from the store, or from the file) must
all be there, verify, belong to its exam and candidate, and give its stored verdict under the
pass rule it was given under. The case is found by id in the case library, or given with
--case FILE. Prints `ok ID ...` or `FAIL ID: reasons` per attempt and sitting; exits 0 when all
hold, 1 when any does not or nothing could be checked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.commands import AGENTS_HELP, add_store_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="ID|FILE.json",
                        help="a stored attempt's or exam sitting's id, or an exported JSON file")
    parser.add_argument("--case", metavar="FILE", default=None, help="the case file (default: found by id in the library)")
    parser.add_argument("--agents", metavar="PATH", help=AGENTS_HELP)
    add_store_arguments(parser)


def _fail(message: str) -> int:
    print(f"tpi-sim verify: {message}", file=sys.stderr)
    return 1


def _from_file(path: Path) -> tuple[list, list]:
    """(attempts, sittings) in an export (or one attempt's JSON); ValueError saying why not."""
    import json

    from simulator.files import FileProblem, decode_utf8, read_regular_bytes
    from simulator.records.attempt import attempt_from_dict
    from simulator.records.sitting import sitting_from_dict

    try:
        data = json.loads(decode_utf8(read_regular_bytes(path, 512 * 1024 * 1024, "attempt exports")))
    except FileProblem as problem:
        raise ValueError(f"{path}: {problem.message}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    items = data.get("attempts") if isinstance(data, dict) and "attempts" in data else [data]
    try:
        sittings = [sitting_from_dict(item) for item in data.get("sittings", [])] if isinstance(data, dict) else []
        return [attempt_from_dict(item) for item in items], sittings
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"{path}: not an attempt export ({type(exc).__name__}: {exc})") from None


def _case_for(case_id: str, args, cache: dict):
    """(case, catalogue) for `case_id`: --case when given, else the library's case of that id."""
    from simulator.commands import open_case_or_report
    from simulator.scenario.loader import find_case_file

    if case_id not in cache:
        name = args.case or (case_id if find_case_file(case_id) is not None else None)
        opened = open_case_or_report(name, args.agents) if name else None
        cache[case_id] = (opened[1], opened[2]) if opened else (None, None)
    return cache[case_id]


def _from_store(args) -> tuple[list, list]:
    """(attempts, sittings) for an id: the attempt, or the sitting and those of its attempts the
    store holds; StoreError when the id is neither."""
    from simulator.records.store import NotStored, open_store

    with open_store(args.db, args.key) as store:
        try:
            return [store.get(args.target)], []
        except NotStored:
            pass
        try:
            sitting = store.get_sitting(args.target)
        except NotStored:
            raise NotStored(f"no attempt with id {args.target} and no exam sitting with that id in {store.where}") \
                from None
        attempts = []
        for attempt_id in sitting.attempt_ids:
            try:
                attempts.append(store.get(attempt_id))
            except NotStored:
                pass  # named as missing by the sitting's check
        return attempts, [sitting]


def _check_sittings(sittings: list, attempts: list, failing: set, key: bytes) -> int:
    """Print `ok`/`FAIL` per sitting; the number that failed."""
    from simulator.records.verify import sitting_problems

    by_id = {attempt.attempt_id: attempt for attempt in attempts}
    bad = 0
    for sitting in sittings:
        reasons = sitting_problems(sitting, key, {a: by_id.get(a) for a in sitting.attempt_ids}, failing)
        if reasons:
            bad += 1
            print(f"FAIL {sitting.sitting_id}: exam sitting: " + "; ".join(reasons))
        else:
            print(f"ok   {sitting.sitting_id}: exam {sitting.exam_id}, {sitting.candidate_id}, "
                  f"{'PASS' if sitting.passed else 'FAIL'}, {len(sitting.attempt_ids)} attempts; signature, attempts "
                  "and verdict agree")
    return bad


def run(args: argparse.Namespace) -> int:
    from simulator.records.signing import SigningKeyError, load_key
    from simulator.records.store import StoreError
    from simulator.records.verify import attempt_problems

    try:
        key = load_key(args.key, create=False)
    except SigningKeyError as exc:
        return _fail(str(exc))
    target = Path(args.target)
    try:
        attempts, sittings = _from_file(target) if target.suffix == ".json" or target.exists() else _from_store(args)
    except (ValueError, StoreError) as exc:
        return _fail(str(exc))
    if not attempts and not sittings:
        return _fail(f"{args.target} holds no attempts")
    cases: dict = {}
    bad = 0
    failing: set = set()
    for attempt in attempts:
        case, catalogue = _case_for(attempt.case_id, args, cases)
        reasons = attempt_problems(attempt, key, case, catalogue)
        if reasons:
            bad += 1
            failing.add(attempt.attempt_id)
            print(f"FAIL {attempt.attempt_id}: " + "; ".join(reasons))
        else:
            print(f"ok   {attempt.attempt_id}: {attempt.trainee_id}, {attempt.case_id}, total {attempt.total:.1f}, "
                  "signature, case and re-scored replay agree")
    counted = f"{len(attempts) - bad} of {len(attempts)} attempt{'s' if len(attempts) != 1 else ''}"
    if not sittings:
        print(f"{counted} verified")
        return 1 if bad else 0
    bad_sittings = _check_sittings(sittings, attempts, failing, key)
    print(f"{len(sittings) - bad_sittings} of {len(sittings)} exam sitting{'s' if len(sittings) != 1 else ''} "
          f"verified ({counted})")
    return 1 if bad or bad_sittings else 0
