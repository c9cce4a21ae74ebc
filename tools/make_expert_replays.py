"""Plan the shipped replays from each case's geometry and write them to scenarios/replays/
(and the expert replay of each `tpi-sim new` template beside it, in simulator/templates/).

    python tools/make_expert_replays.py            # write every replay
    python tools/make_expert_replays.py --check    # also score each one and print the totals

The expert replay for a case follows the step sequence of the sources ([6][13][145]): consent on
the topics that apply, position, search each active point by feel (simulator/core/palpation/examiner.py)
and mark where the finger says, scan over it, prep, choose the case's suitable needle, then for each
active point an in-plane path (needle heading along the probe axis, entering far enough from
the point for an angle of about 30 degrees or less, choosing the heading whose straight path
keeps the most clearance from vessels, nerves, pleura and bone), Hong's fast in-out passes
through the sensitive locus (eight of them: each has an LTR chance below 1, so one seed's
luck does not decide the replay), aspirate, inject the preferred agent at the middle of the
case's volume range, withdraw; then counsel on every expected topic, give the aftercare the
case expects (`_aftercare`) and finish. When the
case says not to inject, the expert examines, scans and declines.

Novice replays show one error each, built on the same plan (see NOVICES).
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulator import paths  # noqa: E402
from simulator.core import actions as A  # noqa: E402
from simulator.core.aftercare import expected_aftercare  # noqa: E402
from simulator.core.anatomy import AnatomyModel  # noqa: E402
from simulator.core.geometry import PROBE_FOOTPRINT_MM, NeedleGeometry  # noqa: E402
from simulator.core.palpation.examiner import search  # noqa: E402
from simulator.core.preparation import applicable_consent_topics, suitable_needle_length_mm  # noqa: E402
from simulator.core.session import Session  # noqa: E402
from simulator.records import write_replay  # noqa: E402
from simulator.scenario import load_agents, load_case, load_library  # noqa: E402
from simulator.scenario.schema import AgentChoice as AgentChoiceModel  # noqa: E402

SEED = 1
from simulator.core.preparation import STANDARD_NEEDLE_LENGTHS_MM as NEEDLE_LENGTHS_MM  # noqa: E402
FAST_PASSES = 8
APPROACH_GAP_MM = 6.0  # stop this far short of the centre, outside the 2.5 mm locus
WATCHED = ("artery", "vein", "nerve", "pleura", "bone")
SEARCH_STEP_S = 0.2  # one palpation step of the search by feel


@dataclass(frozen=True)
class Path3:
    """A straight in-plane needle path to one point, and the probe pose that images it."""

    entry_x_mm: float
    entry_y_mm: float
    angle_deg: float
    heading_deg: float
    length_mm: float  # entry to the point's centre
    probe_x_mm: float
    probe_y_mm: float
    clearance_mm: float


def clearance_mm(anatomy: AnatomyModel, geometry: NeedleGeometry, length_mm: float) -> float:
    """Smallest distance from the shaft to any vessel, nerve, pleura or bone surface."""
    smallest = math.inf
    steps = max(2, int(length_mm / 0.5))
    for i in range(1, steps + 1):
        x, y, d = geometry.point_at(length_mm * i / steps)
        for s in anatomy.distances(x, y, d):
            if s.kind in WATCHED:
                smallest = min(smallest, s.distance_mm)
    return smallest


def plan_path(case, anatomy: AnatomyModel, point) -> Path3:
    """The in-plane path with the most clearance, preferring headings along the taut band."""
    footprint = PROBE_FOOTPRINT_MM[case.ultrasound.probe]
    region = case.body_region
    # about 30 degrees, flatter if the point is shallow; steeper only when the path would not fit the image
    run_mm = min(max(15.0, point.depth_mm / math.tan(math.radians(30))), footprint - 6)
    angle = math.degrees(math.atan2(point.depth_mm, run_mm))
    best: tuple[tuple, Path3] | None = None
    for step in range(36):
        heading = (point.taut_band.direction_deg + 10 * step) % 360
        h = math.radians(heading)
        ex, ey = point.x_mm - run_mm * math.cos(h), point.y_mm - run_mm * math.sin(h)
        px, py = (ex + point.x_mm) / 2, (ey + point.y_mm) / 2
        if not (0 <= ex <= region.width_mm and 0 <= ey <= region.height_mm):
            continue
        length = math.hypot(run_mm, point.depth_mm)
        geometry = NeedleGeometry(ex, ey, angle, heading, length)
        gap = clearance_mm(anatomy, geometry, length)
        off_band = min(abs((heading - point.taut_band.direction_deg + 180) % 360 - 180),
                       abs((heading - point.taut_band.direction_deg) % 360 - 180))
        key = (min(gap, 4.0), -off_band)  # beyond 4 mm of clearance, stay close to the band direction
        if best is None or key > best[0]:
            best = (key, Path3(ex, ey, angle, heading, length, px, py, gap))
    if best is None or best[1].clearance_mm <= 0.5:
        raise SystemExit(f"{case.id}: no safe in-plane path to {point.id}")
    return best[1]


class Timeline:
    def __init__(self):
        self.t_s = 0.0
        self.timed: list[tuple[float, A.Action]] = []

    def do(self, action: A.Action, then_s: float = 1.0) -> None:
        self.timed.append((round(self.t_s, 3), action))
        self.t_s += then_s


def _consent(case) -> A.Consent:
    """Consent after discussing exactly the topics that apply to this case."""
    return A.Consent(topics=applicable_consent_topics(case))


def _prepare(case, catalogue, tl: Timeline, points) -> None:
    """Consent, position, then for each point a search by feel from its textbook spot; mark where the finger says.

    The finger reads a live Session with the replay's seed: the palpation answers depend only on
    the order of the palpation actions, so the replay gets exactly the answers the search saw.
    """
    tl.do(_consent(case))
    tl.do(A.Position(case.patient.position))
    patient = Session(case, catalogue, SEED)
    region = (case.body_region.width_mm, case.body_region.height_mm)
    for point in points:
        found = search(patient.step, (point.x_mm, point.y_mm), point.taut_band.direction_deg, region)
        for action in found.actions:
            tl.do(action, SEARCH_STEP_S)
        tl.do(A.Mark(round(found.mark_mm[0], 2), round(found.mark_mm[1], 2)))


def _scan(case, tl: Timeline, path: Path3) -> None:
    tl.do(A.Probe(round(path.probe_x_mm, 2), round(path.probe_y_mm, 2), round(path.heading_deg % 180, 2), 0.2), 0.5)
    depth_cm = case.ultrasound.depth_cm
    want_cm = math.ceil((max(p.depth_mm for p in case.trigger_points) + 12) / 10)
    if depth_cm < want_cm:
        tl.do(A.Settings(depth_cm=float(min(16, want_cm))), 0.5)


def _needle_for(case, paths_: list[Path3]) -> A.ChooseNeedle:
    """The case's suitable needle (core/preparation.py), or the next one up if the planned path needs it."""
    longest = max(p.length_mm for p in paths_)
    suitable = suitable_needle_length_mm(case)
    length = suitable if suitable >= longest + 5 else next(
        (n for n in NEEDLE_LENGTHS_MM if n >= longest + 5), NEEDLE_LENGTHS_MM[-1])
    return A.ChooseNeedle(gauge=25, length_mm=length)


