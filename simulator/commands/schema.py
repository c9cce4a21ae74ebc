"""`tpi-sim schema [--exam]`: print (or write) the JSON Schema of the case format (or the exam format).

The committed copy, scenarios/scenario.schema.json, is what each case's
`# yaml-language-server: $schema=./scenario.schema.json` modeline points editors at; an exam's
modeline names scenarios/exam.schema.json (`tpi-sim schema --exam`).

Every `agent` field of the generated schema carries an enum of the shipped catalogue's ids,
so the editor completes agent ids and marks an unknown one while the author types. The enum
lives only in this generated file, not in the pydantic models: `validate` checks agent ids
against whichever catalogue applies to a case (--agents, or an agents.yaml beside it), which
may name agents the shipped catalogue lacks. Regenerate the schema when the catalogue changes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def shipped_agent_ids() -> list[str]:
    """The shipped catalogue's agent ids in catalogue order.

    Raises CaseError when the catalogue is broken: a schema without the ids would look
    current while the editor stopped checking agents. [] when there is no catalogue."""
    from simulator import paths
    from simulator.scenario.loader import load_agents

    if not paths.AGENTS_FILE.is_file():
        return []
    return [agent.id for agent in load_agents(paths.AGENTS_FILE).agents]


def _with_agent_ids(schema: dict, agent_ids: list[str]) -> dict:
    """Put `enum: agent_ids` on the string form of every case field that names an agent."""
    if not agent_ids:
        return schema
    definitions = schema["$defs"]
    for model in ("AgentChoice", "Allergy"):
        field = definitions[model]["properties"]["agent"]
        for form in field.get("anyOf", [field]):
            if form.get("type") == "string":
                form["enum"] = list(agent_ids)
    return schema


def case_json_schema() -> dict:
    """The case JSON Schema with YAML key names (`class`, not `allergy_class`) and agent id enums."""
    from simulator.scenario.schema import Case

    schema = Case.model_json_schema(by_alias=True, mode="validation")
    schema = _with_agent_ids(schema, shipped_agent_ids())
    return {"$schema": JSON_SCHEMA_DIALECT, "title": "TPI Sim case", **{k: v for k, v in schema.items() if k != "title"}}


def exam_json_schema() -> dict:
    """The exam JSON Schema (scenarios/exam.schema.json, named by each exam's modeline)."""
    from simulator.scenario.exam_schema import Exam

    schema = Exam.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": JSON_SCHEMA_DIALECT, "title": "TPI Sim exam", **{k: v for k, v in schema.items() if k != "title"}}


def schema_text(exam: bool = False) -> str:
    """The schema exactly as committed: 2-space JSON with a trailing newline."""
    return json.dumps(exam_json_schema() if exam else case_json_schema(), indent=2, ensure_ascii=False) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="PATH", help="write the schema to PATH instead of printing it")
    parser.add_argument("--exam", action="store_true", help="the exam file format instead of the case format")


def run(args: argparse.Namespace) -> int:
    from simulator.commands.errors import open_or_report

    text = open_or_report(schema_text, args.exam)
    if text is None:
        print("the schema lists the agents catalogue's ids: fix the catalogue first", file=sys.stderr)
        return 1
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"{args.out}: cannot write the schema: {exc.strerror or exc}", file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(text)
    return 0
