"""The audio cues: short, audible, valid int16; muting stops them. The dummy audio driver
(conftest) means nothing is ever heard while the tests run."""

import os

import numpy as np
import pygame
import pytest

from simulator.ui.sound import ALARMS, RATE_HZ, SoundCues, cue_arrays, cue_waves


def test_cues_are_short_audible_and_within_int16():
    waves = cue_waves()
    assert set(waves) == {"twitch", "blood", "warning", *ALARMS}
    for name, data in cue_arrays(channels=2).items():
        assert data.dtype == np.int16 and data.ndim == 2 and data.shape[1] == 2
        longest_s = 1.0 if name in ALARMS else 0.5  # an alarm is a short pattern of pulses
        assert len(data) / RATE_HZ < longest_s, f"{name} lasts {len(data) / RATE_HZ:.2f} s"
        assert np.abs(waves[name]).max() <= 1.0  # scaled to int16 without wrapping round
        rms = np.sqrt(np.mean(data[:, 0].astype(float) ** 2))
        assert rms > 0.05 * 32767, f"{name} is nearly silent (rms {rms:.0f})"
    # Every cue is told apart by ear: a different length or main pitch.
    def signature(wave):
        spectrum = np.abs(np.fft.rfft(wave))
        return len(wave), round(float(np.argmax(spectrum)) * RATE_HZ / len(wave) / 20)

    assert len({signature(w) for w in waves.values()}) == len(waves)


def test_muting_stops_a_cue_that_is_playing():
    assert os.environ.get("SDL_AUDIODRIVER") == "dummy"  # never audible in tests
    cues = SoundCues(enabled=True)
    try:
        if not cues.available:
            pytest.fail("the mixer did not start with the dummy audio driver")
        cues.play("blood")
        assert cues.playing
        cues.toggle()
        assert cues.muted and not cues.playing
        cues.play("warning")
        assert not cues.playing  # muted: nothing starts
        cues.toggle()
        cues.play("twitch")
        assert cues.playing
    finally:
        cues.close()


def test_sound_off_means_no_mixer():
    cues = SoundCues(enabled=False)
    cues.play("twitch")
    assert not cues.available and not cues.playing and pygame.mixer.get_init() is None