def _approach(tl: Timeline, path: Path3) -> None:
    tl.do(A.Insert(round(path.entry_x_mm, 3), round(path.entry_y_mm, 3), round(path.angle_deg, 3),
                   round(path.heading_deg, 3)), 0.5)
    remaining = path.length_mm - APPROACH_GAP_MM
    while remaining > 1e-6:
        chunk = min(8.0, remaining)
        tl.do(A.Advance(round(chunk, 3)), 0.5)
        remaining -= chunk


def _fast_passes(tl: Timeline, count: int = FAST_PASSES) -> None:
    for _ in range(count):
        tl.do(A.Advance(APPROACH_GAP_MM), 0.4)  # fast in, into the locus ...
        tl.do(A.Withdraw(APPROACH_GAP_MM), 0.6)  # ... and fast out within a second (Hong [13][14])


def _treat(tl: Timeline, path: Path3, agent, volume_ml: float) -> None:
    """One point: approach, fast passes, aspirate and inject (unless dry needling), withdraw."""
    _approach(tl, path)
    _fast_passes(tl)
    tl.do(A.Advance(APPROACH_GAP_MM), 0.5)
    if agent.injectate:
        tl.do(A.Aspirate(), 0.5)
        tl.do(A.Inject(volume_ml), 1.0)
    tl.do(A.Withdraw(round(path.length_mm, 3)), 0.5)
    tl.do(A.RemoveNeedle())


