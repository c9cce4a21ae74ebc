"""The programme's report as one self-contained HTML page: inline CSS and inline SVG charts.

Nothing is fetched when the page is opened (no scripts, fonts or images from elsewhere), so
it can be mailed, archived and read offline. Every text that comes from a stored attempt
(trainee ids, comments, messages) is HTML-escaped. `render_html` calls `tick()` once per chart
so the command can show progress on a large report (`chart_count` says how many there are).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from simulator import __version__
from simulator.reports import charts
from simulator.reports.cusum import ACCEPTABLE, UNACCEPTABLE
from simulator.reports.sittings_html import sittings_section
from simulator.reports.summary import ReportData

TOP_ERRORS = 10
RATING_COLUMNS = ("respect_for_tissue", "time_and_motion", "instrument_handling", "knowledge_of_procedure", "flow",
                  "overall")

CSS = """
body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 0 auto; max-width: 1240px; padding: 16px 24px;
       color: #212121; background: #fafafa; font-size: 14px; }
h1 { font-size: 24px; margin: 8px 0 4px; } h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid #1565c0; }
h3 { font-size: 15px; margin: 4px 0; }
.meta { color: #555; margin: 2px 0; }
.stats { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.stat { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; }
.stat b { display: block; font-size: 20px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 12px; }
.cusum-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(400px, 1fr)); gap: 10px; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px 10px; overflow: hidden; }
.card svg, .figure svg { max-width: 100%; height: auto; }
.figure { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px; overflow-x: auto; }
table { border-collapse: collapse; background: #fff; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eceff1; } td.num { text-align: right; }
.method { background: #fff; border-left: 4px solid #1565c0; padding: 8px 14px; margin: 8px 0; }
.acceptable { color: #2e7d32; font-weight: bold; } .unacceptable { color: #c62828; font-weight: bold; }
.undecided { color: #616161; } .note { color: #555; font-size: 13px; }
ul.reasons { margin: 2px 0 0; padding-left: 18px; color: #424242; font-size: 13px; }
"""


def chart_count(data: ReportData) -> int:
    """How many charts `render_html` draws for `data` (the length of its progress bar)."""
    if not data.attempts:
        return 0
    return len(data.scores) + 1 + (1 if data.errors else 0) + len(data.curves)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _header(data: ReportData, selection: str, generated_at: datetime) -> str:
    rate = "–" if data.pass_rate is None else f"{100 * data.pass_rate:.0f}%"
    stats = [("attempts", str(data.attempts)), ("trainees", str(len(data.trainees))), ("cases", str(len(data.cases))),
             ("passed", rate)]
    boxes = "".join(f'<div class="stat"><b>{value}</b>{name}</div>' for name, value in stats)
    return (f"<h1>TPI Sim programme report</h1>\n<p class=\"meta\">{escape(selection)}</p>\n"
            f"<p class=\"meta\">Made {_when(generated_at)} by tpi-sim {escape(__version__)}.</p>\n"
            f"<div class=\"stats\" id=\"summary\">{boxes}</div>\n")


def _scores(data: ReportData, case_ids: list[str], tick: Callable[[], None]) -> str:
    cards = []
    for n, (trainee, points) in enumerate(data.scores.items()):
        passed = sum(p.passed for p in points)
        svg = charts.score_chart(f"score-{n}", points, case_ids, data.pass_mark)
        tick()
        cards.append(f'<div class="card" data-trainee="{escape(trainee)}"><h3>{escape(trainee)}</h3>'
                     f'<p class="note">{len(points)} attempts, {passed} passed; best {max(p.total for p in points):.1f}, '
                     f'latest {points[-1].total:.1f}</p>{svg}</div>')
    mark = f" The dashed line is the pass mark ({data.pass_mark:g})." if data.pass_mark is not None else ""
    return ("<section id=\"scores\"><h2>Score over time</h2>\n<p class=\"note\">Each attempt's total out of 100 by the "
            "date it started, coloured by case; a dot passed, a cross failed (below the pass mark or a critical "
            f"error).{mark}</p>\n<div class=\"grid\">{''.join(cards)}</div></section>\n")


def _heat(data: ReportData, tick: Callable[[], None]) -> str:
    svg = charts.heat_map_chart("heat", data.heat_map)
    tick()
    return ("<section id=\"criteria\"><h2>Criteria across the cohort</h2>\n<p class=\"note\">Each cell is a trainee's "
            "mean share of the points a criterion is worth, over all their attempts in this report (100% = full marks "
            "every time); dark cells are few points, yellow ones full marks. A dash: no attempt of theirs was "
            "scored on it.</p>\n"
            f"<div class=\"figure\">{svg}</div></section>\n")


def _errors(data: ReportData, tick: Callable[[], None]) -> str:
    head = "<section id=\"errors\"><h2>Most common critical errors</h2>\n"
    if not data.errors:
        return head + "<p>No attempt in this report had a critical error.</p></section>\n"
    top = data.errors[:TOP_ERRORS]
    svg = charts.errors_chart("errors", top, data.attempts)
    tick()
    rows = "".join(f"<tr><td>{escape(e.label)}</td><td><code>{escape(e.type)}</code></td><td class=\"num\">{e.attempts}"
                   f"</td><td class=\"num\">{e.trainees}</td><td>{escape(e.example)}</td></tr>" for e in top)
    more = f"<p class=\"note\">{len(data.errors) - TOP_ERRORS} rarer kinds are not shown.</p>" if len(data.errors) > TOP_ERRORS else ""
    return (head + "<p class=\"note\">A critical error fails the attempt whatever its total. Counted once per attempt."
            f"</p>\n<div class=\"figure\">{svg}</div>\n<table id=\"error-table\"><tr><th>Error</th><th>Type</th>"
            f"<th>Attempts</th><th>Trainees</th><th>What the trainee was told</th></tr>{rows}</table>{more}</section>\n")


def _method(data: ReportData) -> str:
    m = data.method
    return (f"<div class=\"method\" id=\"cusum-method\"><p><b>Method:</b> the standard CUSUM for procedural competence "
            f"(Kestin 1995; reviewed by Biau et al. 2007). An attempt is a failure when it did not pass. Acceptable "
            f"failure rate <b>p0 = {m.p0:g}</b>, unacceptable failure rate <b>p1 = {m.p1:g}</b>, "
            f"<b>&alpha; = {m.alpha:g}</b> (chance of calling an acceptable trainee unacceptable), "
            f"<b>&beta; = {m.beta:g}</b> (chance of calling an unacceptable trainee acceptable). With "
            f"P = ln(p1/p0) and Q = ln((1&minus;p0)/(1&minus;p1)): <b>s = Q/(P+Q) = {m.s:.4f}</b>, "
            f"<b>h0 = ln((1&minus;&alpha;)/&beta;)/(P+Q) = {m.h0:.4f}</b>, "
            f"<b>h1 = ln((1&minus;&beta;)/&alpha;)/(P+Q) = {m.h1:.4f}</b>.</p>"
            f"<p><b>How to read it:</b> the curve starts at 0, falls by s = {m.s:.3f} for each pass and rises by "
            f"1 &minus; s = {1 - m.s:.3f} for each failure. Crossing the green dashed line (h0 below the start) shows "
            f"an acceptable failure rate: about {m.h0 / m.s:.0f} passes in a row from the start. Crossing the red dashed "
            f"line (h1 above) shows an unacceptable one. After each crossing (a circle) the test starts again from that "
            f"point with new limits. Between the lines: not enough attempts to decide yet.</p></div>\n")


def _decision_text(curve) -> str:
    if not curve.decisions:
        return "none yet"
    parts = [f"<span class=\"{d.kind}\">{d.kind}</span> at attempt {d.attempt_no}" for d in curve.decisions]
    return "; ".join(parts)


def _curves(data: ReportData, tick: Callable[[], None]) -> str:
    rows = "".join(
        f"<tr data-trainee=\"{escape(lc.trainee_id)}\" data-case=\"{escape(lc.case_id)}\"><td>{escape(lc.trainee_id)}"
        f"</td><td>{escape(lc.case_id)}</td><td class=\"num\">{lc.curve.attempts}</td><td class=\"num\">"
        f"{lc.curve.failures}</td><td class=\"num\">{lc.curve.values[-1]:+.3f}</td>"
        f"<td class=\"verdict\"><span class=\"{lc.curve.verdict}\">{lc.curve.verdict}</span></td>"
        f"<td>{_decision_text(lc.curve)}</td></tr>" for lc in data.curves)
    groups: dict[str, list[str]] = {}
    for n, lc in enumerate(data.curves):
        svg = charts.cusum_chart(f"cusum-{n}", lc)
        tick()
        groups.setdefault(lc.trainee_id, []).append(
            f"<div class=\"card\" data-trainee=\"{escape(lc.trainee_id)}\" data-case=\"{escape(lc.case_id)}\">{svg}</div>")
    blocks = "".join(f"<h3>{escape(t)}</h3><div class=\"cusum-grid\">{''.join(cards)}</div>" for t, cards in groups.items())
    counts = {kind: sum(lc.curve.verdict == kind for lc in data.curves) for kind in (ACCEPTABLE, UNACCEPTABLE)}
    return ("<section id=\"cusum\"><h2>Learning curves (CUSUM) per trainee and case</h2>\n" + _method(data) +
            f"<p class=\"note\">{counts[ACCEPTABLE]} of {len(data.curves)} trainee-case curves stand at acceptable, "
            f"{counts[UNACCEPTABLE]} at unacceptable (the latest decision).</p>"
            "<table id=\"cusum-table\"><tr><th>Trainee</th><th>Case</th><th>Attempts</th><th>Failed</th>"
            f"<th>CUSUM now</th><th>Standing</th><th>Decisions</th></tr>{rows}</table>\n{blocks}</section>\n")


def _ratings(data: ReportData) -> str:
    head = "<section id=\"ratings\"><h2>Examiners' global ratings</h2>\n"
    if not data.ratings:
        return head + "<p>No examiner has rated an attempt in this report yet.</p></section>\n"
    names = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in RATING_COLUMNS)
    rows = []
    for r in data.ratings:
        cells = "".join(f"<td class=\"num\">{r.scores.get(c, '–')}</td>" for c in RATING_COLUMNS)
        verdict = "passed" if r.passed else "failed"
        rows.append(f"<tr><td>{escape(r.trainee_id)}</td><td>{escape(r.case_id)}</td><td>{_when(r.started_at)}</td>"
                    f"<td class=\"num\">{r.total:.1f} ({verdict})</td><td>{escape(r.examiner)}</td>{cells}"
                    f"<td>{escape(r.comment)}</td></tr>")
    return (head + "<p class=\"note\">OSATS-style global rating, 1 (poor) to 5 (excellent) on each domain, with the "
            "examiner's comment, as attached to the attempt.</p>\n<table id=\"rating-table\"><tr><th>Trainee</th>"
            f"<th>Case</th><th>Attempt started</th><th>Total</th><th>Examiner</th>{names}<th>Comment</th></tr>"
            f"{''.join(rows)}</table></section>\n")


def render_html(data: ReportData, selection: str, generated_at: datetime,
                tick: Callable[[], None] = lambda: None, sittings: list | None = None,
                sitting_attempts: list = ()) -> str:
    """The whole page. `selection` says in words which attempts the report covers; `sittings` the
    exam sittings it covers (None: the selection leaves exams out) and `sitting_attempts` their attempts."""
    body = _header(data, selection, generated_at)
    exams = sittings_section(sittings, list(sitting_attempts)) if sittings is not None and (
        sittings or data.attempts) else ""
    if not data.attempts:
        body += exams + "<p id=\"empty\">No attempts match this selection.</p>\n"
    else:
        case_ids = [case_id for case_id, _ in data.cases]
        cases = "".join(f"<li><code>{escape(c)}</code>: {escape(t)}</li>" for c, t in data.cases)
        body += f"<p class=\"meta\">Cases:</p><ul class=\"meta\">{cases}</ul>\n" + exams
        body += _scores(data, case_ids, tick) + _heat(data, tick) + _errors(data, tick) + _curves(data, tick)
        body += _ratings(data)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>TPI Sim programme report</title><style>{CSS}</style></head>\n<body>\n{body}</body></html>\n")
