"""Checks that need the whole case: things the types alone cannot say.

A trigger point must sit inside its muscle and inside the region, every agent a case
names must exist in the catalogue, `sources` must cite the case's own references, and
names that are looked up (landmarks, trigger point ids) must be unique. Each finding
carries the data path of the offending value, so the loader can give it a line:col.

Last, a case with no other problem has its anatomy model built once, exactly as a session
builds it: whatever the checks above miss then surfaces as a `file:line:col` message in
`tpi-sim validate` instead of a crash in the trainer.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from pydantic import BaseModel

from simulator.scenario.messages import did_you_mean
from simulator.scenario.schema import AgentCatalogue, Case, Layer
from simulator.scenario.thickness import ThicknessField, layer_field
from simulator.scenario.yaml_positions import Path


@dataclass(frozen=True)
class Finding:
    """One cross-check problem at a data path; `at_key` places it on the key, not the value."""

    path: Path
    message: str
    at_key: bool = False


def layer_thickness_mm(layer: Layer, x_mm: float, y_mm: float, field: ThicknessField | None = None) -> float:
    """Thickness of `layer` at (x, y): constant, or the thin-plate spline through its control points.

    Pass the layer's `field` when asking many times, to build the spline once.
    """
    if layer.thickness_mm is None:
        return math.inf
    if isinstance(layer.thickness_mm, (int, float)):
        return float(layer.thickness_mm)
    if field is None:
        field = layer_field(layer.thickness_mm)
    return float(field(x_mm, y_mm))


def layer_fields(case: Case) -> list[ThicknessField | None]:
    """One thickness field per layer (None for the bottomless last layer), built once per case."""
    return [layer_field(layer.thickness_mm) for layer in case.anatomy.layers]


def muscle_depth_ranges_mm(
    case: Case, x_mm: float, y_mm: float, fields: list[ThicknessField | None] | None = None
) -> dict[str, list[tuple[float, float]]]:
    """Muscle name -> (top, bottom) depths of its layers at (x, y); `fields` from layer_fields(case).

    Where a muscle region's outline covers (x, y), the layer's depth there is that region's
    muscle (the last region wins), not the layer's own name."""
    from simulator.core.anatomy.extras import polygon_inside  # plain numpy; imported late like the model

    fields = layer_fields(case) if fields is None else fields
    ranges: dict[str, list[tuple[float, float]]] = {}
    top = 0.0
    for layer, field in zip(case.anatomy.layers, fields):
        bottom = top + layer_thickness_mm(layer, x_mm, y_mm, field)
        if layer.tissue == "muscle" and layer.name:
            name = layer.name
            for region in layer.regions:
                outline = np.array([(p.x_mm, p.y_mm) for p in region.outline])
                if polygon_inside(x_mm, y_mm, outline):
                    name = region.name
            ranges.setdefault(name, []).append((top, bottom))
        top = bottom
    return ranges


def _region_paths(case: Case, muscle: str) -> str:
    return ", ".join(f"anatomy.layers[{i}].regions[{k}]" for i, layer in enumerate(case.anatomy.layers)
                     for k, region in enumerate(layer.regions) if region.name == muscle)


def _plates(case: Case) -> Iterator[Finding]:
    """A trigger point cannot sit inside a bone plate (the plate replaces the muscle there)."""
    from simulator.core.anatomy.extras import plates_from_case

    try:
        plates = plates_from_case(case)
    except Exception:  # noqa: BLE001 - control points that make no surface: _model_builds reports them
        return
    for i, tp in enumerate(case.trigger_points):
        for plate in plates:
            distance = plate.signed_distance_mm(tp.x_mm, tp.y_mm, tp.depth_mm)
            if distance is not None and distance <= 0:
                top = float(plate.top_mm(tp.x_mm, tp.y_mm))
                yield Finding(
                    ("trigger_points", i, "depth_mm"),
                    f"depth_mm {tp.depth_mm:g} is inside bone plate '{plate.name}', which lies {top:.1f} to "
                    f"{top + plate.thickness_mm:.1f} mm deep at x_mm {tp.x_mm:g}, y_mm {tp.y_mm:g}",
                )


def _fmt(value: float) -> str:
    return f"{value:g}" if math.isfinite(value) else "the bottom of the model"


# --------------------------------------------------------------------------- case checks


def _inside_region(case: Case) -> Iterator[Finding]:
    width = case.body_region.width_mm
    height = case.body_region.height_mm
    points: list[tuple[Path, object]] = [(("body_region", "default_probe"), case.body_region.default_probe)]
    points += [(("body_region", "landmarks", i), lm) for i, lm in enumerate(case.body_region.landmarks)]
    for group in ("vessels", "nerves"):
        for i, item in enumerate(getattr(case.anatomy, group)):
            points += [(("anatomy", group, i, "path", j), p) for j, p in enumerate(item.path)]
    for i, cylinder in enumerate(case.anatomy.cylinders):
        points += [(("anatomy", "cylinders", i, "start"), cylinder.start), (("anatomy", "cylinders", i, "end"), cylinder.end)]
    points += [(("trigger_points", i), tp) for i, tp in enumerate(case.trigger_points)]
    for path, point in points:
        for axis, size, size_key in (("x_mm", width, "width_mm"), ("y_mm", height, "height_mm")):
            value = getattr(point, axis)
            if not 0 <= value <= size:
                yield Finding(
                    path + (axis,),
                    f"{axis} {value:g} is outside the body region (0 to {size:g} mm, body_region.{size_key})",
                )


