"""Evaluation criteria can be changed and removed while the call-off is
being prepared, and never once providers have been invited; weights that do
not add up to 100 show on the task list with the way to fix them.

The walk found a call-off whose weights added up to 110 could be neither
fixed nor cancelled: these tests fail on 14eac55, which had no way to
change or remove a criterion and showed the weights only as "so far"."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.concurrency import StaleEdit
from core.roles import Role
from procurement.constants import CallOffStatus, CriterionKind
from procurement.models import Criterion
from procurement.services import ProcurementError, call_offs, criteria
from tests.pages import page_text
from tests.procurement.conftest import BEFORE
from tests.procurement.stages import bring_to

NOT_PREPARING = [
    CallOffStatus.OPEN,
    CallOffStatus.EVALUATION,
    CallOffStatus.APPROVED,
    CallOffStatus.AWARDED,
    CallOffStatus.CANCELLED,
]


def edit(criterion, by, **changes):
    fields = {
        "name": criterion.name,
        "weight": criterion.weight,
        "kind": criterion.kind,
        "max_score": criterion.max_score,
        "descriptors": criterion.descriptors,
        **changes,
    }
    return criteria.criterion_edit(criterion=criterion, by=by, **fields)


@pytest.fixture
def weights_110(call_off, procurement_officer):
    """The walk's call-off: 50 + 45 + 15."""
    call_off.criteria.filter(name="Social value").update(weight=Decimal(15))
    return call_off


def test_a_call_off_weighted_110_can_be_fixed_and_then_opened(weights_110, procurement_officer):
    social_value = weights_110.criteria.get(name="Social value")
    with pytest.raises(ProcurementError, match="add up to 110%"):
        call_offs.call_off_open(call_off=weights_110, by=procurement_officer, now=BEFORE)

    edit(social_value, procurement_officer, weight=Decimal(5))

    invitations = call_offs.call_off_open(call_off=weights_110, by=procurement_officer, now=BEFORE)
    assert len(invitations) == 3


def test_a_change_to_a_criterion_is_recorded_with_who_made_it(call_off, procurement_officer):
    criterion = call_off.criteria.get(name="Workforce and safeguarding")
    edit(criterion, procurement_officer, name="Workforce, training and safeguarding")
    criterion.refresh_from_db()
    assert criterion.name == "Workforce, training and safeguarding"
    assert criterion.version == 2
    latest = criterion.history.order_by("-pk").first()
    assert latest.history_user == procurement_officer
    assert latest.name == "Workforce, training and safeguarding"


def test_a_criterion_can_be_removed_while_preparing(call_off, procurement_officer):
    criterion = call_off.criteria.get(name="Social value")
    criteria.criterion_remove(criterion=criterion, by=procurement_officer)
    assert list(call_off.criteria.values_list("name", flat=True)) == [
        "Outcomes and person-centred support",
        "Workforce and safeguarding",
    ]
    assert Criterion.history.filter(id=criterion.pk, history_type="-").exists()


def test_a_change_from_an_out_of_date_page_is_refused(call_off, procurement_officer):
    criterion = call_off.criteria.get(name="Social value")
    edit(criterion, procurement_officer, weight=Decimal(6))
    with pytest.raises(StaleEdit):
        edit(criterion, procurement_officer, weight=Decimal(7), version=1)
    criterion.refresh_from_db()
    assert criterion.weight == Decimal(6)


def test_a_second_price_criterion_is_refused_on_change(call_off, procurement_officer):
    call_offs.criterion_add(
        call_off=call_off, by=procurement_officer, name="Price", weight=0, kind=CriterionKind.PRICE
    )
    criterion = call_off.criteria.get(name="Social value")
    with pytest.raises(ProcurementError, match="Only one criterion can score price"):
        edit(criterion, procurement_officer, kind=CriterionKind.PRICE)


@pytest.mark.parametrize("status", NOT_PREPARING)
def test_criteria_cannot_change_once_providers_are_invited(
    status, call_off, procurement_officer, evaluators, approver
):
    bring_to(status, call_off, procurement_officer, evaluators, approver)
    criterion = call_off.criteria.get(name="Social value")
    before = list(call_off.criteria.order_by("pk").values())
    label = CallOffStatus(status).label.lower()
    with pytest.raises(ProcurementError, match=f"is {label}: its criteria .* can no longer change"):
        edit(criterion, procurement_officer, weight=Decimal(10))
    with pytest.raises(ProcurementError, match=f"is {label}: its criteria .* can no longer change"):
        criteria.criterion_remove(criterion=criterion, by=procurement_officer)
    assert list(call_off.criteria.order_by("pk").values()) == before


def _post(client, name, call_off, criterion, data):
    return client.post(reverse(f"procurement:{name}", args=[call_off.pk, criterion.pk]), data)


def _fields(criterion, **changes):
    return {
        "name": criterion.name,
        "kind": criterion.kind,
        "weight": str(criterion.weight),
        "max_score": criterion.max_score,
        "descriptors": criterion.descriptors,
        "version": criterion.version,
        **changes,
    }


