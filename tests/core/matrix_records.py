"""The records the permission matrix's pages are seen with: one of every
kind its URLs take (tests/core/test_permission_matrix.py), shared with the
tests that visit the same pages (tests/core/matrix_visits.py)."""

from datetime import date

from contracts import services
from core.roles import Role
from tests.factories import ContractFactory, DocumentFactory, ProviderContactFactory

# The day the matrix's records are made and its pages are seen.
MATRIX_DAY = "2026-01-15 09:00 +00:00"


def matrix_objects():
    """One record of every kind the matrix's URLs take, by kind: the pk (or
    token) to put in each URL. The reflow and caption tests visit the same
    pages with the same records (tests/core/matrix_visits.py)."""
    contact = ProviderContactFactory(provider__legal_name="Secret Care Homes Ltd")
    contract = ContractFactory(provider=contact.provider, title="Secret Supported Living")
    other = ContractFactory(provider=contact.provider, title="Secret Home Care")
    extension = services.extension_request_raise(
        contract=contract, by=None, options_requested=1, justification="Performing well"
    )
    from contracts.services.changes import change_raise

    change = change_raise(
        contract=other,
        by=None,
        reason="price_review",
        explanation="Secret price review",
        effective_from=date(2026, 4, 1),
        new_annual_value=other.annual_value + 1000,
    )
    procurement = _procurement_objects(contact.provider)
    return {
        "change": change.pk,
        **procurement,
        **_performance_objects(contract),
        **_failure_objects(contract),
        **_finance_objects(contact.provider),
        "register_upload": _register_upload(),
        "provider": contact.provider.pk,
        "contact": contact.pk,
        "contract": contract.pk,
        "other_contract": other.pk,
        "extension": extension.pk,
        "contract_document": DocumentFactory(contract=contract, title="Secret letter").pk,
        "csv": "csv",
    }


def _procurement_objects(provider):
    """A PDPS with the provider admitted, a mini-competition past its
    deadline and under evaluation with one bid, an evaluator, and an
    advertised care package past its deadline with one bid."""
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from procurement.services import call_offs, evaluation, packages, systems
    from tests.factories import UserFactory

    system = systems.system_create(
        by=None,
        reference="PDPS-1",
        name="Secret Supported Living PDPS",
        kind="pdps",
        service_area="supported_living",
        starts_on=date(2025, 9, 1),
        ends_on=date(2030, 8, 31),
    )
    systems.window_open(
        system=system, by=None, opens_on=date(2025, 9, 1), closes_on=date(2026, 3, 31)
    )
    question = systems.question_add(system=system, by=None, text="CQC registration")
    lot = systems.lot_add(system=system, by=None, name="Supported living")
    application = systems.application_record(
        system=system,
        by=None,
        provider=provider,
        lots=[lot],
        received_on=date(2025, 10, 1),
        answers={question: (True, "Registered")},
    )
    admission = systems.admission_decide(
        admission=application.admissions.get(), by=None, status="admitted"
    )
    call_off = call_offs.call_off_create(
        lot=lot,
        by=None,
        route="mini_competition",
        reference="CO-1",
        title="Secret scheme",
        start_date=date(2026, 4, 1),
        annual_value=Decimal("100000.00"),
        bid_deadline=datetime(2026, 1, 10, 12, tzinfo=UTC),
    )
    for name, weight, kind in (("Quality", 95, "quality"), ("Social value", 5, "social_value")):
        call_offs.criterion_add(
            call_off=call_off, by=None, name=name, weight=Decimal(weight), kind=kind
        )
    [invitation] = call_offs.call_off_open(
        call_off=call_off, by=None, now=datetime(2026, 1, 1, tzinfo=UTC)
    )
    criteria = {c.pk: "Secret answer" for c in call_off.criteria.all()}
    from django.core.files.uploadedfile import SimpleUploadedFile

    bid = call_offs.bid_submit(
        invitation=invitation,
        answers=criteria,
        now=datetime(2026, 1, 5, tzinfo=UTC),
        documents=[SimpleUploadedFile("plan.pdf", b"%PDF-1.4 Secret plan")],
    )
    call_offs.evaluation_start(call_off=call_off, by=None)
    assignment = evaluation.evaluator_assign(
        call_off=call_off, by=None, evaluator=UserFactory(role=Role.EVALUATOR)
    )
    package = packages.package_advertise(
        lot=lot,
        by=None,
        reference="PKG-1",
        kind="individual",
        outcomes="Secret outcomes",
        weekly_budget=Decimal("500.00"),
        start_date=date(2026, 3, 1),
        # Past its deadline, so the panel's pages open (before it they are
        # refused to everyone: tests/procurement/test_sealed_bids.py).
        bid_deadline=datetime(2026, 1, 14, 12, tzinfo=UTC),
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )
    package_bid = packages.package_bid_record(
        package=package,
        by=None,
        provider=provider,
        proposal="Secret proposal",
        weekly_price=Decimal("480.00"),
        received_at=datetime(2026, 1, 13, tzinfo=UTC),
    )
    return {
        "system": system.pk,
        "lot": lot.pk,
        "application": application.pk,
        "admission": admission.pk,
        "call_off": call_off.pk,
        "criterion": call_off.criteria.first().pk,
        "bid": bid.pk,
        "assignment": assignment.pk,
        "package": package.pk,
        "package_bid": package_bid.pk,
        "token": invitation.token,
        "document": bid.documents.get().pk,
    }


