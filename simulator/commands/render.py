"""`tpi-sim render CASE`: render one ultrasound frame of a case to a PNG (and the raw envelope).

CASE is a case file, or the id of a shipped case. The probe defaults to the case's
default pose and the scanner to the case's start-up settings. `--envelope` saves the
linear envelope before log compression (float32, H x W) with the pixel size in mm.
The scanner controls of the procedure screen are flags too: `--tgc NEAR,MID,FAR` (the
time-gain sliders, dB), `--tilt DEG` (heel-toe), `--steer DEG` (the colour box's steer) and
`--no-speckle-reduction`; a bad value is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse

from simulator.commands import AGENTS_HELP, failing, open_case_or_report


def _floats(text: str, count: int, what: str) -> tuple[float, ...]:
    import math

    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{what} must be {count} numbers separated by commas, got {text!r}") from None
    if len(values) != count or not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(f"{what} must be {count} finite numbers separated by commas, got {text!r}")
    return values


def _probe(text: str):
    return _floats(text, 3, "--probe X,Y,HEADING")


def _needle(text: str):
    values = _floats(text, 5, "--needle X,Y,ANGLE_DEG,HEADING_DEG,LENGTH_MM")
    if not 0 <= values[2] <= 90 or values[4] < 0:
        raise argparse.ArgumentTypeError("--needle ANGLE_DEG must be 0..90 and LENGTH_MM at least 0")
    return values


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", metavar="CASE", help="case file (YAML) or the id of a shipped case")
    parser.add_argument("--agents", metavar="PATH", help=AGENTS_HELP)
    parser.add_argument("--probe", type=_probe, metavar="X,Y,HEADING", help="probe pose in mm and degrees")
    parser.add_argument("--needle", type=_needle, metavar="X,Y,ANGLE_DEG,HEADING_DEG,LENGTH_MM",
                        help="needle entry on the skin, angle to the skin, heading, inserted length")
    parser.add_argument("--gauge", type=int, default=25, help="needle gauge (default 25)")
    parser.add_argument("--depth-cm", type=float, help="image depth (default: the case's)")
    parser.add_argument("--gain-db", type=float, help="overall gain (default: the case's)")
    parser.add_argument("--freq-mhz", type=float, help="centre frequency (default: the case's)")
    parser.add_argument("--focus-cm", type=float, help="focal depth (default: the case's, else mid-image)")
    parser.add_argument("--doppler", action="store_true", help="overlay colour Doppler")
    parser.add_argument("--tgc", metavar="NEAR,MID,FAR",
                        help="time-gain sliders in dB at the top, middle and bottom of the image (each -20..20)")
    parser.add_argument("--tilt", metavar="DEG", help="probe heel-toe tilt in degrees (-30..30; anisotropy)")
    parser.add_argument("--steer", metavar="DEG", help="colour Doppler steer: -20, 0 or 20 degrees (default 20)")
    parser.add_argument("--no-speckle-reduction", action="store_true",
                        help="plain speckle, without the compounding an MSK preset has on")
    parser.add_argument("--time-s", type=float, default=0.0, help="moment in the cardiac and breathing cycles")
    parser.add_argument("--seed", type=int, default=0, help="speckle seed (default 0)")
    parser.add_argument("--size", type=int, default=512, help="image size in pixels (default 512)")
    parser.add_argument("--out", required=True, metavar="PNG", help="where to write the frame")
    parser.add_argument("--envelope", metavar="NPZ", help="also save the linear envelope and the pixel size in mm")


def _controls(args: argparse.Namespace) -> tuple[tuple[float, float, float], float, float]:
    """(TGC near/mid/far dB, tilt deg, steer deg) from the flags; ValueError with a one-line message."""
    from simulator.core.state import DOPPLER_STEERS_DEG, MAX_TILT_DEG, TGC_LIMIT_DB

    tgc = (0.0, 0.0, 0.0)
    if args.tgc is not None:
        try:
            tgc = _floats(args.tgc, 3, "--tgc NEAR,MID,FAR")
        except argparse.ArgumentTypeError as exc:
            raise ValueError(str(exc)) from None
        if not all(-TGC_LIMIT_DB <= v <= TGC_LIMIT_DB for v in tgc):
            raise ValueError(f"--tgc values must each be -{TGC_LIMIT_DB:g}..{TGC_LIMIT_DB:g} dB, got {args.tgc!r}")
    tilt = _number(args.tilt, "--tilt", 0.0)
    if not -MAX_TILT_DEG <= tilt <= MAX_TILT_DEG:
        raise ValueError(f"--tilt must be -{MAX_TILT_DEG:g}..{MAX_TILT_DEG:g} degrees, got {args.tilt!r}")
    steer = _number(args.steer, "--steer", 20.0)
    if steer not in DOPPLER_STEERS_DEG:
        raise ValueError(f"--steer must be -20, 0 or 20 degrees, got {args.steer!r}")
    return tgc, tilt, steer


def _number(text: str | None, flag: str, default: float) -> float:
    if text is None:
        return default
    try:
        return _floats(text, 1, flag)[0]
    except argparse.ArgumentTypeError:
        raise ValueError(f"{flag} must be a number, got {text!r}") from None


_fail = failing("render", 2, tagged=True)


def run(args: argparse.Namespace) -> int:
    from simulator.scenario.loader import find_case_file

    if find_case_file(args.case) is None:
        return _fail(f"no case file or shipped case called {args.case!r}")
    opened = open_case_or_report(args.case, args.agents)
    if opened is None:
        return _fail(f"{args.case} is not a valid case")
    case = opened[1]
    if not 32 <= args.size <= 2048:
        return _fail(f"--size must be 32..2048, got {args.size}")

    import numpy as np

    from simulator.core.anatomy import AnatomyModel
    from simulator.core.geometry import GAUGE_OD_MM, NeedleGeometry, ProbePose
    from simulator.core.ultrasound import ScanSettings, UltrasoundEngine
    from simulator.core.ultrasound.png import write_png

    defaults = case.ultrasound
    pose = case.body_region.default_probe
    x, y, heading = args.probe if args.probe else (pose.x_mm, pose.y_mm, pose.heading_deg)
    try:
        tgc, tilt, steer = _controls(args)
    except ValueError as exc:
        return _fail(str(exc))
    try:
        settings = ScanSettings(
            depth_cm=args.depth_cm if args.depth_cm is not None else defaults.depth_cm,
            gain_db=args.gain_db if args.gain_db is not None else defaults.gain_db,
            freq_mhz=args.freq_mhz if args.freq_mhz is not None else defaults.freq_mhz,
            focus_cm=args.focus_cm if args.focus_cm is not None else (defaults.focus_cm or 0.0),
            doppler=args.doppler,
            tgc_near_db=tgc[0], tgc_mid_db=tgc[1], tgc_far_db=tgc[2],
            doppler_steer_deg=steer, speckle_reduction=not args.no_speckle_reduction,
        )
    except ValueError as exc:
        return _fail(str(exc))
    needle = None
    if args.needle:
        if args.gauge not in GAUGE_OD_MM:
            return _fail(f"--gauge must be one of {sorted(GAUGE_OD_MM)}, got {args.gauge}")
        nx, ny, angle, needle_heading, length = args.needle
        needle = NeedleGeometry(nx, ny, angle, needle_heading, length, args.gauge)

    engine = UltrasoundEngine(AnatomyModel(case), seed=args.seed, size_px=(args.size, args.size))
    frame = engine.frame(ProbePose(x, y, heading), settings, needle=needle, time_s=args.time_s,
                         tilt_deg=tilt)
    pixels = frame.image
    if frame.doppler is not None:
        pixels = np.repeat(frame.image[..., None], 3, axis=2)
        pixels[frame.doppler_mask] = frame.doppler[frame.doppler_mask]
    try:
        write_png(args.out, pixels)
        if args.envelope:
            with open(args.envelope, "wb") as handle:
                np.savez(handle, envelope=frame.envelope.astype(np.float32),
                         mm_per_px=np.array(frame.geometry.mm_per_px, dtype=np.float64))
    except OSError as exc:
        return _fail(f"cannot write output: {exc}")
    g = frame.geometry
    print(f"wrote {args.out}: {case.id}, {g.kind} {g.width_mm:.1f} x {g.depth_mm:.0f} mm, "
          f"{settings.freq_mhz:g} MHz, probe ({x:g}, {y:g}, {heading:g} deg)"
          + (f", tip {'in' if frame.tip_visible else 'out of'} view" if needle else ""))
    return 0
