"""Screenshots of every screen (to test-artifacts/) and their structure: panels are not blank,
distinct regions differ. No exact pixel comparisons."""

import numpy as np
import pygame
import pytest

from simulator.render.layout import ProcedureLayout
from simulator.core import actions as A
from simulator.render import palette as pal
from simulator.render.help import help_box
from tests.ui.driving import click, finish, key, scroll_to_end, viewport_shows_end, wait


def exact_pixels(surface, rect, colour) -> int:
    pixels = pygame.surfarray.array3d(surface.subsurface(rect))
    return int((pixels == np.array(colour)).all(axis=2).sum())


def near_pixels(surface, rect, colour, tolerance=40) -> int:
    """Pixels within `tolerance` of `colour` in every channel (antialiased text rarely hits it exactly)."""
    pixels = pygame.surfarray.array3d(surface.subsurface(rect)).astype(int)
    return int((np.abs(pixels - np.array(colour)) <= tolerance).all(axis=2).sum())


def region_std(surface, rect):
    pixels = pygame.surfarray.array3d(surface.subsurface(rect)).astype(float)
    return float(pixels.std())


def test_picker_procedure_help_and_replay_screens(make_app, artifacts):
    app = make_app()
    app.frame(1 / 60)
    pygame.image.save(app.window, str(artifacts / "picker.png"))
    assert app.screen.name == "picker"
    assert region_std(app.window, app.screen.layout.cases) > 10
    case = app.config.cases[0]
    app.start_case(case, "practice", "")
    wait(app, 0.2)
    pygame.image.save(app.window, str(artifacts / "procedure.png"))
    layout = ProcedureLayout.for_size(app.size)
    image = app.screen.view.ultrasound.image_view.rect
    assert region_std(app.window, image) > 15  # speckle, layers: not a flat fill
    assert region_std(app.window, app.screen.view.palpation.view.rect) > 10
    mean_image = pygame.surfarray.array3d(app.window.subsurface(image)).mean()
    key(app, pygame.K_TAB, pygame.KMOD_CTRL)  # the case card shares the left panel with the palpation view
    wait(app, 0.05)
    pygame.image.save(app.window, str(artifacts / "case_card.png"))
    assert region_std(app.window, layout.card_box) > 5
    mean_card = pygame.surfarray.array3d(app.window.subsurface(layout.card_box)).mean()
    assert abs(mean_image - mean_card) > 5  # distinct regions look different
    key(app, pygame.K_TAB, pygame.KMOD_CTRL)
    wait(app, 0.05)
    box = help_box(app.size)
    outside = pygame.Rect(0, 0, app.size[0], box.y)  # the top bar, above the overlay's box
    centre = pygame.Rect(0, 0, box.width - 2 * 40, 120)
    centre.center = box.center  # inside the overlay's box whatever height its content gives it
    before = pygame.surfarray.array3d(app.window.subsurface(outside)).mean()
    key(app, pygame.K_F1)
    wait(app, 0.05)
    pygame.image.save(app.window, str(artifacts / "help.png"))
    assert app.screen.help_visible
    # The help overlay: the screen behind it dimmed, a panel holding the key table on top.
    assert pygame.surfarray.array3d(app.window.subsurface(outside)).mean() < 0.5 * before
    assert exact_pixels(app.window, centre, pal.PANEL) > 0.5 * centre.width * centre.height
    assert near_pixels(app.window, centre, pal.WARN) > 200  # key names, in the warning colour
    key(app, pygame.K_ESCAPE)
    wait(app, 0.05)
    assert not app.screen.help_visible
    assert abs(pygame.surfarray.array3d(app.window.subsurface(outside)).mean() - before) < 0.05 * before


def test_replay_timeline_plays_pauses_and_seeks(make_app, artifacts):
    app = make_app()
    case = app.config.cases[0]
    timed = [(0.2, A.Consent()), (0.6, A.Position(position=case.patient.position)), (1.0, A.SkinPrep()),
             (1.4, A.ChooseNeedle(gauge=25, length_mm=38.0))]
    app.open_replay(({"case": case.id, "seed": 3}, timed))
    screen = app.screen
    wait(app, 0.8)
    assert screen.name == "replay" and screen.playing and 0.5 < screen.play_s < screen.duration_s
    pygame.image.save(app.window, str(artifacts / "replay.png"))  # mid-playback
    timeline = screen.timeline
    pixels = pygame.surfarray.pixels3d(app.window)
    handle = (timeline.x_of(screen.play_s), timeline.track.centery)
    assert tuple(pixels[handle]) == pal.ACCENT  # the handle sits at the playback position
    consent_x = timeline.x_of(next(t for t, tone in screen.ticks if tone == "ok"))
    assert tuple(pixels[consent_x, timeline.track.y - 1]) == pal.OK  # a green tick where consent was obtained
    assert region_std(app.window, timeline.rect) > 10
    del pixels
    key(app, pygame.K_SPACE)
    paused_at = screen.play_s
    wait(app, 0.3)
    assert not screen.playing and screen.play_s == paused_at
    click(app, (timeline.x_of(0.05), timeline.track.centery))
    assert screen.play_s < 0.1 and not screen.session.state.checklist.consent  # back in time: re-simulated
    click(app, (timeline.x_of(1.2), timeline.track.centery))
    assert abs(screen.play_s - 1.2) < 0.05 and screen.session.state.checklist.skin_prep
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(timeline.x_of(0.1), timeline.track.centery), button=1))
    app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=(timeline.x_of(2.0), timeline.track.centery),
                                        rel=(1, 0), buttons=(1, 0, 0)))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(timeline.x_of(2.0), timeline.track.centery), button=1))
    assert abs(screen.play_s - 2.0) < 0.05 and screen.session.state.checklist.needle  # dragged forward
    key(app, pygame.K_4)
    key(app, pygame.K_SPACE)
    wait(app, 1.0)
    assert screen.ended and not screen.playing


