"""Pydantic errors -> located, human messages ("expected a number, got 'abc'").

A pydantic error's `loc` follows the model, not the file: it can carry union-branch tags
(`'list[ThicknessPoint]'`) and `'[key]'` markers. Here each `loc` is walked alongside the
YAML data to get the path the author wrote, the errors a union produces for one value are
merged into one message, and the path is placed with the loader's position index.
"""

from __future__ import annotations

import difflib
import re
import types
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from simulator.scenario.yaml_positions import Path, Positions


@dataclass(frozen=True)
class Located:
    """One problem at a data path; `line`/`col` are 1-based."""

    path: Path
    line: int
    col: int
    message: str


def dotted(path: Path) -> str:
    """('anatomy', 'layers', 2, 'thickness_mm') -> 'anatomy.layers[2].thickness_mm'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) and not isinstance(part, bool) else (f".{part}" if text else str(part))
    return text


def describe(value: Any) -> str:
    """How a found value reads in a message: 'abc' quoted, numbers plain, containers by kind."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) >= 10**15:
        digits = len(str(abs(value)))  # the YAML reader refuses integers too long to print
        return f"a whole number of {digits} digits (far too large for a measurement)"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    return type(value).__name__


def did_you_mean(word: Any, choices: list[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to `word`, else ''."""
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


# --------------------------------------------------------------------------- model lookup


def _members(tp: Any) -> list[Any]:
    """Union members, with Annotated and Optional unwrapped."""
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    if get_origin(tp) in (Union, types.UnionType):
        return [member for arg in get_args(tp) for member in _members(arg)]
    return [tp]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _field(model: type[BaseModel], key: Any):
    for name, info in model.model_fields.items():
        if key == (info.alias or name) or key == name:
            return info
    return None


def model_at(root: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path` (a data path), if any."""
    current: list[Any] = [root]
    for part in path:
        following: list[Any] = []
        for tp in current:
            for member in _members(tp):
                origin = get_origin(member)
                if _is_model(member) and isinstance(part, str):
                    info = _field(member, part)
                    if info is not None:
                        following.append(info.annotation)
                elif origin is list and isinstance(part, int):
                    following.append(get_args(member)[0])
                elif origin is dict:
                    following.append(get_args(member)[1])
        current = following
    models = [m for tp in current for m in _members(tp) if _is_model(m)]
    return models[0] if models else None


def keys_of(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


# --------------------------------------------------------------------------- messages

_TYPE_PHRASES = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
}
_BOUNDS = {
    "greater_than": ("gt", ">"),
    "greater_than_equal": ("ge", ">="),
    "less_than": ("lt", "<"),
    "less_than_equal": ("le", "<="),
}


def _literal_choices(ctx: dict) -> list[str]:
    return re.findall(r"'([^']*)'", str(ctx.get("expected", ""))) or [str(ctx.get("expected", ""))]


def _message(error: dict, key: Any, root: type[BaseModel], parent: Path) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    got = describe(value)
    if kind in _TYPE_PHRASES:
        text = f"expected {_TYPE_PHRASES[kind]}, got {got}"
        if kind == "string_type" and isinstance(value, (bool, int, float)):
            text += " (put it in quotes if you meant it as text)"
        if kind == "list_type" and isinstance(value, (str, int, float)):
            text += " (write [a, b] or one '- item' per line)"
        return text
    if kind == "missing":
        model = model_at(root, parent)
        info = _field(model, key) if model else None
        hint = f" ({info.description})" if info is not None and info.description else ""
        return f"missing required key '{key}'{hint}"
    if kind == "extra_forbidden":
        model = model_at(root, parent)
        choices = keys_of(model) if model else []
        suggestion = did_you_mean(key, choices)
        if suggestion or not choices:
            return f"unknown key '{key}'{suggestion}"
        return f"unknown key '{key}'; expected one of: {', '.join(choices)}"
    if kind in ("literal_error", "enum"):
        choices = _literal_choices(ctx)
        listed = ", ".join(choices) if len(choices) <= 15 else ", ".join(choices[:15]) + ", ..."
        return f"expected one of {listed}, got {got}{did_you_mean(value, choices)}"
    if kind in _BOUNDS:
        name, sign = _BOUNDS[kind]
        return f"must be {sign} {ctx.get(name)}, got {got}"
    if kind == "finite_number":
        return f"expected a finite number, got {got}"
    if kind == "too_short":
        need = ctx.get("min_length")
        return f"needs at least {need} item{'s' if need != 1 else ''}, got {ctx.get('actual_length', 0)}"
    if kind == "too_long":
        return f"allows at most {ctx.get('max_length')} items, got {ctx.get('actual_length')}"
    if kind == "string_too_short":
        need = ctx.get("min_length")
        return "must not be empty" if need == 1 else f"needs at least {need} characters, got {got}"
    if kind == "string_pattern_mismatch":
        return f"expected lower-case letters, digits and _ (pattern {ctx.get('pattern')}), got {got}"
    if kind in ("value_error", "assertion_error"):
        return re.sub(r"^(Value|Assertion) error, ", "", error["msg"])
    return f"{error['msg']}, got {got}"


# --------------------------------------------------------------------------- loc -> data path


@dataclass
class _Mapped:
    path: Path
    key_error: bool  # the error is about a mapping key itself
    union_at: Path | None  # data path where a union-branch tag was skipped
    error: dict


def _walk(loc: tuple, data: Any, kind: str) -> _Mapped:
    path: list[Any] = []
    current = data
    union_at: Path | None = None
    key_error = kind == "extra_forbidden"
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if part == "[key]":
            key_error = True
            continue
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        elif last and kind in ("missing", "extra_forbidden"):
            path.append(part)
        else:  # a union-branch tag such as 'list[ThicknessPoint]' or 'constrained-float'
            if union_at is None:
                union_at = tuple(path)
    return _Mapped(tuple(path), key_error, union_at, {})


def _merge_unions(mapped: list[_Mapped]) -> list[_Mapped]:
    """Keep the errors of the union branch the value was meant for; merge pure type misses."""
    plain = [m for m in mapped if m.union_at is None]
    groups: dict[Path, list[_Mapped]] = {}
    for m in mapped:
        if m.union_at is not None:
            groups.setdefault(m.union_at, []).append(m)
    for at, group in groups.items():
        deeper = [m for m in group if len(m.path) > len(at)]
        if deeper:
            plain.extend(deeper)
            continue
        constraint = [m for m in group if m.error["type"] not in _TYPE_PHRASES]
        if constraint:
            plain.extend(constraint)
            continue
        phrases = list(dict.fromkeys(_TYPE_PHRASES[m.error["type"]] for m in group))
        merged = dict(group[0].error)
        merged["type"] = "merged_union"
        merged["msg"] = f"expected {' or '.join(phrases)}, got {describe(merged.get('input'))}"
        plain.append(_Mapped(at, False, None, merged))
    return plain


def locate_validation_error(
    exc: ValidationError, data: Any, positions: Positions, root: type[BaseModel]
) -> list[Located]:
    """Every error of `exc`, as a message at the line:col the author can find."""
    mapped = []
    for error in exc.errors(include_url=False):
        m = _walk(tuple(error["loc"]), data, error["type"])
        m.error = error
        mapped.append(m)
    located: list[Located] = []
    for m in _merge_unions(mapped):
        kind = m.error["type"]
        if kind == "merged_union":
            message = m.error["msg"]
        else:
            key = m.path[-1] if m.path else None
            parent = m.path[:-1] if kind in ("missing", "extra_forbidden") else m.path
            message = _message(m.error, key, root, parent)
        if kind == "missing":
            line, col = positions.nearest(m.path[:-1])
        elif m.key_error:
            line, col = positions.nearest(m.path, key=True)
        else:
            line, col = positions.nearest(m.path)
        if m.key_error and kind == "literal_error":
            message = f"unknown key {describe(m.error.get('input'))}; " + message
        located.append(Located(m.path, line, col, message))
    return located
