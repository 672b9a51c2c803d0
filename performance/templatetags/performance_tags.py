from django import template
from django.utils.safestring import mark_safe

from performance import charts
from performance.constants import Direction, PerformanceRating

register = template.Library()

# Tag colours on the Procurement Act's scale, from good to bad; GOV.UK's tag
# colours keep their text at 4.5:1 or more against the tint.
RATING_COLOURS = {
    PerformanceRating.GOOD: "green",
    PerformanceRating.APPROACHING_TARGET: "yellow",
    PerformanceRating.REQUIRES_IMPROVEMENT: "orange",
    PerformanceRating.INADEQUATE: "red",
    PerformanceRating.OTHER: "grey",
}


@register.filter
def performance_colour(rating: str) -> str:
    return RATING_COLOURS.get(rating, "grey")


@register.simple_tag
def kpi_chart(series):
    """One KPI over time, drawn on the server (performance.charts)."""
    kpi = series.kpi
    values = [p.actual for p in series.periods]
    labels = [p.label for p in series.periods]
    geometry = charts.chart_geometry(
        values, target=kpi.target, tolerance=kpi.tolerance, direction=kpi.direction
    )
    svg = charts.chart_svg(
        geometry,
        chart_id=f"kpi-{kpi.pk}-chart",
        title=f"{kpi.name}: the actual each period against the target",
        description=charts.chart_description(
            values,
            target=kpi.target,
            tolerance=kpi.tolerance,
            direction=kpi.direction,
            unit=kpi.unit,
            period_labels=labels,
        ),
        unit=kpi.unit,
        point_labels=[f"{p.label}: {p.actual_display}" for p in series.periods],
        period_ends=[p.end for p in series.periods],
    )
    # chart_svg escapes every piece of text it is given.
    return mark_safe(svg)  # noqa: S308  # nosec B308, B703


@register.filter
def direction_label(direction: str) -> str:
    return Direction(direction).label.lower()
