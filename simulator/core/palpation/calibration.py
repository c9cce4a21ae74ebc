"""Measuring the palpation model the way reliability studies measure examiners.

Why: the model's chance (felt offset, noise, graded answers) is tuned so that simulated
examinations disagree about as often as real examiners do (Lucas 2009, Rathbone 2017,
Myburgh 2008 and 2011; full references in docs/palpation.md).
Two sessions with different seeds stand for two examiners on the same patient. At each site
(every trigger point's textbook centre, and muscle 15 mm across the band from each active
point) each examiner, aiming at the site but landing a few mm off it as fingers do, presses
firmly, strokes across the fibres, and records binary findings;
Cohen's kappa over all sites and pairs is compared with the published ranges. A second
measure runs the scripted examiner (examiner.py) from 10-20 mm away and reports how far its
marks land from the nearest active point. `tools/palpation_calibration.py` prints both;
docs/palpation.md records the figures.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

import numpy as np

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core.palpation.examiner import FIRM_PRESS, search

FINDINGS = ("spot tenderness", "pain recognition", "referred pain", "taut band", "trigger point")
CONTROL_ACROSS_MM = 15.0
STROKE_MM = 4.0
TENDER_PAIN = 4  # spot tenderness: pain at least this under a firm press
EXAMINER_AIM_SD_MM = 2.0  # per axis: where an examiner's finger lands around the site (authoring choice)


def session_maker(catalogue):
    """make(case, seed): a Session of `case` started with `seed`, reusing two per case (even and odd
    seeds, the two examiners of a pair) because building a case's anatomy is slow."""
    from simulator.core.session import Session

    kept: dict[tuple[str, int], Session] = {}

    def make(case, seed: int):
        key = (case.id, seed % 2)
        session = kept.get(key)
        if session is None or session.case is not case:
            session = kept[key] = Session(case, catalogue, seed)
        session.reset(seed)
        return session

    return make


def sites(case) -> list[tuple[float, float, float]]:
    """(x, y, band direction) of every point's centre and a control spot beside each active point."""
    out = []
    for p in case.trigger_points:
        h = math.radians(p.taut_band.direction_deg)
        out.append((p.x_mm, p.y_mm, p.taut_band.direction_deg))
        if p.activity == "active":
            x, y = p.x_mm - CONTROL_ACROSS_MM * math.sin(h), p.y_mm + CONTROL_ACROSS_MM * math.cos(h)
            w, hgt = case.body_region.width_mm, case.body_region.height_mm
            out.append((min(w, max(0, x)), min(hgt, max(0, y)), p.taut_band.direction_deg))
    return out


def examine(session, site: tuple[float, float, float], aim_mm: tuple[float, float] = (0.0, 0.0)) -> dict[str, bool]:
    """One examiner's binary findings at a site: a firm static press, then a stroke across the fibres.

    `aim_mm` is where this examiner's finger lands relative to the site: two examiners never put
    the finger on the same millimetre.
    """
    x, y, direction = site
    w, hgt = session.case.body_region.width_mm, session.case.body_region.height_mm
    x, y = min(w, max(0.0, x + aim_mm[0])), min(hgt, max(0.0, y + aim_mm[1]))
    pressed = session.step([A.Palpate(x_mm=x, y_mm=y, pressure=FIRM_PRESS)])[0]
    session.step([A.Release()])
    h = math.radians(direction)
    dx, dy = -STROKE_MM * math.sin(h), STROKE_MM * math.cos(h)
    start = (min(w, max(0, x - dx)), min(hgt, max(0, y - dy)))
    end = (min(w, max(0, x + dx)), min(hgt, max(0, y + dy)))
    session.step([A.Palpate(x_mm=start[0], y_mm=start[1], pressure=FIRM_PRESS)])
    stroked = session.step([A.Palpate(x_mm=end[0], y_mm=end[1], pressure=FIRM_PRESS)])[0]
    session.step([A.Release()])
    assert isinstance(pressed, E.PalpationFelt) and isinstance(stroked, E.PalpationFelt)
    tender = pressed.pain >= TENDER_PAIN
    recognised = pressed.recognition == "yes"
    referred = bool(pressed.referred_regions)
    band = stroked.feel in ("ropy band", "nodule")
    return {"spot tenderness": tender, "pain recognition": recognised, "referred pain": referred, "taut band": band,
            "trigger point": band + tender + referred >= 2}  # two of the three Delphi criteria (Fernández-de-las-Peñas 2018)


def kappa(pairs: Sequence[tuple[bool, bool]]) -> float | None:
    """Cohen's kappa of two raters' binary answers; None when chance agreement is total."""
    n = len(pairs)
    if n == 0:
        return None
    agree = sum(a == b for a, b in pairs) / n
    pa = sum(a for a, _ in pairs) / n
    pb = sum(b for _, b in pairs) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    return None if chance >= 1 else (agree - chance) / (1 - chance)


def reliability(cases, make_session, pairs: int) -> dict[str, float | None]:
    """Kappa of each finding over every case's sites and `pairs` pairs of examiners (seeds 2k, 2k+1)."""
    answers: dict[str, list[tuple[bool, bool]]] = {f: [] for f in FINDINGS}
    for case in cases:
        case_sites = sites(case)
        for k in range(pairs):
            first, second = make_session(case, 2 * k), make_session(case, 2 * k + 1)
            aims = np.random.default_rng(20_000 + k).normal(0.0, EXAMINER_AIM_SD_MM, size=(len(case_sites), 2, 2))
            for site, aim in zip(case_sites, aims):
                a, b = examine(first, site, tuple(aim[0])), examine(second, site, tuple(aim[1]))
                for finding in FINDINGS:
                    answers[finding].append((a[finding], b[finding]))
    return {finding: kappa(answers[finding]) for finding in FINDINGS}


def search_errors(case, make_session, runs: int, seed_base: int = 0) -> list[float]:
    """Distances (mm) from the scripted examiner's mark to the nearest active point, one per run.

    Each run starts 10-20 mm from an active point in a random direction (its own generator, so
    the start does not depend on the session's streams).
    """
    active = [p for p in case.trigger_points if p.activity == "active"]
    region = (case.body_region.width_mm, case.body_region.height_mm)
    errors = []
    for run in range(runs):
        rng = np.random.default_rng(10_000 + seed_base + run)
        target = active[run % len(active)]
        r, a = rng.uniform(10.0, 20.0), rng.uniform(0.0, 2 * math.pi)
        start = (min(region[0], max(0, target.x_mm + r * math.cos(a))), min(region[1], max(0, target.y_mm + r * math.sin(a))))
        session = make_session(case, seed_base + run)
        found = search(session.step, start, target.taut_band.direction_deg, region)
        errors.append(min(math.dist(found.mark_mm, (p.x_mm, p.y_mm)) for p in active))
    return errors


def spread(errors: Sequence[float]) -> dict[str, float]:
    """Median, 90th percentile and share within 10 mm of a list of mark errors."""
    ordered = sorted(errors)
    p90 = ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]
    return {"median_mm": statistics.median(ordered), "p90_mm": p90,
            "within_10_mm": sum(e <= 10.0 for e in ordered) / len(ordered)}
