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
import functools
import math
from dataclasses import dataclass
from typing import ClassVar, Union, get_type_hints


@dataclass(frozen=True)
class _Action:
    type: ClassVar[str] = ""


# ---------------------------------------------------------------- preparation
@dataclass(frozen=True)
class Consent(_Action):
    """Obtain consent after discussing `topics` (ids from core/preparation.CONSENT_TOPICS)."""

    type: ClassVar[str] = "consent"
    topics: tuple[str, ...] = ()


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
class TiltProbe(_Action):
    """Heel-toe tilt of the probe along its long axis (0 square to the skin); anisotropic tissue
    (fascia, muscle fibres, nerve) echoes less as the beam leaves perpendicular."""

    type: ClassVar[str] = "tilt_probe"
    tilt_deg: float


@dataclass(frozen=True)
class Settings(_Action):
    """Scanner settings; a field left as None keeps its current value."""

    type: ClassVar[str] = "settings"
    depth_cm: float | None = None
    gain_db: float | None = None
    freq_mhz: float | None = None
    focus_cm: float | None = None
    doppler: bool | None = None
    tgc_near_db: float | None = None
    tgc_mid_db: float | None = None
    tgc_far_db: float | None = None
    doppler_steer_deg: float | None = None
    speckle_reduction: bool | None = None


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


# ---------------------------------------------------------------- the patient's care (complications, aftercare)
@dataclass(frozen=True)
class Stop(_Action):
    """Stop the procedure now: the needle comes out (if in) and nothing more is injected."""

    type: ClassVar[str] = "stop"


@dataclass(frozen=True)
class CallHelp(_Action):
    type: ClassVar[str] = "call_help"


@dataclass(frozen=True)
class Reposition(_Action):
    """Move the patient during care: supine (flat), legs_raised (flat, legs up), left_lateral, seated."""

    type: ClassVar[str] = "reposition"
    posture: str


@dataclass(frozen=True)
class GiveOxygen(_Action):
    type: ClassVar[str] = "give_oxygen"


@dataclass(frozen=True)
class CheckVitals(_Action):
    type: ClassVar[str] = "check_vitals"


@dataclass(frozen=True)
class GiveDrug(_Action):
    """An emergency drug from scenarios/emergency_drugs.yaml, in the unit the catalogue gives (mg or mL)."""

    type: ClassVar[str] = "give_drug"
    drug_id: str
    amount: float


@dataclass(frozen=True)
class Observe(_Action):
    """Watch the patient for `duration_s`: the patient's course runs on by that much at once."""

    type: ClassVar[str] = "observe"
    duration_s: float


@dataclass(frozen=True)
class Arrange(_Action):
    """Arrange an investigation or a move: lung_ultrasound, chest_xray or transfer."""

    type: ClassVar[str] = "arrange"
    what: str


@dataclass(frozen=True)
class Aftercare(_Action):
    """One item of the end of the visit (see simulator/core/aftercare.py for the vocabulary)."""

    type: ClassVar[str] = "aftercare"
    item: str


# ---------------------------------------------------------------- end
@dataclass(frozen=True)
class Finish(_Action):
    type: ClassVar[str] = "finish"


Action = Union[
    Consent, Position, SkinPrep, ChooseNeedle, SkinWheal, Counsel, Decline,
    Palpate, Release, Snap, Mark, EraseMark,
    Probe, LiftProbe, TiltProbe, Settings,
    Insert, Advance, Withdraw, Redirect, RemoveNeedle,
    SelectAgent, Aspirate, Inject, Finish,
    Stop, CallHelp, Reposition, GiveOxygen, CheckVitals, GiveDrug, Observe, Arrange, Aftercare,
]
ACTION_TYPES: dict[str, type] = {cls.type: cls for cls in Action.__args__}  # type: ignore[attr-defined]


MAX_WHOLE = 2**53  # whole numbers up to this convert to float exactly


def _short(value) -> str:
    """A value for an error message, cut short: a replay line can hold a very long string or list."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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
        raise ValueError(f"'{name}' must be true or false, got {_short(value)}")
    if "float" in hint or "int" in hint:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"'{name}' must be a number, got {_short(value)}")
        if isinstance(value, int) and abs(value) > MAX_WHOLE:  # float() of a huge int overflows
            raise ValueError(f"'{name}' is too large: whole numbers are limited to ±{MAX_WHOLE}")
        if not math.isfinite(value):
            raise ValueError(f"'{name}' must be a finite number, got {value!r}")
        if "int" in hint and "float" not in hint:
            if value != int(value):
                raise ValueError(f"'{name}' must be a whole number, got {value!r}")
            return int(value)
        return float(value)
    if hint.startswith("tuple"):
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"'{name}' must be a list of text, got {value!r}")
        return tuple(value)
    if "str" in hint:
        if not isinstance(value, str):
            raise ValueError(f"'{name}' must be text, got {_short(value)}")
        return value
    return value


@functools.cache
def _fields_of(cls: type) -> tuple[dict[str, str], dict[str, dataclasses.Field]]:
    """(field -> type text, field -> dataclass field) of an action class; resolving the type hints
    is slow, and every replay line and every applied action needs them."""
    hints = {k: str(v) for k, v in get_type_hints(cls).items() if k != "type"}
    return hints, {f.name: f for f in dataclasses.fields(cls)}


def action_from_dict(data: dict) -> Action:
    """Build an action from a replay line's dict (without its `t`)."""
    if not isinstance(data, dict):
        raise ValueError(f"an action must be a JSON object, got {type(data).__name__}")
    kind = data.get("type")
    cls = ACTION_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        known = ", ".join(sorted(ACTION_TYPES))
        raise ValueError(f"unknown action type {_short(kind)}; expected one of: {known}")
    hints, fields = _fields_of(cls)
    unknown = sorted(set(data) - set(fields) - {"type", "t"})
    if unknown:
        raise ValueError(f"'{kind}' has no field {_short(unknown[0])}; its fields are: {', '.join(fields) or 'none'}")
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
