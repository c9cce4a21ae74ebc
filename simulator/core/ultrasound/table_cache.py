"""The speckle and texture tables of an engine, kept on disk between launches.

Building a 512-pixel engine's tables (its scatterer field filtered by the scanner's PSF, the
sparse variant, the texture patterns: FFTs of 528 x 2048 arrays) takes about half a second,
the largest part of opening a case once the kernels are compiled. They are random fields of the
engine's seed, so a cached table is one the same seed and setting built before: the trainer
picks each attempt's seed one launch ahead and builds its tables while the trainee works
(ui/seed_reserve.py), and a retry or a replay with a known seed finds them too. The tables
drawn are exactly those drawn without a cache: a frame is the same byte for byte either way.

A file holds the arrays and the exact key they were built for: the kind of table, the seed,
every number its building reads, the versions of numpy and scipy (random streams and FFT
rounding), and a digest of the source of the modules that build them (so a change to the
tables' code never reads old tables). A file whose key differs (another setting or version
under the same name: a "foreign" file), or that cannot be read (truncated, corrupt), is
ignored and rebuilt. Files are written to a temporary name and renamed, so a reader never
sees half a file, and the folder is kept under MAX_FOLDER_BYTES by dropping the least
recently used files. The cache is off (tables built in memory) until `use_disk_cache`: the
trainer turns it on; tools and tests build in memory unless they ask.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy

from simulator.core.ultrasound import psf, speckle, texture
from simulator.core.ultrasound.speckle import SPARSE_FRACTION, TABLE_COLUMNS, ScattererField
from simulator.core.ultrasound.texture import TextureTables

FORMAT_VERSION = 1  # raise when the file layout or the meaning of a key changes
MAX_FOLDER_BYTES = 600 * 2**20  # a 512-pixel case needs about 50 MB; a few cases and settings fit
STALE_TEMP_S = 3600.0  # a temporary file this old was left by a process that stopped while writing
ENV_FOLDER = "TPI_SIM_CACHE_DIR"  # tpi-sim's cache folder (tables go in its tables/ subfolder)

_store: TableStore | None = None  # where the engine's tables are kept; None: built in memory each time


def default_folder() -> Path:
    """The tables folder: $TPI_SIM_CACHE_DIR/tables, else tables/ in the user cache folder."""
    configured = os.environ.get(ENV_FOLDER)
    if configured:
        return Path(configured) / "tables"
    import platformdirs

    return Path(platformdirs.user_cache_dir("tpi-sim", appauthor=False)) / "tables"


def use_disk_cache(folder: Path | None = None) -> TableStore:
    """Keep the tables of every engine made from now on in `folder` (default_folder() when None)."""
    global _store
    _store = TableStore(default_folder() if folder is None else Path(folder))
    return _store


def current_store() -> TableStore | None:
    """The store engines use now (None: the disk cache is off)."""
    return _store


def stop_disk_cache() -> None:
    """Build tables in memory again (as before use_disk_cache)."""
    global _store
    _store = None


def _source_digest() -> str:
    """A digest of the code that builds the tables: a change to it makes every old file foreign."""
    digest = hashlib.sha256()
    for module in (psf, speckle, texture):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


class TableStore:
    """A folder of .npz files, one per table key."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._stamp = {"format": FORMAT_VERSION, "code": _source_digest(), "numpy": np.__version__,
                       "scipy": scipy.__version__}

    def key_text(self, kind: str, params: dict) -> str:
        """The exact key of a table, as stored in its file."""
        return json.dumps({"kind": kind, **self._stamp, **params}, sort_keys=True)

    def path_for(self, kind: str, params: dict) -> Path:
        name = hashlib.sha256(self.key_text(kind, params).encode()).hexdigest()[:32]
        return self.folder / f"{kind}-{name}.npz"

    def load_or_build(self, kind: str, params: dict, build: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
        """The arrays of the table `kind` with `params`: read from its file when that was built for exactly
        this key, else built (and saved; a folder that cannot be written only costs the time to build)."""
        key, path = self.key_text(kind, params), self.path_for(kind, params)
        arrays = self._read(path, key)
        if arrays is None:
            arrays = build()
            self._write(path, key, arrays)
        return arrays

    def _read(self, path: Path, key: str) -> dict[str, np.ndarray] | None:
        try:
            with np.load(path, allow_pickle=False) as data:
                if "__key__" not in data.files or str(data["__key__"]) != key:
                    return None  # another setting or version under this name: never used
                arrays = {name: data[name] for name in data.files if name != "__key__"}
            os.utime(path)  # recently used: the last to be pruned
            return arrays
        except Exception:  # noqa: BLE001 - missing, truncated or corrupt (zip, header, CRC): rebuilt
            return None

    def _write(self, path: Path, key: str, arrays: dict[str, np.ndarray]) -> None:
        temp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=self.folder)
            with os.fdopen(handle, "wb") as out:
                np.savez(out, __key__=np.array(key), **arrays)
            os.replace(temp, path)
            temp = None
            self._prune()
        except OSError:
            pass  # a read-only or full disk: the tables were built, only not kept
        finally:
            if temp is not None:
                Path(temp).unlink(missing_ok=True)

    def _prune(self) -> None:
        """Drop the least recently used files beyond MAX_FOLDER_BYTES, and stale temporary files."""
        files = []
        for entry in self.folder.iterdir():
            stat = entry.stat()
            if entry.suffix == ".tmp":
                if time.time() - stat.st_mtime > STALE_TEMP_S:
                    entry.unlink(missing_ok=True)
            elif entry.suffix == ".npz":
                files.append((stat.st_mtime, stat.st_size, entry))
        total = sum(size for _, size, _ in files)
        for _, size, entry in sorted(files):
            if total <= MAX_FOLDER_BYTES:
                break
            entry.unlink(missing_ok=True)
            total -= size


