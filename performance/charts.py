"""A KPI over time as a server-drawn SVG chart, with its target line and the
amber tolerance band.

Plain Python, no Django: `chart_geometry` works out the scale, the ticks and
where each period's point goes; `chart_svg` writes the markup. The chart must
read without CSS or JavaScript (the contract page works without both), so
colours are presentation attributes, the axes are labelled in text, and the
title and description say in words what the chart shows. Every piece of
stored text (a KPI's name, its unit) is escaped here: the markup is put on
the page as it is.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from html import escape
from typing import NamedTuple

WIDTH = 640
HEIGHT = 260
# Room for the tick labels on the left and the period labels underneath.
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 72, 16, 16, 52
TICKS = 5
# More period labels than this overlap at the chart's width.
MAX_PERIOD_LABELS = 7

HIGHER, LOWER = "higher", "lower"

TEXT = "#0b0c0c"
LINE = "#1d70b8"
GRID = "#b1b4b6"
BAND = "#fff2a8"
FONT = 'font-family="arial, sans-serif"'


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top


# Tuples: a chart has dozens, a page hundreds, and they are made fresh each time.
class Tick(NamedTuple):
    value: Decimal
    y: int


class Point(NamedTuple):
    index: int
    x: int
    # None for a period not reported: drawn as a gap in the line.
    y: int | None
    value: Decimal | None


@dataclass(frozen=True)
class Geometry:
    width: int
    height: int
    plot: Box
    bottom: Decimal
    top: Decimal
    ticks: tuple[Tick, ...]
    points: tuple[Point, ...]
    # Consecutive reported periods, each drawn as one line.
    runs: tuple[tuple[Point, ...], ...]
    target_y: int
    # (top y, bottom y) of the amber band, or None without a tolerance.
    band: tuple[int, int] | None
    # The periods whose label is printed under the axis.
    labelled: tuple[int, ...]


def nice_scale(
    low: Decimal, high: Decimal, *, ticks: int = TICKS
) -> tuple[Decimal, Decimal, Decimal]:
    """(bottom, top, step): a range covering low to high whose ticks fall on
    round numbers (1, 2, 2.5 or 5 times a power of ten). A range of nothing
    (every figure the same) is widened, so nothing is divided by zero."""
    low, high = min(low, high), max(low, high)
    if low == high:
        pad = max(abs(low) / 10, Decimal(1))
        low, high = low - pad, high + pad
    raw = (high - low) / (ticks - 1)
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(magnitude * m for m in (1, 2, Decimal("2.5"), 5, 10) if magnitude * m >= raw)
    bottom = (low / step).to_integral_value(ROUND_FLOOR) * step
    top = (high / step).to_integral_value(ROUND_CEILING) * step
    return bottom, top, step


def amber_band(target: Decimal, tolerance: Decimal, direction: str) -> tuple[Decimal, Decimal]:
    """The figures still rated amber: short of the target by no more than
    the tolerance, below it when higher is better, above it when lower is."""
    if direction == LOWER:
        return target, target + tolerance
    return target - tolerance, target


def chart_geometry(
    values: Sequence[Decimal | None],
    *,
    target: Decimal,
    tolerance: Decimal = Decimal(0),
    direction: str = HIGHER,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Geometry:
    """Where everything goes on a chart of `values`, one a period, oldest
    first, None where the period was not reported."""
    plot = Box(MARGIN_LEFT, MARGIN_TOP, width - MARGIN_RIGHT, height - MARGIN_BOTTOM)
    tolerance = abs(tolerance)
    band = amber_band(target, tolerance, direction) if tolerance else None
    reported = [v for v in values if v is not None]
    bottom, top, step = nice_scale(
        min([target, *reported, *(band or ())]), max([target, *reported, *(band or ())])
    )
    # Pixels need no more than a float; the subtraction stays exact so a
    # range of a penny on a billion is not lost to rounding.
    scale = plot.height / float(top - bottom)
    base = plot.bottom

    # Whole pixels: finer than a point's radius, and quicker to print.
    def y_of(value: Decimal) -> int:
        return round(base - float(value - bottom) * scale)

    # Each period gets an equal slot with its point in the middle, so one
    # period, or twenty-eight, never divide by zero and never touch the axes.
    slot = plot.width / len(values) if values else plot.width
    left = plot.left
    points = tuple(
        Point(i, round(left + (i + 0.5) * slot), None if v is None else y_of(v), v)
        for i, v in enumerate(values)
    )
    runs, run = [], []
    for point in points:
        if point.y is None:
            if run:
                runs.append(tuple(run))
            run = []
        else:
            run.append(point)
    if run:
        runs.append(tuple(run))

    ticks = []
    value = bottom
    while value <= top:
        ticks.append(Tick(value, y_of(value)))
        value += step

    # Every k-th period counting back from the latest, which is always labelled.
    every = -(-len(values) // MAX_PERIOD_LABELS) or 1
    labelled = tuple(i for i in range(len(values)) if (len(values) - 1 - i) % every == 0)
    return Geometry(
        width=width,
        height=height,
        plot=plot,
        bottom=bottom,
        top=top,
        ticks=tuple(ticks),
        points=points,
        runs=tuple(runs),
        target_y=y_of(target),
        band=(y_of(band[1]), y_of(band[0])) if band else None,
        labelled=labelled,
    )


def format_number(value: Decimal) -> str:
    """92.50 as 92.5, 1200 as 1,200: figures as people write them."""
    if value == 0:
        return "0"
    return f"{value.normalize():,f}"


def measure_formatter(unit: str):
    """A function writing a KPI's figures in its unit: "92.5%", "£1,234.50",
    "12 people", or "Not reported" for none. Made once for a KPI's hundreds
    of figures."""
    unit = unit.strip()

    def number(value):
        return "0" if value == 0 else f"{value.normalize():,f}"

    if unit == "%":
        return lambda v: "Not reported" if v is None else f"{number(v)}%"
    if unit == "£":
        return lambda v: "Not reported" if v is None else f"£{v:,.2f}"
    suffix = f" {unit}" if unit else ""
    return lambda v: "Not reported" if v is None else f"{number(v)}{suffix}"


def format_measure(value: Decimal | None, unit: str) -> str:
    return measure_formatter(unit)(value)


def period_label(start: date, end: date) -> str:
    """ "April to June 2025", "January 2026", "April 2025 to March 2026"."""
    if (start.year, start.month) == (end.year, end.month):
        return f"{end:%B %Y}"
    if start.year == end.year:
        return f"{start:%B} to {end:%B %Y}"
    return f"{start:%B %Y} to {end:%B %Y}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_period_label(end: date) -> str:
    """Under the axis, a period by the month it ends ("Jun 2025"; not
    strftime, which follows the server's locale)."""
    return f"{MONTHS[end.month - 1]} {end.year}"


def _text(x, y, content: str, anchor: str = "middle", extra: str = "") -> str:
    return f'<text x="{x}" y="{y}" text-anchor="{anchor}"{extra}>{escape(content)}</text>'


def chart_svg(
    geometry: Geometry,
    *,
    chart_id: str,
    title: str,
    description: str,
    unit: str,
    point_labels: Sequence[str],
    period_ends: Sequence[date],
) -> str:
    """The chart's markup. `point_labels` say each period and its figure in
    words (the point's tooltip); `period_ends` give the labels under the axis."""
    g, plot = geometry, geometry.plot
    left, right = plot.left, plot.right
    chart_id = escape(chart_id)
    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" width="100%" '
        f'viewBox="0 0 {g.width} {g.height}" xmlns="http://www.w3.org/2000/svg" '
        f'focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    ]
    if g.band:
        band_top, band_bottom = g.band
        parts.append(
            f'<rect x="{left}" y="{band_top}" width="{plot.width}" '
            f'height="{band_bottom - band_top}" fill="{BAND}"></rect>'
        )
    parts.append(f'<g stroke="{GRID}" stroke-width="1">')
    parts.extend(
        f'<line x1="{left}" y1="{tick.y}" x2="{right}" y2="{tick.y}"></line>' for tick in g.ticks
    )
    parts.append(
        f'</g><line x1="{left}" y1="{plot.bottom}" x2="{right}" y2="{plot.bottom}" '
        f'stroke="{TEXT}" stroke-width="1"></line>'
        f'<line x1="{left}" y1="{g.target_y}" x2="{right}" y2="{g.target_y}" '
        f'stroke="{TEXT}" stroke-width="2" stroke-dasharray="6 4"></line>'
    )
    for run in g.runs:
        if len(run) > 1:
            line = " ".join([f"{p.x},{p.y}" for p in run])
            parts.append(
                f'<polyline points="{line}" fill="none" stroke="{LINE}" '
                f'stroke-width="2"></polyline>'
            )
    parts.extend(
        f'<circle cx="{p.x}" cy="{p.y}" r="4" fill="{LINE}">'
        f"<title>{escape(point_labels[p.index])}</title></circle>"
        for p in g.points
        if p.y is not None
    )
    # Text inherits its font and colour from the group: no CSS needed.
    parts.append(f'<g font-size="12" {FONT} fill="{TEXT}">')
    parts.extend(_text(left - 6, tick.y + 4, format_number(tick.value), "end") for tick in g.ticks)
    parts.append(_text(right, g.target_y - 5, "Target", "end"))
    axis_y = plot.bottom + 18
    parts.extend(
        _text(g.points[i].x, axis_y, short_period_label(period_ends[i])) for i in g.labelled
    )
    middle = plot.top + plot.height // 2
    parts.append(_text(left + plot.width // 2, g.height - 8, "Period (by the month it ends)"))
    parts.append(
        _text(
            14,
            middle,
            f"Actual ({unit.strip()})" if unit.strip() else "Actual",
            extra=f' transform="rotate(-90 14 {middle})"',
        )
    )
    parts.append("</g></svg>")
    return "".join(parts)


def chart_description(
    values: Sequence[Decimal | None],
    *,
    target: Decimal,
    tolerance: Decimal,
    direction: str,
    unit: str,
    period_labels: Sequence[str],
) -> str:
    """The chart in words, for screen readers and anyone who cannot see it."""
    measure = lambda v: format_measure(v, unit)  # noqa: E731
    better = "lower is better" if direction == LOWER else "higher is better"
    words = [f"Target {measure(target)}, {better}."]
    if tolerance:
        low, high = amber_band(target, abs(tolerance), direction)
        words.append(f"Amber from {measure(low)} to {measure(high)}.")
    if not values:
        words.append("No periods reported yet.")
        return " ".join(words)
    missing = sum(v is None for v in values)
    plural = "s" if len(values) != 1 else ""
    words.append(
        f"{len(values)} period{plural}: {len(values) - missing} reported, {missing} not reported."
    )
    if len(values) > 1:
        words.append(f"First: {period_labels[0]}.")
    words.append(f"Latest: {period_labels[-1]}, {measure(values[-1])}.")
    words.append("The figures are in the table below the chart.")
    return " ".join(words)