def test_the_task_list_shows_weights_of_110_as_a_problem_linking_to_the_criteria(
    weights_110, client_as
):
    page = client_as(Role.PROCUREMENT_OFFICER).get(weights_110.get_absolute_url())
    text = page_text(page)
    assert (
        "Set the evaluation criteria The weights add up to 110%; they must add up to 100%. "
        "Take 10 percentage points off the weights. There is a problem"
    ) in text
    assert "Invite every admitted provider Fix the evaluation criteria first Cannot start yet" in (
        text
    )
    criteria_url = reverse("procurement:criteria", args=[weights_110.pk])
    assert f'href="{criteria_url}"' in page.content.decode()
    assert reverse("procurement:call_off_open", args=[weights_110.pk]) not in page.content.decode()


def test_the_criteria_page_shows_the_problem_and_links_to_change_each_criterion(
    weights_110, client_as
):
    page = client_as(Role.PROCUREMENT_OFFICER).get(
        reverse("procurement:criteria", args=[weights_110.pk])
    )
    text = page_text(page)
    assert "The weights add up to 110%; they must add up to 100%." in text
    assert "Total 110%" in text
    html = page.content.decode()
    for criterion in weights_110.criteria.all():
        assert reverse("procurement:criterion_edit", args=[weights_110.pk, criterion.pk]) in html
        assert reverse("procurement:criterion_remove", args=[weights_110.pk, criterion.pk]) in html


def test_the_officer_fixes_the_weights_through_the_pages(weights_110, client_as):
    officer = client_as(Role.PROCUREMENT_OFFICER)
    social_value = weights_110.criteria.get(name="Social value")
    page = _post(
        officer, "criterion_edit", weights_110, social_value, _fields(social_value, weight="5")
    )
    assert page.status_code == 302
    assert page.url == reverse("procurement:criteria", args=[weights_110.pk])
    text = page_text(officer.get(weights_110.get_absolute_url()))
    assert "There is a problem" not in text
    assert "Weights so far: 100% of 100%" in text


def test_the_officer_removes_a_criterion_through_the_pages(call_off, client_as):
    officer = client_as(Role.PROCUREMENT_OFFICER)
    social_value = call_off.criteria.get(name="Social value")
    page = officer.get(reverse("procurement:criterion_remove", args=[call_off.pk, social_value.pk]))
    assert "Remove “Social value”?" in page_text(page)
    page = _post(officer, "criterion_remove", call_off, social_value, {})
    assert page.status_code == 302
    assert not call_off.criteria.filter(name="Social value").exists()


def test_the_change_page_says_what_is_wrong_in_govuk_words(call_off, client_as):
    officer = client_as(Role.PROCUREMENT_OFFICER)
    criterion = call_off.criteria.first()
    page = _post(
        officer,
        "criterion_edit",
        call_off,
        criterion,
        {"version": criterion.version, "weight": "lots", "max_score": "0", "name": "x" * 201},
    )
    assert page.status_code == 200
    text = page_text(page)
    for message in (
        "Criterion must be 200 characters or fewer",
        "Select what the criterion assesses",
        "Weight must be a number, like 45 or 2.5",
        "Highest score must be 1 or more",
    ):
        assert message in text
    assert "This field is required" not in text
    page = _post(officer, "criterion_edit", call_off, criterion, {"version": criterion.version})
    text = page_text(page)
    for message in ("Enter the criterion", "Enter the weight", "Enter the highest score"):
        assert message in text
    page = _post(officer, "criterion_edit", call_off, criterion, _fields(criterion, weight="100.5"))
    assert "Weight must be 100% or less" in page_text(page)


@pytest.mark.parametrize("status", [CallOffStatus.OPEN, CallOffStatus.CANCELLED])
def test_the_change_page_refuses_once_invited_and_says_why(
    status, call_off, procurement_officer, evaluators, approver, client_as
):
    bring_to(status, call_off, procurement_officer, evaluators, approver)
    criterion = call_off.criteria.get(name="Social value")
    officer = client_as(Role.PROCUREMENT_OFFICER)
    page = _post(officer, "criterion_edit", call_off, criterion, _fields(criterion, weight="10"))
    assert page.status_code == 200
    assert "its criteria and invitations can no longer change" in page_text(page)
    page = _post(officer, "criterion_remove", call_off, criterion, {})
    assert "its criteria and invitations can no longer change" in page_text(page)
    criterion.refresh_from_db()
    assert criterion.weight == Decimal(5)
    # Nothing on the criteria page offers a change any more.
    html = officer.get(reverse("procurement:criteria", args=[call_off.pk])).content.decode()
    assert reverse("procurement:criterion_edit", args=[call_off.pk, criterion.pk]) not in html


def test_a_criterion_of_another_call_off_is_not_found(
    call_off, lot, procurement_officer, client_as
):
    from datetime import date

    other = call_offs.call_off_create(
        lot=lot,
        by=procurement_officer,
        route="mini_competition",
        reference="OTHER-1",
        title="Other",
        start_date=date(2027, 4, 1),
        annual_value=Decimal("1.00"),
        bid_deadline=call_off.bid_deadline,
    )
    criterion = call_off.criteria.first()
    officer = client_as(Role.PROCUREMENT_OFFICER)
    page = officer.get(reverse("procurement:criterion_edit", args=[other.pk, criterion.pk]))
    assert page.status_code == 404
