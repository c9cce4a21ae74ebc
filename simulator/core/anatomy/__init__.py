"""The 3D tissue model of a case: what tissue is where, and what a probe's plane cuts.

One package so the model and its parts read together. Imports run one way, bottom up:
`layers` (the layer stack) and `shapes` (tubes and ellipsoids) know nothing of the rest,
`slice` (what a plane cuts) reads the model through the `SliceSource` protocol it names
itself, and `model` (AnatomyModel) builds on all three. Nothing imports `model` back.
"""

from simulator.core.anatomy.model import (
    ACOUSTIC_FIELDS,
    LABEL,
    SLICE_CACHE_SIZE,
    TISSUE_LABELS,
    AnatomyModel,
    StructureDistance,
    TissueSample,
)
from simulator.core.anatomy.slice import PlaneSlice, SliceSource, fold_fibre_angle_deg, rounded_pose

__all__ = [
    "ACOUSTIC_FIELDS",
    "LABEL",
    "SLICE_CACHE_SIZE",
    "TISSUE_LABELS",
    "AnatomyModel",
    "PlaneSlice",
    "SliceSource",
    "StructureDistance",
    "TissueSample",
    "fold_fibre_angle_deg",
    "rounded_pose",
]
