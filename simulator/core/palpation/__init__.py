"""Palpation: what the finger feels and the patient says (model.py), with this session's chance (exam.py)."""

from simulator.core.palpation.exam import GRIPS, PalpationExam
from simulator.core.palpation.model import FEEL_LEVELS, FINGER_RADIUS_MM

__all__ = ["FEEL_LEVELS", "FINGER_RADIUS_MM", "GRIPS", "PalpationExam"]