def expert(case, catalogue) -> tuple[dict, list]:
    anatomy = AnatomyModel(case)
    policy = case.agent_policy
    active = [p for p in case.trigger_points if p.activity == "active"]
    tl = Timeline()
    header = {"case": case.id, "seed": SEED, "description": f"Expert attempt at {case.title}"}
    if policy.do_not_inject:
        tl.do(_consent(case))
        for point in active:
            tl.do(A.Palpate(point.x_mm, point.y_mm, 0.5), 1.5)
            tl.do(A.Release(), 0.5)
        tl.do(A.Decline(reason=policy.do_not_inject_reason or "contraindicated"))
        for topic in policy.expected_counselling:
            tl.do(A.Counsel(topic))
        tl.do(A.Finish())
        return header, tl.timed
    plans = [plan_path(case, anatomy, p) for p in active]
    agent = catalogue.get(policy.preferred[0].agent)
    volume_ml = round((policy.volume_per_point.min_ml + policy.volume_per_point.max_ml) / 2, 2)
    _prepare(case, catalogue, tl, active)
    _scan(case, tl, plans[0])
    tl.do(A.Settings(doppler=True))  # look for vessels along the path ([45][71])
    tl.do(A.Settings(doppler=False))
    tl.do(A.SkinPrep())
    tl.do(_needle_for(case, plans), 0.5)
    if agent.injectate:
        tl.do(A.SelectAgent(agent.id, round(min(20.0, volume_ml * len(active)), 2)), 0.5)
    else:
        tl.do(A.SelectAgent(agent.id, 0.0), 0.5)
    for index, path in enumerate(plans):
        if index:
            _scan(case, tl, path)
        _treat(tl, path, agent, volume_ml)
    for topic in policy.expected_counselling:
        tl.do(A.Counsel(topic))
    _aftercare(case, tl)
    tl.do(A.Finish())
    return header, tl.timed


LANDMARK_CASES = {"s12_infraspinatus_landmark"}  # no scanner in the story: palpation-guided expert
LANDMARK_ENTRY_MM = 18.0  # enter 1-2 cm from the point ([6])


def landmark_path(case, anatomy: AnatomyModel, point) -> Path3:
    """Entry LANDMARK_ENTRY_MM from the point, angled to its centre, on the heading with most clearance."""
    region = case.body_region
    best = None
    for step in range(36):
        heading = (point.taut_band.direction_deg + 10 * step) % 360
        h = math.radians(heading)
        ex, ey = point.x_mm - LANDMARK_ENTRY_MM * math.cos(h), point.y_mm - LANDMARK_ENTRY_MM * math.sin(h)
        if not (0 <= ex <= region.width_mm and 0 <= ey <= region.height_mm):
            continue
        angle = math.degrees(math.atan2(point.depth_mm, LANDMARK_ENTRY_MM))
        length = math.hypot(LANDMARK_ENTRY_MM, point.depth_mm)
        gap = clearance_mm(anatomy, NeedleGeometry(ex, ey, angle, heading, length), length)
        if best is None or gap > best.clearance_mm:
            best = Path3(ex, ey, angle, heading, length, point.x_mm, point.y_mm, gap)
    if best is None or best.clearance_mm <= 0.5:
        raise SystemExit(f"{case.id}: no safe landmark path to {point.id}")
    return best


