"""The compiled search for the image block each shape can touch agrees with its plain definition.

compute_slice paints ellipsoids and tube segments only inside these blocks, so a block that is
too small would cut a vessel or a trigger point off the image.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.core.anatomy.slice import _blocks
from simulator.core.geometry import ProbePose


def interval(origin, step, lo, hi):
    if abs(step) < 1e-12:
        return (-math.inf, math.inf) if lo <= origin <= hi else (math.inf, -math.inf)
    a, b = (lo - origin) / step, (hi - origin) / step
    return (a, b) if a <= b else (b, a)


def index_range(lo, hi, start, step, n):
    if not hi >= lo:
        return 0, 0
    first = math.floor((lo - start) / step - 0.5) if math.isfinite(lo) else 0
    last = math.ceil((hi - start) / step - 0.5) if math.isfinite(hi) else n - 1
    return max(first, 0), min(last + 1, n)


def reference_block(probe, lo, hi, width_mm, depth_mm, shape):
    """Rows and columns of the pixel centres the probe's plane shows inside a world box (None: none)."""
    ax, ay = probe.axis
    tx = interval(probe.x_mm, ax, lo[0], hi[0])
    ty = interval(probe.y_mm, ay, lo[1], hi[1])
    height, width = shape
    c0, c1 = index_range(max(tx[0], ty[0]), min(tx[1], ty[1]), -width_mm / 2, width_mm / width, width)
    r0, r1 = index_range(lo[2], hi[2], 0.0, depth_mm / height, height)
    return None if c1 <= c0 or r1 <= r0 else (r0, r1, c0, c1)


@pytest.mark.parametrize("seed", range(8))
def test_blocks_match_the_plain_definition(seed):
    rng = np.random.default_rng(seed)
    for _ in range(200):
        heading = float(rng.choice([0.0, 90.0, 180.0, 270.0, 45.0, rng.uniform(0, 360)]))
        probe = ProbePose(rng.uniform(0, 100), rng.uniform(0, 100), heading)
        lo = rng.uniform(-20, 120, (6, 3))
        hi = lo + rng.uniform(-1, 30, (6, 3))
        shape = (int(rng.integers(32, 600)), int(rng.integers(32, 600)))
        got = _blocks(probe, lo, hi, 38.0, 40.0, shape)
        for i in range(6):
            r0, r1, c0, c1 = got[i]
            want = reference_block(probe, lo[i], hi[i], 38.0, 40.0, shape)
            if want is None:
                assert r1 <= r0 or c1 <= c0
            else:
                assert (r0, r1, c0, c1) == want


def test_a_box_under_the_probe_gets_its_block_and_one_beside_it_none():
    probe = ProbePose(50.0, 50.0, 0.0)  # the plane runs along x through y = 50
    lo = np.array([[45.0, 49.0, 5.0], [45.0, 60.0, 5.0]])
    hi = np.array([[55.0, 51.0, 10.0], [55.0, 62.0, 10.0]])
    under, beside = _blocks(probe, lo, hi, 38.0, 40.0, (400, 380))
    assert under == [49, 101, 139, 241]  # 5-10 mm deep at 0.1 mm a row, -5..5 mm at 0.1 mm a column
    assert beside[1] <= beside[0] or beside[3] <= beside[2]
