"""`tpi-sim inspect CASE --at X,Y [--heading DEG] [--plane OUT.png]`: the tissue column at a point.

Prints each layer's top and bottom, the structures a vertical line crosses, the depth of the
pleura and how close each vessel and nerve comes, from the same anatomy model the trainer
uses, so an author can sit a rib on the pleura or a trigger point in its muscle by reading
numbers instead of guessing. `--plane` also saves a labelled cross-section of the plane a
probe at X,Y with that heading would show.
"""

from __future__ import annotations

import argparse
import math

from simulator.commands import AGENTS_HELP, failing, open_case_or_report


def _point(text: str) -> tuple[float, float]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 2 or not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(f"--at needs X,Y in mm (two numbers and a comma), got {text!r}")
    return values  # type: ignore[return-value]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", metavar="CASE", help="case file (YAML) or the id of a shipped case")
    parser.add_argument("--at", type=_point, required=True, metavar="X,Y",
                        help="the point on the body region in mm (use --at=-5,3 for a negative X)")
    parser.add_argument("--heading", type=float, metavar="DEG",
                        help="probe heading in degrees: adds each muscle's fibre angle to that plane")
    parser.add_argument("--plane", metavar="OUT.png",
                        help="also save a labelled cross-section under a probe at X,Y with --heading (default 0)")
    parser.add_argument("--depth-mm", type=float, metavar="MM",
                        help="depth of the cross-section (default: the case's image depth)")
    parser.add_argument("--agents", metavar="PATH", help=AGENTS_HELP)


def _mm(value: float | None) -> str:
    if value is None:
        return "-"
    return "bottom" if math.isinf(value) else f"{value:.1f}"


def format_column(case_id: str, column) -> str:
    """The column as a plain-text table, readable in a terminal and pasteable into notes."""
    heading = f", probe heading {column.heading_deg:g} deg" if column.heading_deg is not None else ""
    lines = [f"Case {case_id} at x {column.x_mm:g} mm, y {column.y_mm:g} mm{heading}", ""]
    rows = [("#", "tissue", "name", "top_mm", "bottom_mm", "thick_mm", "fibres_to_plane_deg")]
    for layer in column.layers:
        angle = "-" if layer.fibre_to_plane_deg is None else f"{layer.fibre_to_plane_deg:.0f}"
        thickness = "-" if math.isinf(layer.bottom_mm) else f"{layer.thickness_mm:.1f}"
        rows.append((str(layer.number), layer.tissue, layer.name or "-", _mm(layer.top_mm), _mm(layer.bottom_mm),
                     thickness, angle))
    if column.heading_deg is None:
        rows = [row[:-1] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    numeric = {0, 3, 4, 5, 6}
    for row in rows:
        cells = [cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    lines.append("Pleura: " + (f"{column.pleura_depth_mm:.1f} mm below the skin" if column.pleura_depth_mm is not None
                               else "none in this case"))
    lines.append("")
    if column.crossings:
        lines.append("Structures the column crosses (depth below the skin):")
        width = max(len(f"{c.kind} {c.name}") for c in column.crossings)
        for c in column.crossings:
            lines.append(f"  {f'{c.kind} {c.name}':<{width}}  {c.top_mm:.1f} to {c.bottom_mm:.1f} mm")
    else:
        lines.append("Structures the column crosses: none")
    lines.append("")
    if column.approaches:
        lines.append("Vessels and nerves, nearest first (closest approach of the wall to the column):")
        width = max(len(f"{a.kind} {a.name}") for a in column.approaches)
        for a in column.approaches:
            where = "crossed" if a.distance_mm < 0 else f"{a.distance_mm:.1f} mm away"
            lines.append(f"  {f'{a.kind} {a.name}':<{width}}  {where} at depth {a.depth_mm:.1f} mm")
    else:
        lines.append("Vessels and nerves: none in this case")
    return "\n".join(lines)


_fail = failing("inspect", 2, tagged=True)


def run(args: argparse.Namespace) -> int:
    from simulator.core.anatomy import AnatomyModel
    from simulator.core.tissue_column import tissue_column

    opened = open_case_or_report(args.case, args.agents)
    if opened is None:
        return 1
    case = opened[1]
    x_mm, y_mm = args.at
    region = case.body_region
    if not (0 <= x_mm <= region.width_mm and 0 <= y_mm <= region.height_mm):
        return _fail(f"--at {x_mm:g},{y_mm:g} lies outside the body region (x 0 to {region.width_mm:g} mm, "
                     f"y 0 to {region.height_mm:g} mm)")
    model = AnatomyModel(case)
    print(format_column(case.id, tissue_column(model, x_mm, y_mm, args.heading)))
    if args.plane:
        from simulator.render.cross_section import save_plane

        depth_mm = args.depth_mm if args.depth_mm is not None else case.ultrasound.depth_cm * 10
        if not 1 <= depth_mm <= 500:
            return _fail(f"--depth-mm must be 1 to 500, got {depth_mm:g}")
        try:
            save_plane(model, x_mm, y_mm, args.heading or 0.0, depth_mm, args.plane)
        except OSError as exc:
            return _fail(f"cannot write {args.plane}: {exc.strerror or exc}")
        print(f"\nwrote {args.plane}")
    return 0