def landmark_expert(case, catalogue) -> tuple[dict, list]:
    """The expert without a scanner: palpate and mark, prep, enter 1-2 cm from each point, aspirate."""
    anatomy = AnatomyModel(case)
    policy = case.agent_policy
    active = [p for p in case.trigger_points if p.activity == "active"]
    plans = [landmark_path(case, anatomy, p) for p in active]
    agent = catalogue.get(policy.preferred[0].agent)
    volume_ml = round((policy.volume_per_point.min_ml + policy.volume_per_point.max_ml) / 2, 2)
    tl = Timeline()
    _prepare(case, catalogue, tl, active)
    tl.do(A.SkinPrep())
    tl.do(_needle_for(case, plans), 0.5)
    tl.do(A.SelectAgent(agent.id, round(min(20.0, volume_ml * len(active)), 2) if agent.injectate else 0.0), 0.5)
    for path in plans:
        _treat(tl, path, agent, volume_ml)
    for topic in policy.expected_counselling:
        tl.do(A.Counsel(topic))
    _aftercare(case, tl)
    tl.do(A.Finish())
    return {"case": case.id, "seed": SEED, "description": f"Expert attempt at {case.title} (landmark, no scanner)"}, tl.timed


def _aftercare(case, tl: Timeline) -> None:
    """The end of the visit: every aftercare item the case expects (its agent_policy.expected_aftercare, or the
    items core/aftercare.py derives), after the needle work."""
    for item in expected_aftercare(case):
        tl.do(A.Aftercare(item))


# ---------------------------------------------------------------- novices
def novice_pleura(case, catalogue):
    """A steep, medially aimed needle straight down through the point until it is in the lung."""
    anatomy = AnatomyModel(case)
    point = next(p for p in case.trigger_points if p.activity == "active")
    heading = (point.taut_band.direction_deg + 180) % 360
    geometry = NeedleGeometry(point.x_mm, point.y_mm, 75.0, heading, 0.0)
    along = next((a / 2 for a in range(2, 400) if anatomy.tissue_at(*geometry.point_at(a / 2)) == "lung"), None)
    if along is None:
        return None
    tl = Timeline()
    _prepare(case, catalogue, tl, [point])
    tl.do(A.Probe(point.x_mm, point.y_mm, (point.taut_band.direction_deg + 90) % 180, 0.2))  # across the needle
    tl.do(A.SkinPrep())
    tl.do(A.ChooseNeedle(25, next(n for n in NEEDLE_LENGTHS_MM if n >= along + 8)), 0.5)
    tl.do(A.SelectAgent(case.agent_policy.preferred[0].agent, 1.0), 0.5)
    tl.do(A.Insert(point.x_mm, point.y_mm, 75.0, heading), 0.5)
    tl.do(A.Advance(round(along + 2.0, 2)), 1.0)
    tl.do(A.Withdraw(round(along + 2.0, 2)), 0.5)
    tl.do(A.RemoveNeedle())
    tl.do(A.Finish())
    return {"case": case.id, "seed": SEED, "description": "Novice: steep medial needle, tip lost, through the pleura"}, tl.timed


def novice_intravascular(case, catalogue):
    """Needle into the nearest artery, and inject without aspirating first."""
    anatomy = AnatomyModel(case)
    point = next(p for p in case.trigger_points if p.activity == "active")
    arteries = [v for v in case.anatomy.vessels if v.kind == "artery"]
    if not arteries:
        return None
    target = min((q for v in arteries for q in v.path), key=lambda q: math.dist((q.x_mm, q.y_mm), (point.x_mm, point.y_mm)))
    for heading in range(0, 360, 15):
        run = max(12.0, target.depth_mm / math.tan(math.radians(35)))
        h = math.radians(heading)
        ex, ey = target.x_mm - run * math.cos(h), target.y_mm - run * math.sin(h)
        length = math.hypot(run, target.depth_mm)
        geometry = NeedleGeometry(ex, ey, math.degrees(math.atan2(target.depth_mm, run)), heading, length)
        if anatomy.tissue_at(*geometry.tip) in ("artery",) and 0 <= ex <= case.body_region.width_mm and 0 <= ey <= case.body_region.height_mm:
            break
    else:
        return None
    tl = Timeline()
    _prepare(case, catalogue, tl, [point])
    tl.do(A.Probe(round((ex + target.x_mm) / 2, 2), round((ey + target.y_mm) / 2, 2), heading % 180, 0.2))
    tl.do(A.SkinPrep())
    tl.do(A.ChooseNeedle(25, next(n for n in NEEDLE_LENGTHS_MM if n >= length + 8)), 0.5)
    tl.do(A.SelectAgent(case.agent_policy.preferred[0].agent, 1.0), 0.5)
    tl.do(A.Insert(round(ex, 3), round(ey, 3), round(geometry.angle_deg, 3), heading), 0.5)
    tl.do(A.Advance(round(length, 3)), 1.0)
    tl.do(A.Inject(1.0), 1.0)  # no aspiration first
    tl.do(A.Withdraw(round(length, 3)), 0.5)
    tl.do(A.RemoveNeedle())
    tl.do(A.Finish())
    return {"case": case.id, "seed": SEED, "description": "Novice: no aspiration, injection into an artery"}, tl.timed


