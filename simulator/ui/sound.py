"""Short audio cues (twitch, blood on aspiration, warning) and alarms, synthesised with numpy.

Every alarm the patient can raise has its own sound, so a resident who is looking at the
needle, or who cannot see a colour, still hears what happened: a vasovagal episode, a
pneumothorax, an intravascular injection, a near miss, a haematoma. The alarms are short
tone patterns told apart by rhythm and pitch (after the idea of IEC 60601-1-8 melodies).

Sound is optional: it is off when the app is told so (tests) or when the mixer cannot
start (no audio device); every call is then a no-op. M toggles mute.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import pygame

RATE_HZ = 44100


def _tone(freqs_hz, duration_s: float, volume: float, decay_per_s: float = 8.0) -> np.ndarray:
    t = np.arange(int(RATE_HZ * duration_s)) / RATE_HZ
    freq = np.interp(t, np.linspace(0, duration_s, len(freqs_hz)), freqs_hz)
    phase = 2 * np.pi * np.cumsum(freq) / RATE_HZ
    envelope = np.exp(-decay_per_s * t) * np.minimum(1.0, t / 0.005)
    return volume * np.sin(phase) * envelope


# Alarm patterns: (pitches in Hz, one pulse's length in s, the gap after each pulse in s).
ALARM_PATTERNS = {
    "alarm_vasovagal": ([523, 440, 349], 0.16, 0.07),  # a slow falling triad: the patient is fading
    "alarm_pneumothorax": ([440, 554, 659], 0.12, 0.05),  # rising: breathlessness building
    "alarm_intravascular": ([988, 988, 988, 988], 0.07, 0.04),  # fast and high: the most urgent
    "alarm_near_miss": ([1319, 1047], 0.06, 0.03),  # a quick chirp: close, nothing hit
    "alarm_haematoma": ([294, 294], 0.2, 0.1),  # two low pulses: bleeding under the skin
}
ALARMS = tuple(ALARM_PATTERNS)


def _pattern(pitches_hz, pulse_s: float, gap_s: float) -> np.ndarray:
    gap = np.zeros(int(RATE_HZ * gap_s))
    parts = []
    for pitch in pitches_hz:
        parts += [_tone([pitch, pitch], pulse_s, 0.45, 2.0), gap]
    return np.concatenate(parts)


def cue_waves() -> dict[str, np.ndarray]:
    """The cues and alarms as float arrays in -1..1 (mono), so they can be checked without a device."""
    gap = np.zeros(int(RATE_HZ * 0.06))
    waves = {
        "twitch": _tone([140, 70], 0.14, 0.8, 18),
        "blood": np.concatenate([_tone([520, 500], 0.16, 0.45, 6), gap, _tone([390, 370], 0.22, 0.45, 6)]),
        "warning": np.concatenate([_tone([880, 880], 0.12, 0.4, 3), gap, _tone([880, 880], 0.12, 0.4, 3)]),
    }
    waves.update({name: _pattern(*pattern) for name, pattern in ALARM_PATTERNS.items()})
    return waves


def cue_arrays(channels: int = 1) -> dict[str, np.ndarray]:
    """The cues as int16 sample arrays for the mixer ((n,) mono or (n, channels))."""
    out = {}
    for name, wave in cue_waves().items():
        data = np.round(np.clip(wave, -1.0, 1.0) * 32767).astype(np.int16)
        if channels > 1:
            data = np.repeat(data[:, None], channels, axis=1)
        out[name] = np.ascontiguousarray(data)
    return out


class SoundCues:
    def __init__(self, enabled: bool = True):
        self.sounds: dict[str, pygame.mixer.Sound] = {}
        self.muted = False
        self.started: deque[str] = deque(maxlen=32)  # the cues that really started, newest last
        if not enabled:
            return
        try:
            pygame.mixer.init(RATE_HZ, -16, 2, 512)
            _, _, channels = pygame.mixer.get_init()
            for name, data in cue_arrays(channels).items():
                self.sounds[name] = pygame.sndarray.make_sound(data)
        except (pygame.error, TypeError, ValueError):
            self.sounds = {}

    @property
    def available(self) -> bool:
        return bool(self.sounds)

    def toggle(self) -> None:
        """Mute or unmute; muting also silences a cue that is still playing."""
        self.muted = not self.muted
        if self.muted and self.sounds:
            pygame.mixer.stop()

    @property
    def playing(self) -> bool:
        return bool(self.sounds) and pygame.mixer.get_busy()

    def play(self, name: str) -> None:
        sound = self.sounds.get(name)
        if sound is not None and not self.muted:
            sound.play()
            self.started.append(name)

    def close(self) -> None:
        if self.sounds:
            pygame.mixer.quit()
            self.sounds = {}