def _near_region(case: Case) -> Iterator[Finding]:
    """Drawing outlines and thickness control points may reach outside the region (a contour, a
    point that shapes the surface at the edge), but only by one region width or height."""
    width, height = case.body_region.width_mm, case.body_region.height_mm
    points: list[tuple[Path, object]] = []
    for i, outline in enumerate(case.body_region.drawing.outlines):
        points += [(("body_region", "drawing", "outlines", i, "points", j), p) for j, p in enumerate(outline.points)]
    for i, layer in enumerate(case.anatomy.layers):
        if isinstance(layer.thickness_mm, list):
            points += [(("anatomy", "layers", i, "thickness_mm", j), p) for j, p in enumerate(layer.thickness_mm)]
        for k, region in enumerate(layer.regions):
            points += [(("anatomy", "layers", i, "regions", k, "outline", j), p) for j, p in enumerate(region.outline)]
    for i, plate in enumerate(case.anatomy.plates):
        points += [(("anatomy", "plates", i, "outline", j), p) for j, p in enumerate(plate.outline)]
        if isinstance(plate.top_mm, list):
            points += [(("anatomy", "plates", i, "top_mm", j), p) for j, p in enumerate(plate.top_mm)]
    for path, point in points:
        for axis, size, size_key in (("x_mm", width, "width_mm"), ("y_mm", height, "height_mm")):
            value = getattr(point, axis)
            if not -size <= value <= 2 * size:
                yield Finding(
                    path + (axis,),
                    f"{axis} {value:g} is too far outside the body region: at most one region size beyond "
                    f"its edges ({-size:g} to {2 * size:g} mm, from body_region.{size_key})",
                )


def _thickness_points(case: Case) -> Iterator[Finding]:
    for i, layer in enumerate(case.anatomy.layers):
        if isinstance(layer.thickness_mm, list) and not layer.thickness_mm:
            yield Finding(
                ("anatomy", "layers", i, "thickness_mm"),
                "thickness_mm needs at least one control point (or a plain number for a constant thickness)",
            )


def _fields(case: Case) -> tuple[list[ThicknessField | None] | None, list[Finding]]:
    """Every layer's thickness field, or None and the layers whose control points make no surface."""
    fields: list[ThicknessField | None] = []
    findings: list[Finding] = []
    for i, layer in enumerate(case.anatomy.layers):
        try:
            fields.append(layer_field(layer.thickness_mm))
        except Exception as exc:  # noqa: BLE001 - e.g. a singular spline system: the author gets a line
            findings.append(Finding(
                ("anatomy", "layers", i, "thickness_mm"),
                f"these control points do not make a smooth surface ({_reason(exc)}); "
                "move points that (nearly) coincide or lie on one line apart",
            ))
    return (None if findings else fields), findings


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0][:120] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _model_builds(case: Case) -> Iterator[Finding]:
    """Build the anatomy model once, as a session will: any failure becomes a finding, never a crash."""
    from simulator.core.anatomy import AnatomyModel  # the model needs the case types; imported late

    try:
        AnatomyModel(case)
    except Exception as exc:  # noqa: BLE001 - whatever breaks, the author gets a file:line:col
        yield Finding(("anatomy",), f"the anatomy model cannot be built from this case ({_reason(exc)})", at_key=True)


def _trigger_points(case: Case, fields: list[ThicknessField | None] | None) -> Iterator[Finding]:
    muscles = case.muscles
    seen: dict[str, int] = {}
    for i, tp in enumerate(case.trigger_points):
        if tp.id in seen:
            yield Finding(("trigger_points", i, "id"), f"trigger point id '{tp.id}' is already used by trigger_points[{seen[tp.id]}]")
        seen.setdefault(tp.id, i)
        if tp.muscle not in muscles:
            known = ", ".join(muscles) if muscles else "none (add a layer with tissue: muscle)"
            yield Finding(
                ("trigger_points", i, "muscle"),
                f"'{tp.muscle}' is not a muscle layer of this case{did_you_mean(tp.muscle, muscles)}; muscle layers "
                f"(and their regions): {known}",
            )
            continue
        if fields is None:
            continue
        ranges = muscle_depth_ranges_mm(case, tp.x_mm, tp.y_mm, fields).get(tp.muscle, [])
        if not ranges:
            yield Finding(
                ("trigger_points", i, "x_mm"),
                f"x_mm {tp.x_mm:g}, y_mm {tp.y_mm:g} is not under muscle '{tp.muscle}': it is a region of a layer, "
                f"and this point lies outside its outline ({_region_paths(case, tp.muscle)})",
            )
            continue
        if not any(top <= tp.depth_mm <= bottom for top, bottom in ranges):
            spans = " or ".join(f"{_fmt(top)} to {_fmt(bottom)} mm" for top, bottom in ranges)
            yield Finding(
                ("trigger_points", i, "depth_mm"),
                f"depth_mm {tp.depth_mm:g} is outside muscle '{tp.muscle}', which lies {spans} deep at "
                f"x_mm {tp.x_mm:g}, y_mm {tp.y_mm:g}",
            )


