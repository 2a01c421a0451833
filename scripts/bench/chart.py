"""The bulk chart of BENCHMARKS.md as hand-written SVG: rows/s against requests in flight.

Each series is a line through its medians with min–max bars; a series measured at one
concurrency only (the sequential loop) is also drawn as a dotted level across the chart.
"""

from __future__ import annotations

import math
import statistics
from typing import Any
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 760, 420
LEFT, RIGHT, TOP, BOTTOM = 70, 250, 50, 55
COLOURS = ["#1f5fbf", "#2aa198", "#a23b72", "#5b8c2a"]
# Series whose name holds one of these words get a fixed colour: the alternatives stand apart.
KEYWORD_COLOURS = {"ceiling": "#7a7a7a", "naive": "#d9822b"}


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above value."""
    power = 10 ** math.floor(math.log10(value))
    return float(next(step * power for step in (1, 2, 5, 10) if step * power >= value))


def bulk_chart(points: list[dict[str, Any]]) -> str:
    series: dict[str, list[dict[str, Any]]] = {}
    for point in points:
        series.setdefault(point["series"], []).append(point)
    xs = sorted({p["x"] for p in points})
    top = nice_ceiling(max(max(p["samples"]) for p in points) * 1.05)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    lo, hi = math.log2(xs[0]), math.log2(xs[-1])

    def x_of(x: float) -> float:
        return LEFT + (plot_w if hi == lo else (math.log2(x) - lo) / (hi - lo) * plot_w)

    def y_of(y: float) -> float:
        return TOP + plot_h - y / top * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="24" font-size="15" font-weight="bold">Bulk opt-outs: rows per second by requests in flight</text>',
    ]
    for i in range(6):
        value = top * i / 5
        y = y_of(value)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{value:,.0f}</text>')
    for x in xs:
        out.append(f'<line x1="{x_of(x):.1f}" y1="{TOP}" x2="{x_of(x):.1f}" y2="{TOP + plot_h}" stroke="#f0f0f0"/>')
        out.append(f'<text x="{x_of(x):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{x:g}</text>')
    out.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#333"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#333"/>')
    out.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 14}" text-anchor="middle">'
               'requests in flight (--concurrency; log scale)</text>')
    out.append(f'<text transform="translate(18 {TOP + plot_h / 2}) rotate(-90)" text-anchor="middle">rows/s</text>')

    free = iter(COLOURS * 2)
    for n, (name, members) in enumerate(series.items()):
        colour = next((c for word, c in KEYWORD_COLOURS.items() if word in name), None) or next(free)
        dashed = ' stroke-dasharray="6 4"' if "ceiling" in name else ""
        members.sort(key=lambda p: p["x"])
        medians = [(x_of(p["x"]), y_of(statistics.median(p["samples"]))) for p in members]
        if len(members) == 1:
            _, y = medians[0]
            out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="{colour}" '
                       'stroke-dasharray="2 4"/>')
        else:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in medians)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dashed}/>')
        for point, (x, y) in zip(members, medians):
            low, high = y_of(min(point["samples"])), y_of(max(point["samples"]))
            if high < low - 1:
                out.append(f'<line x1="{x:.1f}" y1="{low:.1f}" x2="{x:.1f}" y2="{high:.1f}" stroke="{colour}"/>')
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
        legend_y = TOP + 10 + n * 40
        out.append(f'<line x1="{WIDTH - RIGHT + 20}" y1="{legend_y}" x2="{WIDTH - RIGHT + 44}" y2="{legend_y}" '
                   f'stroke="{colour}" stroke-width="2.5"{dashed}/>')
        for k, words in enumerate(wrap(name, 28)):
            out.append(f'<text x="{WIDTH - RIGHT + 50}" y="{legend_y + 4 + 14 * k}">{escape(words)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
