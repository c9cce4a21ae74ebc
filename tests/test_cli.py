"""The command line itself: --version, unknown commands and help texts, as a user meets them."""

from __future__ import annotations

import re
import tomllib

import pytest

from simulator import paths
from simulator.cli import COMMANDS, build_parser
from tests.cli_run import run_cli




def test_version_prints_the_packaged_version():
    project = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    code, out, err = run_cli("--version")
    assert (code, out, err) == (0, f"tpi-sim {project['version']}\n", "")


def test_misspelt_command_is_refused_with_a_suggestion():
    code, out, err = run_cli("valdate", "scenarios/")
    assert code == 2 and out == ""
    assert err.startswith("tpi-sim: error: unknown command 'valdate' (did you mean 'validate'?)")
    assert "commands: play, validate" in err


def test_a_word_like_no_command_is_refused_without_a_guess():
    code, _, err = run_cli("zzzz")
    assert code == 2
    assert "unknown command 'zzzz', and no case file or case id of that name" in err
    assert "did you mean" not in err


def test_an_existing_case_id_or_file_still_means_play(monkeypatch):
    # `tpi-sim CASE` is short for `tpi-sim play CASE`: without a display it gets as far as the window.
    monkeypatch.delenv("SDL_VIDEODRIVER", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    for case in ("s1_upper_trapezius_thin", str(paths.SCENARIOS_DIR / "s1_upper_trapezius_thin.yaml")):
        code, _, err = run_cli(case)
        assert code == 1
        assert err.startswith("tpi-sim play: no display found"), err


def _help(command: str) -> str:
    parser = build_parser()
    if command:
        parser = parser._subparsers._group_actions[0].choices[command]
    return parser.format_help()


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_texts_have_no_dangling_references(command):
    text = " ".join(_help(command).split())
    assert not re.search(r"see (above|below)", text), text


def test_validate_help_names_the_default_catalogue():
    text = " ".join(_help("validate").split())
    assert "default: an agents.yaml beside each case, else the shipped catalogue" in text
