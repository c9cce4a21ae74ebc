"""UltrasoundEngine: B-mode frames of a case's anatomy under a probe (the one place that reads AnatomyModel).

A frame is a cached base (everything that depends only on the pose and the scanner
settings: tissue, speckle, texture, interfaces, attenuation) plus cheap moving layers
drawn on top each frame: arterial pulsation, pleural sliding, the local twitch, the
needle, injectate and colour Doppler. Same inputs -> the same frame, byte for byte.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from simulator.core.anatomy import LABEL, TISSUE_LABELS, AnatomyModel, rounded_pose
from simulator.core.geometry import PROBE_FOOTPRINT_MM, NeedleGeometry, ProbePose
from simulator.core.ultrasound import dynamics, table_cache
from simulator.core.ultrasound.aponeurosis import aponeurosis_layers, paint_aponeuroses
from simulator.core.ultrasound.doppler import DopplerPlane, box_corners, doppler_overlay, vessel_flows
from simulator.core.ultrasound.injectate import draw_bolus
from simulator.core.ultrasound.needle import draw_needle
from simulator.core.ultrasound.psf import FWHM_PER_SIGMA, axial_fwhm_mm, lateral_fwhm_mm
from simulator.core.ultrasound.runs import plane_runs, run_blobs
from simulator.core.ultrasound.scan_conversion import Deferred, FanView, SectorScan, resolved
from simulator.core.ultrasound.scan_geometry import ImageGeometry, make_geometry
from simulator.core.ultrasound.speckle import TABLE_COLUMNS
from simulator.core.ultrasound.synth import (
    GREY_PER_OCTAVE, NOISE_AMPLITUDE, TEXTURE_FAT, TEXTURE_MUSCLE, TEXTURE_NERVE, PlaneMaps, TissueLut, display,
    display_boxes, grey_offset, synthesize,
)
from simulator.core.ultrasound.texture import TextureTables
from simulator.core.ultrasound.tgc import display_tgc_db
from simulator.core.ultrasound.types import Bolus, Frame, ScanSettings

BASE_CACHE_SIZE = 4
# A needle's pneumothorax is a pocket of air between the pleurae round the breach; past its edge the
# lung still slides (the lung point). Its size on the skin is an authoring choice: a small iatrogenic one.
POCKET_RADIUS_MM = 25.0
B_LINE_WIDTH_MM = 1.0  # full width at half maximum of a B-line
TABLE_MARGIN_ROWS = 16
WALL_ECHO = {"artery": 0.25, "vein": 0.12, "nerve": 0.15, "fascia": 0.12, "pleura": 0.1}
TEXTURES = {"muscle": TEXTURE_MUSCLE, "trigger_point": TEXTURE_MUSCLE, "fat": TEXTURE_FAT, "nerve": TEXTURE_NERVE}
# tilt (deg) at which a fibrous tissue's echo falls to 1/e (anisotropy): fascia like a tendon, then nerve, muscle
ANISOTROPY_DEG = {"fascia": 7.0, "nerve": 10.0, "muscle": 10.0, "trigger_point": 10.0}


@dataclass(frozen=True, eq=False)
class _Base:
    """Everything about a frame that depends only on the pose and the settings."""

    geometry: ImageGeometry
    envelope: np.ndarray
    attenuation_map: np.ndarray | Deferred  # read as .attenuation; a sector's is scan-converted on first use
    image: np.ndarray
    gain_db: float
    tgc_db: np.ndarray  # (H,) per row; a sector's (H, W) per pixel
    labels_map: np.ndarray | Deferred  # read as .labels
    tp_index_map: np.ndarray | Deferred  # read as .tp_index
    pleura_row: np.ndarray
    pleura_level: np.ndarray  # (W,) the pleural echo as shown: dark under a rib, so the lung slides under its shadow
    lateral_axis_mm: np.ndarray
    depth_map_mm: np.ndarray  # (H, 1) linear, (H, W) sector
    inside: np.ndarray | None  # sector mask
    flows: DopplerPlane | None
    arteries: list
    trigger_points: list
    # what the moving parts work out once per base (dynamics.py); shared by its re-displays at another gain
    memo: dict = field(default_factory=dict, repr=False)

    @property
    def attenuation(self) -> np.ndarray:
        return resolved(self.attenuation_map)

    @property
    def labels(self) -> np.ndarray:
        return resolved(self.labels_map)

    @property
    def tp_index(self) -> np.ndarray:
        return resolved(self.tp_index_map)


def b_line_weights(pose: ProbePose, lateral_axis_mm: np.ndarray, count: int) -> np.ndarray:
    """(W,) 0..1 where B-lines run: `count` per probe footprint, anchored on the skin along the
    probe's axis (sliding the probe slides them), each about B_LINE_WIDTH_MM wide."""
    spacing = PROBE_FOOTPRINT_MM["linear"] / count
    h = math.radians(pose.heading_deg)
    along = pose.x_mm * math.cos(h) + pose.y_mm * math.sin(h) + lateral_axis_mm
    offset = (along / spacing) % 1.0 - 0.5  # 0 at a line's centre
    return np.exp(-0.5 * (offset * spacing / (B_LINE_WIDTH_MM / 2.355)) ** 2).astype(np.float32)


