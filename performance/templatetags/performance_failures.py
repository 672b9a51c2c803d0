from django import template
from django.utils.html import format_html

from performance import selectors_failures

register = template.Library()

PLAN_TAGS = {
    "open": ("blue", "Improvement plan open"),
    "overdue": ("red", "Improvement plan overdue"),
    "met": ("green", "Improvement made"),
    "not_met": ("orange", "Improvement not made"),
}


@register.simple_tag
def contract_failures_summary(contract, performance=None):
    """For the contract page's card, which is included without its view
    knowing (performance/selectors_failures.py: a fixed number of queries)."""
    if performance:  # the contract page's performance section read the plan
        return selectors_failures.failures_summary(contract, plan=performance.latest_plan)
    return selectors_failures.failures_summary(contract)


@register.filter
def plan_state_tag(plan):
    """An improvement plan's state as a GOV.UK tag: overdue once its
    improve-by date has passed while it is still open."""
    colour, label = PLAN_TAGS[plan.state]
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)


@register.filter
def failure_tag(failure):
    colour, label = ("red", "Ongoing") if failure.is_ongoing else ("grey", "Ended")
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)
