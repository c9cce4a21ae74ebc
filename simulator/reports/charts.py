"""The report's charts as inline SVG text, drawn with matplotlib from `summary` numbers.

matplotlib is imported here only (never by the model code, never at `tpi-sim --help`), and
only through its object API (no pyplot state), rendering SVG with real <text> elements so a
report stays small, searchable and readable without a network. Every drawn element a reader
relies on carries an id (matplotlib's gid) that starts with the chart's prefix, so tests can
count points, cells, bars and limit lines in the HTML. Output is byte-identical for equal
input: fixed fonts, no date in the metadata, a fixed hash salt per chart.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import timedelta

import matplotlib
from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from simulator.reports.cusum import ACCEPTABLE
from simulator.reports.summary import ErrorCount, HeatMap, LearningCurve, ScorePoint

CASE_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
                "#7f7f7f", "#d62728")
PASS_COLOUR, FAIL_COLOUR = "#2e7d32", "#c62828"
RC = {"svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 10,
      "axes.spines.top": False, "axes.spines.right": False}


def plain(text: str) -> str:
    """Text as matplotlib should print it: a '$' must not start mathematical notation."""
    return str(text).replace("$", r"\$")


def case_colour(case_ids: Sequence[str], case_id: str) -> str:
    return CASE_COLOURS[list(case_ids).index(case_id) % len(CASE_COLOURS)] if case_id in case_ids else "#555555"


def to_svg(fig: Figure, salt: str) -> str:
    """The figure as an <svg> element (no XML prolog) ready to sit inside an HTML page."""
    buffer = io.StringIO()
    with matplotlib.rc_context({**RC, "svg.hashsalt": salt}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    start, end = text.find("<metadata>"), text.find("</metadata>")
    if 0 <= start < end:  # the RDF block names only namespaces and adds nothing a reader sees
        text = text[:start] + text[end + len("</metadata>"):]
    return text


def _figure(width_in: float, height_in: float) -> Figure:
    with matplotlib.rc_context(RC):
        return Figure(figsize=(width_in, height_in), layout="constrained")


def score_chart(prefix: str, points: Sequence[ScorePoint], case_ids: Sequence[str], pass_mark: float | None) -> str:
    """Total score per attempt over time for one trainee: filled dots passed, crosses failed, colour by case."""
    with matplotlib.rc_context(RC):
        fig = _figure(5.6, 2.9)
        ax = fig.add_subplot()
        shown = [c for c in case_ids if any(p.case_id == c for p in points)]
        for k, case_id in enumerate(shown):  # one thin line per case: a trainee's progress on that case
            mine = [p for p in points if p.case_id == case_id]
            ax.plot([p.started_at for p in mine], [p.total for p in mine], color=case_colour(case_ids, case_id),
                    linewidth=1, alpha=0.6, zorder=1, gid=f"{prefix}-line-{k}")
        for passed, marker, gid in ((True, "o", "passed"), (False, "X", "failed")):
            chosen = [p for p in points if p.passed == passed]
            if chosen:
                ax.scatter([p.started_at for p in chosen], [p.total for p in chosen], marker=marker, s=36, zorder=3,
                           c=[case_colour(case_ids, p.case_id) for p in chosen], edgecolors="white", linewidths=0.6,
                           gid=f"{prefix}-{gid}")
        if pass_mark is not None:
            ax.axhline(pass_mark, color="#616161", linestyle="--", linewidth=1, gid=f"{prefix}-pass-mark")
            ax.text(1.0, pass_mark, f" pass {pass_mark:g}", transform=ax.get_yaxis_transform(), va="center",
                    fontsize=8, color="#616161")
        first, last = min(p.started_at for p in points), max(p.started_at for p in points)
        if last - first < timedelta(hours=1):  # one sitting: an hour either side, not years of empty axis
            ax.set_xlim(first - timedelta(hours=1), last + timedelta(hours=1))
        ax.set_ylim(0, 105)
        ax.set_ylabel("total / 100")
        locator = mdates.AutoDateLocator(minticks=2, maxticks=6)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        handles = [Line2D([], [], marker="o", color=case_colour(case_ids, c), label=plain(c)) for c in shown]
        handles += [Line2D([], [], marker="X", linestyle="", color="#424242", label="failed")]
        fig.legend(handles=handles, fontsize=7, loc="outside lower center", frameon=False, ncols=2)
        return to_svg(fig, prefix)


def heat_map_chart(prefix: str, heat: HeatMap) -> str:
    """Trainee x criterion cells coloured by the mean share of points, each labelled in per cent."""
    rows, cols = len(heat.trainees), len(heat.criteria)
    with matplotlib.rc_context(RC):
        fig = _figure(max(5.0, 1.0 + 0.95 * cols + 0.09 * max((len(t) for t in heat.trainees), default=4)),
                      max(1.6, 1.3 + 0.32 * rows))
        ax = fig.add_subplot()
        cmap = matplotlib.colormaps["viridis"]
        for i, row in enumerate(heat.shares):
            for j, share in enumerate(row):
                colour = "#eeeeee" if share is None else cmap(share)
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor=colour, edgecolor="white", linewidth=1.5,
                                       gid=f"{prefix}-cell-{i}-{j}"))
                label = "–" if share is None else f"{100 * share:.0f}%"
                ink = "#000000" if share is None or share > 0.55 else "#ffffff"
                ax.text(j + 0.5, i + 0.5, label, ha="center", va="center", fontsize=8, color=ink)
        ax.set_xlim(0, max(cols, 1))
        ax.set_ylim(max(rows, 1), 0)
        ax.set_xticks([j + 0.5 for j in range(cols)], [plain(title) for _, title in heat.criteria], rotation=30,
                      ha="right")
        ax.set_yticks([i + 0.5 for i in range(rows)], [plain(t) for t in heat.trainees])
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.xaxis.tick_top()
        ax.xaxis.set_label_position("top")
        return to_svg(fig, prefix)


def errors_chart(prefix: str, errors: Sequence[ErrorCount], attempts: int) -> str:
    """Horizontal bars: in how many attempts each critical error happened, most common on top."""
    with matplotlib.rc_context(RC):
        fig = _figure(6.4, max(1.4, 0.6 + 0.34 * len(errors)))
        ax = fig.add_subplot()
        ys = list(range(len(errors)))
        bars = ax.barh(ys, [e.attempts for e in errors], color="#c62828", height=0.6)
        for k, (bar, error) in enumerate(zip(bars, errors)):
            bar.set_gid(f"{prefix}-bar-{k}")
            share = f" ({100 * error.attempts / attempts:.0f}% of attempts)" if attempts else ""
            ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {error.attempts}{share}", va="center",
                    fontsize=8)
        ax.set_yticks(ys, [plain(e.label) for e in errors])
        ax.invert_yaxis()
        ax.set_xlabel("attempts with this critical error")
        ax.set_xlim(0, max([e.attempts for e in errors], default=1) * 1.35)
        ax.xaxis.get_major_locator().set_params(integer=True)
        return to_svg(fig, prefix)


def cusum_chart(prefix: str, learning: LearningCurve) -> str:
    """The CUSUM curve of one trainee on one case, with its decision limits and decisions marked."""
    curve = learning.curve
    with matplotlib.rc_context(RC):
        fig = _figure(4.2, 2.4)
        ax = fig.add_subplot()
        numbers = list(range(len(curve.values)))
        ax.plot(numbers, curve.values, color="#1565c0", linewidth=1.4, marker="o", markersize=3, gid=f"{prefix}-curve")
        for k, limits in enumerate(curve.limits):
            end = max(limits.end_no, limits.start_no + 0.5)
            ax.plot([limits.start_no, end], [limits.upper] * 2, color=FAIL_COLOUR, linestyle="--", linewidth=1,
                    gid=f"{prefix}-h1-{k}")
            ax.plot([limits.start_no, end], [limits.lower] * 2, color=PASS_COLOUR, linestyle="--", linewidth=1,
                    gid=f"{prefix}-h0-{k}")
        first = curve.limits[0]
        ax.text(0.1, first.upper, "h1", va="bottom", fontsize=7, color=FAIL_COLOUR)
        ax.text(0.1, first.lower, "−h0", va="top", fontsize=7, color=PASS_COLOUR)
        if curve.decisions:
            ax.scatter([d.attempt_no for d in curve.decisions], [curve.values[d.attempt_no] for d in curve.decisions],
                       s=60, zorder=4, facecolors="none", linewidths=1.5,
                       edgecolors=[PASS_COLOUR if d.kind == ACCEPTABLE else FAIL_COLOUR for d in curve.decisions],
                       gid=f"{prefix}-decisions")
        ax.axhline(0, color="#bdbdbd", linewidth=0.8)
        ax.set_xlim(0, max(len(numbers) - 1, 1) + 0.5)
        low = min([*curve.values, *(lim.lower for lim in curve.limits)])
        high = max([*curve.values, *(lim.upper for lim in curve.limits)])
        ax.set_ylim(low - 0.5, high + 0.5)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel("attempt")
        ax.set_ylabel("CUSUM")
        ax.set_title(plain(learning.case_id), loc="left", fontsize=9)
        return to_svg(fig, prefix)
