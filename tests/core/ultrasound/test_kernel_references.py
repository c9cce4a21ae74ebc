"""The compiled passes give the pixels of a straightforward computation: compose's lateral blur
(done four columns at a time) is the per-row Gaussian with the edge columns repeated, whatever the
image's width, and reverberate's A-lines are the copies of the pleural band the model describes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.core.ultrasound import kernels


def _reference_blur(rho_t: np.ndarray, blur_t: np.ndarray) -> np.ndarray:
    """Column c of the blurred (W, H) reflectivity: sum over k of weight[k, row] x rho[clamped c + k]."""
    width = rho_t.shape[0]
    half = (blur_t.shape[0] - 1) // 2
    out = np.zeros_like(rho_t, dtype=np.float64)
    for c in range(width):
        for k in range(-half, half + 1):
            out[c] += blur_t[half + k].astype(np.float64) * rho_t[min(max(c + k, 0), width - 1)]
    return out


def _compose_flat_speckle(rho_t: np.ndarray, blur_t: np.ndarray, att_of_column: np.ndarray | None = None,
                          spread: np.ndarray | None = None) -> np.ndarray:
    """compose's envelope of one run per column with tissue echo rho_t (W, H) under the attenuation
    att_of_column (one value a column, default 1), speckle 1 + 0j everywhere, no noise, no specular
    lines; shadows fill in over spread[row] columns (default none): the reflectivity itself."""
    width, height = rho_t.shape
    att_start = np.ones(width) if att_of_column is None else np.asarray(att_of_column, dtype=np.float64)
    spread = np.zeros(height, np.int64) if spread is None else spread
    u64 = np.uint64
    run_ptr = np.arange(width + 1, dtype=np.int64)
    zeros_w = np.zeros(width, dtype=np.float32)
    table = np.zeros((width, 2 * height), dtype=np.float32)
    table[:, 0::2] = 1.0
    powers = np.ones((1, height), dtype=np.float32)
    texture = np.zeros((width, height), dtype=np.float32)
    ones_w = np.ones(width, dtype=np.float32)
    envelope = np.empty((width, height), dtype=np.float32)
    # attenuation 1 down each run; the short-axis texture (weight 1, column c reads texture column c) is rho
    kernels.compose(run_ptr, np.zeros(width, u64), np.full(width, height, u64), np.zeros(width, np.int64),
                    np.zeros(width, np.int64), np.zeros(width, np.intp), zeros_w, ones_w, zeros_w, zeros_w, zeros_w,
                    att_start, np.zeros(width), powers, np.ascontiguousarray(rho_t), texture[None], texture, texture,
                    np.arange(width, dtype=u64), (table,), np.arange(width, dtype=u64), np.arange(width, dtype=u64),
                    np.ones(width, np.float32), zeros_w, np.zeros(4, np.int64), np.zeros((1, 1), np.float32), 0.0,
                    np.zeros((width, 2 * height), np.float32), np.zeros((width, height), np.float32), blur_t,
                    spread, np.array([0, width], np.int64), envelope, np.empty((width, height), np.float32),
                    np.empty((kernels.BLUR_BLOCK, height), np.float32), np.empty((width, height), np.float32), False,
                    u64(0), u64(width))
    return envelope


@pytest.mark.parametrize("width", [1, 3, 4, 11, 37])
@pytest.mark.parametrize("half", [0, 1, 2, 5])
def test_the_blurred_reflectivity_is_the_per_row_gaussian_with_edges_repeated(width, half):
    rng = np.random.default_rng(width * 10 + half)
    height = 24
    sigma = np.linspace(0.4, 2.5, height)
    k = np.arange(-half, half + 1)[:, None]
    blur_t = np.exp(-0.5 * (k / sigma[None, :]) ** 2)
    blur_t = (blur_t / blur_t.sum(axis=0)).astype(np.float32)
    rho_t = rng.uniform(0.1, 2.0, (width, height)).astype(np.float32)
    rho_t[width // 2] *= 50.0  # a bright column: its blur must reach exactly half taps each side
    got = _compose_flat_speckle(rho_t, blur_t)
    reference = _reference_blur(rho_t, blur_t)
    np.testing.assert_allclose(got, reference, rtol=2e-6)


def test_a_wrong_blur_would_be_seen():
    """The comparison above is sharp enough to catch a tap taken from the wrong column."""
    rng = np.random.default_rng(3)
    height, half = 16, 2
    blur_t = np.full((2 * half + 1, height), 1.0 / (2 * half + 1), dtype=np.float32)
    rho_t = rng.uniform(0.1, 2.0, (9, height)).astype(np.float32)
    shifted = np.roll(rho_t, 1, axis=0)
    assert not np.allclose(_compose_flat_speckle(rho_t, blur_t), _reference_blur(shifted, blur_t), rtol=2e-6)


def _reference_a_lines(env_t, pleura_row, strength, tgc_gain, above, below, decay, haze, count):
    """The A-lines as the model states them, row by row: the column down to the pleural band's bottom
    copied k (p + 1) rows deeper, decay**k fainter (the rows above the band as a haze), each copy in
    display terms, where it is brighter than what is there."""
    out = env_t.astype(np.float32).copy()
    width, height = out.shape
    for c in range(width):
        p = int(pleura_row[c])
        if p <= 0:
            continue
        top = min(p + below + 1, height)
        factor = np.float32(1.0)
        for k in range(1, count + 1):
            factor = np.float32(factor * decay)
            for s in range(0, top):
                r = s + k * (p + 1)
                if top <= r < height:
                    w = factor if s >= p - above else np.float32(factor * haze * strength[c])
                    value = np.float32(np.float32(np.float32(out[c, s] * w) * tgc_gain[s]) / tgc_gain[r])
                    out[c, r] = max(out[c, r], value)
    return out


def test_the_a_lines_are_the_pleural_band_copied_at_whole_multiples_of_its_depth():
    rng = np.random.default_rng(11)
    width, height = 9, 120
    env_t = rng.uniform(1e-3, 1.0, (width, height)).astype(np.float32)
    pleura_row = np.array([0, 10, 25, 40, 59, 60, 100, 118, -1], dtype=np.int64)
    strength = rng.uniform(0.0, 1.0, width).astype(np.float32)
    tgc_gain = np.power(np.float32(10), np.linspace(0, 40, height, dtype=np.float32) / np.float32(20))
    above, below, decay, haze, count = 3, 2, np.float32(0.5), np.float32(0.05), 6
    got = env_t.copy()
    no_lung = np.zeros(width, np.float32)
    table = np.ones((1, 2 * height), np.float32)
    columns = np.zeros(width, np.uint64)
    kernels.reverberate(got, pleura_row, strength, tgc_gain, above, below, decay, haze, count, no_lung,
                        np.float32(math.log(0.99)), table, columns, columns, np.ones(width, np.float32),
                        no_lung, no_lung)
    reference = _reference_a_lines(env_t, pleura_row, strength, tgc_gain, above, below, decay, haze, count)
    np.testing.assert_allclose(got, reference, rtol=1e-6)
    assert not np.array_equal(got, env_t)  # copies were laid: the comparison is not of two untouched arrays


def _reference_fill_in(rho_t: np.ndarray, att_of_column: np.ndarray, spread: np.ndarray) -> np.ndarray:
    """The shadow fill-in as the model states it: where the attenuation averaged over the spread[row]
    columns each side (inside the image) is higher than the pixel's own, the pixel is lifted to it."""
    width, height = rho_t.shape
    att = np.asarray(att_of_column, dtype=np.float32).astype(np.float64)
    out = rho_t.astype(np.float64) * att[:, None]
    for c in range(width):
        for r in range(height):
            h = int(spread[r])
            if h > 0:
                mean = att[max(c - h, 0): min(c + h, width - 1) + 1].mean()
                if mean > att[c]:
                    out[c, r] *= mean / att[c]
    return out


@pytest.mark.parametrize("width", [5, 13, 40])
def test_a_shadow_fills_in_from_its_sides_to_the_attenuation_averaged_around_it(width):
    height = 30
    rng = np.random.default_rng(width)
    rho_t = rng.uniform(0.5, 1.5, (width, height)).astype(np.float32)
    att = rng.uniform(0.2, 1.0, width)
    att[width // 3: width // 3 + 3] = 1e-3  # a bone's shadow three columns wide
    spread = (np.arange(height) // 6).astype(np.int64)  # wider with depth, in bands of rows
    got = _compose_flat_speckle(rho_t, np.ones((1, height), np.float32), att, spread)
    reference = _reference_fill_in(rho_t, att, spread)
    np.testing.assert_allclose(got, reference, rtol=2e-6)
    plain = _compose_flat_speckle(rho_t, np.ones((1, height), np.float32), att)
    shadow = slice(width // 3, width // 3 + 3)
    assert (got[shadow, -1] > 10 * plain[shadow, -1]).all()  # deep in the shadow the sides' sound arrives
    np.testing.assert_array_equal(got[:, :6], plain[:, :6])  # no spread at the top: nothing moves
