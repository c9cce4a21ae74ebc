"""The practice coach: which message to show, and when, from the Session's events and state.

It never speaks in assessment or exam mode (the screen does not build one there). Each kind
of trouble is an `Advice` with three wordings, from a nudge to the answer; the level rises
each time the same trouble comes back (and when the trainee asks with the hint key), so a
resident stuck on one thing is told more each time, and one who slipped once is only nudged.

Two sources of trouble: events (a blind advance, a fast in-out that drew nothing, an
injection without aspiration) raise a message for a few seconds; the state (the tip out of
the plane, the tip sitting in the locus, needling with no consent) raises one that lasts
while it holds. The highest-priority one is current; the UI only draws `current()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.core import events as E
from simulator.core.coaching.facts import Facts
from simulator.core.coaching.steps import STEPS, arrows_for, bring_into_view, direction_words, first_open, hint_text
from simulator.core.geometry import ProbePose

EVENT_SHOW_S = 4.0  # an event's message stays this long (Session time)
BLIND_DEPTH_MM = 5.0  # deeper than this the tip should be on the image even near its edge
MAX_LEVEL = 2


@dataclass(frozen=True)
class Message:
    id: str
    text: str
    level: int  # 0 nudge, 1 how, 2 the answer
    tone: str = "warn"  # warn | danger | info


def _out_of_plane_answer(f: Facts, state) -> str:
    if state.needle is None:
        return "Keep the tip on the image whenever the needle moves"
    x, y, d = state.needle.tip
    dx, dy = bring_into_view(state.probe, x, y, d, f.image_width_mm)
    if round(abs(dx)) + round(abs(dy)) == 0:
        return "The tip is on the image now: carry on, watching it"
    return f"Slide the probe to bring the tip onto the image: {arrows_for(dx, dy)}"


def _missed_answer(f: Facts, state) -> str:
    tp = f.target
    if state.needle is None or tp is None:
        return "Re-insert towards your mark, in plane"
    x, y, d = state.needle.tip
    deeper = tp.depth_mm - d
    where = direction_words(tp.x_mm - x, tp.y_mm - y)
    depth = f"{abs(deeper):.0f} mm {'deeper' if deeper > 0 else 'shallower'}"
    return f"The spot is {depth} than the tip and {where} on the drawing: withdraw 3-5 mm, re-aim (A/D), then F"


# id -> (priority, tone, nudge, how, answer(f, state) or text); higher priority wins.
ADVICE: dict[str, tuple[int, str, str, str, object]] = {
    "no_consent": (90, "danger", "No consent yet",
                   "No consent yet: stop and consent the patient (F2) before any needle",
                   "Press F2, tick every topic that applies (A-L) and Enter; then carry on"),
    "probe_off": (80, "warn", "The needle is in but the probe is off the skin",
                  "Needle under ultrasound: put the probe back (L) over the needle",
                  "Press L, then slide with the arrows until the shaft shows"),
    "blind_advance": (75, "warn", "Advancing without seeing the tip: bring it into the plane first",
                      "Advancing without seeing the tip: stop, slide or rotate the probe (arrows, Q/E) until it shows",
                      _out_of_plane_answer),
    "out_of_plane": (70, "warn", "The tip is out of the plane: slide or rotate the probe",
                     "The tip is out of the plane: slide (arrows) or rotate (Q/E) the probe until the tip shows",
                     _out_of_plane_answer),
    "no_aspiration": (65, "danger", "Injected without aspirating",
                      "Aspirate (Space) before every injection: blood means the tip is in a vessel",
                      "Always press Space before I, and again after any needle move"),
    "aspirate_first": (60, "info", "Aspirate before you inject",
                       "The syringe is ready: aspirate first (Space), then inject (I)",
                       "Press Space now; if there is no blood press I"),
    "tip_in_locus": (55, "info", "The tip is already in the locus: withdraw 3-5 mm, then fast in-out",
                     "The tip is already in the locus: withdraw 3-5 mm (S), then fast in-out (F) through it",
                     "Press S three times, then F: the fast pass through the locus draws the twitch"),
    "twitch_missed": (50, "info", "No twitch: the pass missed the tender spot",
                      "No twitch: withdraw 3-5 mm and re-advance quickly through the most tender part of the band",
                      _missed_answer),
    "twitch_unlucky": (50, "info", "No twitch this time, though the tip went through the locus: fast in-out again",
                       "The tip went through the locus but no twitch came: fast in-out again (F)",
                       "Stay where you are and press F again; a twitch does not come every pass"),
    "near_danger": (85, "danger", "Close to a danger",
                    "Close to a danger structure: stop advancing and check the image",
                    "Withdraw a few millimetres (S) and re-aim flatter (A) away from it"),
}


class Coach:
    """Feed every event (`feed`); ask `current(state)` each frame; `ask_hint(state)` for the hint key."""

    def __init__(self, case):
        self.facts = Facts(case)
        self.counts: dict[str, int] = {}  # how often each trouble has started
        self.asked: dict[str, int] = {}  # hint-key presses per trouble (or per step)
        self.event_advice: tuple[str, float] | None = None  # (id, until Session time)
        self.active: set[str] = set()  # state troubles that held at the last look
        self.time_s = 0.0
        self.danger_name = ""
        self.probe: ProbePose | None = None  # where the probe was at the last event (for blind advances)

    # ------------------------------------------------------------ input
    def feed(self, event) -> None:
        unaspirated = self.facts.injected_without_aspiration
        self.facts.feed(event)
        self.time_s = max(self.time_s, event.t_s)
        if isinstance(event, E.ProbePlaced):
            self.probe = ProbePose(event.x_mm, event.y_mm, event.heading_deg, event.pressure)
        elif isinstance(event, E.ProbeLifted):
            self.probe = None
        trouble = self._event_trouble(event, self.facts.injected_without_aspiration > unaspirated)
        if trouble is None:
            return
        showing = self.event_advice is not None and self.event_advice[0] == trouble and self.event_advice[1] >= event.t_s
        if not showing:  # the same trouble again while its message shows is one episode, not a new one
            self._start(trouble)
        self.event_advice = (trouble, event.t_s + EVENT_SHOW_S)

    def _blind(self, event) -> bool:
        """An advance with the tip off the image where it should show: inside the image's width (so off
        the plane), or already deep. Entering from beside the probe, the first millimetres are
        outside the image's edge, and that is how in-plane needling starts."""
        if event.delta_mm <= 0 or event.tip_visible:
            return False
        if self.probe is None:
            return True
        lateral, _, _ = self.probe.to_plane(event.tip_x_mm, event.tip_y_mm, event.tip_depth_mm)
        return abs(float(lateral)) <= self.facts.image_width_mm / 2 or event.tip_depth_mm > BLIND_DEPTH_MM

    def _event_trouble(self, event, unaspirated: bool) -> str | None:
        if isinstance(event, E.NeedleMoved) and self._blind(event):
            return "blind_advance"
        if isinstance(event, E.TwitchNotSeen):
            return "twitch_unlucky" if event.locus_point_ids else "twitch_missed"
        if isinstance(event, E.Injected) and unaspirated:
            return "no_aspiration"
        if isinstance(event, E.NearMiss):
            self.danger_name = event.name
            return "near_danger"
        return None

    def _start(self, trouble: str) -> None:
        self.counts[trouble] = self.counts.get(trouble, 0) + 1

    def _state_troubles(self, state) -> set[str]:
        f = self.facts
        out: set[str] = set()
        if not state.checklist.consent and (f.inserted or state.checklist.skin_prep):
            out.add("no_consent")
        if state.needle is not None:
            if not state.probe_on_skin:
                out.add("probe_off")
            elif not state.tip_visible and self._should_show(state):
                out.add("out_of_plane")
            if f.tip_in_locus(state) and not f.twitch:
                out.add("tip_in_locus")
            if f.twitch and state.agent_id is not None and not f.aspirated_here and not f.injected:
                out.add("aspirate_first")
        return out

    def _should_show(self, state) -> bool:
        """The tip ought to be on the image: within its width, or deeper than the first millimetres."""
        x, y, d = state.needle.tip
        lateral, _, _ = state.probe.to_plane(x, y, d)
        return abs(float(lateral)) <= self.facts.image_width_mm / 2 or d > BLIND_DEPTH_MM

    # ------------------------------------------------------------ output
    def level(self, trouble: str) -> int:
        """0 the first time, one more each time it comes back or the trainee asks, at most the answer."""
        return min(MAX_LEVEL, self.counts.get(trouble, 1) - 1 + self.asked.get(trouble, 0))

    def current(self, state) -> Message | None:
        """The message to show now (highest priority), or None."""
        now = self._state_troubles(state)
        for trouble in now - self.active:  # each time a state trouble starts again it counts
            self._start(trouble)
        self.active = now
        candidates = set(now)
        if self.event_advice is not None and self.event_advice[1] >= state.time_s:
            trouble = self.event_advice[0]
            if not (trouble == "blind_advance" and (state.needle is None or state.tip_visible)):
                candidates.add(trouble)  # a blind advance is over once the tip shows
        if not candidates:
            return None
        trouble = max(candidates, key=lambda t: ADVICE[t][0])
        return self._message(trouble, state)

    def _message(self, trouble: str, state) -> Message:
        _, tone, nudge, how, answer = ADVICE[trouble]
        level = self.level(trouble)
        if level == 2:
            text = answer(self.facts, state) if callable(answer) else answer
        else:
            text = how if level == 1 else nudge
        if trouble == "near_danger" and self.danger_name:
            text = text.replace("a danger structure", f"the {self.danger_name}").replace("a danger", f"the {self.danger_name}")
        return Message(trouble, text, level, tone)

    def ask_hint(self, state) -> Message:
        """The hint key: one level more on the current trouble, or on the next step when all is well."""
        message = self.current(state)
        if message is not None:
            self.asked[message.id] = self.asked.get(message.id, 0) + 1
            return self._message(message.id, state)
        open_step = first_open(self.facts, state)
        if open_step is None:
            return Message("done", "Every step is done: see the debrief for your score", 0, "info")
        key = f"step:{open_step.id}"
        self.asked[key] = min(MAX_LEVEL, self.asked.get(key, 0) + 1)
        return Message(key, hint_text(open_step, self.asked[key], self.facts, state), self.asked[key], "info")

    def checklist(self, state) -> list[tuple[object, bool]]:
        """Every step with whether it is done, in the order of the procedure (the live checklist)."""
        return [(s, bool(s.done(self.facts, state))) for s in STEPS]

    def next_step(self, state):
        """The first step not done yet (None when all are)."""
        return first_open(self.facts, state)