def novice_overdose(case, catalogue):
    """The expert's technique, but 2% lidocaine drawn up and injected far beyond the ceiling."""
    header, timed = expert(case, catalogue)
    ceiling_mg = min(4.5 * case.patient.weight_kg, 300.0)  # lidocaine plain, docs/sources.md [98]
    volume_ml = min(20.0, math.ceil((ceiling_mg * 1.1) / 20.0))  # 2% = 20 mg/mL
    out = []
    for t, action in timed:
        if isinstance(action, A.SelectAgent):
            action = A.SelectAgent("lidocaine_2", volume_ml)
        elif isinstance(action, A.Inject):
            action = A.Inject(volume_ml)
        out.append((t, action))
    header = {**header, "description": f"Novice: {volume_ml:g} mL of 2% lidocaine into one point, over the ceiling"}
    return header, out


def novice_allergen(case, catalogue):
    """The expert's technique with the wrong agent: one the patient is allergic to."""
    from simulator.core.drug import allergy_match

    wrong = next((a for a in catalogue.agents if a.injectate and allergy_match(case, a)), None)
    if wrong is None:
        return None
    header, timed = expert(case, catalogue)
    out = [(t, A.SelectAgent(wrong.id, action.volume_ml) if isinstance(action, A.SelectAgent) else action)
           for t, action in timed]
    return {**header, "description": f"Novice: {wrong.name} for a patient allergic to it"}, out


def novice_nerve(case, catalogue):
    """No pre-scan: a steep landmark needle beside the point, pushed through the muscle onto the nerve under it."""
    anatomy = AnatomyModel(case)
    point = next(p for p in case.trigger_points if p.activity == "active")
    samples = []
    for nerve in case.anatomy.nerves:
        for a, b in zip(nerve.path, nerve.path[1:]):
            for i in range(21):
                f = i / 20
                samples.append((nerve.name, a.x_mm + f * (b.x_mm - a.x_mm), a.y_mm + f * (b.y_mm - a.y_mm),
                                a.depth_mm + f * (b.depth_mm - a.depth_mm)))
    if not samples:
        return None
    name, nx, ny, nd = min(samples, key=lambda s: math.dist((s[1], s[2]), (point.x_mm, point.y_mm)))
    angle, heading = 80.0, point.taut_band.direction_deg
    run = nd / math.tan(math.radians(angle))
    h = math.radians(heading)
    ex, ey = round(nx - run * math.cos(h), 2), round(ny - run * math.sin(h), 2)
    geometry = NeedleGeometry(ex, ey, angle, heading, 0.0)
    along = None
    for step in range(1, 400):
        hits = {(s.kind, s.name) for s in anatomy.distances(*geometry.point_at(step / 2)) if s.distance_mm <= 0}
        if hits - {("nerve", name)}:
            return None  # something else first: not the error this replay is about
        if ("nerve", name) in hits:
            along = step / 2
            break
    if along is None:
        return None
    tl = Timeline()
    _prepare(case, catalogue, tl, [point])
    tl.do(A.SkinPrep())
    tl.do(A.ChooseNeedle(25, next(n for n in NEEDLE_LENGTHS_MM if n >= along + 8)), 0.5)
    tl.do(A.SelectAgent(case.agent_policy.preferred[0].agent, 1.0), 0.5)
    tl.do(A.Insert(ex, ey, angle, heading), 0.5)
    tl.do(A.Advance(round(along + 1.0, 2)), 1.0)
    tl.do(A.Withdraw(round(along + 1.0, 2)), 0.5)
    tl.do(A.RemoveNeedle())
    tl.do(A.Finish())
    return {"case": case.id, "seed": SEED, "description": f"Novice: no pre-scan, steep needle past the muscle onto the {name}"}, tl.timed


