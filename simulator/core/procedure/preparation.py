"""Consent, position, skin preparation, the needle, counselling, declining and finishing."""

from __future__ import annotations

import dataclasses

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core import speech
from simulator.core.geometry import GAUGE_OD_MM
from simulator.core.preparation import CONSENT_TOPICS
from simulator.core.procedure.world import MAX_NEEDLE_LENGTH_MM, POSITIONS, World
from simulator.core.state import Rejected


def on_consent(w: World, a: A.Consent, t: float):
    unknown = [topic for topic in a.topics if topic not in CONSENT_TOPICS]
    if unknown:
        raise Rejected(f"unknown consent topic {unknown[0]!r}; expected some of {', '.join(CONSENT_TOPICS)}")
    w.checklist = dataclasses.replace(w.checklist, consent=True)
    return [E.ConsentObtained(t_s=t, topics=tuple(dict.fromkeys(a.topics)), speech=speech.consent())]


def on_position(w: World, a: A.Position, t: float):
    if a.position not in POSITIONS:
        raise Rejected(f"unknown position {a.position!r}; expected one of {', '.join(POSITIONS)}")
    if w.track is not None:
        raise Rejected("remove the needle before moving the patient")
    recommended = a.position == w.case.patient.position
    w.checklist = dataclasses.replace(w.checklist, position=a.position, position_recommended=recommended)
    w.physiology.positioned(a.position)
    return [E.PatientPositioned(t_s=t, position=a.position, recommended=recommended,
                                speech=speech.positioned(recommended))]


def on_skin_prep(w: World, a: A.SkinPrep, t: float):
    w.checklist = dataclasses.replace(w.checklist, skin_prep=True)
    return [E.SkinPrepared(t_s=t, speech=speech.skin_prep())]


def on_choose_needle(w: World, a: A.ChooseNeedle, t: float):
    if a.gauge not in GAUGE_OD_MM:
        raise Rejected(f"gauge {a.gauge} is not offered; choose one of {sorted(GAUGE_OD_MM)}")
    if not 0 < a.length_mm <= MAX_NEEDLE_LENGTH_MM:
        raise Rejected(f"length_mm must be above 0 and at most {MAX_NEEDLE_LENGTH_MM:g}, got {a.length_mm:g}")
    if w.track is not None:
        raise Rejected("remove the needle before changing it")
    w.checklist = dataclasses.replace(w.checklist, needle_gauge=a.gauge, needle_length_mm=a.length_mm)
    return [E.NeedleChosen(t_s=t, gauge=a.gauge, length_mm=a.length_mm)]


def on_skin_wheal(w: World, a: A.SkinWheal, t: float):
    if w.track is not None:
        raise Rejected("raise the skin wheal before inserting the needle")
    w.wheal_pending = True
    return [E.SkinWhealRaised(t_s=t, speech=speech.skin_wheal())]


def on_counsel(w: World, a: A.Counsel, t: float):
    if not a.topic.strip():
        raise Rejected("counsel needs a topic")
    return [E.CounselGiven(t_s=t, topic=a.topic, speech=speech.counsel(a.topic))]


def on_decline(w: World, a: A.Decline, t: float):
    if w.track is not None:
        raise Rejected("remove the needle before declining")
    w.declined = True
    return [E.InjectionDeclined(t_s=t, reason=a.reason)]


def on_finish(w: World, a: A.Finish, t: float):
    out = w.physiology.pending_at_finish(t) + w.body.finish(w.catalogue, w.drug.injected_agents, w.needled, t)
    w.finished = True
    return out + [E.SessionFinished(t_s=t)]



HANDLERS = {
    A.Consent: on_consent,
    A.Position: on_position,
    A.SkinPrep: on_skin_prep,
    A.ChooseNeedle: on_choose_needle,
    A.SkinWheal: on_skin_wheal,
    A.Counsel: on_counsel,
    A.Decline: on_decline,
    A.Finish: on_finish,
}
