"""A curvilinear image is its fan grid scan-converted: the image shows the envelope under its own TGC,
the arteries and trigger points are found where the image shows them, and the maps made only on
demand (attenuation, labels) are the fan's maps as the image shows them."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.anatomy import LABEL, AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine
from simulator.core.ultrasound.runs import plane_runs, run_blobs
from simulator.core.ultrasound.scan_geometry import make_geometry, sector_box, sector_map
from simulator.core.ultrasound.synth import display

from .conftest import case_with

SETTINGS = ScanSettings(depth_cm=6.0, freq_mhz=5.0, gain_db=2.0)


@pytest.fixture(scope="module")
def sector_engine():
    case = case_with(**{"ultrasound.probe": "curvilinear", "ultrasound.freq_mhz_min": 2,
                        "ultrasound.freq_mhz": 5, "ultrasound.depth_cm": 6})
    return UltrasoundEngine(AnatomyModel(case), seed=3, size_px=(256, 240))


def _shown(geometry, fan_rows: slice, fan_cols: slice) -> np.ndarray:
    """(H, W) True where a pixel shows a fan-grid cell of the box."""
    sector = sector_map(geometry)
    return ((sector.source_row >= fan_rows.start) & (sector.source_row < fan_rows.stop)
            & (sector.source_col >= fan_cols.start) & (sector.source_col < fan_cols.stop))


@pytest.mark.parametrize("depth_cm", [3.0, 8.0, 16.0])
@pytest.mark.parametrize("shape", [(512, 512), (300, 200), (64, 64)])
def test_every_pixel_showing_a_fan_box_lies_in_its_sector_box(depth_cm, shape):
    geometry = make_geometry("curvilinear", depth_cm * 10.0, 20.0, shape)
    height, width = shape
    rng = np.random.default_rng(int(depth_cm * 100) + height)
    for _ in range(60):
        i0, j0 = int(rng.integers(1, height - 2)), int(rng.integers(1, width - 2))
        rows = slice(i0, int(rng.integers(i0 + 1, min(height - 1, i0 + 30) + 1)))
        cols = slice(j0, int(rng.integers(j0 + 1, min(width - 1, j0 + 30) + 1)))
        shown = _shown(geometry, rows, cols)
        box_rows, box_cols = sector_box(geometry, rows, cols)
        inside = np.zeros(shape, dtype=bool)
        inside[box_rows, box_cols] = True
        assert not (shown & ~inside).any()
        # and the box is the ring sector's, not the image: a small fan box gives a small image box
        if rows.stop - rows.start < 10 and cols.stop - cols.start < 10:
            assert inside.sum() < shape[0] * shape[1] / 8


def test_a_fan_box_on_the_edge_of_the_grid_gives_the_whole_image():
    """Pixels outside the sector show the nearest beam or range: an edge box is shown there too."""
    geometry = make_geometry("curvilinear", 60.0, 20.0, (200, 200))
    edge = (slice(100, 110), slice(0, 3))  # the first beams: the wedge left of the sector shows them
    shown = _shown(geometry, *edge)
    assert (shown & ~sector_map(geometry).inside).any()
    assert sector_box(geometry, *edge) == (slice(0, 200), slice(0, 200))
    assert sector_box(geometry, slice(100, 110), slice(1, 3)) != (slice(0, 200), slice(0, 200))


def test_the_sector_image_is_its_envelope_under_the_tgc_of_each_pixels_depth(sector_engine):
    frame = sector_engine.frame(ProbePose(60, 40, 0), SETTINGS)
    geometry = frame.geometry
    sector = sector_map(geometry)
    depth_axis = (np.arange(geometry.shape[0]) + 0.5) * geometry.mm_per_px[0]
    tgc = sector_engine.display_tgc_db(depth_axis, SETTINGS, geometry.depth_mm)[sector.source_row]
    expected = display(np.ascontiguousarray(frame.envelope), tgc, SETTINGS.gain_db)
    assert np.array_equal(frame.image[sector.inside], expected[sector.inside])
    assert (frame.image[~sector.inside] == 0).all() and (frame.envelope[~sector.inside] == 0).all()
    assert frame.image[sector.inside].mean() > 20


def test_arteries_and_trigger_points_are_the_blobs_the_image_shows(sector_engine):
    """Found over a box round them only, they are the blobs of the whole scan-converted label map."""
    base = sector_engine._base(ProbePose(60, 45, 90), SETTINGS)  # across the artery, over the trigger point
    runs = plane_runs(np.ascontiguousarray(base.labels.T))
    for found, tissue in ((base.arteries, "artery"), (base.trigger_points, "trigger_point")):
        whole = run_blobs(runs, LABEL[tissue])
        assert whole, tissue  # the view holds one of each
        assert [(box, mask.tolist()) for box, mask in found] == [(box, mask.tolist()) for box, mask in whole]


def test_maps_made_on_demand_are_the_fan_maps_the_image_shows(sector_engine):
    """The labels and trigger point index of each pixel are those of the plane cell its fan cell samples."""
    pose = ProbePose(61, 40, 3)
    base = sector_engine._base(pose, SETTINGS)
    geometry = base.geometry
    sector = sector_map(geometry)
    plane = sector_engine.anatomy.slice(pose, geometry.width_mm, geometry.depth_mm, sector_engine.shape)
    rows = sector.source_row
    cols = sector.plane_col[rows, sector.source_col]
    assert np.array_equal(base.tp_index, plane.trigger_point_index[rows, cols])
    assert np.array_equal(base.labels, plane.labels[rows, cols])
    # the attenuation: what the needle reads below the skin, falling with depth down the middle column
    middle = base.attenuation[sector.inside[:, geometry.shape[1] // 2], geometry.shape[1] // 2]
    assert middle[0] > middle[middle.size // 4] > 0  # (the lung under the pleura stops it)
    assert not base.attenuation.flags.writeable and not base.labels.flags.writeable