def _performance_objects(contract):
    """A KPI, a return recorded and waiting for its review, and a return the
    contract's calendar made that is due."""
    from performance.models import MonitoringReturn
    from tests.performance.helpers import Q1, Q2, add_kpi, record

    kpi = add_kpi(contract)
    submitted = record(contract, period=Q1, today=date(2026, 1, 15))
    due = MonitoringReturn.objects.create(
        contract=contract, period_start=Q2[0], period_end=Q2[1], due_date=date(2025, 10, 30)
    )
    return {"kpi": kpi.pk, "due_return": due.pk, "monitoring_return": submitted.pk}


def _failure_objects(contract):
    """A performance failure and an open improvement plan on the contract."""
    from performance.services import failures, improvement
    from tests.factories import UserFactory

    officer = UserFactory(role=Role.COMMISSIONING_OFFICER)
    failure = failures.failure_record(
        contract=contract,
        by=officer,
        obligation="Secret obligation",
        what_happened="Secret failure",
        impact="Secret impact",
        started_on=date(2025, 10, 1),
        is_ongoing=True,
    )
    plan = improvement.improvement_plan_warn(
        contract=contract,
        by=officer,
        warned_on=date(2026, 1, 5),
        must_improve="Secret improvement",
        improve_by=date(2026, 3, 31),
    )
    return {"failure": failure.pk, "improvement_plan": plan.pk}


def _register_upload():
    """Another officer's register file, previewed and waiting to be confirmed."""
    from contracts.models import RegisterUpload
    from tests.factories import UserFactory

    return RegisterUpload.objects.create(
        uploaded_by=UserFactory(role=Role.COMMISSIONING_OFFICER),
        filename="secret-register.csv",
        sha256="0" * 64,
        text="reference\n",
        preview={"created": 1, "updated": 0, "unchanged": 0, "providers_created": 0},
    ).pk


def _finance_objects(provider):
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from finance.models import CabinetReport, Recommissioning, Resident, Scheme
    from tests.factories import UserFactory

    recommissioning = Recommissioning.objects.create(
        slug="secret-recommissioning",
        title="Secret Supported Living recommissioning",
        start_date=date(2019, 7, 1),
        term="3+2+2",
    )
    scheme = Scheme.objects.create(
        reference="SCH-1",
        name="Secret scheme",
        provider=provider,
        core_support_weekly=Decimal("1000.00"),
    )
    resident = Resident.objects.create(
        scheme=scheme, reference="SCH-1-R1", weekly_budget=Decimal("500.00")
    )
    report = CabinetReport.objects.create(
        requested_by=UserFactory(), title="Secret Supported Living report", status="done"
    )
    report.file.save("report.pdf", ContentFile(b"%PDF-1.4"), save=True)
    from finance.models import BudgetLine

    budget_line = BudgetLine.objects.create(
        financial_year=2025, service_area="supported_living", amount=Decimal("1000.00")
    )
    return {
        "budget_line": budget_line.pk,
        "recommissioning": recommissioning.slug,
        "scheme": scheme.pk,
        "resident": resident.pk,
        "report": report.pk,
    }
