"""The report's exam sittings section: each sitting's exam, candidate, date, verdict with its
reasons and resumed cases, and links to its attempts, which are listed below it with anchors.

A programme reads an exam's result from its sitting (records.sitting), not from the attempts of
its cases alone: the verdict follows the exam's pass rule over all of them. So the report shows
the sittings its selection covers next to the charts of attempts. Each sitting row has the
anchor `sitting-<id>`, each of its attempts `attempt-<id>`, so a page can link to either.
Every stored text is HTML-escaped.
"""

from __future__ import annotations

from html import escape


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _attempt_links(sitting, attempts: dict) -> str:
    links = []
    for n, attempt_id in enumerate(sitting.attempt_ids, start=1):
        attempt = attempts.get(attempt_id)
        label = f"case {n}: {escape(attempt.case_id)}" if attempt is not None else f"case {n}: not stored"
        links.append(f"<a href=\"#attempt-{escape(attempt_id)}\">{label}</a>")
    return "<br>".join(links)


def _sitting_row(sitting, attempts: dict) -> str:
    verdict = "PASS" if sitting.passed else "FAIL"
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in sitting.verdict.get("reasons", []))
    mean = "–" if sitting.mean_total is None else f"{sitting.mean_total:.1f}"
    resumed = f"{sitting.cases_resumed} of {len(sitting.attempt_ids)}" if sitting.cases_resumed else "–"
    return (f"<tr id=\"sitting-{escape(sitting.sitting_id)}\" data-candidate=\"{escape(sitting.candidate_id)}\" "
            f"data-exam=\"{escape(sitting.exam_id)}\"><td>{escape(sitting.exam_id)}</td>"
            f"<td>{escape(sitting.candidate_id)}</td><td>{_when(sitting.started_at)}</td>"
            f"<td class=\"verdict\"><span class=\"{'acceptable' if sitting.passed else 'unacceptable'}\">{verdict}</span>"
            f" (mean {mean})<ul class=\"reasons\">{reasons}</ul></td><td class=\"num resumed\">{resumed}</td>"
            f"<td>{_attempt_links(sitting, attempts)}</td></tr>")


def _attempt_row(attempt, sitting) -> str:
    result = attempt.result
    verdict = "passed" if result.get("passed") else "failed"
    return (f"<tr id=\"attempt-{escape(attempt.attempt_id)}\"><td><a href=\"#sitting-{escape(sitting.sitting_id)}\">"
            f"{escape(sitting.exam_id)}</a></td><td>{escape(attempt.trainee_id)}</td><td>{escape(attempt.case_id)}</td>"
            f"<td>{_when(attempt.started_at)}</td><td class=\"num\">{float(result.get('total') or 0.0):.1f} "
            f"({verdict})</td><td><code>{escape(attempt.attempt_id)}</code></td></tr>")


def sittings_section(sittings: list, attempts: list) -> str:
    """The section for `sittings` (oldest first); `attempts` holds the stored attempts they name."""
    head = "<section id=\"sittings\"><h2>Exam sittings</h2>\n"
    if not sittings:
        return head + "<p>No exam sitting in this selection.</p></section>\n"
    by_id = {a.attempt_id: a for a in attempts}
    rows = "".join(_sitting_row(s, by_id) for s in sittings)
    attempt_rows = "".join(_attempt_row(by_id[a], s) for s in sittings for a in s.attempt_ids if a in by_id)
    passed = sum(s.passed for s in sittings)
    return (head + f"<p class=\"note\">{len(sittings)} sitting{'s' if len(sittings) != 1 else ''}, {passed} passed. "
            "The verdict follows the exam's pass rule over all its cases; resumed: how many cases were taken "
            "over from an interrupted run of the exam.</p>\n<table id=\"sitting-table\"><tr><th>Exam</th>"
            "<th>Candidate</th><th>Started</th><th>Verdict and reasons</th><th>Resumed cases</th><th>Attempts</th>"
            f"</tr>{rows}</table>\n<h3>The sittings' attempts</h3>\n<table id=\"sitting-attempts\"><tr><th>Exam</th>"
            f"<th>Candidate</th><th>Case</th><th>Started</th><th>Total</th><th>Attempt</th></tr>{attempt_rows}"
            "</table></section>\n")