class CachedScattererField(ScattererField):
    """A scatterer field whose PSF-filtered tables come from the store when it has them for this seed.

    The scatterers are drawn from `rng` only when a table must be built, after the seed_key, as
    ScattererField draws them (nothing else draws from `rng`), so the tables are the same either way.
    """

    def __init__(self, rng: np.random.Generator, engine_seed: int, rows: int, width: int, keep_rows: int,
                 store: TableStore | None):
        super().__init__(rng, rows, width, keep_rows, table_rng=rng)
        self.engine_seed = int(engine_seed)
        self.store = store

    def _filter_table(self, kind: str, axial_fwhm_px: float, lateral: np.ndarray) -> np.ndarray:
        build = super()._filter_table
        if self.store is None:
            return build(kind, axial_fwhm_px, lateral)
        lateral = np.ascontiguousarray(lateral, dtype=float)
        params = {"engine_seed": self.engine_seed, "rows": self.rows, "width": self.width, "keep_rows": self.keep_rows,
                  "columns": TABLE_COLUMNS, "sparse_fraction": SPARSE_FRACTION, "axial_fwhm_px": float(axial_fwhm_px),
                  "lateral_fwhm_px": hashlib.sha256(lateral.tobytes()).hexdigest(), "lateral_rows": len(lateral)}
        return self.store.load_or_build(f"speckle-{kind}", params,
                                        lambda: {"table": build(kind, axial_fwhm_px, lateral)})["table"]


def scatterer_field(rng: np.random.Generator, engine_seed: int, rows: int, width: int, keep_rows: int) -> ScattererField:
    """The scatterer field of the engine made with `engine_seed` (`rng` is its scatter stream)."""
    return CachedScattererField(rng, engine_seed, rows, width, keep_rows, _store)


def texture_tables(rng_seed: int, rows: int, columns: int, row_mm: float, col_mm: float, pennations_deg, pad: int,
                   keep_rows: int) -> TextureTables:
    """TextureTables drawn from default_rng(rng_seed) for one lattice pitch, from the store when it has them."""
    pennations = tuple(float(a) for a in np.atleast_1d(pennations_deg))

    def build() -> TextureTables:
        return TextureTables(np.random.default_rng(rng_seed), rows, columns, row_mm, col_mm, pennations, pad, keep_rows)

    if _store is None:
        return build()
    params = {"rng_seed": int(rng_seed), "rows": rows, "columns": columns, "row_mm": float(row_mm),
              "col_mm": float(col_mm), "pennations_deg": list(pennations), "pad": pad, "keep_rows": keep_rows}
    return _tables_from(_store.load_or_build("texture", params, lambda: _arrays_of(build())))


def _arrays_of(tables: TextureTables) -> dict[str, np.ndarray]:
    """Every array attribute of a TextureTables, and its other attributes as one JSON text."""
    arrays = {name: value for name, value in vars(tables).items() if isinstance(value, np.ndarray)}
    others = {name: value for name, value in vars(tables).items() if not isinstance(value, np.ndarray)}
    return {**arrays, "__others__": np.array(json.dumps(others))}


def _tables_from(arrays: dict[str, np.ndarray]) -> TextureTables:
    """A TextureTables with the attributes _arrays_of saved (tuples come back as tuples)."""
    tables = TextureTables.__new__(TextureTables)
    others = json.loads(str(arrays["__others__"]))
    vars(tables).update({name: tuple(v) if isinstance(v, list) else v for name, v in others.items()})
    vars(tables).update({name: value for name, value in arrays.items() if name != "__others__"})
    return tables
