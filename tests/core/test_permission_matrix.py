"""Every page, every role: the status each must get.

A new URL without an entry in MATRIX fails test_every_page_is_in_the_matrix,
so nobody can add a page without deciding who may see it.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.roles import Role
from tests.conftest import ALL_ROLES
from tests.core.matrix_records import MATRIX_DAY, matrix_objects

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


@pytest.fixture
def objects(db, time_machine):
    time_machine.move_to(MATRIX_DAY)
    return matrix_objects()


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
