"""The syringe: choose an agent, aspirate, inject."""

from __future__ import annotations

from simulator.core import actions as A
from simulator.core.procedure.world import World
from simulator.core.state import Rejected


def on_select_agent(w: World, a: A.SelectAgent, t: float):
    return w.drug.select(w.catalogue, a.agent_id, a.volume_ml, t)


def on_aspirate(w: World, a: A.Aspirate, t: float):
    track = w.require_needle()
    in_vessel = w.needle_model.tip_in_vessel(track) is not None
    return w.drug.aspirate(w.physiology.aspiration_shows_blood(in_vessel, w.checklist.needle_gauge), t)


def on_inject(w: World, a: A.Inject, t: float):
    track = w.require_needle()
    if w.declined:
        raise Rejected("the injection was declined")
    w.drug.check_injection(a.volume_ml)
    x, y, d = track.geometry.tip
    vessel = w.needle_model.tip_in_vessel(track)
    tissue = vessel[0] if vessel else w.needle_model.tip_tissue(track)
    events, bolus = w.drug.inject(
        w.case, a.volume_ml, (x, y, d), tissue, vessel is not None, w.needle_model.point_in_reach(track, a.volume_ml, tissue), t)
    if bolus is not None:
        w.boluses.append(bolus)
    return events + w.physiology.injected(events, w.catalogue, vessel, t)



HANDLERS = {
    A.SelectAgent: on_select_agent,
    A.Aspirate: on_aspirate,
    A.Inject: on_inject,
}
