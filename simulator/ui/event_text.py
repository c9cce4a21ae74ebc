"""How each event reads in the event feed: a short line and a tone (info, ok, warn, danger).

Presentation only: the Session decides what happened; this decides how it is worded.
Routine events (every palpation step, every millimetre) are left out of the feed so it
stays readable; the patient's words are always shown.
"""

from __future__ import annotations

from simulator.core import events as E
from simulator.core.dose_book import amount_of

# The faint's and LAST's first stage has its own line (ComplicationChanged), so the onset events stay quiet.
QUIET = (E.PalpationFelt, E.PalpationReleased, E.NeedleMoved, E.ProbePlaced, E.ProbeTilted, E.SettingsChanged,
         E.VasovagalEpisode, E.SystemicToxicity)
QUIET_STAGES = {("anaphylaxis", "onset"), ("pneumothorax", "symptomatic")}  # AllergicReaction / PneumothoraxSymptoms say it
STAGE_WORDS = {  # (kind, stage) -> feed line; other stages read "<kind>: <stage>"
    ("vasovagal", "prodrome"): "Vasovagal prodrome: pale, sweaty, faint",
    ("vasovagal", "syncope"): "Fainted: bradycardia and hypotension",
    ("vasovagal", "recovering"): "Recovering from the faint",
    ("last", "early"): "LAST: numb lips, tinnitus, metallic taste",
    ("last", "seizure"): "LAST: seizure",
    ("last", "cardiovascular"): "LAST: arrhythmia and collapse",
    ("anaphylaxis", "onset"): "Anaphylaxis: hives, tight throat",
    ("anaphylaxis", "severe"): "Anaphylaxis: wheeze and hypotension",
    ("pneumothorax", "symptomatic"): "Pneumothorax: cough, pleuritic pain, breathless",
    ("pneumothorax", "worsening"): "Pneumothorax worsening: SpO\u2082 falling",
}
KIND_WORDS = {"vasovagal": "Faint", "last": "LAST", "anaphylaxis": "Anaphylaxis", "pneumothorax": "Pneumothorax"}


def agent_name(catalogue, agent_id: str) -> str:
    """The catalogue's display name for an agent, so the feed never shows an id like 'lidocaine_0_5'."""
    agent = catalogue.get(agent_id) if catalogue is not None else None
    return agent.name if agent is not None else agent_id.replace("_", " ")


def short_agent_name(catalogue, agent_id: str) -> str:
    """The name without its trailing details (concentration in brackets, vial and excipient notes),
    for narrow labels such as the syringe: 'Lidocaine 0.5% (5 mg/mL), preservative-free' -> 'Lidocaine 0.5%'."""
    name = agent_name(catalogue, agent_id)
    return name.split(" (", 1)[0].split(", ", 1)[0].split(": ", 1)[0].strip()


def dose_unit(catalogue, substance: str) -> str:
    """'units' for a toxin dosed in units, else 'mg': the unit a running dose total is counted in."""
    components = (c for agent in (catalogue.agents if catalogue is not None else ()) for c in agent.components)
    component = next((c for c in components if c.substance == substance), None)
    found = amount_of(component, 1.0) if component is not None else None
    return found[1] if found else "mg"


def describe(event, catalogue=None) -> tuple[str, str] | None:
    """(text, tone) for the feed, or None for routine events; `catalogue` names the agents."""
    name = type(event).__name__
    if isinstance(event, QUIET):
        return None

    if isinstance(event, E.ActionRejected):
        return f"Not possible: {event.reason}", "warn"
    if isinstance(event, E.ConsentObtained) and event.topics:
        n = len(event.topics)
        return f"Consent obtained ({n} topic{'s' if n != 1 else ''} discussed)", "ok"
    table = {
        "ConsentObtained": ("Consent obtained", "ok"),
        "SkinPrepared": ("Skin prepared", "ok"),
        "SkinWhealRaised": ("Skin wheal raised", "ok"),
        "MarkErased": ("Mark erased", "info"),
        "ProbeLifted": ("Probe lifted", "info"),
        "NeedleRemoved": ("Needle removed", "info"),
        "PneumothoraxSymptoms": ("Pneumothorax symptoms", "danger"),
        "SessionFinished": ("Procedure finished", "info"),
        "TwitchNotSeen": ("No twitch seen", "info"),
        "HelpCalled": ("Called for help", "ok"),
        "OxygenGiven": ("Oxygen on", "ok"),
    }
    if name in table:
        return table[name]
    f = event
    if isinstance(event, E.PatientPositioned):
        return f"Patient positioned {f.position.replace('_', ' ')}", "ok" if f.recommended else "warn"
    if isinstance(event, E.NeedleChosen):
        return f"Needle {f.gauge}G \u00d7 {f.length_mm:g} mm", "ok"
    if isinstance(event, E.SkinMarked):
        return f"Skin marked at ({f.x_mm:.0f}, {f.y_mm:.0f}) mm", "info"
    if isinstance(event, E.SkinPunctured):
        return f"Needle in at {f.angle_deg:.0f}\u00b0", "info"
    if isinstance(event, E.NeedleRedirected):
        return f"Redirected: pass {f.pass_number}", "info"
    if isinstance(event, E.FasciaCrossed):
        return f"Fascia crossed at {f.depth_mm:.0f} mm", "info"
    if isinstance(event, E.MuscleEntered):
        return f"In {f.muscle.replace('_', ' ')}", "info"
    if isinstance(event, E.TwitchElicited):
        return f"Local twitch response ({f.source})", "ok"
    if isinstance(event, E.BoneContacted):
        return f"Bone contact: {f.name}", "warn"
    if isinstance(event, E.VesselPunctured):
        return f"Punctured the {f.name}", "danger"
    if isinstance(event, E.NerveContacted):
        return f"Touched the {f.name}", "danger"
    if isinstance(event, E.PleuraPunctured):
        return "Pleura punctured", "danger"
    if isinstance(event, E.NearMiss):
        return f"Close to the {f.name} ({f.distance_mm:.1f} mm)", "warn"
    if isinstance(event, E.AgentSelected):
        return f"Drew up {f.volume_ml:g} mL of {agent_name(catalogue, f.agent_id)}", "ok"
    if isinstance(event, E.Aspirated):
        return ("Blood on aspiration!", "danger") if f.blood else ("Aspirated: no blood", "ok")
    if isinstance(event, E.Injected):
        where = f.tissue.replace("_", " ")
        return f"Injected {f.volume_ml:g} mL into {where}", "danger" if f.intravascular else "ok"
    if isinstance(event, E.DoseCeilingExceeded):
        return f"{f.substance} above its ceiling: {f.total_mg:g} > {f.ceiling_mg:g}", "danger"
    if isinstance(event, E.AllergicReaction):
        return f"Allergic reaction ({f.allergy})", "danger"
    if isinstance(event, E.HaematomaFormed):
        return f"Haematoma: {f.name}", "warn"
    if isinstance(event, E.InjectionDeclined):
        return (f"Injection declined: {f.reason}" if f.reason else "Injection declined"), "info"
    if isinstance(event, E.CounselGiven):
        return f"Counselled: {f.topic}", "ok"
    return _care(event)


