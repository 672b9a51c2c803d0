"""UK organisation identifiers, checked and put in one standard form.

Plain Python: no Django import, so the rules are tested directly.
"""

import re


class InvalidIdentifier(ValueError):
    """The text is not a valid identifier; the message says what to enter."""


_COMPANIES_HOUSE = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6}|R\d{7})$")
# England and Wales charities are 6 or 7 digits, with an optional "-N" for a
# linked charity; Scottish ones SC plus 6 digits; Northern Irish NIC plus 6.
_CHARITY = re.compile(r"^(?:\d{6,7}(?:-\d{1,2})?|SC\d{6}|NIC\d{6})$")
# CQC provider and location IDs: "1-" then digits (e.g. 1-101634421).
_CQC = re.compile(r"^1-\d{6,12}$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$")


def _squash(text: str) -> str:
    return "".join(text.split()).upper()


def companies_house_number(text: str) -> str:
    """8 characters: 8 digits (01068186), or a 2-letter register prefix and
    6 digits (SC123456, NI123456, OC301234), or R and 7 digits (old NI)."""
    value = _squash(text)
    if not _COMPANIES_HOUSE.match(value):
        raise InvalidIdentifier(
            "Enter a Companies House number of 8 characters, like 01068186 or SC123456"
        )
    return value


def charity_number(text: str) -> str:
    value = _squash(text)
    if not _CHARITY.match(value):
        raise InvalidIdentifier(
            "Enter a charity number like 1123456, 1123456-1, SC012345 or NIC100002"
        )
    return value


def cqc_provider_id(text: str) -> str:
    value = _squash(text)
    if not _CQC.match(value):
        raise InvalidIdentifier("Enter a CQC provider ID like 1-101634421")
    return value


def postcode(text: str) -> str:
    match = _POSTCODE.match(_squash(text))
    if not match:
        raise InvalidIdentifier("Enter a real postcode, like L20 7AE")
    return f"{match.group(1)} {match.group(2)}"
