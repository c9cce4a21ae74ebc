"""The practice coach, headless: for each message, an attempt that raises it and one that does not.

Driven through a real Session on the shipped guided case (s1), so every message comes from
the events and the state a trainee would produce.
"""

import math

import pytest

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core.coaching import Coach, first_open
from simulator.core.coaching.steps import STEP_IDS
from simulator.core.session import Session
from simulator.records import read_replay
from simulator.paths import REPLAYS_DIR
from simulator.ui.context import default_plan

CASE_ID = "s1_upper_trapezius_thin"


class Attempt:
    """A Session and a Coach fed with its events, as the trainer runs them."""

    def __init__(self, library, catalogue, seed=1):
        self.case = library["s1"]
        self.session = Session(self.case, catalogue, seed)
        self.coach = Coach(self.case)
        self.tp = self.case.trigger_points[0]

    def do(self, *actions):
        for event in self.session.step(list(actions)):
            self.coach.feed(event)
        return self.message()

    def message(self):
        return self.coach.current(self.session.state)

    def prepare(self, consent=True):
        first = [A.Consent(topics=())] if consent else []
        return self.do(*first, A.Position(position="prone"), A.SkinPrep(), A.ChooseNeedle(gauge=25, length_mm=38))

    def scan(self, dy_mm=0.0):
        return self.do(A.Probe(x_mm=self.tp.x_mm, y_mm=self.tp.y_mm + dy_mm, heading_deg=0.0, pressure=0.2))

    def insert_towards_point(self, dy_mm=0.0):
        """In plane from the planned entry, angled at the point (dy_mm shifts the entry off the plane)."""
        plan = default_plan(self.session.state.probe, self.case.ultrasound.probe)
        run = math.hypot(self.tp.x_mm - plan.x_mm, self.tp.y_mm - plan.y_mm)
        angle = math.degrees(math.atan2(self.tp.depth_mm, run))
        self.do(A.Insert(x_mm=plan.x_mm, y_mm=plan.y_mm + dy_mm, angle_deg=angle, heading_deg=0.0))
        return math.hypot(run, self.tp.depth_mm)

    def needle_short_of_point(self, short_mm):
        """Prepared, scanning over the point, the needle in plane and stopped `short_mm` before the point's centre."""
        self.prepare()
        self.scan()
        reach = self.insert_towards_point()
        return self.advance_to(reach - short_mm)

    def advance_to(self, length_mm):
        message = None
        while self.session.state.needle.length_mm + 1 <= length_mm:
            message = self.do(A.Advance(mm=1)) or message
        return message


@pytest.fixture
def attempt(library, catalogue):
    return Attempt(library, catalogue)


def ids(messages):
    return [m.id if m else None for m in messages]


def test_no_consent_before_the_skin_prep_is_said(attempt):
    message = attempt.prepare(consent=False)
    assert message.id == "no_consent" and message.text.startswith("No consent yet")
    assert message.tone == "danger"


def test_consent_first_raises_no_consent_message(attempt):
    assert attempt.prepare(consent=True) is None


def test_the_tip_already_in_the_locus_says_withdraw_then_fast_in_out(attempt):
    attempt.prepare()
    attempt.scan()
    reach = attempt.insert_towards_point()
    attempt.advance_to(reach)
    message = attempt.message()
    assert message.id == "tip_in_locus"
    assert message.text == "The tip is already in the locus: withdraw 3-5 mm, then fast in-out"


def test_a_tip_short_of_the_locus_gets_no_locus_message(attempt):
    attempt.prepare()
    attempt.scan()
    reach = attempt.insert_towards_point()
    assert attempt.advance_to(reach - 8) is None
    assert attempt.message() is None


def test_advancing_with_the_tip_off_the_plane_is_a_blind_advance(attempt):
    attempt.prepare()
    attempt.scan()
    reach = attempt.insert_towards_point(dy_mm=6.0)  # parallel to the plane, 6 mm beside it
    message = attempt.advance_to(reach - 4)
    assert message.id == "blind_advance"
    assert "without seeing the tip" in message.text


def test_advancing_in_plane_is_not_blind_even_while_the_tip_enters_from_the_side(attempt):
    attempt.prepare()
    attempt.scan()
    reach = attempt.insert_towards_point()
    messages = [attempt.do(A.Advance(mm=1)) for _ in range(int(reach) - 8)]
    assert ids(messages) == [None] * len(messages)


def test_sliding_the_probe_off_the_needle_says_out_of_the_plane_and_which_way_back(attempt):
    attempt.needle_short_of_point(6)
    assert attempt.session.state.tip_visible
    message = attempt.scan(dy_mm=5.0)  # the probe slides 5 mm down the drawing; the needle stays
    assert message.id == "out_of_plane"
    assert message.text == "The tip is out of the plane: slide or rotate the probe"
    for _ in range(2):  # off and back twice more: the third time the answer
        attempt.scan()
        message = attempt.scan(dy_mm=5.0)
    assert message.level == 2 and message.text.endswith("Up arrow \u00d75")


def test_the_probe_lifted_with_the_needle_in(attempt):
    attempt.prepare()
    attempt.scan()
    attempt.insert_towards_point()
    assert attempt.do(A.LiftProbe()).id == "probe_off"
    assert attempt.scan() is None