class UltrasoundEngine:
    """B-mode frames from an AnatomyModel. Owns its random streams (derived from `seed`)."""

    def __init__(self, anatomy: AnatomyModel, seed: int, size_px: tuple[int, int] = (512, 512)):
        height, width = (int(n) for n in size_px)
        if not (32 <= height <= 2048 and 32 <= width <= 2048):
            raise ValueError(f"size_px must be between 32 and 2048 pixels each way, got {size_px!r}")
        self.anatomy = anatomy
        self.case = anatomy.case
        self.shape = (height, width)
        scatter_rng, texture_rng, noise_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3))
        self._texture_rng_seed = int(texture_rng.integers(0, 2**63))
        # its tables are drawn from scatter_rng when first needed, or read from the disk cache (table_cache.py)
        self.field = table_cache.scatterer_field(scatter_rng, seed, height + TABLE_MARGIN_ROWS, width, keep_rows=height)
        noise = noise_rng.standard_normal((height, width, 2), dtype=np.float32)
        noise = (noise[..., 0] + 1j * noise[..., 1]).astype(np.complex64) * np.complex64(NOISE_AMPLITUDE / math.sqrt(2))
        self._noise = np.ascontiguousarray(noise.T)  # column-major like the synthesis
        self.lut = self._lut()
        self._textures: dict[tuple, TextureTables] = {}
        self._bases: OrderedDict = OrderedDict()
        self._fibre_at_bolus: dict[tuple, float | None] = {}
        self.probe_kind = self.case.ultrasound.probe
        # one long-axis fascicle table per distinct pennation; muscle index -> table (index + 1: -1 is no muscle)
        pennation = anatomy.muscle_pennation_deg
        self._pennations_deg = tuple(dict.fromkeys(float(a) for a in pennation)) or (12.0,)
        tables = [self._pennations_deg.index(float(a)) for a in pennation]
        self._fascicles_of_muscle = np.array([0, *tables], dtype=np.intp)
        # two layers with the same label (two muscles) may differ in fibre angle: split runs by layer too
        layer_labels = list(anatomy.layer_labels)
        self._split_layers = len(set(layer_labels)) < len(layer_labels)
        self._aponeuroses = aponeurosis_layers(self.case)

    # ------------------------------------------------------------------ set-up

    def _lut(self) -> TissueLut:
        table = self.anatomy.acoustic_table()
        n = len(TISSUE_LABELS)
        amplitude = (table["scatter_amplitude"] * np.sqrt(np.clip(table["scatter_density"], 0, 1))).astype(np.float32)
        texture = np.array([TEXTURES.get(name, 0) for name in TISSUE_LABELS], dtype=np.uint8)
        wall = np.array([WALL_ECHO.get(name, 0.0) for name in TISSUE_LABELS], dtype=np.float32)
        air = np.zeros(n, dtype=bool)
        air[LABEL["lung"]] = True
        anisotropy = np.array([ANISOTROPY_DEG.get(name, 0.0) for name in TISSUE_LABELS], dtype=np.float32)
        return TissueLut(
            amplitude, table["scatter_density"].astype(np.float32), table["attenuation_db_cm_mhz"].astype(np.float32),
            table["impedance_mrayl"].astype(np.float32), texture, wall, air, anisotropy,
        )

    def display_tgc_db(self, depth_axis_mm: np.ndarray, settings: ScanSettings, image_depth_mm: float) -> np.ndarray:
        """Display gain per depth for these settings: automatic TGC for this case's muscle, the
        trainee's sliders and the focal band (tgc.py). It depends only on the settings: the last
        curve is kept (callers must not write to it), so a new pose does not rebuild it."""
        depth_axis = np.asarray(depth_axis_mm)
        key = (depth_axis.tobytes(), depth_axis.dtype.str, settings.freq_mhz, settings.tgc_db, settings.focus_mm,
               float(image_depth_mm))
        cached = getattr(self, "_tgc_cache", None)
        if cached is None or cached[0] != key:
            muscle = float(self.lut.attenuation_db_cm_mhz[LABEL["muscle"]])
            curve = display_tgc_db(depth_axis, settings.freq_mhz, muscle, settings, image_depth_mm)
            self._tgc_cache = cached = (key, curve)
        return cached[1]

    def _texture(self, row_mm: float, col_mm: float) -> TextureTables:
        key = (round(row_mm, 6), round(col_mm, 6))
        if key not in self._textures:
            self._textures.clear()  # one pitch at a time keeps memory bounded
            self._textures[key] = table_cache.texture_tables(self._texture_rng_seed, self.field.rows, TABLE_COLUMNS, row_mm,
                                                             col_mm, self._pennations_deg, self.shape[1], keep_rows=self.shape[0])
        return self._textures[key]

    def _fascicles_at(self, muscle_at):
        """(rows, cols) -> the long-axis texture of the muscle there, or None when every muscle shares one."""
        if len(self._pennations_deg) == 1:
            return None
        return lambda rows, cols: self._fascicles_of_muscle[np.asarray(muscle_at(rows, cols), dtype=np.intp) + 1]

    def _sector(self, geometry: ImageGeometry) -> SectorScan:
        """The fan's scan conversion depends only on the geometry: keep the last one."""
        cached = getattr(self, "_sector_cache", None)
        if cached is None or cached.geometry != geometry:
            self._sector_cache = SectorScan(geometry)
            self._sector_tgc_cache = None
        return self._sector_cache

    def _filtered(self, settings: ScanSettings, geometry: ImageGeometry) -> np.ndarray:
        """The speckle table filtered by this scanner setting's PSF (the field keeps the last one)."""
        key = (settings.freq_mhz, geometry.focus_mm, geometry.mm_per_px)
        if getattr(self, "_psf_key", None) != key:
            row_mm, col_mm = geometry.mm_per_px
            depth_axis = (np.arange(self.field.rows) + 0.5) * row_mm
            lateral_px = lateral_fwhm_mm(settings.freq_mhz, geometry.focus_mm, depth_axis) / col_mm
            self.field.filtered(axial_fwhm_mm(settings.freq_mhz) / row_mm, lateral_px)
            self._psf_key = key
        return self.field.filtered_table

    def _sector_tgc(self, geometry: ImageGeometry, settings: ScanSettings):
        """(W, H) TGC of each fan pixel (by its depth below the skin) and its grey-level offset, kept per setting."""
        key = (geometry, settings.freq_mhz, settings.gain_db, settings.tgc_db)
        if self._sector_tgc_cache is None or self._sector_tgc_cache[0] != key:
            depth_axis = (np.arange(geometry.shape[0]) + 0.5) * geometry.mm_per_px[0]
            curve = self.display_tgc_db(depth_axis, settings, geometry.depth_mm)
            tgc_t = np.ascontiguousarray(curve[self._sector_cache.source_row_t])
            self._sector_tgc_cache = (key, tgc_t, grey_offset(tgc_t, settings.gain_db))
        return self._sector_tgc_cache[1:]

    def psf_sigmas_px(self, settings: ScanSettings, geometry: ImageGeometry, depth_mm=None):
        """(axial sigma, lateral sigma at a depth) in pixels of this geometry."""
        row_mm, col_mm = geometry.mm_per_px
        depth = geometry.focus_mm if depth_mm is None else depth_mm
        axial = axial_fwhm_mm(settings.freq_mhz) / row_mm / FWHM_PER_SIGMA
        lateral = float(lateral_fwhm_mm(settings.freq_mhz, geometry.focus_mm, depth)) / col_mm / FWHM_PER_SIGMA
        return axial, lateral

    # ------------------------------------------------------------------ base (cached per pose)

    def _base(self, probe: ProbePose, settings: ScanSettings, pneumothorax: bool = False, tilt_deg: float = 0.0) -> _Base:
        pose = rounded_pose(probe)
        b_lines = self.case.ultrasound.b_lines if not pneumothorax else 0  # a pneumothorax has none
        tilt = round(float(tilt_deg), 1)
        key = (pose, settings.depth_cm, settings.freq_mhz, settings.focus_mm, settings.doppler, b_lines, tilt,
               settings.tgc_db, settings.speckle_reduction, settings.doppler_steer_deg if settings.doppler else 0.0)
        base = self._bases.get(key)
        if base is None:
            base = self._synthesize(pose, settings, b_lines, tilt)
            self._bases[key] = base
            while len(self._bases) > BASE_CACHE_SIZE:
                self._bases.popitem(last=False)
        else:
            self._bases.move_to_end(key)
        if base.gain_db != settings.gain_db:
            image = display(base.envelope, base.tgc_db, settings.gain_db)
            if base.inside is not None:
                image[~base.inside] = 0
            base = _Base(**{**base.__dict__, "image": image, "gain_db": settings.gain_db})
            self._bases[key] = base
        return base

    def _synthesize(self, pose: ProbePose, settings: ScanSettings, b_lines: int = 0, tilt_deg: float = 0.0) -> _Base:
        height, width = self.shape
        geometry = make_geometry(self.probe_kind, settings.depth_cm * 10.0, settings.focus_mm, self.shape)
        row_mm, col_mm = geometry.mm_per_px
        plane = self.anatomy.slice(pose, geometry.width_mm, geometry.depth_mm, self.shape)
        lateral_axis = plane.lateral_axis_mm
        columns = self.field.plane_columns(pose.x_mm, pose.y_mm, pose.heading_deg, lateral_axis, col_mm)
        linear = geometry.kind != "curvilinear"

        labels, tp_index, layer_index, fibre_at = plane.labels, plane.trigger_point_index, plane.layer_index, None
        muscle_at = plane.muscle_at
        if self._aponeuroses:
            x, y, _ = pose.to_world(lateral_axis, 0.0)
            labels = paint_aponeuroses(labels, layer_index, self.anatomy.layer_tops_mm(x, y), self._aponeuroses, row_mm)
        if not linear:
            # a sector is synthesised on its fan grid (column = beam line, row = range below the face), where
            # shadows and enhancement fall down the columns, and scan-converted below (scan_conversion.py)
            scan = self._sector(geometry)
            sector, plane_col = scan.sector, scan.sector.plane_col
            labels, layer_index = scan.fan_maps(labels, layer_index, self._split_layers)
            tp_index = FanView(tp_index, plane_col)  # read only round the trigger points (_trigger_point_gain)
            fibre_at = lambda rows, cols: plane.fibre_angle_at(rows, plane_col[rows, cols])  # noqa: E731
            muscle_at = lambda rows, cols: plane.muscle_at(rows, plane_col[rows, cols])  # noqa: E731
        runs = plane_runs(labels.T, layer_index.T if self._split_layers else None)
        tp_regions = run_blobs(runs, LABEL["trigger_point"])  # where tp_index >= 0: the same pixels
        maps = PlaneMaps(labels, None, self._trigger_point_gain(tp_index, tp_regions), columns, 0,
                         None, fibre_at or plane.fibre_angle_at, runs, self._fascicles_at(muscle_at))
        filtered = self._filtered(settings, geometry)
        textures = self._texture(row_mm, col_mm)
        tgc = self.display_tgc_db(plane.depth_axis_mm, settings, geometry.depth_mm)
        synth = synthesize(maps, self.lut, self.field, filtered, textures, self._noise, settings.freq_mhz, row_mm, tgc,
                           row_mm / col_mm, settings.gain_db if linear else None,
                           b_line_weights(pose, lateral_axis, b_lines) if b_lines and linear else None,
                           tilt_deg, settings.speckle_reduction)
        # the synthesis is column-major: (H, W) views whose .T are contiguous (W, H) arrays
        envelope_t, attenuation_t, pleura_row = synth.envelope.T, synth.attenuation.T, synth.pleura_row
        depth_map = plane.depth_axis_mm[:, None].astype(np.float32)
        tgc_t = tgc[None, :]
        inside = None
        if not linear:
            inside = sector.inside
            tgc_t, offset_t = self._sector_tgc(geometry, settings)
            envelope_t, image_t = scan.image(envelope_t, offset_t, GREY_PER_OCTAVE)
            # the other maps only where something reads them: the blobs' box now, the rest on first use
            arteries, tp_regions = scan.blobs(runs, labels.T)
            labels, attenuation = scan.bent(labels.T), scan.bent(attenuation_t)
            tp_index = scan.plane_map(plane.trigger_point_index)
            if settings.doppler:
                labels = labels()  # the vessels' flow below
            depth_map = sector.depth_mm
            pleura_row = np.full(width, -1)  # lung sliding is drawn on linear images only
        else:
            image_t = synth.image.T
            attenuation = attenuation_t.T
            attenuation.setflags(write=False)
            arteries = run_blobs(runs, LABEL["artery"])
        envelope, image = envelope_t.T, image_t.T
        tgc_map = tgc if linear else tgc_t.T  # per row, or per pixel of the fan
        for array in (envelope, image):
            array.setflags(write=False)
        flows = (vessel_flows(self.anatomy, pose, labels, lateral_axis, depth_map, geometry, settings.doppler_steer_deg)
                 if settings.doppler else None)
        return _Base(geometry, envelope, attenuation, image, settings.gain_db, tgc_map, labels, tp_index,
                     pleura_row, synth.pleura_level, lateral_axis, depth_map, inside, flows, arteries, tp_regions)

    def _trigger_point_gain(self, tp_index: np.ndarray, regions) -> tuple | None:
        """Amplitude factor inside the trigger points (their echo_contrast_db), over the box holding them."""
        if not regions:
            return None
        rows = slice(min(r.start for (r, _), _m in regions), max(r.stop for (r, _), _m in regions))
        cols = slice(min(c.start for (_, c), _m in regions), max(c.stop for (_, c), _m in regions))
        factors = np.array([10 ** (tp.echo_contrast_db / 20) for tp in self.case.trigger_points] + [1.0],
                           dtype=np.float32)
        return (rows, cols), factors[tp_index[rows, cols]]  # index -1 picks the trailing 1.0

    # ------------------------------------------------------------------ frames

    def frame(self, probe: ProbePose, settings: ScanSettings, *, needle: NeedleGeometry | None = None,
              boluses: Sequence[Bolus] = (), twitch: float = 0.0, time_s: float = 0.0,
              pneumothorax: bool = False, tilt_deg: float = 0.0,
              pneumothorax_xy_mm: tuple[float, float] | None = None) -> Frame:
        """The B-mode frame for this pose, settings and moment.

        tilt_deg: the probe's heel-toe tilt; it changes what fibrous tissue echoes (anisotropy),
        not where the image plane lies (the tilts a trainee uses move it well under a millimetre).
        pneumothorax_xy_mm: where the pleura was breached, when known: the air then fills a pocket
        POCKET_RADIUS_MM round it and the lung past its edge still slides, so a probe across the
        edge shows the lung point. Without it a pneumothorax stops the sliding everywhere.
        """
        if not isinstance(settings, ScanSettings):
            raise TypeError(f"settings must be a ScanSettings, got {type(settings).__name__}")
        base = self._base(probe, settings, pneumothorax, tilt_deg)
        envelope = np.copy(base.envelope)  # order "K": keeps the column-major layout, a plain memcpy
        image = np.copy(base.image)
        geometry = base.geometry
        boxes = []
        memo = base.memo

        heart_hz = self.case.patient.heart_rate_bpm / 60.0
        boxes += dynamics.pulsate_arteries(envelope, base.envelope, base.arteries, time_s, heart_hz, memo)
        if not pneumothorax:
            boxes += dynamics.slide_pleura(envelope, base.envelope, base.pleura_row, base.pleura_level, time_s, geometry,
                                           memo)
        elif pneumothorax_xy_mm is not None:  # the lung point: only the lung beyond the pocket slides
            sliding = self._outside_pocket(probe, base.lateral_axis_mm, pneumothorax_xy_mm)
            if sliding.any():
                rows = np.where(sliding, base.pleura_row, -1)
                boxes += dynamics.slide_pleura(envelope, base.envelope, rows, base.pleura_level, time_s, geometry)
        if twitch > 0:
            boxes += dynamics.twitch_band(envelope, base.envelope, base.trigger_points, float(min(twitch, 1.0)), geometry,
                                          memo)

        freq = settings.freq_mhz
        row_mm = geometry.mm_per_px[0]
        for bolus in boluses:
            box = draw_bolus(envelope, base.attenuation, bolus, self._bolus_direction_deg(bolus, probe), probe,
                             base.lateral_axis_mm, base.depth_map_mm, row_mm, freq,
                             float(self.lut.attenuation_db_cm_mhz[LABEL.get(bolus.tissue, LABEL["muscle"])]),
                             sector=base.inside is not None)
            if box is not None:
                boxes.append(box)

        tip_visible = False
        if needle is not None:
            axial, lateral = self.psf_sigmas_px(settings, geometry)
            drawn = draw_needle(envelope, base.attenuation, needle, probe, geometry, axial, lateral)
            tip_visible = drawn.tip_visible
            if drawn.box is not None:
                boxes.append(drawn.box)

        display_boxes(envelope, base.tgc_db, settings.gain_db, image, boxes, base.inside)

        doppler = mask = box = corners = None
        if settings.doppler and base.flows is not None:
            doppler, mask, box = doppler_overlay(base.flows, self.shape, time_s, heart_hz)
            corners = tuple(box_corners(box, base.flows.slant_px_per_row))
        return Frame(image, envelope, geometry, doppler, mask, box, tip_visible, doppler_corners=corners)

    @staticmethod
    def _outside_pocket(probe: ProbePose, lateral_axis_mm: np.ndarray, breach_xy_mm) -> np.ndarray:
        """(W,) True for image columns whose lung lies beyond the pneumothorax's air pocket."""
        x, y, _ = probe.to_world(lateral_axis_mm, 0.0)
        return np.hypot(x - breach_xy_mm[0], y - breach_xy_mm[1]) > POCKET_RADIUS_MM

    def _bolus_direction_deg(self, bolus: Bolus, probe: ProbePose) -> float:
        """Direction the pool elongates along: the muscle's fibres, else the probe's axis (round anyway)."""
        key = (round(bolus.x_mm, 3), round(bolus.y_mm, 3), round(bolus.depth_mm, 3))
        if key not in self._fibre_at_bolus:  # a bolus stays put while it grows: ask the anatomy once
            if len(self._fibre_at_bolus) > 64:
                self._fibre_at_bolus.clear()
            try:
                fibre = self.anatomy.fibre_direction_deg_at(bolus.x_mm, bolus.y_mm, bolus.depth_mm)
            except ValueError:
                fibre = None
            self._fibre_at_bolus[key] = float(fibre) if fibre is not None and math.isfinite(fibre) else None
        fibre = self._fibre_at_bolus[key]
        return fibre if fibre is not None else float(probe.heading_deg)
