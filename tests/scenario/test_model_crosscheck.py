"""The last cross-check builds the anatomy model once: what the types and checks miss becomes a
`file:line:col` message from `tpi-sim validate`, never an internal error or a crash in the trainer."""

from __future__ import annotations

import copy
import functools

import yaml

from simulator import paths
from simulator.cli import main
from tests.case_files import write_case

FIXTURE = paths.PROJECT_ROOT / "tests" / "fixtures" / "simple_case.yaml"
MODELINE = "# yaml-language-server: $schema=./scenario.schema.json\n"


@functools.cache
def _fixture() -> dict:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def _write(tmp_path, data: dict):
    path = write_case(tmp_path / "case.yaml", MODELINE + yaml.safe_dump(data, sort_keys=False))
    return path


def _with_muscles(extra_layers: int, cylinders: int) -> dict:
    """The fixture with thin extra muscle layers above the lung and muscle cylinders, each its own muscle."""
    data = copy.deepcopy(_fixture())
    layers = data["anatomy"]["layers"]
    thin = [{"tissue": "muscle", "name": f"extra_{i}", "fibre_direction_deg": 0, "thickness_mm": 0.01}
            for i in range(extra_layers)]
    data["anatomy"]["layers"] = layers[:-1] + thin + layers[-1:]
    data["anatomy"]["cylinders"] = [
        {"name": f"slip_{i}", "tissue": "muscle", "radius_mm": 1,
         "start": {"x_mm": 10, "y_mm": 5 + i * 0.5, "depth_mm": 30}, "end": {"x_mm": 20, "y_mm": 5 + i * 0.5, "depth_mm": 30}}
        for i in range(cylinders)
    ]
    return data


def test_a_case_the_model_cannot_hold_is_a_located_validation_error(tmp_path, capsys):
    path = _write(tmp_path, _with_muscles(extra_layers=26, cylinders=100))  # 2 + 26 + 100 = 128 muscles
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    anatomy_line = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith("anatomy:"))
    assert err == (
        f"{path}:{anatomy_line}:1: anatomy: the anatomy model cannot be built from this case "
        "(ValueError: too many muscles (at most 127))"
    )


def test_one_muscle_fewer_validates(tmp_path, capsys):
    path = _write(tmp_path, _with_muscles(extra_layers=25, cylinders=100))  # 127 muscles
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"ok {path}"
