"""The HTML report: every plot is there with its points, cells, bars and limits; the page stands alone."""

import re
from datetime import datetime, timezone

import pytest

from simulator.reports.cusum import CusumMethod
from simulator.reports.html import chart_count, render_html
from simulator.reports.summary import summarize
from tests.reports.cohort import CASES, cohort, series
from tests.reports.page import Page

MADE = datetime(2026, 12, 2, 9, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def cohort_report():
    data = summarize(cohort())
    ticks = []
    html = render_html(data, "Cohort: all trainees", MADE, tick=lambda: ticks.append(1))
    return data, Page(html), len(ticks)


def test_cohort_report_has_each_plot_once_per_trainee_and_curve(cohort_report):
    data, page, ticks = cohort_report
    assert page.svgs == chart_count(data) == ticks == 5 + 1 + 1 + 15
    for section in ("scores", "criteria", "errors", "cusum", "ratings", "summary"):
        assert section in page.ids


def test_score_charts_draw_one_marker_per_attempt(cohort_report):
    data, page, _ = cohort_report
    for n, (trainee, points) in enumerate(data.scores.items()):
        passed = sum(p.passed for p in points)
        assert page.markers(f"score-{n}-passed") == passed, trainee
        assert page.markers(f"score-{n}-failed") == len(points) - passed, trainee
        assert page.drawn(f"score-{n}-pass-mark", "path") == 1
        cases_tried = {p.case_id for p in points}
        assert len(page.ids_starting(f"score-{n}-line-")) == len(cases_tried)
    assert 'data-trainee="chen.li"' in page.html


def test_heat_map_has_a_cell_per_trainee_and_criterion_labelled_in_per_cent(cohort_report):
    data, page, _ = cohort_report
    rows, cols = len(data.heat_map.trainees), len(data.heat_map.criteria)
    assert (rows, cols) == (5, 8)
    cells = page.ids_starting("heat-cell-")
    assert len(cells) == rows * cols
    assert all(page.drawn(cell, "path") == 1 for cell in cells)
    dara = data.heat_map.trainees.index("dara.nolan")  # every attempt an expert one: full marks throughout
    assert data.heat_map.shares[dara] == (1.0,) * cols
    for _, title in data.heat_map.criteria:
        assert f">{title}<" in page.html.replace("&amp;", "&")
    assert ">100%<" in page.html


def test_errors_chart_has_a_bar_per_error_kind_and_the_table_the_counts(cohort_report):
    data, page, _ = cohort_report
    shown = data.errors[:10]
    assert len(page.ids_starting("errors-bar-")) == len(shown)
    assert all(page.drawn(f"errors-bar-{k}", "path") == 1 for k in range(len(shown)))
    table = page.html[page.html.index('id="error-table"'):]
    first = shown[0]
    assert re.search(rf"<td>{first.label}</td><td><code>{first.type}</code></td><td class=\"num\">{first.attempts}</td>", table)


def test_cusum_section_states_the_method_and_its_numbers(cohort_report):
    _, page, _ = cohort_report
    method = page.html[page.html.index('id="cusum-method"'):page.html.index('id="cusum-table"')]
    for text in ("p0 = 0.1", "p1 = 0.2", "&alpha; = 0.1", "&beta; = 0.1", "s = Q/(P+Q) = 0.1452",
                 "= 2.7095</b>", "Kestin 1995"):
        assert text in method, text


def test_cusum_charts_draw_the_curve_limits_and_decisions(cohort_report):
    data, page, _ = cohort_report
    for n, learning in enumerate(data.curves):
        curve = learning.curve
        assert page.drawn(f"cusum-{n}-curve", "use") == curve.attempts + 1  # a point per attempt and the start
        assert len(page.ids_starting(f"cusum-{n}-h1-")) == len(curve.limits) == len(page.ids_starting(f"cusum-{n}-h0-"))
        assert page.markers(f"cusum-{n}-decisions") == len(curve.decisions)
    chen = next(n for n, lc in enumerate(data.curves) if (lc.trainee_id, lc.case_id) == ("chen.li", CASES[0]))
    assert page.markers(f"cusum-{chen}-decisions") == 1  # five failures: unacceptable at the fourth
    row = re.search(r'<tr data-trainee="chen.li" data-case="s1_upper_trapezius_thin">(.*?)</tr>', page.html).group(1)
    assert '<span class="unacceptable">unacceptable</span> at attempt 4' in row
    assert ">+4.274<" in row  # 5 x 0.8548
    dara = re.search(r'<tr data-trainee="dara.nolan" data-case="s1_upper_trapezius_thin">(.*?)</tr>', page.html).group(1)
    assert '<span class="acceptable">acceptable</span> at attempt 19' in dara


def test_ratings_and_comments_appear_escaped(cohort_report):
    _, page, _ = cohort_report
    table = page.html[page.html.index('id="rating-table"'):]
    assert "Calm, tidy &amp; safe &lt;good&gt; technique." in table
    assert "Dr R. Examiner" in table and "Lost the needle tip" in table
    assert "<good>" not in page.html


def test_page_needs_nothing_from_the_network(cohort_report):
    _, page, _ = cohort_report
    html = page.html
    assert "<script" not in html and "<link" not in html and "<img" not in html and "@import" not in html
    outside = set(re.findall(r"https?://[^\s\"')]+", html))
    assert outside <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}  # XML namespace names only
    assert not re.search(r'(?:href|src)="(?!#)', html)


def test_one_trainee_report():
    attempts = series("solo", CASES[0], "FFPPP") + series("solo", CASES[1], "PFP")
    data = summarize(attempts)
    page = Page(render_html(data, "Trainee solo", MADE))
    assert page.svgs == 1 + 1 + 1 + 2
    assert page.markers("score-0-passed") == 5 and page.markers("score-0-failed") == 3
    assert len(page.ids_starting("heat-cell-0-")) == len(data.heat_map.criteria)
    assert not page.ids_starting("heat-cell-1-")
    assert "Trainee solo" in page.html and "No examiner has rated an attempt" in page.html


def test_an_empty_selection_says_so_without_charts():
    page = Page(render_html(summarize([]), "Trainee nobody", MADE))
    assert page.svgs == 0 and "No attempts match this selection." in page.html


def test_same_attempts_same_page():
    attempts = series("solo", CASES[0], "FPP")
    first = render_html(summarize(attempts), "x", MADE)
    assert render_html(summarize(list(reversed(attempts))), "x", MADE) == first


def test_another_method_is_stated_and_used():
    data = summarize(series("solo", CASES[0], "P" * 9), CusumMethod(p0=0.15, p1=0.30, alpha=0.05, beta=0.20))
    html = render_html(data, "x", MADE)
    assert "p0 = 0.15" in html and "&beta; = 0.2" in html and "acceptable</span> at attempt 9" in html


def test_attempts_in_one_sitting_get_an_hour_either_side_not_years():
    from tests.reports.cohort import START, attempt

    same = [attempt("solo", CASES[0], "expert", START), attempt("solo", CASES[0], "novice-pleura", START)]
    html = render_html(summarize(same), "x", MADE)
    chart = html[html.index('data-trainee="solo"'):html.index('id="criteria"')]
    assert ">08:00<" in chart and ">10:00<" in chart  # the attempts started at 09:00
    assert ">2025<" not in chart and ">2027<" not in chart
