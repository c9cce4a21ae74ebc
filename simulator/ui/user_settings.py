"""The trainee's own display settings, kept between runs in the user config folder.

Why a file: a resident who needs larger text or no shaking sets it once (`tpi-sim play
--ui-scale 1.25 --reduce-motion`) and every later run honours it. A missing, unreadable or
hand-broken file gives the defaults rather than stopping the trainer.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import platformdirs

AUTO = 0.0  # follow the window (simulator/ui/ui_scale.py)
UI_SCALES = (AUTO, 1.0, 1.1, 1.25, 1.5)  # the UI-scale steps offered


@dataclass(frozen=True)
class UserSettings:
    ui_scale: float = 1.0  # text and layout scale for every screen; AUTO follows the window
    reduce_motion: bool = False  # no shaking drawing for the jump sign (a label says it instead)


def default_settings_file() -> Path:
    return Path(platformdirs.user_config_dir("tpi-sim", appauthor=False)) / "settings.json"


def nearest_scale(value: float) -> float:
    """The offered UI scale closest to `value` (below 1: AUTO)."""
    return AUTO if value < 1.0 else min(UI_SCALES, key=lambda scale: abs(scale - value))


def parse_scale(text: str) -> float:
    """'auto' or one of the offered numbers, as the command line gives it; ValueError otherwise."""
    if text.strip().lower() == "auto":
        return AUTO
    value = float(text)
    if value not in UI_SCALES[1:]:
        raise ValueError(f"UI scale {text!r} is not one of auto, {', '.join(f'{s:g}' for s in UI_SCALES[1:])}")
    return value


def load_settings(path: Path) -> UserSettings:
    """The settings in `path`; defaults for a missing or broken file and for any bad value."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return UserSettings()
    if not isinstance(data, dict):
        return UserSettings()
    scale = data.get("ui_scale", 1.0)
    motion = data.get("reduce_motion", False)
    return UserSettings(ui_scale=nearest_scale(float(scale)) if isinstance(scale, (int, float)) else 1.0,
                        reduce_motion=motion if isinstance(motion, bool) else False)


def save_settings(settings: UserSettings, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    known = {f.name for f in fields(UserSettings)}
    path.write_text(json.dumps({k: v for k, v in asdict(settings).items() if k in known}, indent=2) + "\n",
                    encoding="utf-8")
