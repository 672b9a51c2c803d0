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
