from django import template
from django.utils.html import format_html

from performance import ratings

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
