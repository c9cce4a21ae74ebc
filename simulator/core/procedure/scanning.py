"""The probe and the scanner settings."""

from __future__ import annotations

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core.geometry import ProbePose
from simulator.core.procedure.world import World
from simulator.core.state import Rejected


def on_probe(w: World, a: A.Probe, t: float):
    w.check_in_region(a.x_mm, a.y_mm)
    if not 0 <= a.pressure <= 1:
        raise Rejected(f"pressure must be between 0 and 1, got {a.pressure:g}")
    w.probe = ProbePose(a.x_mm, a.y_mm, a.heading_deg % 360.0, a.pressure)
    w.probe_on_skin = True
    return [E.ProbePlaced(t_s=t, x_mm=a.x_mm, y_mm=a.y_mm, heading_deg=w.probe.heading_deg,
                          pressure=a.pressure)]


def on_lift_probe(w: World, a: A.LiftProbe, t: float):
    if not w.probe_on_skin:
        raise Rejected("the probe is not on the skin")
    w.probe_on_skin = False
    return [E.ProbeLifted(t_s=t)]


def on_settings(w: World, a: A.Settings, t: float):
    us = w.case.ultrasound
    w.settings = s = w.settings.updated(
        a.depth_cm, a.gain_db, a.freq_mhz, a.focus_cm, a.doppler, (us.freq_mhz_min, us.freq_mhz_max))
    return [E.SettingsChanged(t_s=t, depth_cm=s.depth_cm, gain_db=s.gain_db, freq_mhz=s.freq_mhz,
                              focus_cm=s.focus_cm, doppler=s.doppler)]



HANDLERS = {
    A.Probe: on_probe,
    A.LiftProbe: on_lift_probe,
    A.Settings: on_settings,
}