# ---------------------------------------------------------------- novices for the failing items
def _without(timed, *kinds):
    return [(t, a) for t, a in timed if not isinstance(a, kinds)]


def novice_no_consent(case, catalogue):
    """The expert's procedure, but the needle goes in without consent."""
    header, timed = expert(case, catalogue)
    return {**header, "description": "Novice: no consent before the needle"}, _without(timed, A.Consent)


def novice_no_prep(case, catalogue):
    """The expert's procedure, but the skin is never prepared."""
    header, timed = expert(case, catalogue)
    return {**header, "description": "Novice: no skin preparation before the needle"}, _without(timed, A.SkinPrep)


def novice_missed_point(case, catalogue):
    """The expert's route aimed 18 mm to the side, no pistoning: an injection that treats nothing."""
    header, timed = expert(case, catalogue)
    out = []
    for t, a in timed:
        if isinstance(a, A.Insert):
            a = A.Insert(a.x_mm, round(a.y_mm + 18.0, 3), a.angle_deg, a.heading_deg)
        out.append((t, a))
    fast = [i for i, (_, a) in enumerate(out) if isinstance(a, (A.Advance, A.Withdraw)) and abs(a.mm - APPROACH_GAP_MM) < 1e-9]
    last_in = max(i for i in fast if isinstance(out[i][1], A.Advance))
    out = [ta for i, ta in enumerate(out) if i not in fast or i == last_in]
    return {**header, "description": "Novice: injected 18 mm beside the knot, no twitch sought"}, out


def novice_carpet(case, catalogue):
    """No palpation: a 10 mm grid of skin marks, then the expert's needle work."""
    header, timed = expert(case, catalogue)
    plain = _without(timed, A.Palpate, A.Release, A.Mark)
    region = case.body_region
    grid = [A.Mark(float(x), float(y)) for x in range(5, int(region.width_mm), 10) for y in range(5, int(region.height_mm), 10)]
    start = plain[1][0]
    step = 0.02
    out = plain[:1] + [(round(start + i * step, 3), m) for i, m in enumerate(grid)]
    out += [(round(t + len(grid) * step, 3), a) for t, a in plain[1:]]
    return {**header, "description": f"Novice: no palpation, {len(grid)} marks in a grid"}, out


def novice_blind(case, catalogue):
    """The probe lifted before the needle goes in: every advance is blind."""
    header, timed = expert(case, catalogue)
    out = []
    for t, a in timed:
        if isinstance(a, A.Insert):
            out.append((round(t - 0.1, 3), A.LiftProbe()))
        if isinstance(a, A.Probe) and any(isinstance(b, A.LiftProbe) for _, b in out):
            continue
        out.append((t, a))
    return {**header, "description": "Novice: needling with the probe off the skin, tip never seen"}, out


def novice_injects(case, catalogue):
    """Where the right answer is not to inject: the expert's technique, injecting anyway with 0.5% lidocaine."""
    if not case.agent_policy.do_not_inject:
        return None
    choice = AgentChoiceModel(agent="lidocaine_0_5", reason="injected anyway")
    policy = case.agent_policy.model_copy(update={"do_not_inject": False, "preferred": [choice]})
    header, timed = expert(case.model_copy(update={"agent_policy": policy}), catalogue)
    return {**header, "description": "Novice: misses why not to inject, and injects"}, timed


def novice_wrong_decline(case, catalogue):
    """Declines for the reason the case gives no credit (e.g. stopping warfarin for a low-risk injection)."""
    wrong = [d for d in case.agent_policy.decline_reasons if d.credit == 0]
    if not wrong:
        return None
    tl = Timeline()
    tl.do(A.Consent())
    for point in (p for p in case.trigger_points if p.activity == "active"):
        tl.do(A.Palpate(point.x_mm, point.y_mm, 0.7), 1.5)
        tl.do(A.Release(), 0.5)
    tl.do(A.Decline(reason=wrong[0].reason))
    tl.do(A.Finish())
    return {"case": case.id, "seed": SEED, "description": f"Novice: declines ({wrong[0].reason})"}, tl.timed


