"""The 3D tissue model of a case: what tissue is where, and what a probe's plane cuts.

Palpation, the needle and the ultrasound all query this one model, so the knot the
trainee feels, the tissue the tip is in and the image on screen always agree.

Precedence, lowest first: layers (and the muscle regions inside them); trigger-point
ellipsoids (only where they sit inside their muscle); septa between muscle regions; bone
plates; cylinders; nerves; veins; arteries. Depths above the skin count as skin.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from simulator.core.anatomy.extras import Extras, plate_distances, plates_from_case, regions_from_case
from simulator.core.anatomy.layers import LayerStack
from simulator.core.anatomy.shapes import Ellipsoid, SegmentTable, Tube, tubes_from_case
from simulator.core.anatomy.slice import PlaneSlice, compute_slice, fold_fibre_angle_deg, rounded_pose
from simulator.core.geometry import ProbePose
from simulator.scenario.acoustics import DEFAULT_ACOUSTICS, TISSUES
from simulator.scenario.schema import Case, TriggerPoint

TISSUE_LABELS: tuple[str, ...] = tuple(TISSUES)
LABEL: dict[str, int] = {name: index for index, name in enumerate(TISSUE_LABELS)}
ACOUSTIC_FIELDS = ("speed_m_s", "impedance_mrayl", "attenuation_db_cm_mhz", "scatter_density", "scatter_amplitude")
SLICE_CACHE_SIZE = 8


@dataclass(frozen=True)
class StructureDistance:
    """Distance from a point to a structure's surface; negative means inside (or past the pleura)."""

    kind: str  # artery | vein | nerve | pleura | bone (or a non-bone cylinder's tissue: fascia, muscle)
    name: str
    distance_mm: float


@dataclass(frozen=True, eq=False)
class TissueSample:
    """Everything the model knows at a set of points; arrays share the points' shape."""

    labels: np.ndarray  # uint8 label ids (index into TISSUE_LABELS)
    layer_index: np.ndarray  # int8 layer the depth falls in, ignoring tubes and trigger points
    muscle_index: np.ndarray  # int8 index into AnatomyModel.muscle_names, -1 where not muscle
    fibre_direction_deg: np.ndarray  # float32 fibre direction on the skin, NaN where not muscle
    trigger_point_index: np.ndarray  # int8 index into case.trigger_points, -1 where none

    def fibre_angle_to_plane_deg(self, heading_deg: float) -> np.ndarray:
        """Fibre angle to a vertical plane of this heading, 0 (long axis) .. 90 (short axis); 0 where no muscle."""
        return fold_fibre_angle_deg(self.fibre_direction_deg, heading_deg)


def _scalar(value, name: str) -> float:
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(result):
        raise ValueError(f"{name} must be finite, got {result}")
    return result


def _coords(x_mm, y_mm, depth_mm):
    try:
        return np.broadcast_arrays(
            np.asarray(x_mm, dtype=float), np.asarray(y_mm, dtype=float), np.asarray(depth_mm, dtype=float)
        )
    except ValueError as exc:
        raise ValueError(f"x_mm, y_mm and depth_mm must have broadcastable shapes: {exc}") from None


def _box(bbox) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """A (lo, hi) box as plain floats: cheaper to compare one point against than numpy scalars."""
    return tuple(float(v) for v in bbox[0]), tuple(float(v) for v in bbox[1])


def _point_in_box(bbox, point: tuple[float, float, float]) -> bool:
    lo, hi = bbox
    return lo[0] <= point[0] <= hi[0] and lo[1] <= point[1] <= hi[1] and lo[2] <= point[2] <= hi[2]


