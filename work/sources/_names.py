"""Small helpers the sources share."""

from contracts.constants import ServiceArea


def area_label(value: str) -> str:
    try:
        return ServiceArea(value).label
    except ValueError:
        return value


def person(first: str | None, last: str | None, username: str | None) -> str:
    return f"{first or ''} {last or ''}".strip() or (username or "Nobody")


def money(value) -> str:
    return f"£{value:,.0f}" if value == int(value) else f"£{value:,.2f}"
