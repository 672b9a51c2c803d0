"""Every page, every role: the status each must get.

A new URL without an entry in MATRIX fails test_every_page_is_in_the_matrix,
so nobody can add a page without deciding who may see it.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from contracts import services
from core.roles import Role
from tests.conftest import ALL_ROLES
from tests.factories import ContractFactory, DocumentFactory, ProviderContactFactory

CO, PO, EV, AM, FO, AD, AU = (
    Role.COMMISSIONING_OFFICER,
    Role.PROCUREMENT_OFFICER,
    Role.EVALUATOR,
    Role.APPROVING_MANAGER,
    Role.FINANCE_OFFICER,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
)
EVERY_ROLE = set(Role)
REGISTER_VIEWERS = {CO, PO, AM, FO, AD, AU}
PROVIDER_EDITORS = {CO, PO, AD}
CONTRACT_CREATORS = {CO, PO, AD}
CONTRACT_MANAGERS = {CO, AD}
EXTENSION_DECIDERS = {AM, AD}

LOGIN = "login"  # redirected to the sign-in page
OBJECT_KINDS = (
    "provider",
    "contact",
    "contract",
    "other_contract",
    "extension",
    "change",
    "system",
    "lot",
    "application",
    "admission",
    "call_off",
    "criterion",
    "bid",
    "assignment",
    "package",
    "package_bid",
    "kpi",
    "due_return",
    "monitoring_return",
    "contract_document",
    "failure",
    "improvement_plan",
    "budget_line",
    "register_upload",
)
PROCUREMENT_VIEWERS = {CO, PO, AM, FO, AD, AU}
PROCUREMENT_MANAGERS = {PO, AD}
SCORERS = {CO, PO, EV, AD}
RESULT_APPROVERS = {AM, AD}
FINANCE_VIEWERS = {CO, PO, AM, FO, AD, AU}
FINANCE_EXPORTERS = {FO, AD}
RENEGOTIATORS = {CO, FO, AD}
PERFORMANCE_MANAGERS = {CO, AD}


@dataclass(frozen=True)
class Page:
    allowed: set
    method: str = "get"
    ok: int = 200
    denied: int = 403
    anonymous: object = LOGIN
    args: tuple = field(default=())
    # For pages that change data: the status an allowed role gets for an
    # empty POST (200: the form comes back with errors; 302: done).
    post_ok: int | None = None

    def expected(self, role):
        if role is None:
            return self.anonymous
        return self.ok if role in self.allowed else self.denied


PUBLIC = Page(allowed=EVERY_ROLE, anonymous=200)

MATRIX = {
    # Your work (work.views.QueueView): everyone has a queue; ?view=team is
    # tested below for every role too.
    "home": Page(allowed=EVERY_ROLE),
    "accessibility": PUBLIC,
    "cookies": PUBLIC,
    "healthz": PUBLIC,
    # A signed-in user is sent on from the sign-in page.
    "login": Page(allowed=set(), denied=302, anonymous=200),
    "logout": Page(allowed=EVERY_ROLE, method="post", ok=302),
    # The timeout warning's: asking how long is left, and staying signed in;
    # a script asks, so signed out is 401, not the sign-in page.
    "session_status": Page(allowed=EVERY_ROLE, anonymous=401),
    "session_keep_alive": Page(allowed=EVERY_ROLE, method="post", anonymous=401),
    # Where the warning signs people out; a signed-in user is sent back.
    "signed_out": Page(allowed=set(), denied=302, anonymous=200),
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": Page(allowed=EVERY_ROLE, anonymous=200, args=("MQ", "bad-token")),
    "password_reset_complete": PUBLIC,
    "password_change": Page(allowed=EVERY_ROLE),
    "password_change_done": Page(allowed=EVERY_ROLE),
    "providers:list": Page(allowed=REGISTER_VIEWERS),
    "providers:create": Page(allowed=PROVIDER_EDITORS, post_ok=200),
    "providers:detail": Page(allowed=REGISTER_VIEWERS, args=("provider",)),
    "providers:edit": Page(allowed=PROVIDER_EDITORS, args=("provider",), post_ok=200),
    "providers:history": Page(allowed=REGISTER_VIEWERS, args=("provider",)),
    "providers:contact_create": Page(allowed=PROVIDER_EDITORS, args=("provider",), post_ok=200),
    "providers:contact_edit": Page(
        allowed=PROVIDER_EDITORS, args=("provider", "contact"), post_ok=200
    ),
    "providers:contact_remove": Page(
        allowed=PROVIDER_EDITORS, args=("provider", "contact"), post_ok=302
    ),
    "contracts:list": Page(allowed=REGISTER_VIEWERS),
    "contracts:export": Page(allowed=REGISTER_VIEWERS, args=("csv",)),
    "contracts:create": Page(allowed=CONTRACT_CREATORS, post_ok=200),
    "contracts:decisions_due": Page(allowed=REGISTER_VIEWERS),
    "contracts:import": Page(allowed=CONTRACT_MANAGERS, post_ok=200),
    # Another officer's upload: "not found" even to those who may import.
    "contracts:import_preview": Page(
        allowed=CONTRACT_MANAGERS, ok=404, args=("register_upload",), post_ok=404
    ),
    "contracts:detail": Page(allowed=REGISTER_VIEWERS, args=("contract",)),
    "contracts:history": Page(allowed=REGISTER_VIEWERS, args=("contract",)),
    "contracts:edit": Page(allowed=CONTRACT_MANAGERS, args=("contract",), post_ok=200),
    "contracts:earlier_options": Page(allowed=CONTRACT_MANAGERS, args=("contract",), post_ok=200),
    "contracts:terminate": Page(allowed=CONTRACT_MANAGERS, args=("contract",), post_ok=200),
    "contracts:extension_request": Page(
        allowed=CONTRACT_MANAGERS, args=("other_contract",), post_ok=200
    ),
    "contracts:extension_decide": Page(
        allowed=EXTENSION_DECIDERS, args=("contract", "extension"), post_ok=200
    ),
    "contracts:extension_withdraw": Page(
        allowed=CONTRACT_MANAGERS, args=("contract", "extension"), post_ok=200
    ),
    "contracts:extension_authority": Page(
        allowed=EXTENSION_DECIDERS, args=("contract", "extension"), post_ok=200
    ),
    "performance:kpi_list": Page(allowed=REGISTER_VIEWERS, args=("contract",)),
    **{
        f"performance:{name}": Page(allowed=PERFORMANCE_MANAGERS, args=("contract",), post_ok=200)
        for name in ("kpi_templates", "kpi_add", "return_add")
    },
    **{
        f"performance:{name}": Page(
            allowed=PERFORMANCE_MANAGERS, args=("contract", "kpi"), post_ok=200
        )
        for name in ("kpi_edit", "kpi_remove")
    },
    "performance:return_record": Page(
        allowed=PERFORMANCE_MANAGERS, args=("contract", "due_return"), post_ok=200
    ),
    "performance:return_detail": Page(
        allowed=REGISTER_VIEWERS, args=("contract", "monitoring_return")
    ),
    "performance:return_review": Page(
        allowed=PERFORMANCE_MANAGERS, args=("contract", "monitoring_return"), post_ok=200
    ),
    "documents:list": Page(allowed=REGISTER_VIEWERS, args=("contract",)),
    "documents:add": Page(allowed=CONTRACT_MANAGERS, args=("contract",), post_ok=200),
    "documents:download": Page(allowed=REGISTER_VIEWERS, args=("contract", "contract_document")),
    "documents:withdraw": Page(
        allowed=CONTRACT_MANAGERS, args=("contract", "contract_document"), post_ok=200
    ),
    # And the contract's owner and its service area's managers
    # (tests/documents/test_download.py); the fixture's contract has neither.
    "documents:downloads": Page(allowed={AD, AU}, args=("contract",)),
    "contracts:change_raise": Page(
        allowed=CONTRACT_MANAGERS, args=("other_contract",), post_ok=200
    ),
    "contracts:change_list": Page(allowed=REGISTER_VIEWERS, args=("other_contract",)),
    "contracts:change_detail": Page(allowed=REGISTER_VIEWERS, args=("other_contract", "change")),
    "contracts:change_decide": Page(
        allowed=EXTENSION_DECIDERS, args=("other_contract", "change"), post_ok=200
    ),
    "contracts:change_authority": Page(
        allowed=EXTENSION_DECIDERS, args=("other_contract", "change"), post_ok=200
    ),
    "contracts:change_withdraw": Page(
        allowed=CONTRACT_MANAGERS, args=("other_contract", "change"), post_ok=200
    ),
    "procurement:system_list": Page(allowed=PROCUREMENT_VIEWERS),
    "procurement:system_create": Page(allowed=PROCUREMENT_MANAGERS, post_ok=200),
    "procurement:system_detail": Page(allowed=PROCUREMENT_VIEWERS, args=("system",)),
    **{
        f"procurement:{name}": Page(allowed=PROCUREMENT_MANAGERS, args=("system",), post_ok=200)
        for name in ("lot_create", "window_create", "question_create", "application_create")
    },
    "procurement:application_detail": Page(allowed=PROCUREMENT_VIEWERS, args=("application",)),
    "procurement:application_answers": Page(
        allowed=PROCUREMENT_MANAGERS, args=("application",), post_ok=200
    ),
    "procurement:admission_decide": Page(
        allowed=PROCUREMENT_MANAGERS, args=("admission",), post_ok=200
    ),
    "procurement:call_off_create": Page(allowed=PROCUREMENT_MANAGERS, args=("lot",), post_ok=200),
    "procurement:package_create": Page(allowed=PROCUREMENT_MANAGERS, args=("lot",), post_ok=200),
    "procurement:call_off_detail": Page(allowed=PROCUREMENT_VIEWERS, args=("call_off",)),
    # Empty POSTs: the form comes back with errors, or the service refuses
    # (the fixture's call-off is under evaluation) and says why.
    **{
        f"procurement:{name}": Page(allowed=PROCUREMENT_MANAGERS, args=("call_off",), post_ok=200)
        for name in (
            "criterion_create",
            "call_off_open",
            "clarification_create",
            "direct_award",
            "evaluation_start",
            "evaluator_add",
            "award",
            "call_off_cancel",
        )
    },
    "procurement:criteria": Page(allowed=PROCUREMENT_VIEWERS, args=("call_off",)),
    **{
        f"procurement:{name}": Page(
            allowed=PROCUREMENT_MANAGERS, args=("call_off", "criterion"), post_ok=200
        )
        for name in ("criterion_edit", "criterion_remove")
    },
    "procurement:bid_detail": Page(
        allowed=PROCUREMENT_MANAGERS | RESULT_APPROVERS, args=("call_off", "bid")
    ),
    "procurement:bid_document": Page(
        allowed=PROCUREMENT_MANAGERS | RESULT_APPROVERS, args=("call_off", "bid", "document")
    ),
    "procurement:moderation": Page(
        allowed=PROCUREMENT_MANAGERS, args=("call_off", "bid"), post_ok=200
    ),
    "procurement:results": Page(allowed=PROCUREMENT_VIEWERS, args=("call_off",)),
    "procurement:results_pdf": Page(allowed=PROCUREMENT_VIEWERS, args=("call_off",)),
    "procurement:results_approve": Page(allowed=RESULT_APPROVERS, args=("call_off",), post_ok=200),
    # The award's check-your-answers page sends those who have not answered
    # the award's questions back to them.
    "procurement:award_check": Page(
        allowed=PROCUREMENT_MANAGERS, ok=302, args=("call_off",), post_ok=302
    ),
    # Letters exist once the call-off is awarded; the fixture's is not yet.
    **{
        f"procurement:{name}": Page(
            allowed=PROCUREMENT_MANAGERS | RESULT_APPROVERS, ok=404, args=args
        )
        for name, args in (
            ("award_letters", ("call_off",)),
            ("award_letter", ("call_off", "bid")),
        )
    },
    "procurement:my_evaluations": Page(allowed=SCORERS),
    # Another evaluator's assignment: "not found" even to those who score.
    "procurement:evaluation": Page(allowed=SCORERS, ok=404, args=("assignment",)),
    "procurement:declaration": Page(allowed=SCORERS, ok=404, args=("assignment",), post_ok=404),
    "procurement:score_bid": Page(allowed=SCORERS, ok=404, args=("assignment", "bid"), post_ok=404),
    "procurement:check_scores": Page(allowed=SCORERS, ok=404, args=("assignment",), post_ok=404),
    "procurement:package_detail": Page(allowed=PROCUREMENT_VIEWERS, args=("package",)),
    **{
        f"procurement:{name}": Page(allowed=PROCUREMENT_MANAGERS, args=("package",), post_ok=200)
        for name in ("package_bid_create", "package_choice", "package_award", "package_cancel")
    },
    **{
        f"procurement:{name}": Page(
            allowed=PROCUREMENT_MANAGERS, args=("package_bid",), post_ok=200
        )
        for name in ("package_panel", "meet_and_greet")
    },
    # A provider's private bid link: no account needed.
    "procurement:provider_bid": Page(allowed=EVERY_ROLE, anonymous=200, args=("token",)),
    "finance:overview": Page(allowed=FINANCE_VIEWERS),
    "finance:recommissioning_list": Page(allowed=FINANCE_VIEWERS),
    "finance:recommissioning": Page(allowed=FINANCE_VIEWERS, args=("recommissioning",)),
    "finance:cabinet_summary": Page(allowed=FINANCE_EXPORTERS, args=("recommissioning", "csv")),
    # Residents' budgets are personal data: not for procurement or approvers.
    "finance:scheme_list": Page(allowed={CO, FO, AD, AU}),
    "finance:scheme": Page(allowed={CO, FO, AD, AU}, args=("scheme",)),
    "finance:resident_review": Page(allowed=RENEGOTIATORS, args=("resident",), post_ok=200),
    "finance:report_create": Page(allowed=FINANCE_EXPORTERS, post_ok=200),
    "finance:budget_line_create": Page(allowed=FINANCE_EXPORTERS, post_ok=200),
    "finance:budget_line_list": Page(allowed=FINANCE_VIEWERS),
    **{
        f"finance:{name}": Page(allowed=FINANCE_EXPORTERS, args=("budget_line",), post_ok=200)
        for name in ("budget_line_edit", "budget_line_remove")
    },
    # Another officer's report: "not found" even to those who may export.
    "finance:report": Page(allowed=FINANCE_EXPORTERS, ok=404, args=("report",)),
    "finance:report_download": Page(allowed=FINANCE_EXPORTERS, ok=404, args=("report",)),
    "failures:list": Page(allowed=REGISTER_VIEWERS, args=("contract",)),
    "failures:create": Page(allowed=CONTRACT_MANAGERS, args=("contract",), post_ok=200),
    "failures:detail": Page(allowed=REGISTER_VIEWERS, args=("contract", "failure")),
    "failures:edit": Page(allowed=CONTRACT_MANAGERS, args=("contract", "failure"), post_ok=200),
    "failures:plan_list": Page(allowed=REGISTER_VIEWERS, args=("contract",)),
    "failures:plan_warn": Page(allowed=CONTRACT_MANAGERS, args=("contract",), post_ok=200),
    "failures:plan_detail": Page(allowed=REGISTER_VIEWERS, args=("contract", "improvement_plan")),
    "failures:plan_close": Page(
        allowed=CONTRACT_MANAGERS, args=("contract", "improvement_plan"), post_ok=200
    ),
    # Everyone chooses how they hear; an empty POST is asked to choose.
    "notifications:preferences": Page(allowed=EVERY_ROLE, post_ok=200),
    # Everyone signed in: what each finds is limited by role
    # (tests/search/test_permissions.py).
    "search:results": Page(allowed=EVERY_ROLE),
    # Django admin: administrators only; everyone else is refused outright.
    "admin:index": Page(allowed={AD}),
}


def pages_seen(objects):
    """(role, url) for every page a role opens and is shown (a 200), for the
    tests that check what every page shows to everyone who sees it."""
    for name, page in sorted(MATRIX.items()):
        if page.method != "get":
            continue
        url = reverse(name, args=[objects.get(a, a) for a in page.args])
        for role in ALL_ROLES:
            if page.expected(role) == 200:
                yield role, url


def _url_names(patterns, namespace=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            yield ":".join((*namespace, pattern.name or f"<unnamed {pattern.pattern}>"))


def test_every_page_is_in_the_matrix():
    names = {n for n in _url_names(get_resolver().url_patterns) if not n.startswith("admin:")}
    missing = sorted(names - MATRIX.keys())
    assert not missing, f"Add these pages to MATRIX with the roles allowed: {missing}"
    stale = sorted(n for n in MATRIX.keys() - names if not n.startswith("admin:"))
    assert not stale, f"MATRIX lists pages that no longer exist: {stale}"


# The day the matrix's records are made and its pages are seen.
MATRIX_DAY = "2026-01-15 09:00 +00:00"


@pytest.fixture
def objects(db, time_machine):
    time_machine.move_to(MATRIX_DAY)
    return matrix_objects()


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


ROLE_IDS = {"ids": lambda r: r.value if r else "signed-out"}


def _check(response, expected, client_as):
    if expected == LOGIN:
        assert response.status_code == 302
        if response.url.startswith(reverse("admin:login")):
            response = client_as(None).get(response.url)
            assert response.status_code == 302
        assert response.url.startswith(reverse("login")), response.url
    else:
        assert response.status_code == expected, f"{response.request}: {response.status_code}"
    # Pages, downloads, refusals and redirects alike: no browser or proxy
    # keeps a copy (residents' budgets and bids were cached).
    assert "no-store" in response["Cache-Control"], f"{response.request}: not no-store"
    if response.status_code in (302, 403, 404):
        # A refusal never carries the data it protects.
        assert b"Secret Care Homes" not in response.content
        assert b"Secret Supported Living" not in response.content


@pytest.mark.parametrize("role", ALL_ROLES, **ROLE_IDS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_page_status_for_role(name, role, client_as, objects):
    page = MATRIX[name]
    url = reverse(name, args=[objects.get(a, a) for a in page.args])
    response = getattr(client_as(role), page.method)(url)
    _check(response, page.expected(role), client_as)


@pytest.mark.parametrize("role", ALL_ROLES, **ROLE_IDS)
@pytest.mark.parametrize("name", sorted(n for n, p in MATRIX.items() if p.post_ok))
def test_changes_are_refused_to_roles_without_permission(name, role, client_as, objects):
    from providers.models import Provider, ProviderContact

    page = MATRIX[name]
    from contracts.models import Contract, ExtensionRequest

    def snapshot():
        return [
            list(m.objects.order_by("pk").values())
            for m in (Provider, ProviderContact, Contract, ExtensionRequest)
        ]

    before = snapshot()
    url = reverse(name, args=[objects[a] for a in page.args])
    response = client_as(role).post(url, {})
    allowed = role in page.allowed
    expected = page.post_ok if allowed else (LOGIN if role is None else page.denied)
    _check(response, expected, client_as)
    if not allowed:
        assert snapshot() == before, f"{role} changed data through {name}"


@pytest.mark.parametrize("role", ALL_ROLES, **ROLE_IDS)
@pytest.mark.parametrize(
    "name",
    sorted(n for n, p in MATRIX.items() if set(p.args) & set(OBJECT_KINDS)),
)
def test_missing_object_is_404_only_for_roles_allowed_to_know(name, role, client_as, objects):
    """A role without the permission gets 403 whether or not the record
    exists, so it cannot probe which records there are."""
    page = MATRIX[name]
    missing = {**objects, **dict.fromkeys(OBJECT_KINDS, 999_999)}
    response = client_as(role).get(reverse(name, args=[missing[a] for a in page.args]))
    expected = LOGIN if role is None else (404 if role in page.allowed else page.denied)
    _check(response, expected, client_as)


@pytest.mark.parametrize("role", ALL_ROLES, **ROLE_IDS)
@pytest.mark.parametrize("view", ["", "team"])
def test_your_work_and_its_team_view_for_role(view, role, client_as, objects):
    """Every role has its own queue and nobody else's: another officer's
    report is on no one's, and a role that may not see the register (the
    evaluator) sees none of its contracts."""
    from tests.pages import page_text

    response = client_as(role).get(reverse("home"), {"view": view} if view else {})
    _check(response, MATRIX["home"].expected(role), client_as)
    if response.status_code == 200:
        text = page_text(response)
        assert "Secret Supported Living report" not in text
        if role not in REGISTER_VIEWERS:
            assert "Secret" not in text
