"""Version-1 case files keep loading, and `tpi-sim migrate` upgrades them in place with comments kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.scenario import load_case
from simulator.scenario.migrate import MIGRATED_NOTE

@pytest.fixture
def fixture_case_path() -> Path:
    return Path(__file__).resolve().parents[1] / "fixtures" / "simple_case.yaml"


VERSION_1_POLICY = """agent_policy:
  preferred:
    - {agent: lidocaine_0_5, reason: Low-concentration lidocaine.}  # keep this comment
  contraindicated:
    - {agent: lidocaine_1_triamcinolone, reason: Steroid adds nothing.}
"""


def version_1_text(fixtures_case_text: str) -> str:
    head, _, tail = fixtures_case_text.partition("agent_policy:")
    rest = tail.split("\nteaching:", 1)[1]
    return head.replace("schema_version: 2", "schema_version: 1") + VERSION_1_POLICY + "teaching:" + rest


def test_a_version_1_file_loads_with_its_list_read_as_not_recommended(tmp_path, fixture_case_path):
    path = tmp_path / "old.yaml"
    path.write_text(version_1_text(fixture_case_path.read_text()), encoding="utf-8")
    case = load_case(path)
    assert case.schema_version == 1
    assert [c.agent for c in case.agent_policy.not_recommended] == ["lidocaine_1_triamcinolone"]
    assert case.agent_policy.contraindicated == []


def test_migrate_upgrades_in_place_keeping_comments(tmp_path, fixture_case_path, capsys):
    path = tmp_path / "old.yaml"
    path.write_text(version_1_text(fixture_case_path.read_text()), encoding="utf-8")
    assert main(["migrate", str(path)]) == 0
    assert f"migrated {path}" in capsys.readouterr().out
    text = path.read_text()
    assert "schema_version: 2" in text and "# keep this comment" in text and MIGRATED_NOTE in text
    assert "  not_recommended:\n    - {agent: lidocaine_1_triamcinolone" in text
    case = load_case(path)
    assert case.schema_version == 2
    assert [c.agent for c in case.agent_policy.not_recommended] == ["lidocaine_1_triamcinolone"]
    assert main(["migrate", str(path)]) == 0
    assert f"up to date {path}" in capsys.readouterr().out


def test_migrate_leaves_a_file_it_cannot_upgrade_untouched(tmp_path, fixture_case_path, capsys):
    path = tmp_path / "old.yaml"
    broken = version_1_text(fixture_case_path.read_text()).replace("lidocaine_1_triamcinolone", "no_such_agent")
    path.write_text(broken, encoding="utf-8")
    assert main(["migrate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:" in err and "unknown agent 'no_such_agent'" in err and "left unchanged" in err
    assert path.read_text() == broken
    assert [p.name for p in tmp_path.iterdir()] == ["old.yaml"]  # no temporary file left behind


def test_migrate_refuses_a_file_without_a_version(tmp_path, capsys):
    path = tmp_path / "notes.yaml"
    path.write_text("title: not a case\n", encoding="utf-8")
    assert main(["migrate", str(path)]) == 1
    assert "no top-level `schema_version:` line" in capsys.readouterr().err