class AnatomyModel:
    """Tissue at any point under a case's body region, built once from the validated Case."""

    def __init__(self, case: Case, grid_spacing_mm: float = 1.0):
        self.case = case
        region, anatomy = case.body_region, case.anatomy
        self.layers = LayerStack(anatomy.layers, region.width_mm, region.height_mm, grid_spacing_mm)
        self.n_layers = self.layers.n_layers
        self.tubes: tuple[Tube, ...] = tubes_from_case(case)

        layer_muscles = [l.name for l in anatomy.layers if l.tissue == "muscle" and l.name]
        cylinder_muscles = [c.name for c in anatomy.cylinders if c.tissue == "muscle"]
        region_muscles = [r.name for l in anatomy.layers for r in l.regions]
        self.muscle_names: tuple[str, ...] = tuple(dict.fromkeys(layer_muscles + cylinder_muscles + region_muscles))
        if len(self.muscle_names) > 127:
            raise ValueError("too many muscles (at most 127)")
        muscle_id = {name: i for i, name in enumerate(self.muscle_names)}

        # Per-layer and per-tube lookup tables (index with layer_index / tube order); read them, don't edit.
        self.layer_labels = np.array([LABEL[l.tissue] for l in anatomy.layers], dtype=np.uint8)
        self.layer_pennation_deg = np.array(
            [l.pennation_deg if l.tissue == "muscle" else 0.0 for l in anatomy.layers], dtype=np.float32
        )
        self.layer_muscle_index = np.array(
            [muscle_id[l.name] if l.tissue == "muscle" else -1 for l in anatomy.layers], dtype=np.int8
        )
        self.muscle_pennation_deg = _muscle_pennations(anatomy, self.muscle_names)
        self.layer_fibre_direction_deg = np.array(
            [l.fibre_direction_deg if l.tissue == "muscle" else np.nan for l in anatomy.layers], dtype=np.float32
        )
        self.tube_labels = [LABEL[t.tissue] for t in self.tubes]
        self.tube_muscle_index = [muscle_id.get(t.name, -1) if t.tissue == "muscle" else -1 for t in self.tubes]

        self.trigger_points: tuple[TriggerPoint, ...] = tuple(case.trigger_points)
        if len(self.trigger_points) > 127:
            raise ValueError("too many trigger points (at most 127)")
        self.ellipsoids = tuple(Ellipsoid.of(tp) for tp in self.trigger_points)
        is_muscle = np.array([l.tissue == "muscle" for l in anatomy.layers])
        self.trigger_point_hosts = []
        for tp in self.trigger_points:
            named = np.array([l.tissue == "muscle" and (l.name == tp.muscle or any(r.name == tp.muscle for r in l.regions))
                              for l in anatomy.layers])
            self.trigger_point_hosts.append(named if named.any() else is_muscle)

        self._pleura_layer = next((i for i, l in enumerate(anatomy.layers) if l.tissue == "pleura"), None)
        self._bone_layers = [i for i, l in enumerate(anatomy.layers) if l.tissue == "bone"]
        self._acoustics = self._build_acoustics()
        self.trigger_point_label = LABEL["trigger_point"]
        self._tube_boxes = [_box(tube.bbox_mm) for tube in self.tubes]
        self._segments = SegmentTable(self.tubes)
        rank = {"artery": 0, "vein": 0, "nerve": 1}  # distances list vessels, nerves, then cylinders
        self._distance_order = sorted(range(len(self.tubes)), key=lambda k: rank.get(self.tubes[k].kind, 2))
        self.segment_boxes = tuple(
            tuple(_box(tube.segment_bbox_mm(i)) for i in range(len(tube.starts))) for tube in self.tubes
        )
        self._tp_boxes = [_box(ellipsoid.bbox_mm) for ellipsoid in self.ellipsoids]
        self._slice_cache: OrderedDict = OrderedDict()
        self.extras = Extras(regions_from_case(case, muscle_id), plates_from_case(case), LABEL["fascia"], LABEL["bone"])

    # ------------------------------------------------------------------ properties

    def _build_acoustics(self) -> dict[str, np.ndarray]:
        table = np.array([DEFAULT_ACOUSTICS[name] for name in TISSUE_LABELS], dtype=float)
        for tissue, override in self.case.anatomy.acoustics.items():
            for column, field in enumerate(ACOUSTIC_FIELDS):
                value = getattr(override, field)
                if value is not None:
                    table[LABEL[tissue], column] = value
        return {field: table[:, column].copy() for column, field in enumerate(ACOUSTIC_FIELDS)}

    def acoustic_table(self) -> dict[str, np.ndarray]:
        """Per-label acoustic properties (defaults merged with the case's overrides), indexed by label id."""
        return {field: values.copy() for field, values in self._acoustics.items()}

    # ------------------------------------------------------------------ layers

    def layer_tops_mm(self, x_mm, y_mm) -> np.ndarray:
        """Depth of each layer's top at (x, y): shape (..., n_layers). Outside the region clamps to its edge."""
        return self.layers.tops_mm(x_mm, y_mm)

    def layer_thickness_mm(self, x_mm, y_mm) -> np.ndarray:
        """Thickness of each layer at (x, y): shape (..., n_layers); the last one is infinite."""
        return self.layers.thickness_mm(x_mm, y_mm)

    def layer_index_at(self, x_mm, y_mm, depth_mm) -> np.ndarray:
        """Index into case.anatomy.layers of the layer each depth falls in (int8), ignoring tubes."""
        return self.layers.index_at(*_coords(x_mm, y_mm, depth_mm))

    def pleura_depth_mm(self, x_mm, y_mm) -> float | None:
        """Depth of the top of the (first) pleura layer at (x, y), or None when the case has none."""
        if self._pleura_layer is None:
            return None
        tops = self.layers.point_tops_mm(_scalar(x_mm, "x_mm"), _scalar(y_mm, "y_mm"))
        return float(tops[self._pleura_layer])

    # ------------------------------------------------------------------ sampling

    def sample_points(self, x_mm, y_mm, depth_mm, probe_pressure: float = 0.0) -> TissueSample:
        """Labels, layer, muscle, fibre direction and trigger point at arrays of points of any shape.

        probe_pressure (0..1) flattens compressible veins; the default leaves them round.
        """
        x, y, d = _coords(x_mm, y_mm, depth_mm)
        pressure = _scalar(probe_pressure, "probe_pressure")
        with np.errstate(invalid="ignore"):  # NaN or infinite points come back as skin, quietly
            return self._sample_points(x, y, d, pressure)

    def _sample_points(self, x, y, d, pressure: float) -> TissueSample:
        shape = d.shape
        x, y, d = x.ravel(), y.ravel(), d.ravel()
        layer_index = self.layers.index_at(x, y, d)
        labels = self.layer_labels[layer_index]
        muscle = self.layer_muscle_index[layer_index]
        fibre = self.layer_fibre_direction_deg[layer_index]
        tp_index = np.full(d.shape, -1, dtype=np.int8)
        # Bounding boxes only save work (a shape's own test decides): a single point checks
        # them in plain Python, a small batch skips them, a big batch selects the points inside.
        point = (float(x[0]), float(y[0]), float(d[0])) if d.size == 1 else None
        everything = slice(None) if d.size <= 64 else None

        for k, ellipsoid in enumerate(self.ellipsoids):
            if point is not None and not _point_in_box(self._tp_boxes[k], point):
                continue
            sel = everything or self._in_box(self._tp_boxes[k], x, y, d)
            if everything is None and not sel.size:
                continue
            sub_labels, sub_tp = labels[sel], tp_index[sel]
            hit = (ellipsoid.norm(x[sel], y[sel], d[sel]) <= 1.0) & self.trigger_point_hosts[k][layer_index[sel]]
            sub_labels[hit] = self.trigger_point_label
            sub_tp[hit] = k
            labels[sel], tp_index[sel] = sub_labels, sub_tp
        if self.extras.active:
            self.extras.apply_points(x, y, d, layer_index, labels, muscle, fibre, tp_index)
        for k, tube in enumerate(self.tubes):
            if point is not None and not _point_in_box(self._tube_boxes[k], point):
                continue
            sel = everything or self._in_box(self._tube_boxes[k], x, y, d)
            if everything is None and not sel.size:
                continue
            hit = tube.inside(x[sel], y[sel], d[sel], pressure)
            for array, value in (
                (labels, self.tube_labels[k]), (muscle, self.tube_muscle_index[k]),
                (fibre, tube.fibre_direction_deg), (tp_index, -1),
            ):
                part = array[sel]
                part[hit] = value
                array[sel] = part
        return TissueSample(
            labels.reshape(shape), layer_index.reshape(shape), muscle.reshape(shape),
            fibre.reshape(shape), tp_index.reshape(shape),
        )

    @staticmethod
    def _in_box(bbox, x, y, d) -> np.ndarray:
        lo, hi = bbox
        inside = (x >= lo[0]) & (x <= hi[0]) & (y >= lo[1]) & (y <= hi[1]) & (d >= lo[2]) & (d <= hi[2])
        return np.flatnonzero(inside)

    def labels_at(self, x_mm, y_mm, depth_mm, probe_pressure: float = 0.0) -> np.ndarray:
        """Label ids (uint8, index into TISSUE_LABELS) at points of any broadcastable shape."""
        return self.sample_points(x_mm, y_mm, depth_mm, probe_pressure).labels

    def _sample_one(self, x_mm, y_mm, depth_mm, probe_pressure: float) -> TissueSample:
        """sample_points for one point, without per-tube Python loops (the needle calls this a lot)."""
        x, y, d = _scalar(x_mm, "x_mm"), _scalar(y_mm, "y_mm"), _scalar(depth_mm, "depth_mm")
        pressure = _scalar(probe_pressure, "probe_pressure")
        layer = self.layers.point_index(x, y, d)
        label, muscle = int(self.layer_labels[layer]), int(self.layer_muscle_index[layer])
        fibre, tp = float(self.layer_fibre_direction_deg[layer]), -1
        for k, ellipsoid in enumerate(self.ellipsoids):
            if _point_in_box(self._tp_boxes[k], (x, y, d)) and self.trigger_point_hosts[k][layer]:
                if ellipsoid.norm(x, y, d) <= 1.0:
                    label, tp = self.trigger_point_label, k
        if self.extras.active:
            arrays = [np.array([v]) for v in (x, y, d, layer, label, muscle, fibre, tp)]
            self.extras.apply_points(*arrays)
            label, muscle, fibre, tp = (arrays[4][0], arrays[5][0], float(arrays[6][0]), arrays[7][0])
        inside = np.flatnonzero(self._segments.inside(x, y, d, pressure))
        if inside.size:
            k = int(inside[-1])  # the last tube in paint order wins
            label, muscle, tp = self.tube_labels[k], self.tube_muscle_index[k], -1
            fibre = self.tubes[k].fibre_direction_deg
        return TissueSample(
            np.uint8(label), np.int8(layer), np.int8(muscle), np.float32(fibre), np.int8(tp)
        )

    def tissue_at(self, x_mm, y_mm, depth_mm, probe_pressure: float = 0.0) -> str:
        """Name of the tissue at one point."""
        return TISSUE_LABELS[int(self._sample_one(x_mm, y_mm, depth_mm, probe_pressure).labels)]

    def muscle_at(self, x_mm, y_mm, depth_mm, probe_pressure: float = 0.0) -> str | None:
        """Name of the muscle at one point (trigger points count as their muscle), or None."""
        index = int(self._sample_one(x_mm, y_mm, depth_mm, probe_pressure).muscle_index)
        return self.muscle_names[index] if index >= 0 else None

    def fibre_direction_deg_at(self, x_mm, y_mm, depth_mm) -> float | None:
        """Fibre direction on the skin (degrees from +x) of the muscle at one point, or None."""
        value = float(self._sample_one(x_mm, y_mm, depth_mm, 0.0).fibre_direction_deg)
        return None if math.isnan(value) else value

    def trigger_point_at(self, x_mm, y_mm, depth_mm) -> TriggerPoint | None:
        """The trigger point whose ellipsoid (inside its muscle) holds this point, or None."""
        index = int(self._sample_one(x_mm, y_mm, depth_mm, 0.0).trigger_point_index)
        return self.trigger_points[index] if index >= 0 else None

    def distances(self, x_mm, y_mm, depth_mm, probe_pressure: float = 0.0) -> list[StructureDistance]:
        """Signed distance to every vessel, nerve and cylinder wall, the pleura and each bone layer's top.

        Tubes: negative inside. Pleura and bone layers: top depth minus the point's depth, so
        positive above and negative once through.
        """
        x, y, d = _scalar(x_mm, "x_mm"), _scalar(y_mm, "y_mm"), _scalar(depth_mm, "depth_mm")
        pressure = _scalar(probe_pressure, "probe_pressure")
        wall_mm = self._segments.surface_distance_mm(x, y, d, pressure).tolist()
        result = [StructureDistance(self.tubes[k].kind, self.tubes[k].name, wall_mm[k]) for k in self._distance_order]
        if self._pleura_layer is not None or self._bone_layers:
            tops = self.layers.point_tops_mm(x, y)
            if self._pleura_layer is not None:
                result.append(StructureDistance("pleura", "pleura", float(tops[self._pleura_layer] - d)))
            for i in self._bone_layers:
                name = self.case.anatomy.layers[i].name or f"bone layer {i}"
                result.append(StructureDistance("bone", name, float(tops[i] - d)))
        result += [StructureDistance("bone", name, distance) for name, distance in plate_distances(self.extras.plates, x, y, d)]
        return result

    # ------------------------------------------------------------------ planes

    def slice(
        self, probe: ProbePose, width_mm: float, depth_mm: float, shape: tuple[int, int] = (512, 512)
    ) -> PlaneSlice:
        """What the vertical plane under the probe cuts: a PlaneSlice of (H, W) maps, cached per pose.

        The pose is rounded to 0.01 mm / 0.01 deg / 0.01 pressure first and the slice is computed
        for the rounded pose, so a cached answer never depends on call history.
        """
        width, depth = _scalar(width_mm, "width_mm"), _scalar(depth_mm, "depth_mm")
        if width <= 0 or depth <= 0:
            raise ValueError(f"slice needs a positive width and depth, got {width} x {depth} mm")
        try:
            height_px, width_px = (int(n) for n in shape)
        except (TypeError, ValueError):
            raise ValueError(f"shape must be (rows, columns), got {shape!r}") from None
        if height_px < 1 or width_px < 1 or height_px * width_px > 16_000_000:
            raise ValueError(f"shape must be positive and at most 16 million pixels, got {shape!r}")
        if not all(math.isfinite(float(v)) for v in (probe.x_mm, probe.y_mm, probe.heading_deg, probe.pressure)):
            raise ValueError(f"the probe pose must be finite, got {probe}")
        pose = rounded_pose(probe)
        key = (pose, width, depth, height_px, width_px)
        cached = self._slice_cache.get(key)
        if cached is not None:
            self._slice_cache.move_to_end(key)
            return cached
        result = compute_slice(self, pose, width, depth, (height_px, width_px))
        self._slice_cache[key] = result
        while len(self._slice_cache) > SLICE_CACHE_SIZE:
            self._slice_cache.popitem(last=False)
        return result


def _muscle_pennations(anatomy, muscle_names: tuple[str, ...]) -> np.ndarray:
    """Pennation angle (deg) per muscle index, for the long-axis fascicle texture.

    A region takes its own angle or its layer's; a muscle tube (no angle in the case) the first
    muscle layer's, which was the one angle of every muscle before muscles had their own."""
    muscle_layers = [l for l in anatomy.layers if l.tissue == "muscle"]
    default = muscle_layers[0].pennation_deg if muscle_layers else 12.0
    angle = dict.fromkeys(muscle_names, default)
    for layer in reversed(muscle_layers):  # the first layer of a muscle wins
        for region in reversed(layer.regions):
            angle[region.name] = layer.pennation_deg if region.pennation_deg is None else region.pennation_deg
        angle[layer.name] = layer.pennation_deg
    return np.array([angle[name] for name in muscle_names], dtype=np.float32)
