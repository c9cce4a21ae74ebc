"""The compiled run scan and run-based blob labelling agree with their plain definitions.

plane_runs and run_blobs replace numpy passes and scipy.ndimage.label in the per-pose
pipeline; here each is checked against the straightforward computation on random maps (odd
heights, layer splits, touching blobs) and on real slices of shipped cases.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from simulator import paths
from simulator.core.anatomy import LABEL, AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound.runs import plane_runs, run_blobs
from simulator.scenario import load_case
from simulator.scenario.loader import case_files


def reference_runs(labels: np.ndarray, layers: np.ndarray | None = None):
    """(col, row, length, label, boundary) of each run, straight from the definition, column by column."""
    height, width = labels.shape
    out = []
    for c in range(width):
        top = 0
        for r in range(1, height + 1):
            if r == height or labels[r, c] != labels[r - 1, c] or (layers is not None and layers[r, c] != layers[r - 1, c]):
                boundary = top > 0 and labels[top, c] != labels[top - 1, c]
                out.append((c, top, r - top, int(labels[top, c]), boundary))
                top = r
    return out


def reference_blobs(mask: np.ndarray):
    """Boxes and masks of the 4-connected blobs of a mask, as scipy.ndimage.label numbers them."""
    labelled, _count = ndimage.label(mask)
    return [(box, labelled[box] == i + 1) for i, box in enumerate(ndimage.find_objects(labelled))]


def as_tuples(runs):
    return list(zip(runs.col.tolist(), runs.row.tolist(), runs.length.tolist(), runs.label.tolist(),
                    runs.boundary.tolist()))


@pytest.mark.parametrize("seed", range(40))
def test_runs_and_blobs_match_their_definitions_on_random_maps(seed):
    rng = np.random.default_rng(seed)
    height, width = (int(n) for n in rng.integers(1, 45, 2))
    # blocky maps (long runs, like anatomy) and noisy ones (a change every row)
    block = int(rng.integers(1, 9))
    coarse = rng.integers(0, 4, (height // block + 1, width // block + 1)).astype(np.uint8)
    labels = np.ascontiguousarray(np.kron(coarse, np.ones((block, block), np.uint8))[:height, :width])
    layers = rng.integers(0, 2, (height, width)).astype(np.int8) if seed % 3 == 0 else None

    runs = plane_runs(np.ascontiguousarray(labels.T), None if layers is None else np.ascontiguousarray(layers.T))
    assert as_tuples(runs) == reference_runs(labels, layers)
    assert np.array_equal(runs.start, runs.col * height + runs.row)

    for label in range(4):
        got, want = run_blobs(runs, label), reference_blobs(labels == label)
        assert [box for box, _ in got] == [box for box, _ in want]
        for (_, mask), (_, expected) in zip(got, want):
            assert np.array_equal(mask, expected)


def test_a_changed_map_changes_the_runs():
    """The scan sees a change inside an otherwise uniform 64-bit word (it skips uniform words)."""
    labels = np.zeros((64, 3), np.uint8)
    assert plane_runs(np.ascontiguousarray(labels.T)).start.size == 3
    labels[37, 1] = 5
    runs = plane_runs(np.ascontiguousarray(labels.T))
    assert as_tuples(runs) == reference_runs(labels)
    assert [(c, r) for c, r, *_ in as_tuples(runs)] == [(0, 0), (1, 0), (1, 37), (1, 38), (2, 0)]


def test_many_runs_per_column_still_fit():
    """A map with a change at every row (more runs than the first guess of room) is scanned whole."""
    labels = np.ascontiguousarray((np.arange(40)[:, None] % 2 * np.ones((1, 5))).astype(np.uint8))
    runs = plane_runs(np.ascontiguousarray(labels.T))
    assert as_tuples(runs) == reference_runs(labels)


@pytest.mark.parametrize("path", case_files(paths.SCENARIOS_DIR)[:15], ids=lambda p: p.stem.split("_")[0])
def test_blobs_of_real_slices_match_ndimage(path):
    case = load_case(path)
    anatomy = AnatomyModel(case)
    pose = case.body_region.default_probe
    tp = case.trigger_points[0]
    for heading in (pose.heading_deg, pose.heading_deg + 90):
        probe = ProbePose(tp.x_mm, tp.y_mm, heading)
        plane = anatomy.slice(probe, 38.0, case.ultrasound.depth_cm * 10.0, (256, 320))
        labels = np.asarray(plane.labels)
        runs = plane_runs(np.ascontiguousarray(labels.T), np.ascontiguousarray(np.asarray(plane.layer_index).T))
        assert as_tuples(runs) == reference_runs(labels, np.asarray(plane.layer_index))
        for name in ("artery", "trigger_point", "vein"):
            got, want = run_blobs(runs, LABEL[name]), reference_blobs(labels == LABEL[name])
            assert [box for box, _ in got] == [box for box, _ in want]
            assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(got, want))
