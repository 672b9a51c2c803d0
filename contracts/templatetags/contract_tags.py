from django import template
from django.utils.html import format_html

from contracts.constants import ContractStatus

register = template.Library()

TAG_COLOURS = {
    ContractStatus.DRAFT: "yellow",
    ContractStatus.LIVE: "green",
    ContractStatus.IN_EXTENSION: "turquoise",
    ContractStatus.ENDING: "orange",
    ContractStatus.EXPIRED: "grey",
    ContractStatus.TERMINATED: "red",
}


@register.filter
def status_tag(status):
    """A contract status as a GOV.UK tag, its colour by status."""
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        TAG_COLOURS[status],
        ContractStatus(status).label,
    )
