"""Render one ultrasound frame of every shipped case into docs/gallery/ and write docs/gallery.md.

Each frame uses the case's default probe pose and scanner settings, with an in-plane 25 G
needle coming in along the probe toward the first trigger point and stopping short of it,
so the shaft, the tip and the target are all in view. Run: python tools/make_gallery.py
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator import paths  # noqa: E402
from simulator.core.anatomy import AnatomyModel  # noqa: E402
from simulator.core.geometry import NeedleGeometry, ProbePose  # noqa: E402
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine  # noqa: E402
from simulator.core.ultrasound.png import write_png  # noqa: E402
from simulator.core.ultrasound.scan_geometry import make_geometry  # noqa: E402
from simulator.scenario import CaseError, load_case  # noqa: E402
from simulator.scenario.loader import case_files  # noqa: E402

GALLERY_DIR = ROOT / "docs" / "gallery"
GALLERY_MD = ROOT / "docs" / "gallery.md"
SEED = 1
WIDTH_PX = 512


def needle_toward_target(case, probe: ProbePose, stop_short_mm: float = 3.0) -> NeedleGeometry:
    """An in-plane needle entering 20 mm beside the probe's edge at the depth of the first trigger point."""
    tp = case.trigger_points[0]
    h = math.radians(probe.heading_deg)
    ax, ay = math.cos(h), math.sin(h)
    lateral_tp = (tp.x_mm - probe.x_mm) * ax + (tp.y_mm - probe.y_mm) * ay
    entry_lateral = -19.0 - 10.0  # enter beyond the probe's end, as an in-plane approach does
    run = lateral_tp - entry_lateral
    angle = math.degrees(math.atan2(tp.depth_mm, run))
    length = math.hypot(run, tp.depth_mm) - stop_short_mm
    return NeedleGeometry(probe.x_mm + entry_lateral * ax, probe.y_mm + entry_lateral * ay, angle,
                          probe.heading_deg, length, 25)


def square_pixels(probe_kind: str, settings: ScanSettings) -> tuple[int, int]:
    """(height, width) in pixels that make a pixel as tall as it is wide for this probe and depth."""
    geometry = make_geometry(probe_kind, settings.depth_cm * 10.0, settings.focus_mm, (WIDTH_PX, WIDTH_PX))
    return min(max(32, int(round(WIDTH_PX * geometry.depth_mm / geometry.width_mm))), 2048), WIDTH_PX


def render_case(path: Path) -> tuple[str, str]:
    case = load_case(path)
    pose = case.body_region.default_probe
    probe = ProbePose(pose.x_mm, pose.y_mm, pose.heading_deg)
    us = case.ultrasound
    settings = ScanSettings(depth_cm=us.depth_cm, gain_db=us.gain_db, freq_mhz=us.freq_mhz, focus_cm=us.focus_cm or 0.0)
    engine = UltrasoundEngine(AnatomyModel(case), seed=SEED, size_px=square_pixels(us.probe, settings))
    needle = needle_toward_target(case, probe)
    frame = engine.frame(probe, settings, needle=needle)
    image = GALLERY_DIR / f"{case.id}.png"
    write_png(image, frame.image)
    g = frame.geometry
    tp = case.trigger_points[0]
    caption = (f"{us.probe} probe, {settings.freq_mhz:g} MHz, depth {settings.depth_cm:g} cm; probe at "
               f"({probe.x_mm:g}, {probe.y_mm:g}) mm heading {probe.heading_deg:g} deg; needle {needle.angle_deg:.0f} deg "
               f"toward trigger point `{tp.id}` ({tp.muscle}, {tp.depth_mm:g} mm deep, "
               f"{'tip in view' if frame.tip_visible else 'tip out of view'}); image {g.width_mm:.0f} x {g.depth_mm:.0f} mm, "
               f"{g.shape[1]} x {g.shape[0]} px of {g.mm_per_px[1]:.3f} mm")
    section = f"## {case.title}\n\n`{path.name}`: {caption}.\n\n![{case.id}](gallery/{image.name})\n"
    return case.id, section


def main() -> int:
    GALLERY_DIR.mkdir(parents=True, exist_ok=True)
    files = case_files(paths.SCENARIOS_DIR)
    sections, problems = [], []
    for path in files:
        try:
            _, section = render_case(path)
            sections.append(section)
            print(f"rendered {path.name}")
        except CaseError as exc:
            problems.append(f"- `{path.name}` is not a valid case ({len(exc.diagnostics)} problems)")
            print(f"skipped {path.name}: invalid case", file=sys.stderr)
    header = (
        "# Ultrasound gallery\n\n"
        "One frame of every shipped case (`scenarios/*.yaml`), rendered by `python tools/make_gallery.py` "
        f"with seed {SEED}: the case's default probe pose and scanner settings, and an in-plane 25 G needle "
        "approaching the first trigger point from beyond the probe's end, stopped 3 mm short of it. "
        "Pixels are square (as tall as they are wide), so distances read the same both ways.\n\n"
        "What to look for (docs/sources.md [75][76][87]): a bright skin line; dark fat with bright septa; "
        "bright fascia lines; hypoechoic muscle with pennate septa (long axis) or a starry-night look (short axis); "
        "the hypoechoic trigger point; bright bone with a black shadow; the pleural line with the lung's "
        "speckled grey under it (never black, unlike a bone's shadow) and A-lines at multiples of its depth; "
        "the needle shaft with a comet tail and a faint shadow under it when flat, fading as it steepens, and a "
        "brighter tip.\n"
    )
    body = "\n".join(sections)
    tail = ("\n## Not rendered\n\n" + "\n".join(problems) + "\n") if problems else ""
    GALLERY_MD.write_text(header + "\n" + body + tail)
    print(f"wrote {GALLERY_MD.relative_to(ROOT)} ({len(sections)} cases)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