def _care(f) -> tuple[str, str] | None:
    """The patient's course and the care given."""
    if isinstance(f, E.ComplicationChanged):
        if (f.kind, f.stage) in QUIET_STAGES:
            return None
        if f.stage == "resolved":
            return f"{KIND_WORDS.get(f.kind, f.kind)}: resolved", "ok"
        tone = "warn" if f.stage == "recovering" else "danger"
        return STAGE_WORDS.get((f.kind, f.stage), f"{KIND_WORDS.get(f.kind, f.kind)}: {f.stage}"), tone
    if isinstance(f, E.VitalsRecorded):
        if not f.checked:
            return None  # the monitor's own log: on the monitor, not in the feed
        return (f"Vitals: HR {f.heart_rate_bpm:.0f}, BP {f.systolic_mmhg:.0f}/{f.diastolic_mmhg:.0f}, "
                f"SpO\u2082 {f.spo2_pct:.0f}%, RR {f.resp_rate_per_min:.0f}, {f.consciousness}"), "info"
    if isinstance(f, E.ProcedureStopped):
        return "Procedure stopped" + (": needle out" if f.needle_removed else ""), "ok"
    if isinstance(f, E.PatientRepositioned):
        return f"Patient {f.posture.replace('_', ' ')}", "ok"
    if isinstance(f, E.EmergencyDrugGiven):
        return f"Gave {f.drug_id.replace('_', ' ')} {f.amount:g} {f.unit} {f.route}", "ok"
    if isinstance(f, E.Observed):
        return f"Observed for {f.duration_s / 60:g} min", "info"
    if isinstance(f, E.CareArranged):
        return f"Arranged: {f.what.replace('_', ' ')}", "ok"
    if isinstance(f, E.AftercareGiven):
        return f"Aftercare: {f.item.replace('_', ' ')}", "ok"
    if isinstance(f, E.SorenessPredicted):
        chance = f"{f.probability:.0%} chance" + ("" if f.sourced else ", estimated")
        return (f"Post-injection soreness expected in 2-8 h ({chance})" if f.sore
                else f"No post-injection soreness this time ({chance} of it)"), "info"
    return type(f).__name__, "info"


TONE_SOUNDS = {"TwitchElicited": "twitch"}


ALARM_OF_COMPLICATION = {"vasovagal": "alarm_vasovagal", "pneumothorax": "alarm_pneumothorax",
                         "last": "alarm_intravascular"}


def sound_for(event) -> str | None:
    """The cue an event plays: twitch, blood (on aspiration), an alarm of its own for each of the
    patient's alarms (vasovagal, pneumothorax, intravascular injection, near miss, haematoma), or
    warning for other harm."""
    if isinstance(event, E.TwitchElicited):
        return "twitch"
    if isinstance(event, E.Aspirated) and event.blood:
        return "blood"
    if isinstance(event, E.VasovagalEpisode):
        return "alarm_vasovagal"
    if isinstance(event, (E.PleuraPunctured, E.PneumothoraxSymptoms)):
        return "alarm_pneumothorax"
    if isinstance(event, E.SystemicToxicity) or (isinstance(event, E.Injected) and event.intravascular):
        return "alarm_intravascular"
    if isinstance(event, E.NearMiss):
        return "alarm_near_miss"
    if isinstance(event, E.HaematomaFormed):
        return "alarm_haematoma"
    if isinstance(event, (E.VesselPunctured, E.NerveContacted, E.AllergicReaction, E.DoseCeilingExceeded)):
        return "warning"
    if isinstance(event, E.ComplicationChanged) and event.stage not in ("recovering", "resolved"):
        return ALARM_OF_COMPLICATION.get(event.kind, "warning")
    return None
