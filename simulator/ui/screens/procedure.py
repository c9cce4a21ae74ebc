"""The procedure screen: input -> actions -> Session; Session state -> the panels.

It holds no rules. Its own state is only what the trainee is choosing (dropdowns, the
needle plan), the finger held on the drawing, and what is on display (feed, bubble).
"""

from __future__ import annotations

from datetime import datetime, timezone

import pygame
import pygame_gui

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core.coaching import Coach
from simulator.core.session import Session
from simulator.render import palette as pal
from simulator.render.hud import format_clock
from simulator.render.layout import ProcedureLayout
from simulator.ui.commands import PLAN_COMMANDS
from simulator.ui.context import Choices, InputContext, default_plan, plan_from_entry, start_off_skin
from simulator.ui.driver import SessionDriver
from simulator.ui.event_text import describe, sound_for
from simulator.ui.feed_log import FeedLog
from simulator.ui.input_map import command_of, input_map
from simulator.ui.keyboard_finger import KeyboardFinger
from simulator.ui.keys import UI_KEYS
from simulator.ui.results import prepare_attempt, save_pending
from simulator.ui.screens.base import Screen
from simulator.ui.screens.procedure_dialogs import DIALOG_COMMANDS, DialogHost
from simulator.ui.screens.procedure_view import CARD_TAB, PALPATION_TAB, ProcedureView
from simulator.ui.screens.procedure_widgets import build_widgets, choice_from_dropdowns
from simulator.ui.warmup import prepare_image

HOLD_PRESSURE_PER_S = 0.45  # a held press firms up from light to firm in about 1.5 s
HOLD_SEND_STEP = 0.05  # send a new Palpate when the pressure has grown this much
FINISH_DELAY_S = 0.6  # let the last words show before the debrief
SCORED_MODES = ("assessment", "exam")  # no hints, no planned entry, the probe starts off the skin
HINT_SHOW_S = 8.0  # a hint asked for with the hint key stays on the image this long
IMAGE_TOP_PX = 40  # the scanner readouts above the ultrasound image