def _unique_names(case: Case) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, landmark in enumerate(case.body_region.landmarks):
        if landmark.name in seen:
            yield Finding(
                ("body_region", "landmarks", i, "name"),
                f"landmark name '{landmark.name}' is already used by body_region.landmarks[{seen[landmark.name]}]",
            )
        seen.setdefault(landmark.name, i)
    ids: dict[int, int] = {}
    for i, reference in enumerate(case.references):
        if reference.id in ids:
            yield Finding(("references", i, "id"), f"reference id {reference.id} is already used by references[{ids[reference.id]}]")
        ids.setdefault(reference.id, i)


def _sources(model: BaseModel, path: Path) -> Iterator[tuple[Path, int]]:
    """(path, number) for every entry of every `sources` list in the model tree."""
    for name, info in type(model).model_fields.items():
        key = info.alias or name
        value = getattr(model, name)
        if name == "sources" and isinstance(value, list):
            yield from (((path + (key, j)), number) for j, number in enumerate(value))
        elif isinstance(value, BaseModel):
            yield from _sources(value, path + (key,))
        elif isinstance(value, list):
            for j, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _sources(item, path + (key, j))
        elif isinstance(value, dict):
            for item_key, item in value.items():
                if isinstance(item, BaseModel):
                    yield from _sources(item, path + (key, item_key))


def _cited(case: Case) -> Iterator[Finding]:
    known = {reference.id for reference in case.references}
    listed = ", ".join(str(n) for n in sorted(known))
    for path, number in _sources(case, ()):
        if path[0] != "references" and number not in known:
            yield Finding(path, f"source {number} is not in this case's references (ids: {listed})")


def _agents(case: Case, catalogue: AgentCatalogue | None) -> Iterator[Finding]:
    named: list[tuple[Path, str]] = [
        (("patient", "allergies", i, "agent"), allergy.agent)
        for i, allergy in enumerate(case.patient.allergies)
        if allergy.agent is not None
    ]
    policy = case.agent_policy
    lists = {"preferred": policy.preferred, "acceptable": policy.acceptable,
             "not_recommended": policy.not_recommended, "contraindicated": policy.contraindicated}
    where: dict[str, str] = {}
    for list_name, choices in lists.items():
        for i, choice in enumerate(choices):
            named.append((("agent_policy", list_name, i, "agent"), choice.agent))
            if choice.agent in where and where[choice.agent] != list_name:
                yield Finding(
                    ("agent_policy", list_name, i, "agent"),
                    f"agent '{choice.agent}' is listed in both agent_policy.{where[choice.agent]} and agent_policy.{list_name}",
                )
            where.setdefault(choice.agent, list_name)
    if catalogue is None:
        return
    ids = [agent.id for agent in catalogue.agents]
    for path, agent_id in named:
        if agent_id not in ids:
            yield Finding(
                path,
                f"unknown agent '{agent_id}'{did_you_mean(agent_id, ids)}; the agents catalogue has: {', '.join(ids)}",
            )


def check_case(case: Case, catalogue: AgentCatalogue | None) -> list[Finding]:
    """Every cross-check problem in a schema-valid case (agents are skipped without a catalogue)."""
    findings: list[Finding] = [*_unique_names(case), *_cited(case), *_inside_region(case)]
    geometry = [*_near_region(case), *_thickness_points(case)]
    fields = None
    if not geometry:  # far-off or missing control points are reported; no surface is built from them
        fields, geometry = _fields(case)
    findings += geometry
    findings += _trigger_points(case, fields)
    findings += _plates(case)
    findings += _agents(case, catalogue)
    if not findings:
        findings += _model_builds(case)
    return findings


def check_catalogue(catalogue: AgentCatalogue) -> list[Finding]:
    """Agent ids are unique, and every component's class is among its agent's classes."""
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for i, agent in enumerate(catalogue.agents):
        if agent.id in seen:
            findings.append(Finding(("agents", i, "id"), f"agent id '{agent.id}' is already used by agents[{seen[agent.id]}]"))
        seen.setdefault(agent.id, i)
        for j, component in enumerate(agent.components):
            if component.agent_class not in agent.classes:
                findings.append(
                    Finding(
                        ("agents", i, "components", j, "class"),
                        f"class '{component.agent_class}' is not in this agent's classes ({', '.join(agent.classes)})",
                    )
                )
    return findings
