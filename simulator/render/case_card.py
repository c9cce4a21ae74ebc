"""The case card: who the patient is and what the chart says, rendered once per case and width
(it scrolls in its tab), and the chart alerts shown under the palpation view."""

from __future__ import annotations

import pygame

from simulator.render import palette as pal
from simulator.render.text import blit_wrapped


def condition_lines(conditions) -> list[tuple[str, tuple[int, int, int]]]:
    """The chart's conditions worth seeing, each with the colour it is flagged in."""
    c = conditions
    out: list[tuple[str, tuple[int, int, int]]] = []
    if c.diabetes:
        extra = f", HbA1c {c.hba1c_percent:g}%" if c.hba1c_percent else ""
        out.append((f"Diabetes{' on insulin' if c.insulin else ''}{extra}", pal.WARN))
    if c.pregnancy_weeks:
        out.append((f"Pregnant, {c.pregnancy_weeks} weeks", pal.WARN))
    if c.bleeding_disorder:
        out.append(("Bleeding disorder", pal.DANGER))
    if c.inr is not None:
        out.append((f"INR {c.inr:g}", pal.WARN if c.inr > 1.5 else pal.TEXT))
    if c.local_infection:
        out.append(("Infection at the site", pal.DANGER))
    if c.systemic_infection:
        out.append(("Fever / systemic infection", pal.DANGER))
    if c.acute_trauma:
        out.append(("Acute trauma at the site", pal.DANGER))
    if c.needle_fear:
        out.append(("Fear of needles", pal.WARN))
    if c.fainting_history:
        out.append(("Has fainted with needles before", pal.WARN))
    for flag in c.red_flags:
        out.append((f"Red flag: {flag}", pal.DANGER))
    return out


def chart_alerts(case) -> list[tuple[str, tuple[int, int, int]]]:
    """What must not be missed on the chart (allergies, anticoagulants, flagged conditions), short."""
    p = case.patient
    out = [(f"Allergy: {a.substance}", pal.DANGER) for a in p.allergies]
    out += [(f"{m.name} (anticoagulant)", pal.WARN) for m in p.medications if m.anticoagulant]
    out += [(text, colour) for text, colour in condition_lines(p.conditions) if colour != pal.TEXT]
    return out


def render_case_card(case, fonts, width_px: int, hints: bool) -> pygame.Surface:
    """The whole card as one Surface `width_px` wide and as tall as its content (it scrolls)."""
    surf = pygame.Surface((width_px, 4000))
    surf.fill(pal.PANEL)
    p = case.patient
    x, w = 0, width_px - 12  # room for the scrollbar
    y = 0
    head = f"{p.name}, {p.age_years} y, {p.sex}"
    weight = fonts.mono(13).render(f"{p.weight_kg:g} kg", True, pal.ACCENT)
    y = blit_wrapped(surf, fonts.bold(15), head, (x, y), w - weight.get_width() - 8, pal.TEXT)
    surf.blit(weight, (w - weight.get_width(), 2))
    y += 2
    body = fonts.regular(13)
    small = fonts.regular(12)

    def section(title: str) -> None:
        nonlocal y
        y += 6
        surf.blit(fonts.bold(12).render(title.upper(), True, pal.TEXT_FAINT), (x, y))
        y += 17

    complaint = p.chief_complaint
    section(f"Complaint  \u00b7  pain {complaint.pain_score}/10")
    y = blit_wrapped(surf, body, f"\u201c{complaint.description}\u201d", (x, y), w, pal.TEXT)
    section("History")
    y = blit_wrapped(surf, small, p.history, (x, y), w, pal.TEXT_DIM)
    section("Allergies")
    if p.allergies:
        for allergy in p.allergies:
            y = blit_wrapped(surf, body, f"{allergy.substance} ({allergy.reaction})", (x, y), w, pal.DANGER)
    else:
        y = blit_wrapped(surf, body, "No known allergies", (x, y), w, pal.TEXT)
    section("Medications")
    if p.medications:
        for med in p.medications:
            text = med.name + (f" {med.dose}" if med.dose else "") + ("  (anticoagulant)" if med.anticoagulant else "")
            y = blit_wrapped(surf, body, text, (x, y), w, pal.WARN if med.anticoagulant else pal.TEXT)
    else:
        y = blit_wrapped(surf, body, "None", (x, y), w, pal.TEXT)
    conditions = condition_lines(p.conditions)
    section("Conditions")
    if conditions:
        for text, colour in conditions:
            y = blit_wrapped(surf, body, text, (x, y), w, colour)
    else:
        y = blit_wrapped(surf, body, "Nothing of note", (x, y), w, pal.TEXT)
    if p.position_aids:
        section("Position aids")
        for aid in p.position_aids:
            y = blit_wrapped(surf, body, f"\u2022 {aid}", (x, y), w, pal.TEXT) + 2
    if hints and case.teaching.hints:
        section("Hints (practice)")
        for hint in case.teaching.hints:
            y = blit_wrapped(surf, small, f"\u2022 {hint}", (x, y), w, pal.INFO) + 2
    return surf.subsurface((0, 0, width_px, min(surf.get_height(), y + 8))).copy()