class ProcedureScreen(Screen):
    name = "procedure"
    covers_window = True  # its view blits a full-window background; the app need not clear first

    def __init__(self, app, case, mode: str, trainee: str, seed: int, session=None):
        super().__init__(app)
        self.case = case
        self.mode = mode
        self.trainee = trainee
        self.seed = seed
        self.practice = mode == "practice"
        self.session = session or Session(case, app.config.catalogue, seed)
        self.started_at = datetime.now(timezone.utc)
        self.driver = SessionDriver(self.session)
        preferred = case.agent_policy.preferred[0].agent if case.agent_policy.preferred else None
        agent = preferred if self.practice and preferred else app.config.catalogue.agents[0].id
        self.choices = Choices(position=case.patient.position, agent_id=agent)
        self.plan_angle_deg = 30.0
        self.custom_entry: tuple[float, float] | None = None
        self.pressing = False
        self.pressure = 0.0
        self.sent_pressure = 0.0
        self.finger_mm: tuple[float, float] | None = None
        self.finger_keys = KeyboardFinger((case.body_region.width_mm, case.body_region.height_mm))
        self.grip = "flat"  # G toggles the pincer grip
        self.outlines = self.practice  # O toggles the muscle outlines (practice only; never in assessment)
        self.feed_log = FeedLog()
        self.feed = self.feed_log.lines  # (t_s, text, tone), oldest first
        self.warning: tuple[float, str, str] | None = None  # (until wall s, text, tone) practice banner
        self.coach = Coach(case) if self.practice else None  # practice only: never in assessment or exam
        self.hint: tuple[float, object] | None = None  # (until wall s, Message) asked for with the hint key
        self.anatomy_on = False  # U or the ANATOMY button: the cross-section on the image (practice only)
        self.help_visible = False
        self.wall_s = 0.0
        self.finished_at: float | None = None
        self.saved: dict = {}
        self.view = None
        self._image_task = None  # the first ultrasound image, prepared in the background (app.background)
        self.dialogs = DialogHost(self)  # counsel / decline dialogs; survives resizes
        self.build(app.size)
        if mode in SCORED_MODES and session is None:
            self.submit(start_off_skin(case))  # no head start: the probe begins off the skin, away from the target

    # ------------------------------------------------------------------ widgets
    def build(self, size) -> None:
        self.layout = ProcedureLayout.for_size(size)
        self.widgets = build_widgets(self.app.manager, self.layout, self.app.config.catalogue, self.choices, self.case,
                                     self.app.fonts)
        self.widgets_list = self.widgets.all
        self.view = ProcedureView(self, self.layout)
        self.dialogs.rebuild()

    def image_top_px(self, panel_width_px: int) -> int:
        """Room above the ultrasound image in its panel: the scanner's readouts."""
        return IMAGE_TOP_PX

    def kill_widgets(self) -> None:
        for widget in getattr(self, "widgets_list", []):
            widget.kill()
        self.widgets_list = []

    def close(self) -> None:
        if self._image_task is not None:
            self._image_task.wait()  # the next screen (the debrief) may ask the session for a frame
        self.dialogs.close()
        super().close()

    def ultrasound_pending(self):
        """The background task preparing the ultrasound image while it runs, else None (frames may be asked
        for). Started on the first call once the app works in the background (in line otherwise), and again
        whenever the session dropped its engine (a replay seeking back resets the session)."""
        if self._image_task is None or (self._image_task.done and not self.session.ultrasound_ready):
            if not self.app.background:
                return None
            self._image_task = prepare_image(self.session, self.app.kernels)
        return None if self._image_task.done else self._image_task

    @property
    def adjusts_by_key(self) -> bool:
        """Whether a held probe / scanner / needle key repeats (key_repeat.py): not while a dialog
        takes the letters (the consent topics are ticked with A-L)."""
        return not self.dialogs.is_open

    def focus_order(self) -> list:
        """An open dialog's widgets while it is open; otherwise the controls top to bottom, then the bars."""
        if self.dialogs.is_open:
            return list(self.dialogs.dialog.elements)
        return list(self.widgets_list)

    # ------------------------------------------------------------------ context
    @property
    def state(self):
        return self.session.state

    def plan(self, state=None):
        state = state or self.state
        if self.custom_entry is not None:
            return plan_from_entry(*self.custom_entry, state.probe, self.plan_angle_deg)
        return default_plan(state.probe, self.case.ultrasound.probe, self.plan_angle_deg)

    def context(self) -> InputContext:
        state = self.state
        us = self.case.ultrasound
        region = self.case.body_region
        return InputContext(
            probe=state.probe, probe_on_skin=state.probe_on_skin, settings=state.settings,
            freq_range_mhz=(us.freq_mhz_min, us.freq_mhz_max), region_mm=(region.width_mm, region.height_mm),
            needle=state.needle, plan=self.plan(state), choices=self.choices,
            palpation_view=self.view.palpation.view if self.view.tab == PALPATION_TAB else None, pressing=self.pressing, pressure=self.pressure,
            finger_mm=self.finger_mm, grip=self.grip, buttons=self.widgets.buttons, mods=pygame.key.get_mods(),
            probe_tilt_deg=state.probe_tilt_deg,
        )

    # ------------------------------------------------------------------ events
    def handle_event(self, event, consumed) -> None:
        if self.finished_at is not None:
            return
        if self.dialogs.handle_event(event):
            return
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_F1 or getattr(event, "unicode", "") == "?":
                self.help_visible = not self.help_visible
                return
            if self.help_visible:
                if UI_KEYS.get(event.key) == "escape":
                    self.help_visible = False
                return
        if self.help_visible and event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            self.help_visible = False
            return
        if not consumed and self.handle_finger_key(event):
            return
        if self.handle_view_event(event, consumed):
            return
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED:
            self.choices = choice_from_dropdowns(self.widgets, self.choices)
            return
        if consumed and event.type not in (pygame_gui.UI_BUTTON_PRESSED,):
            if not (event.type == pygame.MOUSEBUTTONUP and self.pressing):
                return
        ctx = self.context()
        command = command_of(event, ctx)
        if command in DIALOG_COMMANDS:
            self.dialogs.open(command)
            return
        if command in PLAN_COMMANDS and ctx.needle is None:
            dangle, dheading = PLAN_COMMANDS[command]
            self.plan_angle_deg = min(85.0, max(5.0, self.plan_angle_deg + dangle))
            if dheading and self.custom_entry is None:
                self.custom_entry = (ctx.plan.x_mm, ctx.plan.y_mm)
            return
        if (event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and ctx.mods & pygame.KMOD_SHIFT
                and ctx.palpation_view is not None and ctx.palpation_view.contains_px(*event.pos)):
            self.custom_entry = ctx.palpation_view.to_mm(*event.pos)
            return
        self.submit(input_map(event, ctx))

    def handle_finger_key(self, event) -> bool:
        """The keyboard finger (P shows it; arrows, Space and Esc then belong to it); True when used."""
        fingers = self.finger_keys
        if event.type == pygame.KEYDOWN and event.key == KeyboardFinger.toggle_key and not fingers.active:
            fingers.show(self.finger_mm)
            self.view.tab = PALPATION_TAB  # the finger works on the drawing
            self.finger_mm = (fingers.x_mm, fingers.y_mm)
            return True
        actions = fingers.key(event, self.pressure, None if self.grip == "flat" else self.grip)
        if actions is None:
            return False
        if fingers.active:
            self.finger_mm = (fingers.x_mm, fingers.y_mm)
        self.submit(actions)
        return True

    def handle_view_event(self, event, consumed) -> bool:
        """Tabs (click or Tab key) and scrolling the case card; True when the event was used."""
        view = self.view
        if event.type == pygame.KEYDOWN and event.key == pygame.K_TAB and event.mod & pygame.KMOD_CTRL and not consumed:
            view.tab = 1 - view.tab
            return True
        if event.type == pygame.KEYDOWN and not consumed and UI_KEYS.get(event.key) == "grip":
            self.grip = "pincer" if self.grip == "flat" else "flat"
            return True
        if event.type == pygame.KEYDOWN and not consumed and UI_KEYS.get(event.key) == "hint":
            if self.coach is not None:
                self.hint = (self.wall_s + HINT_SHOW_S, self.coach.ask_hint(self.state))
            return True
        if self.practice and not consumed and (
                (event.type == pygame.KEYDOWN and UI_KEYS.get(event.key) == "anatomy")
                or (event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and view.anatomy_pill is not None
                    and view.anatomy_pill.collidepoint(event.pos))):
            self.anatomy_on = not self.anatomy_on
            return True
        if event.type == pygame.KEYDOWN and not consumed and UI_KEYS.get(event.key) == "outlines":
            if self.practice:  # assessment draws no outline at all
                self.outlines = not self.outlines
                view.show_outlines(self.outlines)
            return True
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and not consumed:
            tab = view.tab_at(event.pos)
            if tab is not None:
                view.tab = tab
                return True
        if event.type == pygame.MOUSEWHEEL and self.view.feed_rect.collidepoint(
                getattr(event, "pos", None) or pygame.mouse.get_pos()):
            self.feed_log.scroll(event.y)
            return True
        if event.type == pygame.MOUSEWHEEL and view.tab == CARD_TAB:
            return view.card.handle_wheel(event, getattr(event, "pos", None) or pygame.mouse.get_pos())
        return False

    def submit(self, actions) -> None:
        """Queue actions for the next tick and track the finger the UI draws."""
        for action in actions:
            if isinstance(action, A.Palpate):
                self.pressing = True
                self.finger_mm = (action.x_mm, action.y_mm)
                self.pressure = self.sent_pressure = action.pressure
            elif isinstance(action, A.Snap):
                self.finger_mm = (action.x_mm, action.y_mm)
            elif isinstance(action, A.Release):
                self.pressing = False
        self.driver.queue(actions)

    # ------------------------------------------------------------------ update
    def update(self, dt_s: float) -> None:
        self.wall_s += dt_s
        self.ultrasound_pending()  # starts preparing the image at once, even with the probe lifted
        if self.finished_at is not None:
            if self.wall_s - self.finished_at >= FINISH_DELAY_S:
                self.app.show_debrief(self.case, self.session, self.driver.timed, self.saved, self.mode)
            return
        if self.pressing and self.finger_mm is not None:
            self.pressure = min(1.0, self.pressure + HOLD_PRESSURE_PER_S * dt_s)
            if self.pressure - self.sent_pressure >= HOLD_SEND_STEP:
                self.submit([A.Palpate(x_mm=self.finger_mm[0], y_mm=self.finger_mm[1],
                                       pressure=round(self.pressure, 3), grip=None if self.grip == "flat" else self.grip)])
        for event in self.driver.advance(dt_s):
            self.on_event(event)
        self.refresh_coach()
        self.dialogs.update()
        if self.state.finished and self.finished_at is None:
            self.on_finished()

    def on_event(self, event) -> None:
        self.feed_log.on_event(event, describe(event, self.app.config.catalogue))
        cue = sound_for(event)
        if self.coach is not None:
            before = self.coach.event_advice
            self.coach.feed(event)
            if isinstance(event, E.NeedleMoved) and self.coach.event_advice != before:
                cue = cue or "warning"  # a blind advance is heard as well as read
        if cue:
            self.app.sound.play(cue)
        self.view.on_event(event, self.wall_s)
        self.dialogs.on_event(event)
        if isinstance(event, E.InjectionDeclined) and self.dialogs.finish_on_decline:
            self.submit([A.Finish()])  # the Session does not end on a decline; in the UI declining ends the procedure

    def refresh_coach(self) -> None:
        """The practice banner: a hint asked for, else the coach's current message, else nothing."""
        if self.coach is None:
            return
        if self.hint is not None and self.hint[0] > self.wall_s:
            message = self.hint[1]
        else:
            self.hint = None
            message = self.coach.current(self.state)
        self.warning = (self.wall_s + 1.0, message.text, message.tone) if message is not None else None

    def on_finished(self) -> None:
        self.finished_at = self.wall_s
        self.dialogs.close()
        if self.mode in ("practice", "assessment"):
            config = self.app.config
            self.saved = save_pending(prepare_attempt(self.session, self.trainee, self.mode, self.started_at),
                                      config.db_url, config.key_file)

    # ------------------------------------------------------------------ drawing
    def clock(self) -> tuple[str, tuple]:
        """The top bar's clock text and colour: the time into the procedure (an exam counts down)."""
        return format_clock(self.state.time_s), pal.TEXT

    def draw(self, surface) -> None:
        self.view.draw(surface)

    def draw_overlay(self, surface) -> None:
        self.view.draw_overlay(surface)
