"""Fixtures for the failure and improvement plan tests, imported by their
modules (not a conftest, which the KPI tests beside them may also want)."""

from datetime import date

import pytest

from core.roles import Role
from performance.services import failures, improvement
from tests.factories import ContractFactory

TODAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-01-15 09:00 +00:00")
    return TODAY


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER, first_name="Lisa", last_name="Lopez")


@pytest.fixture
def contract(db):
    return ContractFactory(start_date=date(2024, 4, 1), term="3+1+1")


FAILURE = {
    "obligation": "Specification 4.2: support plans reviewed every six months",
    "what_happened": "Five plans not reviewed for nine months",
    "impact": "Two tenants' support no longer matched their needs",
    "started_on": date(2025, 10, 1),
    "ended_on": None,
    "is_ongoing": True,
    "provider_mitigation": "",
    "warning_notices": "",
    "outcome": "pending",
    "damages_amount": None,
    "outcome_notes": "",
}


def failure_fields(**changes) -> dict:
    return {**FAILURE, **changes}


def post_data(**changes) -> dict:
    """The failure form as a browser posts it."""
    fields = failure_fields(**changes)
    data = {}
    for name, value in fields.items():
        if name in ("started_on", "ended_on"):
            for i, part in enumerate(("day", "month", "year")):
                data[f"{name}_{i}"] = "" if value is None else str(getattr(value, part))
        elif name == "is_ongoing":
            data[name] = {True: "yes", False: "no"}.get(value, value)
        else:
            data[name] = "" if value is None else str(value)
    return data


@pytest.fixture
def record(contract, officer):
    def make(**changes):
        return failures.failure_record(contract=contract, by=officer, **failure_fields(**changes))

    return make


@pytest.fixture
def warn(contract, officer):
    def make(**changes):
        fields = {
            "warned_on": date(2026, 1, 5),
            "must_improve": "Every support plan reviewed every six months",
            "improve_by": date(2026, 3, 31),
            **changes,
        }
        return improvement.improvement_plan_warn(contract=contract, by=officer, **fields)

    return make
