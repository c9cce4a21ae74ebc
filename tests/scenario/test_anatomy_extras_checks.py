"""Cross-checks of muscle regions, bone plates and per-point vessel radii, as `tpi-sim validate` prints them."""

from __future__ import annotations

import copy
import functools

import pytest
import yaml

from simulator import paths
from tests.case_files import write_case
from tests.cli_run import run_cli

FIXTURE = paths.PROJECT_ROOT / "tests" / "fixtures" / "extras_case.yaml"
MODELINE = "# yaml-language-server: $schema=./scenario.schema.json\n"


@functools.cache
def _fixture() -> dict:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def _validate(tmp_path, change) -> tuple[int, str]:
    data = copy.deepcopy(_fixture())
    change(data)
    path = write_case(tmp_path / "case.yaml", MODELINE + yaml.safe_dump(data, sort_keys=False))
    code, out, err = run_cli("validate", str(path))
    return code, out + err


def _add_point(data, **fields) -> None:
    """Another trigger point like the first one, with these fields changed."""
    point = copy.deepcopy(data["trigger_points"][0])
    point.update(fields)
    data["trigger_points"].append(point)


def _layer(data, name):
    return next(layer for layer in data["anatomy"]["layers"] if layer.get("name") == name)


def test_the_fixture_with_regions_a_plate_and_a_tapering_vessel_validates(tmp_path):
    code, text = _validate(tmp_path, lambda data: None)
    assert code == 0, text
    assert text.startswith("ok ")


def test_a_trigger_point_may_name_a_region_inside_its_outline(tmp_path):
    def change(data):
        _add_point(data, id="lp1", muscle="levator_part", x_mm=90, y_mm=40, depth_mm=22)

    code, text = _validate(tmp_path, change)
    assert code == 0, text


def _refused(tmp_path, change) -> str:
    """What validate prints for the changed fixture, which it must refuse."""
    code, text = _validate(tmp_path, change)
    assert code == 1
    return text


def _refused_point(tmp_path, **fields) -> str:
    return _refused(tmp_path, lambda data: _add_point(data, **fields))


@pytest.mark.parametrize("point, message", [
    ({"id": "lp1", "muscle": "levator_part", "x_mm": 30, "y_mm": 40, "depth_mm": 22},
     "trigger_points[2].x_mm: x_mm 30, y_mm 40 is not under muscle 'levator_part': it is a region of a layer, "
     "and this point lies outside its outline (anatomy.layers[5].regions[0])"),
    ({"id": "ss1", "muscle": "supraspinatus", "x_mm": 20, "y_mm": 40, "depth_mm": 25},
     "trigger_points[2].depth_mm: depth_mm 25 is inside bone plate 'scapula', which lies 24.0 to 27.0 mm "
     "deep at x_mm 20, y_mm 40"),
], ids=["outside its region's outline", "inside a bone plate"])
def test_a_trigger_point_must_lie_in_its_region_and_out_of_plates(tmp_path, point, message):
    assert message in _refused_point(tmp_path, **point)


def test_an_unknown_muscle_lists_the_regions_too(tmp_path):
    def change(data):
        data["trigger_points"][0]["muscle"] = "levator_prt"

    text = _refused(tmp_path, change)
    assert "'levator_prt' is not a muscle layer of this case (did you mean 'levator_part'?)" in text
    assert "muscle layers (and their regions): upper_trapezius, supraspinatus, levator_part" in text


def test_regions_belong_on_muscle_layers_only(tmp_path):
    def change(data):
        data["anatomy"]["layers"][1]["regions"] = _layer(data, "supraspinatus")["regions"]

    text = _refused(tmp_path, change)
    assert "only a muscle layer can have `regions` (this layer is fat)" in text


def test_plate_and_region_points_far_outside_the_region_are_errors(tmp_path):
    def change(data):
        data["anatomy"]["plates"][0]["outline"][0]["x_mm"] = -500
        _layer(data, "supraspinatus")["regions"][0]["outline"][1]["x_mm"] = 900

    text = _refused(tmp_path, change)
    assert "anatomy.plates[0].outline[0].x_mm: x_mm -500 is too far outside the body region" in text
    assert "anatomy.layers[5].regions[0].outline[1].x_mm: x_mm 900 is too far outside the body region" in text


def test_a_path_point_radius_must_be_positive(tmp_path):
    def change(data):
        data["anatomy"]["vessels"][0]["path"][0]["radius_mm"] = 0

    text = _refused(tmp_path, change)
    assert "anatomy.vessels[0].path[0].radius_mm" in text
