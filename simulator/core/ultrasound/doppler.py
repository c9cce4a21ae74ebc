"""Colour Doppler: flow inside a box, red toward the probe and blue away (docs/sources.md [82][84]).

Arterial flow is pulsatile at the heart rate, venous flow continuous. The colour beam is
steered 20 degrees in the plane and the probe is assumed to be rocked 15 degrees across
it, as a sonographer does, so vessels running along or across the plane both show flow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator.core.ultrasound.dynamics import systole
from simulator.core.ultrasound.scan_geometry import ImageGeometry

STEER_DEG = 20.0
ROCK_DEG = 15.0
VELOCITY_SCALE_CM_S = 40.0  # colour saturates here (the scale the box is set to)
WALL_FILTER_CM_S = 2.0
BOX = (0.15, 0.2, 0.75, 0.8)  # (top, left, bottom, right) as fractions of the image


@dataclass(frozen=True, eq=False)
class DopplerPlane:
    box: tuple[int, int, int, int]
    rows: np.ndarray  # pixels with flow
    cols: np.ndarray
    toward_cm_s: np.ndarray  # velocity toward the probe at peak flow (signed)
    pulsatile: np.ndarray  # bool per pixel


def _beam(probe) -> np.ndarray:
    ax, ay = probe.axis
    lateral, elevation, down = np.array([ax, ay, 0.0]), np.array([-ay, ax, 0.0]), np.array([0.0, 0.0, 1.0])
    st, rk = math.radians(STEER_DEG), math.radians(ROCK_DEG)
    beam = math.cos(rk) * (math.sin(st) * lateral + math.cos(st) * down) + math.sin(rk) * elevation
    return beam / np.linalg.norm(beam)


def vessel_flows(anatomy, probe, labels, lateral_axis_mm, depth_map_mm, geometry: ImageGeometry) -> DopplerPlane:
    """Per-pixel flow toward the probe at peak, for vessel pixels inside the colour box (once per pose)."""
    from simulator.core.anatomy import LABEL

    height, width = labels.shape
    top, left, bottom, right = BOX
    box = (int(top * height), int(left * width), int(bottom * height), int(right * width))
    r0, c0, r1, c1 = box
    sub = labels[r0:r1, c0:c1]
    rr, cc = np.nonzero((sub == LABEL["artery"]) | (sub == LABEL["vein"]))
    rows, cols = rr + r0, cc + c0
    toward = np.zeros(rows.size, dtype=np.float32)
    pulsatile = np.zeros(rows.size, dtype=bool)
    if rows.size == 0:
        return DopplerPlane(box, rows, cols, toward, pulsatile)
    x, y, _ = probe.to_world(lateral_axis_mm[cols], 0.0)
    d = depth_map_mm[rows, 0] if depth_map_mm.shape[1] == 1 else depth_map_mm[rows, cols]
    vessels = {v.name: v for v in anatomy.case.anatomy.vessels}
    beam = _beam(probe)
    best = np.full(rows.size, np.inf)
    for tube in anatomy.tubes:
        if tube.kind not in ("artery", "vein"):
            continue
        spec = vessels.get(tube.name)
        peak = spec.peak_velocity_cm_s if spec is not None else 30.0
        is_pulsatile = spec.pulsatile if spec is not None and spec.pulsatile is not None else tube.kind == "artery"
        for segment, (start, end) in enumerate(zip(tube.starts, tube.ends)):
            axis = end - start
            length2 = float(axis @ axis) or 1e-9
            t = np.clip(((x - start[0]) * axis[0] + (y - start[1]) * axis[1] + (d - start[2]) * axis[2]) / length2, 0, 1)
            dist = np.sqrt((x - start[0] - t * axis[0]) ** 2 + (y - start[1] - t * axis[1]) ** 2
                           + (d - start[2] - t * axis[2]) ** 2)
            closer = dist < best
            if not closer.any():
                continue
            best = np.where(closer, dist, best)
            radius = tube.segment_radius_mm(segment, t)  # a tapering vessel: its radius here
            profile = np.clip(1.0 - (dist / radius) ** 2, 0.0, 1.0)  # laminar (parabolic)
            along = axis / math.sqrt(length2)
            value = -float(along @ beam) * peak * profile  # minus: the beam points away from the probe
            toward = np.where(closer, value, toward).astype(np.float32)
            pulsatile = np.where(closer, is_pulsatile, pulsatile)
    return DopplerPlane(box, rows, cols, toward, pulsatile)


def doppler_overlay(flows: DopplerPlane, shape, time_s: float, heart_hz: float):
    """(rgb (H, W, 3) uint8, mask (H, W) bool, box (row0, col0, row1, col1)) at this moment."""
    rgb = np.zeros((*shape, 3), dtype=np.uint8)
    mask = np.zeros(shape, dtype=bool)
    if flows.rows.size:
        arterial = 0.2 + 0.8 * systole(time_s, heart_hz)
        venous = 0.5 + 0.1 * math.sin(2 * math.pi * time_s / 4.0)
        velocity = flows.toward_cm_s * np.where(flows.pulsatile, arterial, venous).astype(np.float32)
        shown = np.abs(velocity) >= WALL_FILTER_CM_S
        level = np.clip(np.abs(velocity) / VELOCITY_SCALE_CM_S, 0, 1)
        r, c = flows.rows[shown], flows.cols[shown]
        rgb[r, c] = flow_colours(velocity[shown])
        mask[r, c] = True
    return rgb, mask, flows.box


def flow_colours(velocity_cm_s: np.ndarray) -> np.ndarray:
    """(N, 3) uint8 colour of each velocity: red toward the probe, blue away, washing toward yellow /
    cyan as the speed nears VELOCITY_SCALE_CM_S (where the colour saturates)."""
    velocity = np.asarray(velocity_cm_s, dtype=np.float32)
    level = np.clip(np.abs(velocity) / VELOCITY_SCALE_CM_S, 0, 1)
    bright = (90 + 165 * level).astype(np.uint8)
    pale = (200 * level**3).astype(np.uint8)
    toward = velocity > 0
    return np.stack([np.where(toward, bright, 0), pale, np.where(toward, 0, bright)], axis=-1).astype(np.uint8)


def colour_scale(steps: int) -> np.ndarray:
    """(steps, 3) uint8 colour bar from +VELOCITY_SCALE_CM_S (first) to -VELOCITY_SCALE_CM_S (last), black at 0."""
    velocity = np.linspace(VELOCITY_SCALE_CM_S, -VELOCITY_SCALE_CM_S, steps)
    colours = flow_colours(velocity)
    colours[np.abs(velocity) < WALL_FILTER_CM_S] = 0  # the wall filter hides the slowest flow
    return colours
