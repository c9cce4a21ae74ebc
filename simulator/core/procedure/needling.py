"""The needle: insert, advance, withdraw (Hong's fast in-out), redirect, remove."""

from __future__ import annotations

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core import speech
from simulator.core.needle import REDIRECT_MAX_DEPTH_MM
from simulator.core.procedure.world import SKIN_PUNCTURE_PAIN, SKIN_PUNCTURE_PAIN_AFTER_WHEAL, World
from simulator.core.state import Rejected


def on_insert(w: World, a: A.Insert, t: float):
    if w.declined:
        raise Rejected("the injection was declined")
    if w.track is not None:
        raise Rejected("a needle is already in; remove it first")
    if not w.checklist.needle:
        raise Rejected("choose a needle first")
    w.check_in_region(a.x_mm, a.y_mm)
    w.check_angle(a.angle_deg)
    c = w.checklist
    w.track = w.needle_model.insert(a.x_mm, a.y_mm, a.angle_deg, a.heading_deg % 360.0,
                                            c.needle_gauge, c.needle_length_mm)
    w.needled = True
    w.drug.aspirated_here = False
    after_wheal, w.wheal_pending = w.wheal_pending, False
    pain = SKIN_PUNCTURE_PAIN_AFTER_WHEAL if after_wheal else SKIN_PUNCTURE_PAIN
    out: list[E.Event] = [E.SkinPunctured(
        t_s=t, x_mm=a.x_mm, y_mm=a.y_mm, angle_deg=a.angle_deg, heading_deg=a.heading_deg % 360.0,
        pain=pain, after_wheal=after_wheal, pleura_depth_mm=w.anatomy.pleura_depth_mm(a.x_mm, a.y_mm),
        speech=speech.skin_puncture(pain, after_wheal))]
    out.extend(w.physiology.needled("insert", t))
    return out


def _body_answers(w: World, events: list[E.Event], track, t: float) -> list[E.Event]:
    """The needle's events with the patient's answers: haematomas, and a pneumothorax's onset."""
    out: list[E.Event] = []
    for event in w.body.needle_events(events, t):
        out.append(event)
        if isinstance(event, E.PleuraPunctured):
            if w.pneumothorax_xy_mm is None:  # the first breach: where the air collects (the lung point's pocket)
                x, y, _ = track.geometry.tip
                w.pneumothorax_xy_mm = (float(x), float(y))
            out.extend(w.physiology.pleura_punctured(track.geometry.gauge, t))
    return out


def on_advance(w: World, a: A.Advance, t: float):
    track = w.require_needle()
    if a.mm <= 0:
        raise Rejected(f"mm must be above 0, got {a.mm:g}; use withdraw to pull back")
    if track.geometry.length_mm + a.mm >= track.hub_length_mm - 1e-9:
        # Never insert a needle up to the hub: it can break there (docs/sources.md [6][10][42]).
        raise Rejected(
            f"advancing {a.mm:g} mm would bury the {track.hub_length_mm:g} mm needle to the hub "
            f"({track.geometry.length_mm:.1f} mm in)")
    moved = w.needle_model.advance(track, a.mm, t)
    w.drug.aspirated_here = False
    out = _body_answers(w, moved.events, track, t)
    out.append(w.moved(track, moved.moved_mm, t))
    return out + w.physiology.needled("advance", t)


def on_withdraw(w: World, a: A.Withdraw, t: float):
    track = w.require_needle()
    if a.mm <= 0:
        raise Rejected(f"mm must be above 0, got {a.mm:g}")
    moved, fast, quick = w.needle_model.withdraw(track, a.mm, t)
    w.drug.aspirated_here = False
    out: list[E.Event] = [w.moved(track, moved.moved_mm, t)]
    points = {p.id: p for p in w.case.trigger_points}
    twitches: list[E.Event] = []
    for point_id in fast:
        # Fast in, fast out through the sensitive locus (Hong, docs/sources.md [13][14]).
        twitches.extend(w.twitch(point_id, points[point_id].twitch.needle_probability, "needle", "needle", t))
    out.extend(twitches)
    if quick and not twitches:
        # The resident watched for a twitch and none came: say so, rather than nothing at all.
        out.append(E.TwitchNotSeen(t_s=t, locus_point_ids=tuple(fast)))
    return out


def on_redirect(w: World, a: A.Redirect, t: float):
    track = w.require_needle()
    w.check_angle(a.angle_deg)
    depth = track.geometry.tip[2]
    if depth > REDIRECT_MAX_DEPTH_MM:
        raise Rejected(f"pull the tip back to within {REDIRECT_MAX_DEPTH_MM:g} mm of the skin before "
                        f"redirecting (it is {depth:.1f} mm deep)")
    traced = w.needle_model.redirect(track, a.angle_deg, a.heading_deg % 360.0, t)
    w.drug.aspirated_here = False
    redirected = E.NeedleRedirected(t_s=t, angle_deg=a.angle_deg, heading_deg=a.heading_deg % 360.0,
                                    pass_number=track.pass_number)
    return [redirected] + _body_answers(w, traced, track, t) + w.physiology.needled("redirect", t)


def on_remove_needle(w: World, a: A.RemoveNeedle, t: float):
    w.require_needle()
    w.track = None
    w.drug.aspirated_here = False
    return [E.NeedleRemoved(t_s=t)]



HANDLERS = {
    A.Insert: on_insert,
    A.Advance: on_advance,
    A.Withdraw: on_withdraw,
    A.Redirect: on_redirect,
    A.RemoveNeedle: on_remove_needle,
}
