from django import template

from contracts.selectors_changes import contract_changes_summary

register = template.Library()


@register.simple_tag
def changes_summary(contract):
    """The contract's changes and their cumulative effect (one query), for
    the contract page's "Contract changes" section."""
    return contract_changes_summary(contract)


@register.filter
def signed_money(amount):
    """+£1,234.56 or -£1,234.56."""
    sign = "-" if amount < 0 else "+"
    return f"{sign}£{abs(amount):,.2f}"


@register.filter
def signed_percent(percent):
    if percent is None:
        return "not applicable (award value £0)"
    sign = "-" if percent < 0 else "+"
    return f"{sign}{abs(percent):.2f}%"
