"""TPI Sim: a training simulator for ultrasound-guided trigger point injections."""

__version__ = "0.1.0"
