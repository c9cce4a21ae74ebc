"""What makes a launch quick, seen from outside: the next attempt's seed comes with its tables on
disk, `play CASE` opens the case before loading the rest of the library (which still arrives
whole), and `tpi-sim bench --startup` reports the launch milestones. No timing is asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from simulator import paths
from simulator.cli import build_parser
from simulator.commands import play
from simulator.core.session import Session
from simulator.core.ultrasound import table_cache
from simulator.ui import seed_reserve
from simulator.ui.app import App
from simulator.ui.counsel_topics import library_options

S1 = "s1_upper_trapezius_thin"


def test_the_next_attempt_takes_the_reserved_seed_with_its_tables_ready(library, table_folder):
    cases, catalogue = library
    case = next(c for c in cases if c.id == S1)
    task = seed_reserve.prepare_next_after(Session(case, catalogue, 5), None)
    assert task is not None and task.wait(120) and task.error is None, task and task.error
    assert (table_folder / seed_reserve.FILE_NAME).is_file()
    assert seed_reserve.prepare_next_after(Session(case, catalogue, 5), None) is None  # one reserved at a time
    files = set(table_folder.glob("*.npz"))
    assert files

    seed = seed_reserve.new_seed()
    assert not (table_folder / seed_reserve.FILE_NAME).exists()  # each reserved seed is used once
    Session(case, catalogue, seed).prepare_ultrasound()
    assert set(table_folder.glob("*.npz")) == files, "the reserved seed's tables were not ready"
    Session(case, catalogue, seed_reserve.new_seed()).prepare_ultrasound()  # nothing reserved: a fresh seed
    assert set(table_folder.glob("*.npz")) > files


def test_without_the_disk_cache_nothing_is_reserved(library):
    cases, catalogue = library
    assert table_cache.current_store() is None
    assert seed_reserve.prepare_next_after(Session(cases[0], catalogue, 5), None) is None


def test_an_unreadable_reservation_gives_a_fresh_seed(table_folder):
    table_folder.mkdir(parents=True)
    (table_folder / seed_reserve.FILE_NAME).write_text("{not json", encoding="utf-8")
    assert 0 <= seed_reserve.new_seed() < seed_reserve.SEED_LIMIT


def test_play_case_opens_the_case_first_and_the_whole_library_follows(library, tmp_path):
    cases, _ = library
    config = play.build_config(build_parser().parse_args(["play", S1, "--mute", "--seed", "3"]))
    config.db_url, config.key_file = f"sqlite:///{tmp_path / 'attempts.db'}", tmp_path / "signing.key"
    assert [c.id for c in config.cases] == [S1] and config.more_cases is not None
    app = App(config)
    try:
        assert app.screen.name == "procedure" and app.screen.case.id == S1
        everything = app.complete_library()
        assert everything[0].id == S1 and sorted(c.id for c in everything) == sorted(c.id for c in cases)
        # the counsel dialog offers the topics of the whole library, as before
        assert app.screen.dialogs.options and {o.key for o in app.screen.dialogs.options} == {
            o.key for o in library_options(cases)}
        app.show_picker()
        assert len(app.screen.cases) == len(cases)
    finally:
        app.close()


def _bench(*args, env=None):
    return subprocess.run([sys.executable, "-m", "simulator", "bench", "--startup", *args], capture_output=True,
                          text=True, timeout=900, env={**os.environ, **(env or {})}, cwd=paths.PROJECT_ROOT)


def test_bench_startup_reports_the_three_milestones_of_a_launch(tmp_path):
    done = _bench("--case", "s1", "--launches", "1", env={"TPI_SIM_CACHE_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["bench"] == "startup" and result["cache"] == "warm" and result["launches"] == 1
    assert 0 < result["window_s"] <= result["procedure_s"] <= result["ultrasound_s"]
    assert 0 < result["ultrasound_cpu_s"] and len(result["runs"]) == 1
    assert "first procedure frame with the ultrasound image" in done.stdout
    # the launches kept the tables and reserved the next attempt's seed in the cache folder given
    assert list((tmp_path / "tables").glob("speckle-dense-*.npz"))
    assert (tmp_path / "tables" / seed_reserve.FILE_NAME).is_file()


@pytest.mark.parametrize("args, message", [
    (["--launches", "0"], "--launches must be at least 1"),
    (["--case", "no_such_case_anywhere"], "no case file or shipped case called 'no_such_case_anywhere'"),
])
def test_bench_startup_refuses_bad_arguments(args, message):
    done = _bench(*args)
    assert done.returncode == 2 and message in done.stderr


def test_bench_launches_use_the_bytecode_cache_like_an_installed_trainer(tmp_path, monkeypatch):
    from simulator.ui.startup_bench import launch_env

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")  # a development shell's setting
    for cold in (False, True):
        env = launch_env(tmp_path / "milestones.jsonl", tmp_path, cold)
        child = subprocess.run([sys.executable, "-c", "import sys; print(sys.dont_write_bytecode)"],
                               env=env, capture_output=True, text=True, check=True)
        assert child.stdout.strip() == "False"
        assert env["TPI_SIM_STARTUP_LOG"] == str(tmp_path / "milestones.jsonl")
        assert ("NUMBA_CACHE_DIR" in env) == cold
