"""Every alarm has a sound of its own: vasovagal, pneumothorax, intravascular injection, near miss
and haematoma; a faint driven through the app really starts the vasovagal alarm, and muting
(the visible pill) silences it."""

from dataclasses import replace

import pygame

from simulator.core import events as E
from simulator.ui.event_text import sound_for
from simulator.ui.sound import ALARMS
from tests.ui.driving import give_consent, has, key, wait
from tests.ui.test_patient_care_e2e import CASE_ID, fainting_seed

ALARM_EVENTS = {
    "alarm_vasovagal": E.VasovagalEpisode(t_s=1.0),
    "alarm_pneumothorax": E.PneumothoraxSymptoms(t_s=1.0),
    "alarm_intravascular": E.Injected(t_s=1.0, agent_id="lidocaine_1", volume_ml=0.5, tip_x_mm=0, tip_y_mm=0,
                                      tip_depth_mm=10, tissue="vein", point_id=None, aspirated_first=False,
                                      intravascular=True),
    "alarm_near_miss": E.NearMiss(t_s=1.0, kind="artery", name="transverse cervical artery", distance_mm=1.5),
    "alarm_haematoma": E.HaematomaFormed(t_s=1.0, name="transverse cervical artery"),
}


def test_each_alarm_event_plays_its_own_alarm():
    assert set(ALARM_EVENTS) == set(ALARMS)
    for alarm, event in ALARM_EVENTS.items():
        assert sound_for(event) == alarm
    assert sound_for(E.PleuraPunctured(t_s=1.0, depth_mm=30.0)) == "alarm_pneumothorax"
    assert sound_for(E.ComplicationChanged(t_s=1.0, kind="last", stage="seizure")) == "alarm_intravascular"
    assert sound_for(E.ComplicationChanged(t_s=1.0, kind="vasovagal", stage="resolved")) is None


def test_an_intravascular_injection_sounds_but_a_muscle_one_does_not():
    event = ALARM_EVENTS["alarm_intravascular"]
    assert sound_for(replace(event, intravascular=False, tissue="muscle")) is None


def test_a_faint_in_the_app_starts_the_vasovagal_alarm_unless_muted(make_app, library):
    cases, catalogue = library
    case = next(c for c in cases if c.id == CASE_ID)
    seed = fainting_seed(case, catalogue)
    for muted in (False, True):
        app = make_app(seed=seed, sound=True)
        app.start_case(case, "practice", "")
        screen = app.screen
        screen.choices = replace(screen.choices, position="seated")  # sat up: the riskier position
        if muted:
            key(app, pygame.K_m)
        give_consent(app)
        for k in (pygame.K_F3, pygame.K_F4, pygame.K_F5):
            key(app, k)
        wait(app, 0.1)
        key(app, pygame.K_n)
        wait(app, 0.2)
        assert has(screen.session, E.VasovagalEpisode)
        assert ("alarm_vasovagal" in app.sound.started) is not muted
        app.close()
