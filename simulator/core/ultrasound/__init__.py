"""Live B-mode ultrasound: frames from the anatomy under a probe (see docs/architecture.md)."""

from simulator.core.ultrasound.engine import UltrasoundEngine
from simulator.core.ultrasound.scan_geometry import ImageGeometry
from simulator.core.ultrasound.types import Bolus, Frame, ScanSettings

__all__ = ["UltrasoundEngine", "ScanSettings", "Bolus", "Frame", "ImageGeometry"]
