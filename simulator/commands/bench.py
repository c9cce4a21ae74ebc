"""`tpi-sim bench`: frame times of the ultrasound engine (medians), and its memory.

Two measurements, each a median over --frames frames after a warm-up:
- frame_ms_needle: the probe stays put and only the moving parts change (needle
  advancing, injectate growing, twitch, Doppler and cardiac phase): the cached base is reused;
- frame_ms_probe: the probe slides 0.1 mm every frame, so every frame is a new pose and the
  base is re-synthesised (anatomy slice included; slice_ms reports that part alone).
peak_mb is the peak of memory allocated while building the engine and rendering (tracemalloc,
measured in a separate pass so it does not slow the timings). cpu_ms_needle / cpu_ms_probe are the
same medians in CPU time of the rendering thread: on a shared machine the wall-clock medians also
count the time spent waiting for a core, the CPU times do not. The last line is one JSON object.
`--ui` hands over to simulator.ui.bench (frame times of the whole window) if it is installed, and
`--startup` to simulator.ui.startup_bench (seconds from launching the trainer to its first frames).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from simulator.commands.errors import failing


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--case", default=None, help="case file or shipped case id (default: the first shipped case)")
    parser.add_argument("--frames", type=int, default=200, help="frames per measurement (default 200, at least 10)")
    parser.add_argument("--warmup", type=int, default=20, help="frames before timing starts (default 20)")
    parser.add_argument("--size", type=int, default=512, help="image size in pixels (default 512)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ui", action="store_true", help="benchmark the whole window instead (simulator.ui.bench)")
    parser.add_argument("--startup", action="store_true",
                        help="time launches of `tpi-sim play CASE` to the first window, procedure and ultrasound "
                             "frames instead (default case s1_upper_trapezius_thin)")
    parser.add_argument("--launches", type=int, default=5, help="with --startup: timed launches (default 5)")
    parser.add_argument("--cold", action="store_true",
                        help="with --startup: every launch starts with empty kernel and table caches")


_fail = failing("bench", 2, tagged=True)


def _load(name):
    from simulator import paths
    from simulator.scenario import CaseError, load_case
    from simulator.scenario.loader import case_files, find_case_file

    if name is None:
        shipped = case_files(paths.SCENARIOS_DIR)
        if not shipped:
            raise ValueError("no shipped cases found; pass --case")
        path = shipped[0]
    else:
        path = find_case_file(name)
        if path is None:
            raise ValueError(f"no case file or shipped case called {name!r}")
    try:
        return load_case(path)
    except CaseError as exc:
        raise ValueError(f"{path} is not a valid case ({len(exc.diagnostics)} problems; run tpi-sim validate)") from None


def run(args: argparse.Namespace) -> int:
    if args.startup:
        from simulator.ui import startup_bench

        return int(startup_bench.run(args) or 0)
    if args.ui:
        try:
            from simulator.ui import bench as ui_bench
        except ImportError:
            return _fail("the window benchmark (simulator.ui.bench) is not available in this build")
        return int(ui_bench.run(args) or 0)
    if args.frames < 10 or args.warmup < 0 or not 32 <= args.size <= 2048:
        return _fail("--frames must be at least 10, --warmup at least 0 and --size 32..2048")
    try:
        case = _load(args.case)
    except ValueError as exc:
        return _fail(str(exc))
    timings = measure(case, args.frames, args.warmup, args.size, args.seed)
    peak_mb = measure_memory(case, args.size, args.seed)
    result = {"case": case.id, "size_px": [args.size, args.size], "frames": args.frames, **timings,
              "peak_mb": round(peak_mb, 1)}
    print(f"case {case.id}, {args.size}x{args.size} px, medians over {args.frames} frames")
    print(f"  moving parts only (needle, injectate, twitch, Doppler): {timings['frame_ms_needle']:.2f} ms")
    print(f"  probe moving (full re-synthesis):                       {timings['frame_ms_probe']:.2f} ms"
          f"  (anatomy slice {timings['slice_ms']:.2f} ms of it)")
    print(f"  CPU time of the rendering thread: {timings['cpu_ms_needle']:.2f} ms / {timings['cpu_ms_probe']:.2f} ms"
          " (the rest of the wall time is waiting for a core)")
    print(f"  engine memory peak: {peak_mb:.1f} MB")
    print(json.dumps(result))
    return 0


def _scene(case, size: int, seed: int):
    from simulator.core.anatomy import AnatomyModel
    from simulator.core.geometry import ProbePose
    from simulator.core.ultrasound import ScanSettings, UltrasoundEngine

    anatomy = AnatomyModel(case)
    engine = UltrasoundEngine(anatomy, seed=seed, size_px=(size, size))
    pose = case.body_region.default_probe
    probe = ProbePose(pose.x_mm, pose.y_mm, pose.heading_deg)
    us = case.ultrasound
    settings = ScanSettings(depth_cm=us.depth_cm, gain_db=us.gain_db, freq_mhz=us.freq_mhz,
                            focus_cm=us.focus_cm or 0.0, doppler=True)
    return anatomy, engine, probe, settings


def _moving_parts(case, probe, k: int):
    """Needle advancing toward the first trigger point, a bolus growing at it, a twitch, time passing."""
    import math

    from simulator.core.geometry import NeedleGeometry
    from simulator.core.ultrasound import Bolus

    tp = case.trigger_points[0]
    heading = probe.heading_deg
    h = math.radians(heading)
    run = 25.0
    needle = NeedleGeometry(tp.x_mm - run * math.cos(h), tp.y_mm - run * math.sin(h), math.degrees(math.atan2(tp.depth_mm, run)),
                            heading, 5.0 + (k % 100) * 0.2)
    bolus = Bolus(tp.x_mm, tp.y_mm, tp.depth_mm, 0.05 + 0.005 * (k % 100), "muscle")
    return dict(needle=needle, boluses=[bolus], twitch=(k % 30) / 30.0, time_s=k / 60.0)


def measure(case, frames: int, warmup: int, size: int, seed: int) -> dict:
    from simulator.core.geometry import ProbePose

    anatomy, engine, probe, settings = _scene(case, size, seed)
    needle_ms, needle_cpu = [], []
    for k in range(warmup + frames):
        parts = _moving_parts(case, probe, k)
        start, cpu = time.perf_counter(), time.thread_time()  # the CPU interval inside the wall one
        engine.frame(probe, settings, **parts)
        cpu_end = time.thread_time()
        if k >= warmup:
            needle_ms.append((time.perf_counter() - start) * 1000)
            needle_cpu.append((cpu_end - cpu) * 1000)
    still = probe.__class__(probe.x_mm, probe.y_mm, probe.heading_deg)
    plain = settings.__class__(settings.depth_cm, settings.gain_db, settings.freq_mhz, settings.focus_cm, False)
    probe_ms, probe_cpu, slice_ms = [], [], []
    for k in range(warmup + frames):
        moved = ProbePose(still.x_mm + 0.1 * (k % 100) - 5.0, still.y_mm + 0.03 * (k % 50), still.heading_deg)
        start, cpu = time.perf_counter(), time.thread_time()
        engine.frame(moved, plain, time_s=k / 60.0)
        cpu_end = time.thread_time()
        if k >= warmup:
            probe_ms.append((time.perf_counter() - start) * 1000)
            probe_cpu.append((cpu_end - cpu) * 1000)
        other = ProbePose(moved.x_mm + 0.005, moved.y_mm, moved.heading_deg + 0.005)
        start = time.perf_counter()
        geometry_width = 38.0 if engine.probe_kind == "linear" else 80.0
        anatomy.slice(other, geometry_width, plain.depth_cm * 10, engine.shape)
        if k >= warmup:
            slice_ms.append((time.perf_counter() - start) * 1000)
    return {
        "frame_ms_needle": round(statistics.median(needle_ms), 3),
        "frame_ms_probe": round(statistics.median(probe_ms), 3),
        "slice_ms": round(statistics.median(slice_ms), 3),
        "cpu_ms_needle": round(statistics.median(needle_cpu), 3),
        "cpu_ms_probe": round(statistics.median(probe_cpu), 3),
    }


def measure_memory(case, size: int, seed: int) -> float:
    """Peak MB allocated (numpy included) while building the engine and rendering a few frames."""
    import tracemalloc

    from simulator.core.geometry import ProbePose

    tracemalloc.start()
    try:
        _anatomy, engine, probe, settings = _scene(case, size, seed)
        for k in range(12):
            moved = ProbePose(probe.x_mm + 0.3 * k, probe.y_mm, probe.heading_deg)
            engine.frame(moved, settings, **_moving_parts(case, moved, k))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6
