"""Drawing the procedure screen from the Session's state (render modules do the pixels)."""

from __future__ import annotations

import pygame

from simulator.core import events as E
from simulator.core.marks import mark_finds_a_point
from simulator.core.palpation import FEEL_LEVELS
from simulator.render import palette as pal
from simulator.render.body_map import BodyMapRenderer
from simulator.render.case_card import chart_alerts, render_case_card
from simulator.render.coaching import draw_checklist
from simulator.render.cues import checklist_mark, draw_mark
from simulator.render.feed import draw_feed
from simulator.render.help import draw_help
from simulator.render.hud import draw_gauge, draw_speech, draw_top_bar
from simulator.render.monitor import draw_monitor, monitor_width
from simulator.render.palpation import Fingertip, MarkHint, PalpationRenderer, draw_legend
from simulator.render.scroll import ScrollView
from simulator.render.tabs import draw_tabs, tab_rects
from simulator.render.text import badge, panel
from simulator.scenario.body_map import BODY_MAP
from simulator.ui.event_text import dose_unit, short_agent_name
from simulator.ui.keys import HELP
from simulator.ui.screens.procedure_scanner import TWITCH_LABEL_S, UltrasoundPanel
from simulator.ui.screens.procedure_widgets import BAR_LABEL_W

FEEL_NAMES = [name for name, _ in FEEL_LEVELS]
SPEECH_SHOW_S = 3.5
JUMP_S = 0.5
DIM_ALPHA = 120  # how far the panels behind a dialog fade towards the background
MONITOR_MARGIN_PX = 12  # space either side of the monitor in the top bar
TABS = ["Palpation", "Case card"]
PALPATION_TAB, CARD_TAB = 0, 1


