"""Events: what happened during a session, in the past tense, each stamped with its time.

The Session is the only producer; scoring, the debrief, the event feed and replays are
consumers. An event the patient would notice carries `speech`, the line the patient says.
`event_to_dict` gives the JSON form used in results (`{"t_s": .., "type": "TwitchElicited", ..}`).

Every event is imported from here (`from simulator.core import events as E`); the kinds are
defined beside it by stage of the visit: events_preparation (bookkeeping, preparation,
palpation, ultrasound), events_needle (needle and drug) and events_care (the patient's course
and care, aftercare, the end).
"""

from __future__ import annotations

import dataclasses

from simulator.core.events_base import Event
from simulator.core.events_preparation import (
    ActionRejected,
    BandSnapped,
    ConsentObtained,
    CounselGiven,
    InjectionDeclined,
    MarkErased,
    NeedleChosen,
    PalpationFelt,
    PalpationReleased,
    PalpationTruth,
    PatientPositioned,
    ProbeLifted,
    ProbePlaced,
    ProbeTilted,
    SettingsChanged,
    SkinMarked,
    SkinPrepared,
    SkinWhealRaised,
    SnapTruth,
)
from simulator.core.events_needle import (
    AgentSelected,
    AllergicReaction,
    Aspirated,
    BoneContacted,
    DoseCeilingExceeded,
    FasciaCrossed,
    HaematomaFormed,
    Injected,
    MuscleEntered,
    NearMiss,
    NeedleMoved,
    NeedleRedirected,
    NeedleRemoved,
    NerveContacted,
    PleuraPunctured,
    PneumothoraxSymptoms,
    SkinPunctured,
    SorenessPredicted,
    SystemicToxicity,
    TwitchElicited,
    TwitchNotSeen,
    VasovagalEpisode,
    VesselPunctured,
)
from simulator.core.events_care import (
    AftercareGiven,
    CareArranged,
    ComplicationChanged,
    EmergencyDrugGiven,
    HelpCalled,
    Observed,
    OxygenGiven,
    PatientRepositioned,
    ProcedureStopped,
    SessionFinished,
    VitalsRecorded,
)

__all__ = [
    "Event", "ActionRejected", "ConsentObtained", "PatientPositioned", "SkinPrepared", "NeedleChosen",
    "SkinWhealRaised", "CounselGiven", "InjectionDeclined", "PalpationTruth", "PalpationFelt",
    "PalpationReleased", "SkinMarked", "MarkErased", "SnapTruth", "BandSnapped", "ProbePlaced", "ProbeLifted",
    "SettingsChanged", "ProbeTilted", "SkinPunctured", "NeedleMoved", "NeedleRedirected", "NeedleRemoved",
    "FasciaCrossed", "MuscleEntered", "BoneContacted", "VesselPunctured", "NerveContacted", "PleuraPunctured",
    "NearMiss", "TwitchElicited", "TwitchNotSeen", "AgentSelected", "Aspirated", "Injected",
    "DoseCeilingExceeded", "AllergicReaction", "SystemicToxicity", "HaematomaFormed", "VasovagalEpisode",
    "PneumothoraxSymptoms", "SorenessPredicted", "ComplicationChanged", "VitalsRecorded", "ProcedureStopped",
    "HelpCalled", "PatientRepositioned", "OxygenGiven", "EmergencyDrugGiven", "Observed", "CareArranged",
    "AftercareGiven", "SessionFinished", "EVENT_TYPES", "event_from_dict", "event_to_dict",
]

EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls for cls in Event.__subclasses__()
}


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    return value


def event_to_dict(event: Event) -> dict:
    data = dataclasses.asdict(event)
    out = {"t_s": round(data.pop("t_s"), 4), "type": event.type}
    for key, value in data.items():
        out[key] = _jsonable(value)
    return out


NESTED = {"truth": {"PalpationFelt": PalpationTruth, "BandSnapped": SnapTruth}}


def event_from_dict(data: dict) -> Event:
    data = dict(data)
    kind = data.pop("type")
    cls = EVENT_TYPES[kind]
    hints = {f.name: f for f in dataclasses.fields(cls)}
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in hints}
    for key, by_type in NESTED.items():
        inner = by_type.get(kind)
        if inner is not None and isinstance(kwargs.get(key), dict):
            known = {f.name for f in dataclasses.fields(inner)}
            kwargs[key] = inner(**{k: v for k, v in kwargs[key].items() if k in known})
    return cls(**kwargs)