SIZES = [(1024, 680), (1280, 800), (1600, 1000)]


def resize(app, size):
    app.handle_event(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size))
    app.frame(1 / 60)
    assert app.size == size


def assert_widgets_fit(app, name):
    """Every widget inside the window and none on top of another."""
    window = pygame.Rect((0, 0), app.size)
    screen = app.screen
    widgets = getattr(screen, "widgets_list", None) or screen.widgets
    widgets = list(widgets) + list(getattr(screen, "replay_widgets", []))
    rects = [w.rect for w in widgets if w.alive() and w.visible]
    assert rects
    for r in rects:
        assert window.contains(r), f"{name}: widget {r} leaves the {app.size} window"
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.colliderect(b), f"{name}: widgets {a} and {b} overlap at {app.size}"


def assert_panels_apart(app, rects, name):
    window = pygame.Rect((0, 0), app.size)
    for key, r in rects.items():
        assert window.contains(r), f"{name}: {key} {r} leaves the window"
    items = list(rects.items())
    for i, (ka, a) in enumerate(items):
        for kb, b in items[i + 1:]:
            assert not a.colliderect(b), f"{name}: {ka} and {kb} overlap at {app.size}"


@pytest.mark.parametrize("size", SIZES)
def test_every_screen_relayouts_when_the_window_is_resized(make_app, artifacts, size):
    app = make_app()  # opened at 1280x800, then resized like a user dragging the window edge
    app.frame(1 / 60)
    resize(app, size)
    tag = f"{size[0]}x{size[1]}"
    pygame.image.save(app.window, str(artifacts / f"picker_{tag}.png"))
    assert_widgets_fit(app, "picker")
    picker = app.screen
    assert picker.case_list.viewport.right < picker.layout.details.x and picker.layout.details.right <= size[0]

    case = next(c for c in app.config.cases if c.id == "s1_upper_trapezius_thin")
    app.start_case(case, "practice", "")
    screen = app.screen
    tp = next(t for t in case.trigger_points if t.activity == "active")
    finger = screen.view.palpation.view.to_px(tp.x_mm, tp.y_mm)
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=finger, button=1))
    wait(app, 0.6)
    resize(app, (1280, 800) if size != (1280, 800) else (1100, 720))  # resized mid-case: the case goes on
    resize(app, size)
    wait(app, 0.6)
    assert screen is app.screen and screen.session.state.palpation.finger_down
    screen.view.jump_until = screen.wall_s + 5  # show the jump-sign flag beside RECOGNISED
    app.frame(1 / 60)
    pygame.image.save(app.window, str(artifacts / f"procedure_{tag}.png"))
    L = screen.layout
    assert_widgets_fit(app, "procedure")
    assert_panels_apart(app, {"left": L.palpation, "info": L.palpation_info, "ultrasound": L.ultrasound,
                              "scanner": L.scanner_bar, "needle": L.needle_bar, "controls": L.controls,
                              "feed": L.feed, "top": L.top_bar}, "procedure")
    assert L.ultrasound.contains(screen.view.ultrasound.image_view.rect)
    assert L.palpation_box.contains(screen.view.palpation.view.rect)
    assert region_std(app.window, L.body_map) > 10
    info = L.palpation_info
    gauges = pygame.Rect(info.x, info.y, L.body_map.x - 6 - info.x, info.height - 4)
    for colour in (pal.DANGER, pal.COMPLAINT):  # JUMP SIGN and RECOGNISED pills, whole, left of the body map
        assert exact_pixels(app.window, gauges, colour) > 150, colour
        assert exact_pixels(app.window, L.body_map, colour) == 0, colour
    for widget in screen.widgets_list:  # the controls stay in their panels
        assert any(panel.contains(widget.rect) for panel in (L.controls, L.scanner_bar, L.needle_bar)), widget.rect
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=finger, button=1))
    click(app, finger, button=3)
    finish(app)
    wait(app, 1.0)
    assert app.screen.name == "debrief"
    resize(app, size)
    pygame.image.save(app.window, str(artifacts / f"debrief_{tag}.png"))
    assert_widgets_fit(app, "debrief")
    D = app.screen.layout
    assert_panels_apart(app, {"score": D.score, "critical": D.critical, "needle": D.needle_path, "marks": D.marks,
                              "teaching": D.teaching, "buttons": D.buttons, "top": D.top_bar}, "debrief")
    assert region_std(app.window, app.screen.marks_panel.palpation.visible) > 10
    for view in (app.screen.teaching, app.screen.breakdown):  # long text scrolls to its last line
        scroll_to_end(app, view)
        assert viewport_shows_end(app, view)
    key(app, pygame.K_p)  # watch the replay
    wait(app, 0.5)
    assert app.screen.name == "replay"
    pygame.image.save(app.window, str(artifacts / f"replay_{tag}.png"))
    assert_widgets_fit(app, "replay")
    timeline = app.screen.timeline
    assert timeline.track.right + 8 < timeline.rect.right - timeline.fonts.mono(12).size("00:00.0 / 00:00.0")[0]
