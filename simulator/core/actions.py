"""The action vocabulary: everything a trainee can do, shared by the UI, replay files and tests.

Each action is a frozen dataclass whose `type` is the replay file's `"type"` string; the
fields are the replay line's other keys (units in the names). `action_from_dict` is the
one place a replay line or a test dict becomes an action, and it refuses unknown types,
missing or unknown fields and non-numbers with a `ValueError` whose text a person can read.
Whether an action makes sense *now* (advancing with no needle in) is the Session's call:
it answers with an `ActionRejected` event instead.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import ClassVar, Union, get_type_hints


@dataclass(frozen=True)
class _Action:
    type: ClassVar[str] = ""


# ---------------------------------------------------------------- preparation
@dataclass(frozen=True)
class Consent(_Action):
    type: ClassVar[str] = "consent"


@dataclass(frozen=True)
class Position(_Action):
    type: ClassVar[str] = "position"
    position: str  # prone | seated | side_lying | supine


@dataclass(frozen=True)
class SkinPrep(_Action):
    type: ClassVar[str] = "skin_prep"


@dataclass(frozen=True)
class ChooseNeedle(_Action):
    type: ClassVar[str] = "choose_needle"
    gauge: int
    length_mm: float


@dataclass(frozen=True)
class SkinWheal(_Action):
    type: ClassVar[str] = "skin_wheal"


@dataclass(frozen=True)
class Counsel(_Action):
    """Tell the patient something the case expects, e.g. glucose monitoring after steroid."""

    type: ClassVar[str] = "counsel"
    topic: str


@dataclass(frozen=True)
class Decline(_Action):
    """Decide not to inject (e.g. acute trauma); ends the procedure part of the session."""

    type: ClassVar[str] = "decline"
    reason: str = ""


# ---------------------------------------------------------------- palpation
@dataclass(frozen=True)
class Palpate(_Action):
    type: ClassVar[str] = "palpate"
    x_mm: float
    y_mm: float
    pressure: float  # 0..1
    grip: str | None = None  # flat (None) or pincer, where the muscle can be lifted


@dataclass(frozen=True)
class Release(_Action):
    type: ClassVar[str] = "release"


@dataclass(frozen=True)
class Snap(_Action):
    type: ClassVar[str] = "snap"
    x_mm: float
    y_mm: float
    direction_deg: float  # direction of the flick across the band


@dataclass(frozen=True)
class Mark(_Action):
    type: ClassVar[str] = "mark"
    x_mm: float
    y_mm: float


@dataclass(frozen=True)
class EraseMark(_Action):
    """Erase the mark nearest to (x_mm, y_mm), or the last mark when no point is given."""

    type: ClassVar[str] = "erase_mark"
    x_mm: float | None = None
    y_mm: float | None = None


# ---------------------------------------------------------------- ultrasound
@dataclass(frozen=True)
class Probe(_Action):
    type: ClassVar[str] = "probe"
    x_mm: float
    y_mm: float
    heading_deg: float
    pressure: float = 0.2  # 0..1


@dataclass(frozen=True)
class LiftProbe(_Action):
    type: ClassVar[str] = "lift_probe"


@dataclass(frozen=True)
class Settings(_Action):
    """Scanner settings; a field left as None keeps its current value."""

    type: ClassVar[str] = "settings"
    depth_cm: float | None = None
    gain_db: float | None = None
    freq_mhz: float | None = None
    focus_cm: float | None = None
    doppler: bool | None = None


# ---------------------------------------------------------------- needle
@dataclass(frozen=True)
class Insert(_Action):
    type: ClassVar[str] = "insert"
    x_mm: float
    y_mm: float
    angle_deg: float  # to the skin: 0 flat, 90 straight down
    heading_deg: float  # direction of travel on the skin


@dataclass(frozen=True)
class Advance(_Action):
    type: ClassVar[str] = "advance"
    mm: float


@dataclass(frozen=True)
class Withdraw(_Action):
    type: ClassVar[str] = "withdraw"
    mm: float


@dataclass(frozen=True)
class Redirect(_Action):
    type: ClassVar[str] = "redirect"
    angle_deg: float
    heading_deg: float


@dataclass(frozen=True)
class RemoveNeedle(_Action):
    type: ClassVar[str] = "remove_needle"


# ---------------------------------------------------------------- drug
@dataclass(frozen=True)
class SelectAgent(_Action):
    type: ClassVar[str] = "select_agent"
    agent_id: str
    volume_ml: float


@dataclass(frozen=True)
class Aspirate(_Action):
    type: ClassVar[str] = "aspirate"


@dataclass(frozen=True)
class Inject(_Action):
    type: ClassVar[str] = "inject"
    volume_ml: float


# ---------------------------------------------------------------- end
@dataclass(frozen=True)
class Finish(_Action):
    type: ClassVar[str] = "finish"


Action = Union[
    Consent, Position, SkinPrep, ChooseNeedle, SkinWheal, Counsel, Decline,
    Palpate, Release, Snap, Mark, EraseMark,
    Probe, LiftProbe, Settings,
    Insert, Advance, Withdraw, Redirect, RemoveNeedle,
    SelectAgent, Aspirate, Inject, Finish,
]
ACTION_TYPES: dict[str, type] = {cls.type: cls for cls in Action.__args__}  # type: ignore[attr-defined]


def _coerce(name: str, hint: str, value):
    """Convert one JSON value to the field's type, or say what was expected."""
    optional = "None" in hint
    if value is None:
        if optional:
            return None
        raise ValueError(f"'{name}' must not be null")
    if "bool" in hint:
        if isinstance(value, bool):
            return value
        raise ValueError(f"'{name}' must be true or false, got {value!r}")
    if "float" in hint or "int" in hint:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"'{name}' must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"'{name}' must be a finite number, got {value!r}")
        if "int" in hint and "float" not in hint:
            if value != int(value):
                raise ValueError(f"'{name}' must be a whole number, got {value!r}")
            return int(value)
        return float(value)
    if "str" in hint:
        if not isinstance(value, str):
            raise ValueError(f"'{name}' must be text, got {value!r}")
        return value
    return value


def action_from_dict(data: dict) -> Action:
    """Build an action from a replay line's dict (without its `t`)."""
    if not isinstance(data, dict):
        raise ValueError(f"an action must be a JSON object, got {type(data).__name__}")
    kind = data.get("type")
    cls = ACTION_TYPES.get(kind)  # type: ignore[arg-type]
    if cls is None:
        known = ", ".join(sorted(ACTION_TYPES))
        raise ValueError(f"unknown action type {kind!r}; expected one of: {known}")
    hints = {k: str(v) for k, v in get_type_hints(cls).items() if k != "type"}
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields) - {"type", "t"})
    if unknown:
        raise ValueError(f"'{kind}' has no field {unknown[0]!r}; its fields are: {', '.join(fields) or 'none'}")
    kwargs = {}
    for name, field in fields.items():
        if name in data:
            kwargs[name] = _coerce(name, hints[name], data[name])
        elif field.default is dataclasses.MISSING:
            raise ValueError(f"'{kind}' needs '{name}'")
    return cls(**kwargs)


def action_to_dict(action: Action) -> dict:
    """The replay line's dict for an action (without `t`), omitting None fields."""
    out = {"type": action.type}
    out.update({k: v for k, v in dataclasses.asdict(action).items() if v is not None})
    return out
