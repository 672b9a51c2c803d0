"""Demo accounts and organisations, loaded by `manage.py load_demo_data`."""

from decimal import Decimal

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
