"""`tpi-sim replay CASE ACTIONS.jsonl [--seed N] [--out result.json]`: score a recorded attempt.

Runs the timed actions through a fresh Session, prints a table a resident can read
(criterion, points/max, evidence; critical errors; PASS/FAIL) and, with --out, writes the
result JSON atomically. Exits 0 whether the attempt passed or failed: the score is the
output, not an error. Exits 1 only for bad input: a case that does not load (the loader's
`file:line:col` lines), a replay line that does not parse (`file:line: message`), or a
result that cannot be saved. The seed comes from --seed, else the replay header, else 0.
CASE is a case file, or the id of a case in scenarios/.
"""

from __future__ import annotations

import argparse
import sys
import textwrap

from simulator.commands import AGENTS_HELP, failing, open_case_and_replay

EVIDENCE_WIDTH = 72
_fail = failing("replay")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", metavar="CASE", help="a case file, or the id of a shipped case (see scenarios/)")
    parser.add_argument("actions", metavar="ACTIONS.jsonl", help="replay file: one timed action per line")
    parser.add_argument("--agents", metavar="PATH", help=AGENTS_HELP)
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: the replay header's, else 0)")
    parser.add_argument("--out", metavar="RESULT.json", default=None, help="write the result JSON here")


def format_summary(result: dict) -> str:
    """The table printed after a replay (plain text, no colour, so it can be pasted anywhere)."""
    rows = result.get("criteria", [])
    name_width = max([len(r.get("title", r["id"])) for r in rows] + [len("Criterion")])
    lines = [
        f"Case {result.get('case_id')}: {result.get('case_title', '')}  (seed {result.get('seed')})",
        "",
        f"{'Criterion':<{name_width}}  {'Points':>11}  Evidence",
        f"{'-' * name_width}  {'-' * 11}  {'-' * EVIDENCE_WIDTH}",
    ]
    indent = " " * (name_width + 15)
    for row in rows:
        wrapped = textwrap.wrap(row.get("evidence", ""), EVIDENCE_WIDTH) or [""]
        points = f"{row['points']:.1f}/{row['max']:.1f}"
        lines.append(f"{row.get('title', row['id']):<{name_width}}  {points:>11}  {wrapped[0]}")
        lines.extend(indent + more for more in wrapped[1:])
    lines.append("")
    errors = result.get("critical_errors", [])
    if errors:
        lines.append("Critical errors (each fails the attempt):")
        for error in errors:
            body = textwrap.wrap(f"{error['t_s']:.1f} s  {error['type']}: {error['message']}", EVIDENCE_WIDTH + 10)
            lines.append("  - " + body[0])
            lines.extend("    " + more for more in body[1:])
    else:
        lines.append("Critical errors: none")
    verdict = "PASS" if result.get("passed") else "FAIL"
    lines.append(f"Total {result.get('total', 0):.1f}/100 (pass mark {result.get('pass_mark', 0):g}): {verdict}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from simulator.core.session import Session
    from simulator.records import RecordError, write_result

    loaded = open_case_and_replay(args)
    if loaded is None:
        return 1
    case, catalogue, header, timed = loaded
    seed = args.seed if args.seed is not None else int(header.get("seed", 0))
    named = header.get("case")
    if named and named != case.id:
        print(f"note: {args.actions} was recorded for case {named!r}, scoring it against {case.id!r}", file=sys.stderr)
    result = Session(case, catalogue, seed).run(timed)
    print(format_summary(result))
    if args.out:
        try:
            written = write_result(args.out, result)
        except RecordError as exc:
            return _fail(str(exc))
        print(f"Result written to {written}")
    return 0
