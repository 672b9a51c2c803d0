from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from performance import charts, ratings
from performance.constants import Direction

register = template.Library()


@register.filter
def kpi_rating_tag(rating):
    """A GOV.UK tag for a KPI's rating; nothing for a rating not yet given."""
    if not rating:
        return ""
    colour = ratings.KPI_RATING_TAG_COLOURS[rating]
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        colour,
        ratings.kpi_rating_label(rating),
    )


@register.filter
def pa_rating_tag(rating):
    """A GOV.UK tag for an overall rating on the Procurement Act scale."""
    if not rating:
        return ""
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        ratings.PA_TAG_COLOURS[rating],
        ratings.pa_rating_label(rating),
    )


@register.simple_tag
def kpi_chart(series):
    """One KPI over time, drawn on the server (performance.charts)."""
    kpi = series.kpi
    periods = series.periods
    svg = _chart(
        kpi.pk,
        kpi.name,
        kpi.unit,
        kpi.target,
        kpi.tolerance,
        kpi.direction,
        tuple((p.actual, p.label, p.actual_display, p.end) for p in periods),
    )
    # chart_svg escapes every piece of text it is given.
    return mark_safe(svg)  # noqa: S308  # nosec B308, B703


@register.filter
def direction_label(direction: str) -> str:
    return Direction(direction).label.lower()


# The chart is a pure function of these arguments, and a contract's figures
# change once a quarter while its page is read every day by many people:
# each process keeps the last few hundred charts it drew.
@lru_cache(maxsize=512)
def _chart(pk, name, unit, target, tolerance, direction, periods) -> str:
    values = [actual for actual, _, _, _ in periods]
    labels = [label for _, label, _, _ in periods]
    return charts.chart_svg(
        charts.chart_geometry(values, target=target, tolerance=tolerance, direction=direction),
        chart_id=f"kpi-{pk}-chart",
        title=f"{name}: the actual each period against the target",
        description=charts.chart_description(
            values,
            target=target,
            tolerance=tolerance,
            direction=direction,
            unit=unit,
            period_labels=labels,
        ),
        unit=unit,
        point_labels=[f"{label}: {shown}" for _, label, shown, _ in periods],
        period_ends=[end for _, _, _, end in periods],
    )
