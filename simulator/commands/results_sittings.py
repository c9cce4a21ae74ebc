"""`tpi-sim results list --exams` and `results export --exams`: the exam sittings as a table, CSV or JSON.

One line or row per sitting (records.sitting): its id, date, candidate, exam, how many cases,
the mean total, the verdict and, in the files, the reasons, the attempt ids and the signature.
The JSON carries each sitting whole with its signature and, after them, every attempt the
sittings name, whole and signed, so `tpi-sim verify FILE.json` can check the sittings with
nothing but the file and the key.
"""

from __future__ import annotations

import csv
import io
import json

from simulator.records.attempt import attempt_to_dict, utc_text
from simulator.records.sitting import sitting_to_dict

SITTINGS_FORMAT = "tpi-sim-exam-sittings/1"


def _verdict(sitting) -> str:
    return "PASS" if sitting.passed else "FAIL"


def _mean(sitting) -> str:
    return "-" if sitting.mean_total is None else f"{sitting.mean_total:.1f}"


def format_sittings_table(sittings) -> str:
    """The sittings, one a line, oldest first; a resumed sitting says after how many cases."""
    rows = [("Sitting", "Date (UTC)", "Candidate", "Exam", "Cases", "Mean", "Verdict", "Resumed")]
    for s in sittings:
        rows.append((s.sitting_id, s.started_at.strftime("%Y-%m-%d %H:%M"), s.candidate_id, s.exam_id,
                     str(len(s.attempt_ids)), _mean(s), _verdict(s),
                     f"after {s.cases_resumed}" if s.cases_resumed else "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    right = {4, 5}
    lines = ["  ".join(cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             .rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def sittings_to_csv(sittings) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["sitting_id", "started_at", "ended_at", "candidate_id", "exam_id", "exam_hash", "station",
                     "software_version", "cases", "mean_total", "passed", "reasons", "cases_resumed", "attempt_ids",
                     "signature"])
    for s in sittings:
        writer.writerow([s.sitting_id, utc_text(s.started_at), utc_text(s.ended_at), s.candidate_id, s.exam_id,
                         s.exam_hash, s.station, s.software_version, len(s.attempt_ids), s.mean_total, s.passed,
                         "; ".join(s.verdict.get("reasons", [])), s.cases_resumed, " ".join(s.attempt_ids),
                         s.signature])
    return out.getvalue()


def sittings_to_json(sittings, attempts) -> str:
    data = {"format": SITTINGS_FORMAT, "sittings": [sitting_to_dict(s) for s in sittings],
            "attempts": [attempt_to_dict(a) for a in attempts]}
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def attempts_of(store, sittings) -> list:
    """Every stored attempt the sittings name, in their order (one missing is left out: verify names it)."""
    from simulator.records.store import NotStored

    found = []
    for attempt_id in dict.fromkeys(a for s in sittings for a in s.attempt_ids):
        try:
            found.append(store.get(attempt_id))
        except NotStored:
            pass
    return found