def novice_contraindicated(case, catalogue):
    """The expert's technique with the agent the case says is contraindicated for this patient."""
    if not case.agent_policy.contraindicated or case.agent_policy.do_not_inject:
        return None
    wrong = catalogue.get(case.agent_policy.contraindicated[0].agent)
    header, timed = expert(case, catalogue)
    toxin_ml = 0.2 if any(c.units_per_ml for c in wrong.components) else None  # 40 U a point, within the limits
    out = []
    for t, action in timed:
        if isinstance(action, A.SelectAgent):
            action = A.SelectAgent(wrong.id, action.volume_ml if toxin_ml is None else toxin_ml * 4)
        elif isinstance(action, A.Inject) and toxin_ml is not None:
            action = A.Inject(toxin_ml)
        out.append((t, action))
    return {**header, "description": f"Novice: {wrong.name}, contraindicated for this patient"}, out


NOVICES = {"pleura": novice_pleura, "intravascular": novice_intravascular, "overdose": novice_overdose,
           "allergen": novice_allergen, "nerve": novice_nerve, "injects": novice_injects,
           "wrong-decline": novice_wrong_decline, "contraindicated": novice_contraindicated,
           "no-consent": novice_no_consent, "no-prep": novice_no_prep, "missed-point": novice_missed_point,
           "carpet": novice_carpet, "blind": novice_blind}
NOVICE_CASES = {"s1_upper_trapezius_thin": ("pleura", "intravascular", "overdose", "missed-point", "carpet"),
                "s2_levator_scapulae_warfarin": ("wrong-decline", "no-consent"),
                "s3_infraspinatus_diabetic": ("intravascular", "contraindicated", "blind"),
                "s6_masseter_fainting": ("nerve", "no-prep"),
                "s4_quadratus_lumborum_novocain": ("allergen",),
                "s5_piriformis_big_man": ("nerve",),
                "s7_gluteus_medius_pregnancy": ("nerve", "contraindicated"),
                "s8_trapezius_rhomboid_cumulative_dose": ("overdose",),
                "s9_scm_whiplash": ("injects",),
                "s10_upper_trapezius_marcaine": ("injects",),
                "s11_temporalis_tension_headache": ("intravascular",),
                "s12_infraspinatus_landmark": ("intravascular",),
                "s13_trapezius_fibromyalgia": ("wrong-decline",),
                "s14_gluteus_medius_repeat_in_rehab": ("wrong-decline",),
                "s15_neck_two_muscles": ("pleura",),
                "s16_gastrocnemius_runner_apixaban": ("wrong-decline",),
                "s17_rhomboid_thin_sulfite": ("allergen",)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="score each replay and print its total")
    parser.add_argument("--out", default=str(paths.REPLAYS_DIR), help="folder to write to")
    args = parser.parse_args(argv)
    catalogue = load_agents()
    out = Path(args.out)
    written = []
    for case in load_library(catalogue=catalogue):
        replays = {"expert": (landmark_expert if case.id in LANDMARK_CASES else expert)(case, catalogue)}
        for name in NOVICE_CASES.get(case.id, ()):
            made = NOVICES[name](case, catalogue)
            if made is not None:
                replays[f"novice-{name}"] = made
        for kind, (header, timed) in replays.items():
            path = write_replay(out / f"{case.id}.{kind}.jsonl", header, timed)
            written.append((case, path, header, timed))
    for template in sorted((paths.PACKAGE_DIR / "templates").glob("*.yaml")):  # `tpi-sim new`'s skeletons
        case = load_case(template, catalogue)
        header, timed = expert(case, catalogue)
        written.append((case, write_replay(template.with_name(f"{template.stem}.expert.jsonl"), header, timed),
                        header, timed))
    for case, path, header, timed in written:
        line = f"wrote {path}"
        if args.check:
            result = Session(case, catalogue, header["seed"]).run(timed)
            kinds = ",".join(e["type"] for e in result["critical_errors"]) or "-"
            line += f"  total {result['total']:.1f} {'PASS' if result['passed'] else 'FAIL'} critical {kinds}"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
