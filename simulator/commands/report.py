"""`tpi-sim report --out report.html [--trainee ID | --cohort] [--mode MODE] [--exam ID] [--case CASE] [--since --until] [--db URL]`.

Reads the selected attempts from the attempt store (--db, else TPI_SIM_DB, else the local
SQLite file; --mode keeps practice, assessment or exam attempts apart, since a practice
attempt and an exam case mean different things in a curve) and writes one self-contained HTML page: the exam sittings
(each exam's verdict, with links to its attempts; left out with --mode practice or
assessment), score over time per trainee, the
criteria heat map, the most common critical errors, a CUSUM learning curve per trainee and
case, and the examiners' ratings (docs/reports.md). The file is written atomically and is
group-readable (0640) so the programme's staff can open it. A progress bar goes to stderr
when stderr is a terminal or the report is large. matplotlib is imported only when a report
is built, so `tpi-sim --help` stays fast. Exits 0 with the file written (an empty selection
gives a report that says so), 1 when the store cannot be read or the file cannot be saved,
2 for bad options.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone

from simulator.commands.errors import failing
from simulator.records.attempt import MODES

LARGE_REPORT_CHARTS = 30  # from this many charts (about 6 s of drawing) the bar shows even without a terminal
REPORT_MODE = 0o640


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="REPORT.html", required=True, help="the HTML file to write")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--trainee", metavar="ID", help="one trainee's attempts only")
    who.add_argument("--cohort", action="store_true", help="every trainee's attempts (the default)")
    parser.add_argument("--mode", choices=MODES, help="only attempts made in this mode (default: every mode)")
    parser.add_argument("--exam", metavar="EXAM_ID", help="only attempts made in this exam")
    parser.add_argument("--case", metavar="CASE", help="only attempts at this case id")
    parser.add_argument("--since", metavar="DATE", help="only attempts started on or after DATE (YYYY-MM-DD or ISO time, UTC)")
    parser.add_argument("--until", metavar="DATE", help="only attempts started before the end of DATE (YYYY-MM-DD or ISO time, UTC)")
    parser.add_argument("--db", metavar="URL", help="database URL or SQLite file (default: TPI_SIM_DB, else the local store)")
    cusum = parser.add_argument_group("CUSUM learning curve (docs/reports.md)")
    cusum.add_argument("--p0", type=float, default=0.10, help="acceptable failure rate (default 0.10)")
    cusum.add_argument("--p1", type=float, default=0.20, help="unacceptable failure rate (default 0.20)")
    cusum.add_argument("--alpha", type=float, default=0.10, help="type I error (default 0.10)")
    cusum.add_argument("--beta", type=float, default=0.10, help="type II error (default 0.10)")


def selection_text(args: argparse.Namespace) -> str:
    """The report's selection in words, printed under its title."""
    parts = [f"Trainee {args.trainee}" if args.trainee else "Cohort: all trainees"]
    if args.mode:
        parts.append(f"{args.mode} attempts only")
    if args.exam:
        parts.append(f"exam {args.exam}")
    if args.case:
        parts.append(f"case {args.case}")
    if args.since:
        parts.append(f"from {args.since}")
    if args.until:
        parts.append(f"until {args.until}")
    return "; ".join(parts)


_fail = failing("report")
_bad_option = failing("report", 2, tagged=True)


def run(args: argparse.Namespace) -> int:
    from simulator.commands.dates import selected_span
    from simulator.records import RecordError, write_text_atomic
    from simulator.records.attempt import AttemptFilter
    from simulator.records.store import StoreError, open_store
    from simulator.reports.cusum import CusumMethod

    try:
        since, until = selected_span(args.since, args.until)
        method = CusumMethod(args.p0, args.p1, args.alpha, args.beta)
    except ValueError as exc:
        return _bad_option(str(exc))
    wanted = AttemptFilter(trainee_id=args.trainee, case_id=args.case, exam_id=args.exam, mode=args.mode, since=since,
                           until=until)
    try:
        store = open_store(args.db)
        try:
            attempts = store.find(wanted)
            sittings, sitting_attempts = _sittings(store, args, since, until)
        finally:
            store.close()
    except StoreError as exc:
        return _fail(str(exc))
    page = build_page(attempts, selection_text(args), method, sittings, sitting_attempts)
    try:
        written = write_text_atomic(args.out, page, mode=REPORT_MODE)
    except RecordError as exc:
        return _fail(str(exc))
    print(f"Report of {len(attempts)} attempts written to {written}")
    return 0


def _sittings(store, args: argparse.Namespace, since, until) -> tuple[list | None, list]:
    """The exam sittings the selection covers and the attempts they name: by candidate (--trainee),
    exam and start date; with --case those with an attempt at that case; none with a --mode
    other than exam (None: the section is left out)."""
    from simulator.commands.results_sittings import attempts_of
    from simulator.records.sitting import SittingFilter

    if args.mode not in (None, "exam"):
        return None, []
    sittings = store.find_sittings(SittingFilter(candidate_id=args.trainee, exam_id=args.exam, since=since, until=until))
    attempts = attempts_of(store, sittings)
    if args.case:
        at_case = {a.attempt_id for a in attempts if a.case_id == args.case}
        sittings = [s for s in sittings if at_case.intersection(s.attempt_ids)]
        named = {a for s in sittings for a in s.attempt_ids}
        attempts = [a for a in attempts if a.attempt_id in named]
    return sittings, attempts


def build_page(attempts: list, selection: str, method, sittings: list | None = None,
               sitting_attempts: list = ()) -> str:
    """Summarise and draw, with a progress bar on stderr for a large report or a terminal."""
    from tqdm import tqdm

    from simulator.reports.html import chart_count, render_html
    from simulator.reports.summary import summarize

    data = summarize(attempts, method)
    total = chart_count(data)
    show = total > 0 and (sys.stderr.isatty() or total >= LARGE_REPORT_CHARTS)
    with tqdm(total=total, desc="drawing charts", unit="chart", file=sys.stderr, disable=not show,
              dynamic_ncols=True) as bar:
        return render_html(data, selection, datetime.now(timezone.utc), tick=lambda: bar.update(1), sittings=sittings,
                           sitting_attempts=sitting_attempts)
