"""`body_region.drawing.asset`: only a PNG inside the case's folder or the shipped assets is read."""

from __future__ import annotations

import os
import struct
import zlib

import pytest

from simulator import paths
from simulator.cli import main
from simulator.scenario import CaseError, load_case
from simulator.scenario.assets import asset_file
from tests.case_files import write_case

FIXTURE = paths.PROJECT_ROOT / "tests" / "fixtures" / "simple_case.yaml"
ASSET_LINE = "  drawing:\n"


def png_bytes(width: int, height: int, rgb=(200, 40, 40)) -> bytes:
    """A small valid PNG (no pygame needed), or one whose header claims any size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(min(height, 64)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def case_with_asset(folder, asset: str):
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count(ASSET_LINE) == 1
    text = text.replace(ASSET_LINE, f"{ASSET_LINE}    asset: {asset}\n")
    return write_case(folder / "case.yaml", text)


def validate(path, capsys) -> tuple[int, str]:
    code = main(["validate", str(path)])
    captured = capsys.readouterr()
    return code, (captured.err or captured.out).strip()


@pytest.mark.parametrize(
    ("asset", "fragment"),
    [
        ("/etc/passwd", "must be a relative path inside the case's folder"),
        ("'../../x.png'", "must be a relative path inside the case's folder"),
        ("/proc/self/environ", "must be a relative path inside the case's folder"),
        ("'..\\\\..\\\\x.png'", "must be a relative path inside the case's folder"),
        ("notes.txt", "must be a PNG image (.png)"),
    ],
)
def test_asset_names_that_leave_the_folder_are_refused(tmp_path, capsys, asset, fragment):
    path = case_with_asset(tmp_path, asset)
    code, err = validate(path, capsys)
    assert code == 1
    assert err.startswith(f"{path}:32:12: body_region.drawing.asset: ") and fragment in err, err


def test_a_link_out_of_the_case_folder_is_refused(tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png_bytes(4, 4))
    folder = tmp_path / "cases"
    folder.mkdir()
    os.symlink(outside / "secret.png", folder / "body.png")
    code, err = validate(case_with_asset(folder, "body.png"), capsys)
    assert code == 1 and "leads outside" in err and "only files inside it are read" in err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"root:x:0:0:root:/root:/bin/bash\n", "is not a PNG image"),
        (png_bytes(100_000, 100_000), "is 100000x100000 pixels; drawings are limited to 4096x4096"),
    ],
    ids=["text-named-png", "decompression-bomb-header"],
)
def test_a_file_that_is_not_a_usable_png_is_refused(tmp_path, capsys, content, fragment):
    (tmp_path / "body.png").write_bytes(content)
    code, err = validate(case_with_asset(tmp_path, "body.png"), capsys)
    assert code == 1 and fragment in err, err


def test_a_missing_asset_names_both_folders(tmp_path, capsys):
    code, err = validate(case_with_asset(tmp_path, "drawings/body.png"), capsys)
    assert code == 1
    assert f"not found in {tmp_path.resolve()} or {paths.ASSETS_DIR.resolve()}" in err


def test_a_png_beside_the_case_validates_and_is_the_file_drawn(tmp_path, capsys):
    (tmp_path / "drawings").mkdir()
    (tmp_path / "drawings" / "body.png").write_bytes(png_bytes(8, 6))
    path = case_with_asset(tmp_path, "drawings/body.png")
    code, out = validate(path, capsys)
    assert code == 0 and out == f"ok {path}"
    assert asset_file(load_case(path)) == (tmp_path / "drawings" / "body.png").resolve()


def test_a_fifo_named_like_a_drawing_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "body.png")
    with pytest.raises(CaseError, match=r"is a pipe \(FIFO\), not a file"):
        load_case(case_with_asset(tmp_path, "body.png"))
