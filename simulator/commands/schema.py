"""`tpi-sim schema`: print (or write) the JSON Schema of the case format.

The committed copy, scenarios/scenario.schema.json, is what each case's
`# yaml-language-server: $schema=./scenario.schema.json` modeline points editors at.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def case_json_schema() -> dict:
    """The case JSON Schema with YAML key names (`class`, not `allergy_class`)."""
    from simulator.scenario.schema import Case

    schema = Case.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": JSON_SCHEMA_DIALECT, "title": "TPI Sim case", **{k: v for k, v in schema.items() if k != "title"}}


def schema_text() -> str:
    """The schema exactly as committed: 2-space JSON with a trailing newline."""
    return json.dumps(case_json_schema(), indent=2, ensure_ascii=False) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="PATH", help="write the schema to PATH instead of printing it")


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"{args.out}: cannot write the schema: {exc.strerror or exc}", file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(text)
    return 0
