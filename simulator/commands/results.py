"""`tpi-sim results list [--exams] [filters]` and `tpi-sim results export (--csv | --json) FILE [--exams] [filters]`.

Filters: --trainee ID, --case ID, --exam ID, --mode practice|assessment|exam, --since and
--until (a date, 2026-12-01, or a time, 2026-12-01T14:00; times without a zone are UTC; a date
given to --until includes that whole day; commands/dates.py, shared with `report`). With --exams the exam sittings are listed or
exported instead of the attempts (commands/results_sittings.py); --trainee then selects the
candidate, and --case and --mode, which select attempts, are refused. `list` prints one line per attempt, oldest first: id, date, trainee, case, mode,
total, pass/fail. `export` writes the selected attempts atomically, readable by the
programme's group (files 0640, folders it makes 0750): CSV with one row per attempt and a
column per criterion, or JSON carrying every attempt whole with its signature (what
`tpi-sim verify FILE.json` checks).
"""

from __future__ import annotations

import argparse

from simulator.commands import add_store_arguments, failing
from simulator.records.attempt import MODES

EXPORT_FORMAT = "tpi-sim-attempts/1"
FILE_MODE = 0o640
FOLDER_MODE = 0o750
_fail = failing("results")


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--trainee", metavar="ID", default=None, help="only this trainee's attempts")
    parser.add_argument("--case", metavar="ID", default=None, help="only attempts at this case id")
    parser.add_argument("--exam", metavar="ID", default=None, help="only attempts in this exam")
    parser.add_argument("--mode", choices=MODES, default=None, help="only attempts made in this mode")
    parser.add_argument("--exams", action="store_true",
                        help="the exam sittings (each exam's verdict and its attempts) instead of the attempts")
    parser.add_argument("--since", metavar="DATE", default=None, help="started on or after (date or ISO time, UTC)")
    parser.add_argument("--until", metavar="DATE", default=None, help="started before (a date: up to its end)")
    add_store_arguments(parser)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
    listing = sub.add_parser("list", help="list stored attempts, oldest first")
    _add_filters(listing)
    export = sub.add_parser("export", help="write the selected attempts to a CSV or JSON file")
    kind = export.add_mutually_exclusive_group(required=True)
    kind.add_argument("--csv", action="store_const", const="csv", dest="format", help="one row per attempt")
    kind.add_argument("--json", action="store_const", const="json", dest="format",
                      help="every attempt (with --exams: every sitting and its attempts) whole, with its signature")
    export.add_argument("file", metavar="FILE")
    _add_filters(export)


def _filter(args):
    from simulator.records.attempt import AttemptFilter
    from simulator.records.sitting import SittingFilter

    from simulator.commands.dates import selected_span

    since, until = selected_span(args.since, args.until)
    if args.exams:
        given = [option for option, value in (("--case", args.case), ("--mode", args.mode)) if value is not None]
        if given:
            raise ValueError(f"{' and '.join(given)} select{'s' if len(given) == 1 else ''} attempts; with --exams "
                             "use --trainee, --exam, --since and --until")
        return SittingFilter(candidate_id=args.trainee, exam_id=args.exam, since=since, until=until)
    return AttemptFilter(trainee_id=args.trainee, case_id=args.case, exam_id=args.exam, mode=args.mode, since=since,
                         until=until)


def format_table(attempts) -> str:
    rows = [("Attempt", "Date (UTC)", "Trainee", "Case", "Mode", "Total", "Verdict")]
    for a in attempts:
        total = "-" if a.total is None else f"{a.total:.1f}"
        verdict = "-" if a.passed is None else ("PASS" if a.passed else "FAIL")
        rows.append((a.attempt_id, a.started_at.strftime("%Y-%m-%d %H:%M"), a.trainee_id, a.case_id, a.mode, total,
                     verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.rjust(w) if i == 5 else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             .rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def to_csv(attempts) -> str:
    import csv
    import io

    from simulator.records.attempt import utc_text

    criteria: list[str] = []
    for a in attempts:
        criteria += [c["id"] for c in a.result.get("criteria", []) if c["id"] not in criteria]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["attempt_id", "started_at", "ended_at", "trainee_id", "case_id", "exam_id", "mode", "seed",
                     "station", "software_version", "case_hash", "total", "passed", "critical_errors",
                     *criteria, "signature"])
    for a in attempts:
        points = {c["id"]: c["points"] for c in a.result.get("criteria", [])}
        writer.writerow([a.attempt_id, utc_text(a.started_at), utc_text(a.ended_at), a.trainee_id, a.case_id,
                         a.exam_id or "", a.mode, a.seed, a.station, a.software_version, a.case_hash, a.total,
                         a.passed, len(a.result.get("critical_errors", [])), *(points.get(c, "") for c in criteria),
                         a.signature])
    return out.getvalue()


def to_json(attempts) -> str:
    import json

    from simulator.records.attempt import attempt_to_dict

    data = {"format": EXPORT_FORMAT, "attempts": [attempt_to_dict(a) for a in attempts]}
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def run(args: argparse.Namespace) -> int:
    from simulator.commands import results_sittings as sittings_out
    from simulator.records import RecordError, write_text_atomic
    from simulator.records.store import StoreError, open_store

    try:
        selected = _filter(args)
    except ValueError as exc:
        return _fail(str(exc))
    try:
        with open_store(args.db, args.key) as store:
            if args.exams:
                records = store.find_sittings(selected)
                attempts = sittings_out.attempts_of(store, records) if args.action == "export" else []
            else:
                records = store.find(selected)
    except StoreError as exc:
        return _fail(str(exc))
    if args.action == "list":
        if args.exams:
            print(sittings_out.format_sittings_table(records) if records else "No exam sittings match.")
        else:
            print(format_table(records) if records else "No attempts match.")
        return 0
    if args.exams:
        text = (sittings_out.sittings_to_csv(records) if args.format == "csv"
                else sittings_out.sittings_to_json(records, attempts))
    else:
        text = to_csv(records) if args.format == "csv" else to_json(records)
    try:
        written = write_text_atomic(args.file, text, mode=FILE_MODE, folder_mode=FOLDER_MODE)
    except RecordError as exc:
        return _fail(str(exc))
    what = _plural(len(records), "exam sitting") if args.exams else _plural(len(records), "attempt")
    print(f"Exported {what} to {written}")
    return 0
