"""A file the programme's staff read (a report) is written group-readable, still in one rename."""

import os
import stat

from simulator.records import write_text_atomic


def test_mode_is_set_before_the_file_appears_whatever_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        path = write_text_atomic(tmp_path / "report.html", "<p>hello</p>", mode=0o640)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_text() == "<p>hello</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_without_a_mode_the_file_stays_the_writers_own(tmp_path):
    path = write_text_atomic(tmp_path / "result.json", "{}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_rewriting_replaces_the_old_permissions(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old")
    target.chmod(0o600)
    write_text_atomic(target, "new", mode=0o640)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() == "new"
