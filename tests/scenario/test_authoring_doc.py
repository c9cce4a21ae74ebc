"""docs/authoring.md stays true: its example case is valid and its reference is current."""

from __future__ import annotations

import re

from simulator import paths
from simulator.scenario import load_case
from simulator.scenario.body_map import BODY_MAP_NAMES
from simulator.scenario.schema import Case
from tests.tools import load_tool

DOC = paths.PROJECT_ROOT / "docs" / "authoring.md"


def _tool():
    return load_tool("gen_authoring_reference")


def test_generated_reference_is_in_sync():
    text = DOC.read_text(encoding="utf-8")
    assert _tool().updated_document(text) == text, "run: python tools/gen_authoring_reference.py"


def test_reference_lists_every_case_key_and_every_body_map_name():
    text = DOC.read_text(encoding="utf-8")
    for name, info in Case.model_fields.items():
        assert f"| `{info.alias or name}` |" in text
    assert "| `class` |" in text  # the YAML name of Allergy.allergy_class
    for region in BODY_MAP_NAMES:
        assert f"`{region}`" in text


def test_example_case_in_the_guide_is_valid(tmp_path):
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## A complete minimal case"):]
    example = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)[1]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    case = load_case(path)  # checked against the shipped agents catalogue too
    assert case.id == "example-upper-trapezius"
    assert [tp.id for tp in case.trigger_points] == ["ut1"]
