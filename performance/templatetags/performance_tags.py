from functools import lru_cache

from django import template
from django.utils.html import format_html, format_html_join
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


# The contract page's performance section is the most read part of the
# service, and a contract five years in has twenty KPIs: its two per-KPI
# passages below are written here, in Python, where each costs a fraction
# of the dozen template lookups it would take (benchmarks/contract_page.py).


def kpi_description(series) -> str:
    """ "Share of people reviewed on time. Target 90%, higher is better, amber
    from 85% to 90%; quarterly. One of the contract's most material KPIs." """
    kpi = series.kpi
    amber = series.amber_display
    return "".join(
        (
            f"{kpi.measure}. Target {series.target_display}, {direction_label(kpi.direction)}",
            f", amber from {amber}" if amber else "",
            f"; {kpi.get_frequency_display().lower()}.",
            " One of the contract's most material KPIs." if kpi.most_material else "",
        )
    )


# Constant markup, no data in it.
_NO_RETURNS_CELLS = mark_safe(  # nosec B308, B703
    '<td class="govuk-table__cell govuk-table__cell--numeric">No returns yet</td>'
    '<td class="govuk-table__cell"></td>'
)


def _latest_cells(latest) -> str:
    if latest is None:
        return _NO_RETURNS_CELLS
    if latest.rating_colour:
        rating = format_html(
            '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
            latest.rating_colour,
            latest.rating_label,
        )
    else:
        rating = latest.rating_label
    return format_html(
        '<td class="govuk-table__cell govuk-table__cell--numeric">{}<br>'
        '<span class="govuk-body-s">{}</span></td><td class="govuk-table__cell">{}</td>',
        latest.actual_display,
        latest.label,
        rating,
    )


@register.simple_tag
def kpi_latest_rows(kpis):
    """The rows of the "latest period" table: each KPI (a link to its chart),
    its target, its latest actual and that period's rating."""
    return format_html_join(
        "\n",
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
        '<a class="govuk-link" href="#kpi-{}">{}</a>{}</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>{}</tr>',
        (
            (
                series.kpi.pk,
                series.kpi.name,
                " (retired)" if series.kpi.retired_on else "",
                series.target_display,
                _latest_cells(series.latest),
            )
            for series in kpis
        ),
    )


_CAPTION = (
    "Blue points: the actual each period, a gap where it was not reported. Dashed line: the target."
)
_AMBER_CAPTION = " Yellow band: amber, within tolerance of the target."


@register.simple_tag
def kpi_heading_and_chart(series):
    """A KPI's heading, what it measures, and its chart with a caption (or
    "No returns yet"); its figures table follows in the template."""
    kpi = series.kpi
    retired = f" (retired {kpi.retired_on:%-d %B %Y})" if kpi.retired_on else ""
    heading = format_html(
        '<h3 class="govuk-heading-s" id="kpi-{}">{}{}</h3>\n<p class="govuk-body-s">{}</p>',
        kpi.pk,
        kpi.name,
        retired,
        kpi_description(series),
    )
    if not series.periods:
        return format_html('{}\n<p class="govuk-body">No returns yet.</p>', heading)
    return format_html(
        '{}\n<figure class="app-chart">\n  {}\n  <figcaption class="govuk-body-s">{}{}'
        "</figcaption>\n</figure>",
        heading,
        kpi_chart(series),
        _CAPTION,
        _AMBER_CAPTION if kpi.tolerance else "",
    )
