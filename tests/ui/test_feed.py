"""The event feed: one held press is one line of the patient's words (not one per firming-up
step), and the wheel over the feed reads back through older lines and comes forward again."""

import numpy as np
import pygame

from simulator.core import events as E
from tests.ui.driving import give_consent, key, start_procedure, wait


def hold_press(app, screen, x_mm, y_mm, seconds=1.5):
    pos = screen.view.palpation.view.to_px(x_mm, y_mm)
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    wait(app, seconds)
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    wait(app, 0.1)


def test_a_held_press_is_one_line_of_speech(make_app):
    app = make_app()
    screen = start_procedure(app, "s1_upper_trapezius_thin")
    tp = next(t for t in screen.case.trigger_points if t.activity == "active")
    hold_press(app, screen, tp.x_mm, tp.y_mm)
    felt = [e for e in screen.session.events if isinstance(e, E.PalpationFelt) and e.speech]
    assert len({e.speech for e in felt}) >= 2, "the press should firm up through more than one answer"
    speech = [text for _, text, tone in screen.feed if tone == "speech"]
    assert speech == [felt[-1].speech]  # one line: what she said at the firmest
    hold_press(app, screen, tp.x_mm, tp.y_mm)
    assert len([1 for _, _, tone in screen.feed if tone == "speech"]) <= 2


def feed_pixels(app, screen):
    return pygame.surfarray.array3d(app.window.subsurface(screen.layout.feed)).copy()


def test_the_wheel_reads_back_through_the_feed(make_app):
    app = make_app()
    screen = start_procedure(app, "s1_upper_trapezius_thin")
    give_consent(app)
    for k in (pygame.K_F3, pygame.K_F4, pygame.K_F5, pygame.K_F6, pygame.K_F7):
        key(app, k)
        wait(app, 0.05)
    assert len(screen.feed) >= 5
    latest = feed_pixels(app, screen)
    wheel = dict(x=0, pos=screen.layout.feed.center)
    app.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, y=1, **wheel))
    app.frame(1 / 60)
    assert screen.feed_log.scroll_back == 1
    assert not np.array_equal(feed_pixels(app, screen), latest)
    key(app, pygame.K_v)  # a new line while reading back: the view stays where it was
    wait(app, 0.05)
    assert screen.feed_log.scroll_back == 2
    app.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, y=-5, **wheel))
    app.frame(1 / 60)
    assert screen.feed_log.scroll_back == 0
    probe_before = screen.state.probe
    app.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, y=1, x=0, pos=screen.layout.ultrasound.center))
    app.frame(1 / 60)
    assert screen.feed_log.scroll_back == 0 and screen.state.probe == probe_before  # elsewhere: not the feed's


def test_the_speech_bubble_keeps_off_the_landmark_names_the_mark_and_the_finger(make_app, artifacts):
    app = make_app()
    screen = start_procedure(app, "s1_upper_trapezius_thin")
    tp = next(t for t in screen.case.trigger_points if t.activity == "active")
    view = screen.view.palpation.view
    mark = view.to_px(tp.x_mm + 6, tp.y_mm)
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=mark, button=3))  # a mark beside the point
    finger = view.to_px(tp.x_mm, tp.y_mm)
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=finger, button=1))
    wait(app, 1.0)
    pygame.image.save(app.window, str(artifacts / "speech_bubble.png"))
    bubble = screen.view.speech_rect
    assert bubble.width > 0, "she should say something when the point is pressed"
    for name, rect in screen.view.palpation.labels:
        assert not bubble.colliderect(rect), f"the bubble covers {name!r}"
    assert not bubble.collidepoint(mark) and not bubble.collidepoint(finger)


def test_every_feed_line_of_whole_attempts_is_words_not_an_event_class_name():
    """The feed falls back to an event's class name when it has no words for it ('SorenessPredicted'
    was shown that way at the end of every attempt): every line of the shipped replays is words."""
    from simulator import paths
    from simulator.core.session import Session
    from simulator.records import read_replay
    from simulator.scenario import load_agents, load_case
    from simulator.ui.event_text import describe

    catalogue = load_agents()
    replays = sorted((paths.SCENARIOS_DIR / "replays").glob("*.jsonl"))
    assert len(replays) >= 17
    for replay in replays:
        header, timed = read_replay(replay)
        case = next(load_case(p, catalogue) for p in paths.SCENARIOS_DIR.glob(f"{header['case']}*.yaml"))
        session = Session(case, catalogue, header["seed"])
        session.run(timed)
        for event in session.events:
            line = describe(event, catalogue)
            if line is not None:
                assert line[0] != type(event).__name__, f"{replay.name}: {type(event).__name__} has no words"
