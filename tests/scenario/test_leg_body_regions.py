"""The body map names the lower leg and foot: the back of the knee, the ankle, the foot and the
heel (gastrocnemius, soleus and tibialis points refer there), in the case format and its schema."""

from __future__ import annotations

import json

import pytest

from simulator import paths
from simulator.scenario import CaseError, load_case
from simulator.scenario.body_map import BODY_MAP
from tests.case_files import write_case

CASE = paths.SCENARIOS_DIR / "s1_upper_trapezius_thin.yaml"
OLD_REGIONS = "regions: [upper_shoulder_right, posterior_neck_right, temple_right, behind_eye_right]"
LEG_REGIONS = ["posterior_knee_right", "ankle_left", "foot_right", "heel_left"]


def _case_with_regions(tmp_path, names: list[str]):
    text = CASE.read_text(encoding="utf-8")
    assert OLD_REGIONS in text
    return write_case(tmp_path / CASE.name, text.replace(OLD_REGIONS, f"regions: [{', '.join(names)}]"))


def test_a_case_may_name_the_knee_ankle_foot_and_heel(tmp_path):
    case = load_case(_case_with_regions(tmp_path, LEG_REGIONS))
    assert case.patient.chief_complaint.regions == LEG_REGIONS


def test_a_near_miss_is_refused_with_the_right_name(tmp_path):
    with pytest.raises(CaseError) as caught:
        load_case(_case_with_regions(tmp_path, ["heel_lft"]))
    assert "unknown body-map region 'heel_lft' (did you mean 'heel_left'?)" in str(caught.value.diagnostics[0])


@pytest.mark.parametrize("area, spoken, view", [("posterior_knee", "back of the knee", "back"), ("ankle", "ankle", "front"),
                                                ("foot", "foot", "front"), ("heel", "heel", "back")])
def test_each_side_is_drawn_below_the_calf_and_read_aloud(area, spoken, view):
    right, left = BODY_MAP[f"{area}_right"], BODY_MAP[f"{area}_left"]
    assert (right.view, right.spoken) == (left.view, left.spoken) == (view, spoken)
    assert right.y >= BODY_MAP["posterior_thigh_right"].y and abs(right.x - 0.5) == pytest.approx(abs(left.x - 0.5))
    # the patient's right is the viewer's right on the back view, the viewer's left on the front view
    assert (right.x > 0.5) == (view == "back")


def test_the_schema_offers_the_new_names():
    text = paths.SCHEMA_FILE.read_text(encoding="utf-8")
    enums = [d["enum"] for d in _walk(json.loads(text)) if "enum" in d and "temple_right" in d["enum"]]
    assert enums and all(set(LEG_REGIONS) <= set(e) for e in enums)


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
