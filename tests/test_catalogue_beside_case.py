"""A catalogue beside a case (agents.yaml in its folder) or `--agents FILE` counts in every
command that loads a case, so a case that validates also renders and replays."""

from __future__ import annotations

import json
import shutil

import pytest

from simulator import paths
from simulator.cli import main

CASE = paths.SCENARIOS_DIR / "s1_upper_trapezius_thin.yaml"
EXPERT = paths.REPLAYS_DIR / "s1_upper_trapezius_thin.expert.jsonl"
NEW_AGENT = "lidocaine_0_5_local"


def _catalogue_with_new_agent() -> str:
    """The shipped catalogue plus one agent, a copy of lidocaine_0_5 under a new id."""
    text = paths.AGENTS_FILE.read_text(encoding="utf-8")
    start = text.index("  - id: lidocaine_0_5\n")
    end = text.index("  - id: lidocaine_1\n")
    return text + "\n" + text[start:end].replace("id: lidocaine_0_5", f"id: {NEW_AGENT}", 1)


@pytest.fixture
def own_case(tmp_path):
    """A folder holding a case that prefers the new agent; no catalogue beside it yet."""
    folder = tmp_path / "cases"
    folder.mkdir()
    text = CASE.read_text(encoding="utf-8")
    assert "    - agent: lidocaine_1\n" in text
    case = folder / CASE.name
    case.write_text(text.replace("    - agent: lidocaine_1\n", f"    - agent: {NEW_AGENT}\n"), encoding="utf-8")
    shutil.copy(paths.SCHEMA_FILE, folder / paths.SCHEMA_FILE.name)
    return case


def test_without_its_catalogue_the_case_is_refused(own_case, tmp_path, capsys):
    assert main(["render", str(own_case), "--out", str(tmp_path / "f.png"), "--size", "64"]) == 2
    assert f"unknown agent '{NEW_AGENT}'" in capsys.readouterr().err
    assert main(["replay", str(own_case), str(EXPERT)]) == 1
    assert f"unknown agent '{NEW_AGENT}'" in capsys.readouterr().err


def test_render_uses_the_catalogue_beside_the_case(own_case, tmp_path, capsys):
    (own_case.parent / "agents.yaml").write_text(_catalogue_with_new_agent(), encoding="utf-8")
    out = tmp_path / "frame.png"
    assert main(["render", str(own_case), "--out", str(out), "--size", "64"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert capsys.readouterr().out.startswith(f"wrote {out}: s1_upper_trapezius_thin")


def test_replay_uses_the_catalogue_beside_the_case(own_case, tmp_path, capsys):
    (own_case.parent / "agents.yaml").write_text(_catalogue_with_new_agent(), encoding="utf-8")
    result = tmp_path / "r.json"
    assert main(["replay", str(own_case), str(EXPERT), "--out", str(result)]) == 0
    assert ": PASS" in capsys.readouterr().out
    assert json.loads(result.read_text())["passed"] is True


def test_agents_option_names_a_catalogue_elsewhere(own_case, tmp_path, capsys):
    elsewhere = tmp_path / "my_agents.yaml"
    elsewhere.write_text(_catalogue_with_new_agent(), encoding="utf-8")
    assert main(["replay", str(own_case), str(EXPERT), "--agents", str(elsewhere)]) == 0
    assert ": PASS" in capsys.readouterr().out
    assert main(["render", str(own_case), "--agents", str(elsewhere), "--out", str(tmp_path / "f.png"),
                 "--size", "64"]) == 0
    assert main(["validate", str(own_case), "--agents", str(elsewhere)]) == 0


def test_a_broken_catalogue_is_reported_at_its_own_lines(own_case, tmp_path, capsys):
    broken = tmp_path / "agents.yaml"
    broken.write_text("schema_version: 1\nagents: []\n", encoding="utf-8")
    assert main(["replay", str(own_case), str(EXPERT), "--agents", str(broken)]) == 1
    assert f"{broken}:2:9: agents: needs at least 1 item, got 0" in capsys.readouterr().err


def test_play_offers_the_case_with_its_own_catalogue(own_case):
    from simulator.cli import build_parser
    from simulator.commands.play import build_config

    (own_case.parent / "agents.yaml").write_text(_catalogue_with_new_agent(), encoding="utf-8")
    config = build_config(build_parser().parse_args(["play", str(own_case)]))
    assert [case.id for case in config.cases] == ["s1_upper_trapezius_thin"]  # shipped cases use another catalogue
    assert config.more_cases is None  # ... so none follow either
    assert NEW_AGENT in [agent.id for agent in config.catalogue.agents]
    shipped = build_config(build_parser().parse_args(["play", str(CASE)]))
    library = shipped.cases + shipped.more_cases()  # the rest of the library is loaded once the case is open
    assert len(library) > 1 and NEW_AGENT not in [agent.id for agent in shipped.catalogue.agents]


def test_a_case_beside_its_own_catalogue_validates_though_the_schema_lists_only_shipped_ids(own_case, capsys):
    assert NEW_AGENT not in (own_case.parent / paths.SCHEMA_FILE.name).read_text(encoding="utf-8")
    assert main(["validate", str(own_case)]) == 1
    assert f"agent_policy.preferred[1].agent: unknown agent '{NEW_AGENT}'" in capsys.readouterr().err
    (own_case.parent / "agents.yaml").write_text(_catalogue_with_new_agent(), encoding="utf-8")
    assert main(["validate", str(own_case)]) == 0
    assert capsys.readouterr() == (f"ok {own_case}\n", "")


def test_preview_follows_the_catalogue_beside_the_case(own_case):
    """The preview checks the case against the catalogue beside it and watches that file too:
    the case loads once the catalogue appears, and a catalogue saved without the agent shows why."""
    import pygame

    from simulator.ui.preview import PreviewWindow

    pygame.display.init()
    pygame.font.init()
    window = PreviewWindow(own_case, None, pygame.Surface((900, 500)))
    assert window.loaded is None
    assert any(f"unknown agent '{NEW_AGENT}'" in problem for problem in window.problems)

    catalogue = own_case.parent / "agents.yaml"
    catalogue.write_text(_catalogue_with_new_agent(), encoding="utf-8")
    for _ in range(10):
        window.frame(0.1)
    assert window.loaded is not None and window.problems == []

    catalogue.write_text(paths.AGENTS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    for _ in range(10):
        window.frame(0.1)
    assert window.loaded is None
    assert any(f"unknown agent '{NEW_AGENT}'" in problem for problem in window.problems)
