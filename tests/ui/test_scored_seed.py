"""A scored attempt's seed is drawn when the attempt starts, never the one reserved a launch ahead:
that seed (and its tables) sat in the user cache folder before the attempt, where a candidate could
study its speckle. Practice keeps taking the reserved seed, whose tables are ready."""

from __future__ import annotations

import json
from contextlib import contextmanager

from simulator.cli import build_parser
from simulator.commands import play
from simulator.ui import seed_reserve
from simulator.ui.app import App

S1 = "s1_upper_trapezius_thin"
RESERVED_SEED = 424242


@contextmanager
def _opened(tmp_path, *mode_args):
    """`tpi-sim play S1 ...` as launched (the window's first attempt chooses its seed on opening)."""
    config = play.build_config(build_parser().parse_args(["play", S1, "--mute", *mode_args]))
    config.db_url, config.key_file = f"sqlite:///{tmp_path / 'attempts.db'}", tmp_path / "signing.key"
    app = App(config)
    try:
        yield app
    finally:
        app.close()


def _reserve(table_folder) -> str:
    table_folder.mkdir(parents=True, exist_ok=True)
    note = table_folder / seed_reserve.FILE_NAME
    note.write_text(json.dumps({"seed": RESERVED_SEED}), encoding="utf-8")
    return note.read_text(encoding="utf-8")


def test_an_assessment_attempt_draws_a_fresh_seed_and_leaves_the_reserve(table_folder, tmp_path):
    before = _reserve(table_folder)
    with _opened(tmp_path, "--mode", "assessment", "--trainee", "res-01") as app:
        assert app.screen.name == "procedure" and app.screen.mode == "assessment"
        assert app.screen.seed != RESERVED_SEED and app.screen.session.seed == app.screen.seed
        assert (table_folder / seed_reserve.FILE_NAME).read_text(encoding="utf-8") == before
        app.start_case(app.screen.case, "assessment", "res-01")  # a retry: fresh again, reserve untouched
        assert app.screen.seed != RESERVED_SEED
        assert (table_folder / seed_reserve.FILE_NAME).read_text(encoding="utf-8") == before


def test_a_practice_attempt_still_takes_the_reserved_seed(table_folder, tmp_path):
    _reserve(table_folder)
    with _opened(tmp_path) as app:
        assert app.screen.mode == "practice" and app.screen.seed == RESERVED_SEED
        assert not (table_folder / seed_reserve.FILE_NAME).exists()  # used once


def test_after_practice_took_it_an_assessment_from_the_picker_is_fresh_too(table_folder, tmp_path):
    _reserve(table_folder)
    with _opened(tmp_path) as app:
        app.show_picker()
        before = _reserve(table_folder)  # the next reservation, made while practising
        app.start_case(app.config.cases[0], "assessment", "res-01")
        assert app.screen.seed != RESERVED_SEED
        assert (table_folder / seed_reserve.FILE_NAME).read_text(encoding="utf-8") == before
