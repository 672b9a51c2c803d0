"""Demo accounts and organisations, loaded by `manage.py load_demo_data`,
and the clock the other apps' demo data is recorded by."""

from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from core.models import Organisation, User
from core.roles import Role
from core.services import user_create

DEMO_PASSWORD = "demo-password-not-for-production"  # noqa: S105 - printed for the demo

# Organisations named in the council papers in ../shared/seeds.
ORGANISATIONS = [
    (
        "Sefton Council",
        Organisation.Kind.COUNCIL,
        "Supported living PDPS (Cabinet, 7 November 2019).",
    ),
    (
        "NHS Cheshire and Merseyside Integrated Care Board",
        Organisation.Kind.HEALTH_PARTNER,
        "Joint commissioning of supported living with Sefton (Cabinet, 3 April 2025).",
    ),
    ("Islington Council", Organisation.Kind.COUNCIL, "LD accommodation and support DPS."),
    (
        "Liverpool City Region",
        Organisation.Kind.PARTNERSHIP,
        "LCR framework for people with complex support needs.",
    ),
]

USERS = [
    (
        "commissioning.officer",
        "Lisa",
        "Lopez",
        "Commissioning Manager",
        Role.COMMISSIONING_OFFICER,
        None,
    ),
    ("procurement.officer", "Priya", "Shah", "Procurement Officer", Role.PROCUREMENT_OFFICER, None),
    ("evaluator", "Evan", "Jones", "Care Manager", Role.EVALUATOR, None),
    (
        "approving.manager",
        "Amira",
        "Hassan",
        "Provider Performance and Development Manager",
        Role.APPROVING_MANAGER,
        Decimal("500000.00"),
    ),
    ("finance.officer", "Femi", "Adeyemi", "Finance Business Partner", Role.FINANCE_OFFICER, None),
    ("administrator", "Alex", "Morgan", "Systems Administrator", Role.ADMINISTRATOR, None),
    ("auditor", "Aled", "Price", "Internal Auditor", Role.AUDITOR, None),
]


# Decisions in the demo are recorded in the middle of their day's morning.
RECORDED_AT = time(10)


@contextmanager
def recorded_on(day: date, at: time = RECORDED_AT):
    """Record what is done inside as done on `day`: the history entries,
    decision times and "added" times the services write all read the
    clock, so an extension the papers' story approved years ago shows that
    day, not the day the demo was loaded (decision 33). The history is
    append-only (decision 12), so it cannot be corrected afterwards.

    Only for the demo: it stops the clock for the whole process, which a
    management command run alone can afford and a web server cannot."""
    moment = datetime.combine(day, at, tzinfo=timezone.get_current_timezone())
    with mock.patch.object(timezone, "now", lambda: moment):
        yield moment


def load(stdout) -> None:
    for name, kind, notes in ORGANISATIONS:
        Organisation.objects.update_or_create(name=name, defaults={"kind": kind, "notes": notes})
    stdout.write(f"  {len(ORGANISATIONS)} organisations")

    for username, first, last, title, role, limit in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user_create(
                username=username,
                email=f"{username}@example.gov.uk",
                password=DEMO_PASSWORD,
                role=role,
                first_name=first,
                last_name=last,
                job_title=title,
                delegated_authority_limit=limit,
            )
    stdout.write(f"  {len(USERS)} users, one per role, each with the password: {DEMO_PASSWORD}")
    for username, *_, role, limit in USERS:
        extra = f" (delegated authority £{limit:,.0f})" if limit else ""
        stdout.write(f"    {username:<24} {role.label}{extra}")
