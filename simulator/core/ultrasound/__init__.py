"""Live B-mode ultrasound: frames from the anatomy under a probe (see docs/architecture.md).

The names below load on first use (PEP 562): the engine pulls in numba and scipy.fft, which
the screens that only draw a frame (and `tpi-sim --help`) should not wait for.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "UltrasoundEngine": "simulator.core.ultrasound.engine",
    "ImageGeometry": "simulator.core.ultrasound.scan_geometry",
    "ScanSettings": "simulator.core.ultrasound.types",
    "Bolus": "simulator.core.ultrasound.types",
    "Frame": "simulator.core.ultrasound.types",
}

__all__ = ["UltrasoundEngine", "ScanSettings", "Bolus", "Frame", "ImageGeometry"]


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
