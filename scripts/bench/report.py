"""The results file of scripts/bench.sh: adding figures to it, and printing it as one table.

The file holds one JSON object per line. A figure of the table:
    {"part", "id", "figure", "unit", "better": "lower"|"higher", "who", "ours": bool,
     "samples": [...], "kind": "ceiling" (optional)}
Figures sharing an "id" are one comparison: ours first, then each alternative with the ratio
ours / alternative. "kind": "ceiling" marks an upper bound rather than a competitor; "kind": "ours"
marks another of our own implementations (the verdict then names the first one instead of "ours"). A point of the chart: {"chart", "series", "x", "unit", "samples"}.

    report.py add FILE --part P --id ID --figure F --unit U --better lower --who W [--ours]
                       [--kind ceiling|ours] VALUE...
    report.py point FILE --chart C --series S --x X --unit U VALUE...
    report.py criterion FILE CRITERION_DIR BENCH [--per-second] --part P --id ID --figure F
                        --who W [--ours]       (samples: criterion's per-iteration times)
    report.py table FILE [--markdown OUT.md] [--svg OUT.svg]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from chart import bulk_chart  # noqa: E402

TIME_UNITS = {"ns", "µs", "ms", "s"}
PARTS = ["Core", "JavaScript", "Python", "Bulk", "Sizes"]


def append(path: str, line: dict[str, Any]) -> None:
    with open(path, "a") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")


SCALES = {"ns": ("µs", 1e3), "µs": ("ms", 1e3), "ms": ("s", 1e3)}


def scaled(samples: list[float], unit: str) -> tuple[list[float], str]:
    """Times in the largest unit that keeps the median at 1 or more (6,780 ns stays; 192,359 ns is 192 µs)."""
    while unit in SCALES and statistics.median(samples) >= 10_000:
        unit, factor = SCALES[unit]
        samples = [s / factor for s in samples]
    return samples, unit


def number(value: float, unit: str) -> str:
    """Three significant digits, thousands grouped; bytes as KB/MB and rates from a million as M (decimal)."""
    if unit == "bytes":
        return f"{number(value / 1e6, '')} MB" if value >= 1e6 else f"{number(value / 1e3, '')} KB"
    if unit.endswith("/s") and value >= 1e6:
        return f"{number(value / 1e6, '')} M {unit}"
    if value == 1 and unit == "packages":
        unit = "package"
    if abs(value) >= 100 or value == int(value):
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def spread(samples: list[float], unit: str) -> str:
    if len(samples) < 2:
        return "–"
    low, high = min(samples), max(samples)
    if unit == "bytes" or (unit.endswith("/s") and low >= 1e6):
        return f"{number(low, unit)}–{number(high, unit)}".replace(f" {unit}", "")
    return f"{number(low, '')}–{number(high, '')}"


def verdict(ours: dict[str, Any], other: dict[str, Any]) -> tuple[str, str]:
    """(ours / other, what that means) for one comparison."""
    mine, theirs = statistics.median(ours["samples"]), statistics.median(other["samples"])
    if theirs == 0 or mine == 0:
        return "–", ""
    ratio = mine / theirs
    if other.get("kind") == "ceiling":
        return f"{ratio:.2f}×", f"{ratio * 100:.0f} % of this ceiling"
    shown = f"{ratio:.3g}×"
    lower_is_better = other["better"] == "lower"
    wins = ratio < 1 if lower_is_better else ratio > 1
    factor = 1 / ratio if ratio < 1 else ratio
    if ours["unit"] in TIME_UNITS or ours["unit"].endswith("/s"):
        word = "faster" if wins else "slower"
    elif ours["unit"] == "bytes":
        word = "smaller" if wins else "larger"
    elif ours["unit"] == "packages":
        word = "fewer" if wins else "more"
    else:
        word = "better" if wins else "worse"
    if 0.97 <= ratio <= 1.03:
        return shown, "about the same"
    subject = ours["who"] if other.get("kind") == "ours" else "ours"
    return shown, f"{subject} {factor:.3g}× {word}"


def rows(results: list[dict[str, Any]]) -> list[list[str]]:
    """One row per figure: ours, then its alternatives with their ratios."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for line in results:
        if "id" in line:
            groups.setdefault(line["id"], []).append(line)
    order = {part: n for n, part in enumerate(PARTS)}
    ordered_groups = sorted(groups.values(), key=lambda figures: order.get(figures[0]["part"], len(PARTS)))
    table = []
    last_part = None
    for figures in ordered_groups:
        ours = next((f for f in figures if f["ours"]), None)
        ordered = ([ours] if ours else []) + [f for f in figures if f is not ours]
        title = next((f["figure"] for f in ordered if f["figure"]), "")
        for i, figure in enumerate(ordered):
            part = figure["part"] if figure["part"] != last_part else ""
            last_part = figure["part"]
            ratio, meaning = ("", "") if figure is ours or ours is None else verdict(ours, figure)
            who = f"**{figure['who']}**" if figure is ours else figure["who"]
            samples, unit = scaled(figure["samples"], figure["unit"])
            table.append([
                part, title if i == 0 else "", who, number(statistics.median(samples), unit),
                spread(samples, unit), str(len(samples)), ratio, meaning,
            ])
    return table