def test_a_fast_in_out_that_misses_the_locus_says_no_twitch(attempt):
    attempt.needle_short_of_point(10)
    message = attempt.do(A.Advance(mm=4), A.Withdraw(mm=4))
    assert message.id == "twitch_missed" and message.text.startswith("No twitch")


def test_a_fast_in_out_through_the_locus_draws_a_twitch_and_no_message(attempt):
    attempt.needle_short_of_point(3)
    message = attempt.do(A.Advance(mm=4), A.Withdraw(mm=4))
    assert any(isinstance(e, E.TwitchElicited) for e in attempt.session.events)
    assert message is None


def test_a_miss_by_chance_through_the_locus_says_try_again(attempt):
    attempt.coach.feed(E.TwitchNotSeen(t_s=0.0, locus_point_ids=("ut1",)))
    message = attempt.message()
    assert message.id == "twitch_unlucky" and message.text.endswith("fast in-out again")
    other = Attempt.__new__(Attempt)
    other.__dict__.update(attempt.__dict__, coach=Coach(attempt.case))
    other.coach.feed(E.TwitchNotSeen(t_s=0.0, locus_point_ids=()))
    assert other.message().id == "twitch_missed"


def _ready_to_inject(attempt):
    attempt.needle_short_of_point(3)
    attempt.do(A.Advance(mm=4), A.Withdraw(mm=4))
    return attempt.do(A.SelectAgent(agent_id="lidocaine_0_5", volume_ml=1.0))


def test_a_loaded_syringe_after_the_twitch_asks_for_aspiration_first(attempt):
    assert _ready_to_inject(attempt).id == "aspirate_first"
    assert attempt.do(A.Aspirate()) is None


def test_injecting_without_aspiration_is_said(attempt):
    _ready_to_inject(attempt)
    message = attempt.do(A.Inject(volume_ml=0.5))
    assert message.id == "no_aspiration" and message.tone == "danger"


def test_injecting_after_aspiration_is_not_flagged(attempt):
    _ready_to_inject(attempt)
    attempt.do(A.Aspirate())
    assert attempt.do(A.Inject(volume_ml=0.5)) is None


def test_a_near_miss_names_the_structure(attempt):
    attempt.coach.feed(E.NearMiss(t_s=0.0, kind="pleura", name="pleura", distance_mm=1.2))
    message = attempt.message()
    assert message.id == "near_danger" and "the pleura" in message.text


def test_repeated_trouble_grades_from_a_nudge_to_the_answer(attempt):
    attempt.prepare()
    attempt.scan()
    texts = []
    for _ in range(3):  # three separate blind advances, each after the last message lapsed
        reach = attempt.insert_towards_point(dy_mm=6.0)
        texts.append(attempt.advance_to(reach - 4))
        attempt.do(A.RemoveNeedle())
        for _ in range(300):
            attempt.do()
    assert [m.level for m in texts] == [0, 1, 2]
    assert texts[0].text == "Advancing without seeing the tip: bring it into the plane first"
    assert "(arrows, Q/E)" in texts[1].text


def test_the_hint_key_asks_for_more_on_the_next_step(attempt):
    assert attempt.coach.next_step(attempt.session.state).title == "Find the tender spot"  # shown unasked
    hints = [attempt.coach.ask_hint(attempt.session.state) for _ in range(3)]
    assert hints[0].text == "Find the tender spot: Hold the left button on the drawing and press along the muscle"
    assert "95 mm from the left" in hints[1].text  # the answer: where the spot is
    assert hints[2] == hints[1]  # the answer is as far as hints go
    attempt.do(A.Palpate(x_mm=80.0, y_mm=40.0, pressure=0.6))
    assert "15 mm right" in attempt.coach.ask_hint(attempt.session.state).text  # from the finger now


def test_the_hint_key_on_a_trouble_gives_more_of_that_trouble(attempt):
    attempt.prepare(consent=False)
    first = attempt.message()
    more = attempt.coach.ask_hint(attempt.session.state)
    assert (first.id, more.id) == ("no_consent", "no_consent") and more.level == first.level + 1


def test_the_expert_attempt_ticks_every_step_of_the_checklist(library, catalogue):
    header, timed = read_replay(REPLAYS_DIR / f"{CASE_ID}.expert.jsonl")
    case = library["s1"]
    session = Session(case, catalogue, header["seed"])
    coach = Coach(case)
    opened = []
    for t, action in timed:
        while session.time_s < t - 1e-9:
            for event in session.step([]):
                coach.feed(event)
        for event in session.step([action]):
            coach.feed(event)
        step = first_open(coach.facts, session.state)
        opened.append(step.id if step else "done")
    assert opened[-1] == "done"
    seen = [s for i, s in enumerate(opened) if i == 0 or opened[i - 1] != s]
    assert [STEP_IDS.index(s) for s in seen if s != "done"] == sorted(STEP_IDS.index(s) for s in seen if s != "done")


def test_the_same_attempt_gives_the_same_messages(library, catalogue):
    runs = []
    for _ in range(2):
        a = Attempt(library, catalogue)
        a.prepare(consent=False)
        a.scan()
        reach = a.insert_towards_point(dy_mm=6.0)
        runs.append([a.do(A.Advance(mm=1)) for _ in range(int(reach))])
    assert runs[0] == runs[1]
