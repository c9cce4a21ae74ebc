"""The preview's file watcher: one report per change, including saves a time stamp alone would miss."""

from __future__ import annotations

import os

from simulator.scenario.watch import FileWatcher


def test_a_save_with_the_same_size_and_time_is_still_a_change(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("thickness_mm: 4\n")
    stamp = os.stat(path).st_mtime_ns
    watcher = FileWatcher([path])
    assert not watcher.poll()
    path.write_text("thickness_mm: 5\n")  # same length
    os.utime(path, ns=(stamp, stamp))  # and the same time stamp
    assert watcher.poll()
    assert not watcher.poll()  # reported once


def test_polls_only_after_the_interval_of_the_callers_clock(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("a\n")
    watcher = FileWatcher([path], interval_s=0.25)
    path.write_text("bb\n")
    assert not watcher.tick(0.1)
    assert not watcher.tick(0.1)
    assert watcher.tick(0.1)  # 0.3 s: looked, and saw it


def test_a_file_that_goes_and_comes_back_is_two_changes(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("a\n")
    watcher = FileWatcher([path, tmp_path / "agents.yaml"])
    path.unlink()
    assert watcher.poll()
    path.write_text("a\n")
    assert watcher.poll()
    (tmp_path / "agents.yaml").write_text("agents: []\n")  # a watched file that did not exist yet
    assert watcher.poll()
