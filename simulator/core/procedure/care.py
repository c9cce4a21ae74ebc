"""The patient's care when something happens (simulator/core/physiology), and aftercare."""

from __future__ import annotations

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core.aftercare import aftercare_given
from simulator.core.procedure.world import World
from simulator.core.state import Rejected


def on_stop(w: World, a: A.Stop, t: float):
    removed = w.track is not None
    w.track = None
    w.drug.aspirated_here = False
    return ([E.NeedleRemoved(t_s=t)] if removed else []) + w.physiology.stop(removed, t)


def on_call_help(w: World, a: A.CallHelp, t: float):
    return w.physiology.call_help(t)


def on_reposition(w: World, a: A.Reposition, t: float):
    if w.track is not None:
        raise Rejected("stop first: the needle is still in")
    return w.physiology.reposition(a.posture, t)


def on_give_oxygen(w: World, a: A.GiveOxygen, t: float):
    return w.physiology.oxygen(t)


def on_check_vitals(w: World, a: A.CheckVitals, t: float):
    return w.physiology.check_vitals(t)


def on_give_drug(w: World, a: A.GiveDrug, t: float):
    return w.physiology.give_drug(a.drug_id, a.amount, t)


def on_observe(w: World, a: A.Observe, t: float):
    if w.track is not None:
        raise Rejected("stop first: the needle is still in")
    return w.physiology.observe(a.duration_s, t)


def on_arrange(w: World, a: A.Arrange, t: float):
    return w.physiology.arrange(a.what, t)


def on_aftercare(w: World, a: A.Aftercare, t: float):
    if w.track is not None:
        raise Rejected("remove the needle first")
    return aftercare_given(a.item, t)



HANDLERS = {
    A.Stop: on_stop,
    A.CallHelp: on_call_help,
    A.Reposition: on_reposition,
    A.GiveOxygen: on_give_oxygen,
    A.CheckVitals: on_check_vitals,
    A.GiveDrug: on_give_drug,
    A.Observe: on_observe,
    A.Arrange: on_arrange,
    A.Aftercare: on_aftercare,
}