class ProcedureView:
    def __init__(self, screen, layout):
        self.screen = screen
        self.layout = layout
        fonts = screen.app.fonts
        self.fonts = fonts
        case = screen.case
        self.palpation = PalpationRenderer(case, fonts, layout.palpation_box,
                                           show_muscles=screen.practice and getattr(screen, "outlines", True))
        self.body_map = BodyMapRenderer(fonts, layout.body_map)
        self.card = ScrollView(render_case_card(case, fonts, layout.card_box.width, hints=screen.practice),
                               layout.card_box)
        self.tab = PALPATION_TAB
        self.tab_rects = tab_rects(layout.tab_strip, fonts, TABS)
        self._left_static = [self._render_left(i).convert() for i in range(len(TABS))]
        self._background = self._render_background().convert()  # display format: faster blits
        self.scanner = UltrasoundPanel(screen, layout.ultrasound, fonts)
        self.speech: tuple[float, str] | None = None  # (shown at wall s, text)
        self.jump_until = -1.0
        self.speech_rect = pygame.Rect(0, 0, 0, 0)  # where the last speech bubble was drawn
        self._feed_surface: pygame.Surface | None = None
        self._feed_len = -1
        self._dim: pygame.Surface | None = None
        self.feed_rect, self.steps_rect = self._split_feed(layout.feed, screen.practice)

    @property
    def ultrasound(self):
        return self.scanner.ultrasound

    @property
    def anatomy_pill(self) -> pygame.Rect | None:
        """The anatomy overlay's on/off button (practice), once drawn."""
        return self.scanner.anatomy_pill

    @property
    def status_rect(self) -> pygame.Rect:
        """Where the needle line was drawn under the image."""
        return self.scanner.status_rect

    @staticmethod
    def _split_feed(feed: pygame.Rect, practice: bool) -> tuple[pygame.Rect, pygame.Rect | None]:
        """Practice: the step checklist takes the top of the feed's column (up to 7 rows)."""
        if not practice:
            return feed, None
        steps_h = max(60, min(round(feed.height * 0.45), 151))
        return (pygame.Rect(feed.x, feed.y + steps_h + 6, feed.width, feed.height - steps_h - 6),
                pygame.Rect(feed.x, feed.y, feed.width, steps_h))

    def show_outlines(self, on: bool) -> None:
        """Practice mode: draw the muscle outlines (the muscle, never the point) or leave them off."""
        s = self.screen
        self.palpation = PalpationRenderer(s.case, self.fonts, self.layout.palpation_box, show_muscles=s.practice and on)

    def on_event(self, event, wall_s: float) -> None:
        if event.speech:
            self.speech = (wall_s, event.speech)
        if isinstance(event, E.PalpationFelt) and event.jump_sign:
            self.jump_until = wall_s + JUMP_S
        if isinstance(event, E.TwitchElicited):
            self.scanner.twitch_until = wall_s + TWITCH_LABEL_S

    def _render_background(self) -> pygame.Surface:
        """Everything that does not change during a case: the fill, panel frames and titles, bar captions."""
        L, s = self.layout, self.screen
        surf = pygame.Surface(s.app.size)
        surf.fill(pal.BG)
        panel(surf, L.palpation_info, self.fonts, "Patient response")
        divider_x = L.body_map.x - 6
        pygame.draw.line(surf, pal.PANEL_BORDER, (divider_x, L.palpation_info.y + 10),
                         (divider_x, L.palpation_info.bottom - 10), 1)
        panel(surf, L.controls, self.fonts, "Procedure")
        pygame.draw.rect(surf, (6, 8, 11), L.ultrasound, border_radius=6)
        pygame.draw.rect(surf, pal.PANEL_BORDER, L.ultrasound, 1, border_radius=6)
        for bar, title in ((L.scanner_bar, "SCANNER"), (L.needle_bar, getattr(s, "needle_bar_title", "NEEDLE"))):
            pygame.draw.rect(surf, pal.PANEL, (bar.x, bar.y, BAR_LABEL_W - 4, bar.height - 4), border_radius=5)
            label = pygame.transform.rotate(self.fonts.text(title, 12, pal.TEXT_DIM, "bold"), 90)
            surf.blit(label, label.get_rect(center=(bar.x + (BAR_LABEL_W - 4) // 2, bar.y + bar.height // 2 - 2)))
        return surf

    # ------------------------------------------------------------------ left panel
    def _render_left(self, tab: int) -> pygame.Surface:
        """The left panel's frame, tab headers and (palpation tab) chart alerts, drawn once."""
        L = self.layout
        surf = pygame.Surface(L.palpation.size)
        surf.fill(pal.BG)
        local = L.palpation.move(-L.palpation.x, -L.palpation.y)
        panel(surf, local, self.fonts)
        strip = L.tab_strip.move(-L.palpation.x, -L.palpation.y)
        alerts = chart_alerts(self.screen.case)
        dots = {CARD_TAB: pal.DANGER if any(c == pal.DANGER for _, c in alerts) else pal.WARN} if alerts else None
        draw_tabs(surf, strip, self.fonts, TABS, tab, "Ctrl+Tab: switch", dots)
        if tab == PALPATION_TAB:
            self._render_alerts(surf, L.alert_strip.move(-L.palpation.x, -L.palpation.y), alerts)
            draw_legend(surf, L.palpation_legend.move(-L.palpation.x, -L.palpation.y), self.fonts)
        return surf

    def _render_alerts(self, surf, rect, alerts) -> None:
        pygame.draw.line(surf, pal.PANEL_BORDER, (rect.x, rect.y), (rect.right, rect.y), 1)
        x, y = rect.x, rect.y + 6
        title = self.fonts.bold(12).render("CHART", True, pal.TEXT_FAINT)
        surf.blit(title, (x, y + 1))
        x += title.get_width() + 10
        font = self.fonts.regular(12)
        items = alerts or [("nothing flagged; full history in the case card", pal.TEXT_DIM)]
        for i, (text, colour) in enumerate(items):
            label = font.render(text, True, colour)
            sep = font.render("  \u00b7  ", True, pal.TEXT_FAINT) if i else None
            need = label.get_width() + (sep.get_width() if sep else 0)
            if x + need > rect.right:
                more = font.render(f"+{len(items) - i} more", True, pal.TEXT_DIM)
                if x + more.get_width() + 8 <= rect.right:
                    surf.blit(more, (x + 8, y))
                break
            if sep:
                surf.blit(sep, (x, y))
                x += sep.get_width()
            surf.blit(label, (x, y))
            x += label.get_width()

    def tab_at(self, pos) -> int | None:
        return next((i for i, r in enumerate(self.tab_rects) if r.collidepoint(pos)), None)

    # ------------------------------------------------------------------ panels
    def draw(self, surface: pygame.Surface) -> None:
        s = self.screen
        state = s.state
        L = self.layout
        surface.blit(self._background, (0, 0))
        reserve = monitor_width(self.fonts) + 2 * MONITOR_MARGIN_PX
        clock, clock_colour = s.clock()
        free = draw_top_bar(surface, L.top_bar, self.fonts, s.case.title,
                            f"{s.case.patient.name}  \u00b7  {s.trainee or 'trainee'}" if not s.practice and s.trainee
                            else s.case.patient.name, s.mode, clock, reserve_px=reserve,
                            muted=s.app.sound.muted, clock_colour=clock_colour)
        self.monitor_rect = pygame.Rect(free.right - reserve + MONITOR_MARGIN_PX, L.top_bar.y + 5,
                                        reserve - 2 * MONITOR_MARGIN_PX, L.top_bar.height - 10)
        surface.blit(self._left_static[self.tab], L.palpation.topleft)
        if self.tab == PALPATION_TAB and s.finger_keys.active:  # the keys the finger answers, over the legend
            self._draw_finger_hint(surface)
        if self.tab == PALPATION_TAB:
            self._draw_palpation(surface, state)
        else:
            self.card.draw(surface)
        self._draw_info(surface, state)
        self.scanner.draw(surface, state)
        self._draw_controls(surface, state)
        if self._feed_len != s.feed_log.version or self._feed_surface is None:
            self._feed_surface = pygame.Surface(self.feed_rect.size).convert()
            self._feed_surface.fill(pal.BG)
            draw_feed(self._feed_surface, self._feed_surface.get_rect(), self.fonts, s.feed, s.feed_log.scroll_back)
            self._feed_len = s.feed_log.version
        surface.blit(self._feed_surface, self.feed_rect.topleft)
        if self.steps_rect is not None and s.coach is not None:
            draw_checklist(surface, self.steps_rect, self.fonts,
                           [(step.title, done) for step, done in s.coach.checklist(state)])
        if s.dialogs.is_open:  # a modal dialog: the panels behind it recede
            if self._dim is None or self._dim.get_size() != surface.get_size():
                self._dim = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
                self._dim.fill((*pal.BG, DIM_ALPHA))
            surface.blit(self._dim, (0, 0))
        if state.vitals is not None:  # the monitor stays readable over a dialog (emergency care is given there)
            draw_monitor(surface, self.monitor_rect, self.fonts, state.vitals, state.oxygen)

    def _draw_finger_hint(self, surface) -> None:
        strip = self.layout.palpation_legend
        pygame.draw.rect(surface, pal.PANEL, strip)
        for text in ("Finger: arrows move \u00b7 hold Space to press \u00b7 K marks \u00b7 P or Esc: away",
                     "Arrows \u00b7 hold Space \u00b7 K mark \u00b7 P away"):
            label = self.fonts.text(text, 12, pal.WARN, "bold")
            if label.get_width() <= strip.width:
                break
        surface.blit(label, (strip.centerx - label.get_width() // 2, strip.centery - label.get_height() // 2))

    def _draw_palpation(self, surface, state) -> None:
        s = self.screen
        marks = [MarkHint(x, y, mark_finds_a_point(s.case, x, y) if s.practice else None) for x, y in state.marks]
        finger = None
        if s.finger_mm is not None:
            finger = Fingertip(s.finger_mm[0], s.finger_mm[1], s.pressure, s.pressing)
        plan = s.plan(state)
        jump = 0.0 if s.app.config.reduce_motion else max(0.0, self.jump_until - s.wall_s)  # no shake
        # Outside practice the entry is drawn only once the trainee has chosen one (Shift+click): a
        # default entry beside the probe would point at the target.
        shown = s.practice or s.custom_entry is not None
        self.palpation.draw(surface, marks=marks, finger=finger,
                            probe=state.probe if state.probe_on_skin else None, needle=state.needle,
                            planned_entry=(plan.x_mm, plan.y_mm, plan.heading_deg) if shown else None, jump_s=jump)


    def _draw_info(self, surface, state) -> None:
        rect = self.layout.palpation_info
        inner = pygame.Rect(rect.x + 10, rect.y + 26, rect.width - 20, rect.height - 32)  # as panel() gives
        feel = state.palpation
        pressing = self.screen.pressing
        gauge_w = self.layout.body_map.x - 14 - inner.x
        # The finger reports a word (soft, firm, ropy band, nodule), never a number (docs/palpation.md).
        level = feel.feel if feel is not None and feel.finger_down else None
        step = (FEEL_NAMES.index(level) + 1) / len(FEEL_NAMES) if level in FEEL_NAMES else 0.0
        draw_gauge(surface, pygame.Rect(inner.x, inner.y + 2, gauge_w, 28), self.fonts, "Feel", step,
                   pal.ACCENT, level or "-")
        compact = inner.height < 160  # small windows: rows closer together so two rows of flags fit
        draw_gauge(surface, pygame.Rect(inner.x, inner.y + (34 if compact else 38), gauge_w, 28), self.fonts,
                   "Finger pressure", self.screen.pressure if pressing else 0.0, pal.INFO,
                   f"{getattr(self.screen, 'grip', 'flat')} grip")
        pain = feel.pain if feel is not None else 0
        f = self.fonts
        y = pain_y = inner.y + (66 if compact else 76)
        surface.blit(f.text("PAIN", 12, pal.TEXT_FAINT, "bold"), (inner.x, y + 10))
        number = f.text(f"{pain}", 26, pal.pain_colour(pain), "bold")
        surface.blit(number, (inner.x + 40, y))
        out_of = f.text("/ 10", 13, pal.TEXT_DIM)
        x = inner.x + 44 + number.get_width()
        surface.blit(out_of, (x, y + 12))
        flags = []
        if self.jump_until > self.screen.wall_s:
            flags.append(("JUMP SIGN", pal.DANGER))
        if feel is not None and feel.finger_down and feel.recognition == "yes":
            flags.append(("RECOGNISED", pal.COMPLAINT))
        elif feel is not None and feel.finger_down and feel.recognition == "partly":
            flags.append(("PARTLY FAMILIAR", pal.INFO))
        widths = [f.text(text, 12, pal.BG, "bold").get_width() + 14 for text, _ in flags]
        x += out_of.get_width() + 14
        right = inner.x + gauge_w
        if flags and x + sum(widths) + 8 * (len(flags) - 1) > right:
            x, y = inner.x, y + (30 if compact else 34)  # no room beside the number: below it, wrapping
        for (text, colour), width in zip(flags, widths):
            if x + width > right and x > inner.x:
                x, y = inner.x, y + 22
            badge(surface, f, text, (x, y + 9), colour)
            x += width + 8
        referred = feel.referred_regions if feel is not None and feel.finger_down else ()
        if referred and y == pain_y and y + 34 + 16 <= inner.bottom + 4:  # in words too, if there is room
            felt = self._felt_text(referred, gauge_w)
            surface.blit(felt, (inner.x, y + 36))
        self.body_map.draw(surface, referred=referred, complaint=self.screen.case.patient.chief_complaint.regions)

    def _felt_text(self, referred, width_px: int) -> pygame.Surface:
        """'Felt in: temple, eye, ...' shortened to fit (cached by the fonts' text cache)."""
        names = list(dict.fromkeys(BODY_MAP[n].spoken for n in referred if n in BODY_MAP))
        for count in range(len(names), 0, -1):
            more = f" +{len(names) - count}" if count < len(names) else ""
            text = self.fonts.text("Felt in: " + ", ".join(names[:count]) + more, 12, pal.REFERRED)
            if text.get_width() <= width_px:
                return text
        return self.fonts.text(f"Felt in {len(names)} places", 12, pal.REFERRED)

    def _draw_controls(self, surface, state) -> None:
        L = self.layout
        rows = self.screen.widgets.rows
        c = state.checklist
        done = {"consent": c.consent, "position": c.position is not None, "skin_prep": c.skin_prep,
                "needle": c.needle, "agent": state.agent_id is not None, "draw_up": state.agent_id is not None}
        for key, y in rows.items():
            if key not in done:
                continue
            shape, colour = checklist_mark(done[key], c.position_recommended or key != "position")
            draw_mark(surface, shape, (L.controls.x + 19, y), 7, colour)
        y = rows.get("drug_title", L.controls.y)
        room_px = L.controls.width - 24
        text = self.fonts.text(self.drug_label(state, lambda t: self.fonts.text(t, 12, pal.TEXT_FAINT, "bold")
                                               .get_width() <= room_px), 12, pal.TEXT_FAINT, "bold")
        surface.blit(text, (L.controls.x + 12, y - 6))

    def drug_label(self, state, fits=lambda text: True) -> str:
        """The drug row's title: what is in the syringe by its catalogue name, and the running doses with units.
        When that does not `fit` the column, the syringe is just 'syringe' (the agent dropdown below names it)."""
        catalogue = self.screen.app.config.catalogue
        doses = "  ".join(f"{name} {mg:.0f} {dose_unit(catalogue, name)}" for name, mg in state.dose_mg)
        tail = f"  \u00b7  {doses}" if doses else ""
        if not state.agent_id:
            return f"DRUG  \u00b7  syringe empty{tail}"
        named = f"DRUG  \u00b7  {short_agent_name(catalogue, state.agent_id)} {state.syringe_ml:g} mL{tail}"
        return named if fits(named) else f"DRUG  \u00b7  syringe {state.syringe_ml:g} mL{tail}"

    def draw_overlay(self, surface) -> None:
        s = self.screen
        if s.dialogs.is_open:  # nothing is drawn over a dialog
            return
        if self.speech is not None and s.wall_s - self.speech[0] < SPEECH_SHOW_S:
            drawing = self.palpation.view.rect
            anchor = (self.palpation.view.to_px(*s.finger_mm) if s.finger_mm and self.tab == PALPATION_TAB
                      else (drawing.centerx, drawing.y + 12))
            fade = 1.0 - max(0.0, (s.wall_s - self.speech[0]) - (SPEECH_SHOW_S - 0.5)) / 0.5
            view = self.palpation.view
            avoid = [rect for _, rect in self.palpation.labels]  # landmark and muscle names
            avoid += [pygame.Rect(*view.to_px(x, y), 0, 0).inflate(24, 24) for x, y in s.state.marks]
            self.speech_rect = draw_speech(surface, self.fonts, self.speech[1], anchor, 300,
                                           self.layout.palpation_box, round(255 * fade), avoid)
        if s.help_visible:
            draw_help(surface, self.fonts, HELP)