HEADER = ["part", "figure", "implementation", "median", "range", "n", "ours ÷ this", "meaning"]


def markdown(table: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in table]
    return "\n".join(lines) + "\n"


def text(table: list[list[str]]) -> str:
    plain = [HEADER] + [[cell.replace("**", "") for cell in row] for row in table]
    widths = [max(len(row[c]) for row in plain) for c in range(len(HEADER))]
    right = {3, 4, 5, 6}
    out = []
    for n, row in enumerate(plain):
        cells = [cell.rjust(w) if c in right else cell.ljust(w) for c, (cell, w) in enumerate(zip(row, widths))]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n"


def criterion_samples(directory: str, bench: str, per_second: bool) -> list[float]:
    sample = json.loads((Path(directory) / bench / "new" / "sample.json").read_text())
    per_iteration = [t / n for t, n in zip(sample["times"], sample["iters"])]
    return [1e9 / ns for ns in per_iteration] if per_second else per_iteration


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add")
    point = commands.add_parser("point")
    crit = commands.add_parser("criterion")
    table = commands.add_parser("table")
    for command in (add, point, crit, table):
        command.add_argument("file")
    for command in (add, crit):
        command.add_argument("--part", required=True)
        command.add_argument("--id", required=True)
        command.add_argument("--figure", default="", help="shown once per id: give it with ours")
        command.add_argument("--who", required=True)
        command.add_argument("--ours", action="store_true")
    add.add_argument("--unit", required=True)
    add.add_argument("--better", choices=["lower", "higher"], required=True)
    add.add_argument("--kind", choices=["ceiling", "ours"])
    point.add_argument("--chart", required=True)
    point.add_argument("--series", required=True)
    point.add_argument("--x", type=float, required=True)
    point.add_argument("--unit", required=True)
    for command in (add, point):
        command.add_argument("values", nargs="+", type=float)
    crit.add_argument("criterion_dir")
    crit.add_argument("bench")
    crit.add_argument("--per-second", action="store_true")
    table.add_argument("--markdown")
    table.add_argument("--svg")
    args = parser.parse_args()

    if args.command in ("add", "criterion"):
        line = {"part": args.part, "id": args.id, "figure": args.figure, "who": args.who, "ours": args.ours}
        if args.command == "add":
            line.update(unit=args.unit, better=args.better, samples=args.values)
            if args.kind:
                line["kind"] = args.kind
        else:
            samples = criterion_samples(args.criterion_dir, args.bench, args.per_second)
            line.update(unit="decodes/s" if args.per_second else "ns",
                        better="higher" if args.per_second else "lower", samples=samples)
        append(args.file, line)
    elif args.command == "point":
        append(args.file, {"chart": args.chart, "series": args.series, "x": args.x, "unit": args.unit,
                           "samples": args.values})
    else:
        results = [json.loads(line) for line in Path(args.file).read_text().splitlines() if line.strip()]
        built = rows(results)
        print(text(built), end="")
        if args.markdown:
            Path(args.markdown).write_text(markdown(built))
        points = [line for line in results if line.get("chart") == "bulk"]
        if args.svg and points:
            Path(args.svg).write_text(bulk_chart(points))


if __name__ == "__main__":
    main()
