"""The report's exam sittings (SQLite and PostgreSQL): each sitting's exam, candidate, date, verdict
with its reasons, resumed cases and links to its attempts, read from the HTML as a browser parses it."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from simulator.records.store import open_store
from tests.cli_run import run_cli
from tests.records.sittings import EXAM_ID, START, case_attempts, sitting_of, three_case_exam
from tests.reports.page import Page


class Rows(HTMLParser):
    """Each <tr id=...>: its cells' text and the links in it; and every id on the page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: dict[str, dict] = {}
        self.ids: set[str] = set()
        self._row: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "tr" and attrs.get("id"):
            self._row = self.rows[attrs["id"]] = {"cells": [], "links": []}
        elif self._row is not None and tag == "td":
            self._row["cells"].append("")
        elif self._row is not None and tag == "a":
            self._row["links"].append(attrs.get("href"))
        elif self._row is not None and tag in ("li", "br") and self._row["cells"]:
            self._row["cells"][-1] += " | "

    def handle_endtag(self, tag):
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._row is not None and self._row["cells"]:
            self._row["cells"][-1] += data


@pytest.fixture
def sittings_store(database_url, key_file, tmp_path):
    """Two sittings of the three-case exam: cand-1 passed it whole; cand-2 failed it after resuming."""
    loaded = three_case_exam(tmp_path)
    kept = {}
    with open_store(database_url, key_file) as store:
        for candidate, kinds, resumed in (("cand-1", ("expert",) * 3, 0),
                                          ("cand-2", ("expert", "novice-no-consent", "expert"), 1)):
            attempts = case_attempts(candidate, kinds, START if candidate == "cand-1" else START.replace(hour=13))
            for done in attempts[:2]:
                store.save(done)
            kept[candidate] = (store.save_sitting(sitting_of(loaded, candidate, attempts, cases_resumed=resumed),
                                                  last_attempt=attempts[2]), attempts)
    return kept


def report(database_url, key_file, tmp_path, *options) -> str:
    out = tmp_path / "report.html"
    code, _, stderr = run_cli("report", "--out", str(out), "--db", database_url, *options)
    assert code == 0, stderr
    return out.read_text(encoding="utf-8")


def test_the_report_lists_each_sitting_with_its_verdict_reasons_and_links_to_its_attempts(
        sittings_store, database_url, key_file, tmp_path):
    html = report(database_url, key_file, tmp_path)
    page, rows = Page(html), Rows(html)
    assert "sittings" in page.ids and "sitting-table" in page.ids
    (passed, _), (failed, failed_attempts) = sittings_store["cand-1"], sittings_store["cand-2"]
    good, bad = rows.rows[f"sitting-{passed.sitting_id}"], rows.rows[f"sitting-{failed.sitting_id}"]
    assert good["cells"][:3] == [EXAM_ID, "cand-1", "2026-12-02 09:00 UTC"]
    assert good["cells"][3].startswith("PASS (mean ") and good["cells"][4] == "–"
    assert bad["cells"][:3] == [EXAM_ID, "cand-2", "2026-12-02 13:00 UTC"]
    assert bad["cells"][3].startswith("FAIL (mean ") and bad["cells"][4] == "1 of 3"
    for reason in failed.verdict["reasons"]:
        assert f"| {reason}" in bad["cells"][3]
    assert failed.verdict["reasons"]  # a failed sitting says why
    assert bad["links"] == [f"#attempt-{a.attempt_id}" for a in failed_attempts]
    for link in good["links"] + bad["links"]:  # every link lands on its attempt's row, which links back
        target = rows.rows[link[1:]]
        assert target["links"][0] in (f"#sitting-{passed.sitting_id}", f"#sitting-{failed.sitting_id}")
    second = rows.rows[f"attempt-{failed_attempts[1].attempt_id}"]
    assert second["cells"][1:3] == ["cand-2", failed_attempts[1].case_id] and second["cells"][4].endswith("(failed)")
    assert html.index('id="sittings"') < html.index('id="scores"')  # the exams' verdicts come first


def test_the_selection_applies_to_the_sittings(sittings_store, database_url, key_file, tmp_path):
    (passed, _), (failed, _) = sittings_store["cand-1"], sittings_store["cand-2"]
    one = Rows(report(database_url, key_file, tmp_path, "--trainee", "cand-2"))
    assert f"sitting-{failed.sitting_id}" in one.rows and f"sitting-{passed.sitting_id}" not in one.rows
    later = Rows(report(database_url, key_file, tmp_path, "--since", "2026-12-02T12:00"))
    assert [r for r in later.rows if r.startswith("sitting-")] == [f"sitting-{failed.sitting_id}"]
    practice = report(database_url, key_file, tmp_path, "--mode", "practice")
    assert 'id="sittings"' not in practice  # practice attempts only: no exams in this report
    none = report(database_url, key_file, tmp_path, "--exam", "another-exam")
    assert "No attempts match this selection." in none and 'id="sittings"' not in none
