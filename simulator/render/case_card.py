"""The case card: who the patient is and what the chart says, drawn once per case and size."""

from __future__ import annotations

import pygame

from simulator.render import palette as pal
from simulator.render.text import blit_wrapped, panel


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


def draw_case_card(case, fonts, rect: pygame.Rect, hints: bool) -> pygame.Surface:
    """A Surface of `rect`'s size with the whole card; `hints` adds the case's practice hints."""
    surf = pygame.Surface(rect.size)
    surf.fill(pal.BG)
    local = pygame.Rect(0, 0, rect.width, rect.height)
    inner = panel(surf, local, fonts, "Case card")
    p = case.patient
    x, w, bottom = inner.x, inner.width, inner.bottom
    y = inner.y
    head = f"{p.name}, {p.age_years} y, {p.sex}"
    surf.blit(fonts.bold(15).render(head, True, pal.TEXT), (x, y))
    weight = fonts.mono(13).render(f"{p.weight_kg:g} kg", True, pal.ACCENT)
    surf.blit(weight, (inner.right - weight.get_width(), y + 2))
    y += 24
    body = fonts.regular(13)
    small = fonts.regular(12)

    def section(title: str) -> None:
        nonlocal y
        y += 4
        surf.blit(fonts.bold(11).render(title.upper(), True, pal.TEXT_FAINT), (x, y))
        y += 16

    complaint = p.chief_complaint
    section(f"Complaint   pain {complaint.pain_score}/10")
    y = blit_wrapped(surf, body, f"\u201c{complaint.description}\u201d", (x, y), w, pal.TEXT, bottom)
    section("History")
    y = blit_wrapped(surf, small, p.history, (x, y), w, pal.TEXT_DIM, bottom)
    section("Allergies")
    if p.allergies:
        for allergy in p.allergies:
            text = f"{allergy.substance} ({allergy.reaction})"
            y = blit_wrapped(surf, body, text, (x, y), w, pal.DANGER, bottom)
    else:
        y = blit_wrapped(surf, body, "No known allergies", (x, y), w, pal.TEXT, bottom)
    section("Medications")
    if p.medications:
        for med in p.medications:
            text = med.name + (f" {med.dose}" if med.dose else "") + ("  (anticoagulant)" if med.anticoagulant else "")
            y = blit_wrapped(surf, body, text, (x, y), w, pal.WARN if med.anticoagulant else pal.TEXT, bottom)
    else:
        y = blit_wrapped(surf, body, "None", (x, y), w, pal.TEXT, bottom)
    conditions = condition_lines(p.conditions)
    section("Conditions")
    if conditions:
        for text, colour in conditions:
            y = blit_wrapped(surf, body, text, (x, y), w, colour, bottom)
    else:
        y = blit_wrapped(surf, body, "Nothing of note", (x, y), w, pal.TEXT, bottom)
    if hints and case.teaching.hints:
        section("Hints (practice)")
        for hint in case.teaching.hints:
            y = blit_wrapped(surf, small, f"\u2022 {hint}", (x, y), w, pal.INFO, bottom)
    return surf
