"""The guided first case: the procedure screen with one instruction at a time and its control lit.

The steps, their checks and their words are model code (core.coaching.tutorial); this screen
draws the instruction card and the highlight, and keeps the progress file up to date (at
each step, on leaving with Esc, and when the window closes). Resuming replays the saved
actions into a fresh Session with the saved seed: the same patient, the same step.
"""

from __future__ import annotations

import math

import pygame

from simulator.core.coaching.tutorial import Tutorial
from simulator.render import palette as pal
from simulator.render.text import wrap
from simulator.ui.event_text import describe
from simulator.ui.guide_store import save_progress
from simulator.ui.screens.procedure import IMAGE_TOP_PX, ProcedureScreen

CARD_PAD_PX = 10
CARD_TOP_PX = 38  # the card's top in the ultrasound panel, under the readouts
CARD_GAP_PX = 6  # between the card and the image below it
HALF_TICK_S = 0.5 / 60


class TutorialScreen(ProcedureScreen):
    name = "tutorial"

    def __init__(self, app, case, seed: int, timed=()):
        super().__init__(app, case, "practice", "", seed)
        self.tutorial = Tutorial(case, seed)
        self._resume(list(timed))
        self.tutorial.update(self.coach.facts, self.state)
        self.error: str | None = None
        self.card_drawn = pygame.Rect(0, 0, 0, 0)  # where the instruction card was last drawn
        self.save()

    def _resume(self, timed) -> None:
        """Replay the saved actions through the driver (so they are recorded as this attempt's replay);
        the Session is deterministic, and the feed and the coach see every event."""
        session = self.session
        i = 0
        while i < len(timed):
            t_s = timed[i][0]
            batch = [a for t, a in timed[i:] if t == t_s]
            while session.time_s < t_s - HALF_TICK_S:
                self._replayed(self.driver.tick())
            self.driver.queue(batch)
            self._replayed(self.driver.tick())
            i += len(batch)

    def _replayed(self, events) -> None:
        for event in events:
            self.coach.feed(event)
            self.view.on_event(event, self.wall_s)
            self.feed_log.on_event(event, describe(event, self.app.config.catalogue))

    # ------------------------------------------------------------------ progress
    def save(self) -> None:
        self.error = save_progress(self.app.config.guide_file, self.tutorial.to_dict(self.driver.timed))

    def update(self, dt_s: float) -> None:
        super().update(dt_s)
        if self.tutorial.update(self.coach.facts, self.state) or (self.state.finished and not self.tutorial.completed):
            self.save()

    def handle_event(self, event, consumed) -> None:
        if (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and not self.dialogs.is_open
                and not self.help_visible and self.finished_at is None):
            self.save()
            self.app.show_picker()  # leave: the progress file holds the place
            return
        super().handle_event(event, consumed)

    def close(self) -> None:
        if self.finished_at is None:
            self.save()
        super().close()

    # ------------------------------------------------------------------ drawing
    def highlight_rect(self) -> pygame.Rect | None:
        """The control the current step uses: its button, or the panel it happens in."""
        step = self.tutorial.step
        if step is None:
            return None
        if step.command is not None:
            button = next((b for b, c in self.widgets.buttons.items() if c == step.command), None)
            return button.rect if button is not None else None
        return {"palpation": self.layout.palpation_box, "ultrasound": self.view.ultrasound.image_box(),
                "controls": self.layout.controls}.get(step.area)

    def card_rect(self) -> pygame.Rect:
        u = self.layout.ultrasound
        return pygame.Rect(u.x + 8, u.y + CARD_TOP_PX, u.width - 16, 0)

    def image_top_px(self, panel_width_px: int) -> int:
        """The image starts under the tallest instruction card of the case, so no card ever hides the
        scan (the needle and the trigger point are near its top) and the image keeps one size throughout."""
        font, width = self.app.fonts.bold(14), panel_width_px - 16 - 2 * CARD_PAD_PX
        texts = []
        for index in range(len(Tutorial(self.case).steps) + 1):  # each step's words, and the closing line
            texts.append(Tutorial(self.case, index=index).instruction)
        lines = max(len(wrap(font, text, width)) for text in texts)
        head_h = self.app.fonts.text("GUIDED CASE", 12, pal.BG, "bold").get_height()
        card_h = CARD_PAD_PX * 2 + head_h + 4 + lines * font.get_linesize()
        return max(IMAGE_TOP_PX, CARD_TOP_PX + card_h + CARD_GAP_PX)

    def draw_overlay(self, surface) -> None:
        super().draw_overlay(surface)
        if self.dialogs.is_open or self.help_visible:
            return
        target = self.highlight_rect()
        if target is not None:
            pulse = 0.5 + 0.5 * math.sin(self.wall_s * 5.0)
            glow = target.inflate(8 + round(4 * pulse), 8 + round(4 * pulse))
            pygame.draw.rect(surface, pal.WARN, glow, 3, border_radius=8)
        self._draw_card(surface)

    def _draw_card(self, surface) -> None:
        fonts = self.app.fonts
        t = self.tutorial
        rect = self.card_rect()
        font = fonts.bold(14)
        lines = wrap(font, t.instruction, rect.width - 2 * CARD_PAD_PX)
        number = min(t.index + 1, len(t.steps))
        dot = "  \u00b7  "
        heads = ([f"GUIDED CASE{dot}step {number} of {len(t.steps)}{dot}T: hint{dot}Esc: leave, progress kept",
                  f"GUIDED CASE{dot}step {number} of {len(t.steps)}{dot}T: hint{dot}Esc: leave",
                  f"STEP {number} OF {len(t.steps)}"] if not t.completed else [f"GUIDED CASE{dot}complete"])
        surfaces = [fonts.text(head, 12, pal.BG, "bold") for head in heads]
        head_surface = next((h for h in surfaces if h.get_width() <= rect.width - 2 * CARD_PAD_PX), surfaces[-1])
        rect.height = CARD_PAD_PX * 2 + head_surface.get_height() + 4 + len(lines) * font.get_linesize()
        pygame.draw.rect(surface, pal.WARN, rect, border_radius=6)
        surface.blit(head_surface, (rect.x + CARD_PAD_PX, rect.y + CARD_PAD_PX))
        y = rect.y + CARD_PAD_PX + head_surface.get_height() + 4
        for line in lines:
            surface.blit(fonts.text(line, 14, pal.BG, "bold"), (rect.x + CARD_PAD_PX, y))
            y += font.get_linesize()
        self.card_drawn = rect  # where the card went this frame
        if self.error:
            note = fonts.text(self.error[:120], 12, pal.DANGER)
            surface.blit(note, (rect.x, rect.bottom + 4))
