"""The speckle and texture tables kept on disk: what is read is what would have been built, a file
that cannot be read is rebuilt, and a file made for another setting is never used."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.anatomy import AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine, table_cache

SIZE_PX = (64, 64)
SETTINGS = ScanSettings(depth_cm=4.0, freq_mhz=10.0)
POSE = ProbePose(60, 40, 0)


def _frame(case, seed: int):
    engine = UltrasoundEngine(AnatomyModel(case), seed=seed, size_px=SIZE_PX)
    return engine, engine.frame(POSE, SETTINGS)


def _fresh(case, seed: int):
    """The frame built with no cache at all."""
    store = table_cache.current_store()
    table_cache.stop_disk_cache()
    try:
        return _frame(case, seed)[1]
    finally:
        if store is not None:
            table_cache.use_disk_cache(store.folder)


def _same(a, b) -> bool:
    return a.envelope.tobytes() == b.envelope.tobytes() and a.image.tobytes() == b.image.tobytes()


def _texture_arrays() -> dict[str, bytes]:
    """Every array of the texture tables for one setting (two pennation angles), as bytes."""
    tables = table_cache.texture_tables(123, 80, 2048, 0.08, 0.075, (12.0, 20.0), 64, 64)
    return {name: value.tobytes() for name, value in vars(tables).items() if isinstance(value, np.ndarray)}


def test_a_cached_table_equals_a_fresh_one_byte_for_byte(case, table_folder):
    fresh = _fresh(case, 5)
    written_engine, written = _frame(case, 5)  # builds the tables and writes them
    files = sorted(table_folder.glob("*.npz"))
    assert {f.name.split("-")[0] + "-" + f.name.split("-")[1] for f in files} >= {"speckle-dense", "speckle-sparse"}
    assert any(f.name.startswith("texture-") for f in files)
    read_engine, read = _frame(case, 5)
    assert read_engine.field._cells is None, "the tables were built again instead of read"
    assert written_engine.field._cells is not None
    assert _same(fresh, written) and _same(fresh, read)
    assert read_engine.field.filtered_table.tobytes() == written_engine.field.filtered_table.tobytes()
    assert read_engine.field.filtered_sparse().tobytes() == written_engine.field.filtered_sparse().tobytes()

    table_cache.stop_disk_cache()
    built = _texture_arrays()
    table_cache.use_disk_cache(table_folder)
    _texture_arrays()  # written
    assert _texture_arrays() == built  # read back: every array, byte for byte


def test_a_file_with_the_right_key_is_what_the_engine_reads(case, table_folder):
    """The check above can fail: a doctored table under the right key changes the image."""
    _frame(case, 6)
    for path in table_folder.glob("speckle-dense-*.npz"):
        with np.load(path) as data:
            arrays = {name: data[name] for name in data.files}
        arrays["table"] = arrays["table"] * np.complex64(0.25)
        with open(path, "wb") as out:
            np.savez(out, **arrays)
    assert not _same(_frame(case, 6)[1], _fresh(case, 6))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_corrupt_file_is_ignored_and_rebuilt(case, table_folder, damage):
    fresh = _frame(case, 7)[1]
    files = sorted(table_folder.glob("*.npz"))
    for path in files:
        data = path.read_bytes()
        path.write_bytes({"garbage": b"not a table" * 100, "truncated": data[: len(data) // 2], "empty": b""}[damage])
    engine, frame = _frame(case, 7)
    assert engine.field._cells is not None  # built again
    assert _same(frame, fresh)
    for path in files:  # and written again, whole
        with np.load(path) as data:
            assert "__key__" in data.files


def test_a_file_for_another_setting_is_not_used(case, table_folder):
    seed_1 = _frame(case, 1)[1]
    assert not _same(seed_1, _fresh(case, 2))  # the seeds' images differ, so a mix-up would show
    files_1 = sorted(table_folder.glob("*.npz"))
    _frame(case, 2)
    files_2 = sorted(set(table_folder.glob("*.npz")) - set(files_1))
    assert len(files_2) == len(files_1)
    for target in files_2:  # every file of seed 2 replaced by seed 1's file of the same kind
        kind = target.name.rsplit("-", 1)[0]
        source = next(p for p in files_1 if p.name.rsplit("-", 1)[0] == kind)
        target.write_bytes(source.read_bytes())
    engine, frame = _frame(case, 2)
    assert engine.field._cells is not None, "a file made for another seed was read"
    assert _same(frame, _fresh(case, 2))


def test_another_scanner_setting_is_another_file(case, table_folder):
    engine = UltrasoundEngine(AnatomyModel(case), seed=3, size_px=SIZE_PX)
    engine.frame(POSE, SETTINGS)
    before = set(table_folder.glob("speckle-dense-*.npz"))
    engine.frame(POSE, ScanSettings(depth_cm=4.0, freq_mhz=7.0))  # another PSF: another filtered table
    assert len(set(table_folder.glob("speckle-dense-*.npz")) - before) == 1


def test_an_unwrifolder_only_costs_the_build(case, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a table_folder")
    table_cache.use_disk_cache(blocker / "tables")
    try:
        frame = _frame(case, 4)[1]
    finally:
        table_cache.stop_disk_cache()
    assert _same(frame, _frame(case, 4)[1])


def test_the_folder_is_pruned_to_its_limit_least_recently_used_first(case, table_folder, monkeypatch):
    _frame(case, 8)
    one_engine_bytes = sum(p.stat().st_size for p in table_folder.glob("*.npz"))
    monkeypatch.setattr(table_cache, "MAX_FOLDER_BYTES", int(one_engine_bytes * 1.5))
    _frame(case, 9)
    _frame(case, 10)
    total = sum(p.stat().st_size for p in table_folder.glob("*.npz"))
    assert total <= one_engine_bytes * 1.5
    engine, _ = _frame(case, 10)  # the newest are kept
    assert engine.field._cells is None
