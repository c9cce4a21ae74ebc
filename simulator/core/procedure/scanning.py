"""The probe and the scanner settings."""

from __future__ import annotations

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core.geometry import ProbePose
from simulator.core.procedure.world import World
from simulator.core.state import MAX_TILT_DEG, Rejected


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


def on_tilt_probe(w: World, a: A.TiltProbe, t: float):
    if not w.probe_on_skin:
        raise Rejected("the probe is not on the skin")
    if not -MAX_TILT_DEG <= a.tilt_deg <= MAX_TILT_DEG:
        raise Rejected(f"tilt_deg must be -{MAX_TILT_DEG:g} to {MAX_TILT_DEG:g}, got {a.tilt_deg:g}")
    w.probe_tilt_deg = float(a.tilt_deg)
    return [E.ProbeTilted(t_s=t, tilt_deg=w.probe_tilt_deg)]


def on_settings(w: World, a: A.Settings, t: float):
    us = w.case.ultrasound
    w.settings = s = w.settings.updated(
        a.depth_cm, a.gain_db, a.freq_mhz, a.focus_cm, a.doppler, (us.freq_mhz_min, us.freq_mhz_max),
        (a.tgc_near_db, a.tgc_mid_db, a.tgc_far_db), a.doppler_steer_deg, a.speckle_reduction)
    near, mid, far = s.tgc_db
    return [E.SettingsChanged(t_s=t, depth_cm=s.depth_cm, gain_db=s.gain_db, freq_mhz=s.freq_mhz,
                              focus_cm=s.focus_cm, doppler=s.doppler, tgc_near_db=near, tgc_mid_db=mid, tgc_far_db=far,
                              doppler_steer_deg=s.doppler_steer_deg, speckle_reduction=s.speckle_reduction)]



HANDLERS = {
    A.Probe: on_probe,
    A.LiftProbe: on_lift_probe,
    A.TiltProbe: on_tilt_probe,
    A.Settings: on_settings,
}
