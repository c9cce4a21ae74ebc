"""The generated JSON Schema lists the shipped catalogue's agent ids, so the editor completes
them and marks an unknown one. That `validate` still checks a case against the catalogue that
applies (one beside it may add agents) is tested in tests/test_catalogue_beside_case.py."""

from __future__ import annotations

import json

from simulator import paths
from simulator.commands.schema import schema_text
from simulator.scenario.loader import load_agents
from tests.case_files import write_case
from tests.cli_run import run_cli
from tests.test_catalogue_beside_case import CASE, NEW_AGENT, _catalogue_with_new_agent


def _shipped_ids() -> list[str]:
    return [agent.id for agent in load_agents(paths.AGENTS_FILE).agents]


def _agent_enums(schema: dict) -> dict[str, list[str]]:
    """model name -> the enum on the string form of its `agent` field (missing when there is none)."""
    found = {}
    for model in ("AgentChoice", "Allergy"):
        field = schema["$defs"][model]["properties"]["agent"]
        for form in field.get("anyOf", [field]):
            if form.get("type") == "string" and "enum" in form:
                found[model] = form["enum"]
    return found


def test_every_agent_field_lists_the_shipped_ids():
    enums = _agent_enums(json.loads(schema_text()))
    assert enums == {"AgentChoice": _shipped_ids(), "Allergy": _shipped_ids()}
    assert "lidocaine_1" in enums["AgentChoice"] and NEW_AGENT not in enums["AgentChoice"]


def test_an_allergy_agent_may_still_be_left_out():
    field = json.loads(schema_text())["$defs"]["Allergy"]["properties"]["agent"]
    assert {"type": "null"} in field["anyOf"]


def test_the_enum_follows_the_catalogue(tmp_path, monkeypatch):
    catalogue = tmp_path / "agents.yaml"
    catalogue.write_text(_catalogue_with_new_agent(), encoding="utf-8")
    monkeypatch.setattr(paths, "AGENTS_FILE", catalogue)
    enums = _agent_enums(json.loads(schema_text()))
    assert enums["AgentChoice"][-1] == NEW_AGENT and enums["Allergy"][-1] == NEW_AGENT


def test_the_committed_schema_carries_the_ids():
    committed = json.loads(paths.SCHEMA_FILE.read_text(encoding="utf-8"))
    assert _agent_enums(committed)["AgentChoice"] == _shipped_ids()


def test_a_broken_catalogue_stops_the_schema_with_its_problems(tmp_path, monkeypatch):
    broken = tmp_path / "agents.yaml"
    broken.write_text("schema_version: 1\nagents: []\n", encoding="utf-8")
    monkeypatch.setattr(paths, "AGENTS_FILE", broken)
    code, out, err = run_cli("schema")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{broken}:2:9: agents: needs at least 1 item, got 0",
        "the schema lists the agents catalogue's ids: fix the catalogue first",
    ]


def test_validate_reports_a_broken_catalogue_not_an_internal_error(tmp_path, monkeypatch):
    broken = tmp_path / "shipped" / "agents.yaml"
    broken.parent.mkdir()
    broken.write_text("schema_version: 1\nagents: []\n", encoding="utf-8")
    monkeypatch.setattr(paths, "AGENTS_FILE", broken)
    case = write_case(tmp_path / CASE.name, CASE.read_text(encoding="utf-8"))
    code, _, err = run_cli("validate", str(case))
    assert code == 1
    assert f"{broken}:2:9: agents: needs at least 1 item, got 0" in err
    assert "internal error" not in err and "out of date" not in err
