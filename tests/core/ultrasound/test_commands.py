"""`tpi-sim render`: a PNG and the envelope on disk; bad arguments exit 2 with a message."""

from __future__ import annotations

import json
import zlib

import numpy as np
import pytest

from simulator.cli import main

from .conftest import FIXTURE


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return width, height


def test_render_writes_a_png_and_the_envelope(tmp_path, capsys):
    out, env = tmp_path / "frame.png", tmp_path / "env.npz"
    code = main(["render", str(FIXTURE), "--size", "128", "--depth-cm", "3", "--needle", "40,40,20,0,22",
                 "--out", str(out), "--envelope", str(env)])
    assert code == 0
    assert _png_size(out) == (128, 128)
    saved = np.load(env)
    assert saved["envelope"].shape == (128, 128) and saved["envelope"].dtype == np.float32
    assert np.allclose(saved["mm_per_px"], [30.0 / 128, 38.0 / 128])
    assert "tip in view" in capsys.readouterr().out


def test_render_doppler_png_is_rgb(tmp_path):
    out = tmp_path / "doppler.png"
    assert main(["render", str(FIXTURE), "--size", "96", "--doppler", "--probe", "60,60,0", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data[25] == 2  # colour type 2: RGB
    assert zlib.decompress(data[data.index(b"IDAT") + 4:])  # a readable image stream


def test_bad_arguments_exit_2_with_a_message(tmp_path, capsys):
    out = str(tmp_path / "x.png")
    assert main(["render", "no-such-case", "--out", out]) == 2
    assert "no case file" in capsys.readouterr().err
    assert main(["render", str(FIXTURE), "--depth-cm", "40", "--out", out]) == 2
    assert "depth_cm" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:  # argparse refuses the value: usage and exit status 2
        main(["render", str(FIXTURE), "--probe", "1,2", "--out", out])
    assert exited.value.code == 2
    assert "--probe" in capsys.readouterr().err


def _png_pixels(path) -> np.ndarray:
    """The pixels of a PNG written by the render command (one IDAT, filter 0 on every row)."""
    data = path.read_bytes()
    width, height = _png_size(path)
    colour = data[25]
    start = data.index(b"IDAT") + 4
    length = int.from_bytes(data[start - 8: start - 4], "big")
    raw = np.frombuffer(zlib.decompress(data[start: start + length]), dtype=np.uint8)
    channels = 3 if colour == 2 else 1
    return raw.reshape(height, width * channels + 1)[:, 1:].reshape(height, width, channels)


def _render(tmp_path, name, *flags) -> np.ndarray:
    out = tmp_path / f"{name}.png"
    assert main(["render", str(FIXTURE), "--size", "96", "--probe", "60,60,0", *flags, "--out", str(out)]) == 0
    return _png_pixels(out).astype(float)


def test_render_scanner_control_flags_change_the_picture(tmp_path):
    plain = _render(tmp_path, "plain")
    far_up = _render(tmp_path, "tgc", "--tgc", "0,0,15")
    third = plain.shape[0] // 3
    assert far_up[-third:].mean() > plain[-third:].mean() + 5  # the far slider brightens the bottom ...
    assert abs(far_up[:third // 2].mean() - plain[:third // 2].mean()) < 2  # ... not the top
    assert not np.array_equal(_render(tmp_path, "tilt", "--tilt", "20"), plain)
    assert not np.array_equal(_render(tmp_path, "speckle", "--no-speckle-reduction"), plain)
    doppler = _render(tmp_path, "doppler", "--doppler")
    assert not np.array_equal(_render(tmp_path, "steer", "--doppler", "--steer", "-20"), doppler)


@pytest.mark.parametrize("flags, message", [
    (["--tgc", "0,0"], "--tgc NEAR,MID,FAR must be 3 finite numbers separated by commas, got '0,0'"),
    (["--tgc", "0,30,0"], "--tgc values must each be -20..20 dB, got '0,30,0'"),
    (["--tilt", "45"], "--tilt must be -30..30 degrees, got '45'"),
    (["--tilt", "steep"], "--tilt must be a number, got 'steep'"),
    (["--steer", "10"], "--steer must be -20, 0 or 20 degrees, got '10'"),
])
def test_render_bad_scanner_control_is_one_line_and_exit_2(tmp_path, capsys, flags, message):
    out = tmp_path / "x.png"
    assert main(["render", str(FIXTURE), "--size", "64", *flags, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"tpi-sim render: error: {message}\n"
    assert not out.exists()


def test_bench_reports_wall_and_cpu_medians(capsys):
    """The CPU time of the rendering thread is part of its wall time, never more (each frame's is)."""
    code = main(["bench", "--case", str(FIXTURE), "--frames", "10", "--warmup", "1", "--size", "64"])
    assert code == 0
    printed = capsys.readouterr().out
    result = json.loads(printed.strip().splitlines()[-1])
    for kind in ("needle", "probe"):
        assert 0 < result[f"cpu_ms_{kind}"] <= result[f"frame_ms_{kind}"]
    assert "CPU time of the rendering thread" in printed
