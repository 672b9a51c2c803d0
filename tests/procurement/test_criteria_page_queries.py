"""The criteria page costs the same number of queries whatever the number
of criteria."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from procurement.services import call_offs


def _queries(client, call_off) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("procurement:criteria", args=[call_off.pk]))
    assert page.status_code == 200
    return len(queries)


def test_the_criteria_page_queries_do_not_grow_with_the_criteria(
    call_off, procurement_officer, client_as
):
    client = client_as(Role.PROCUREMENT_OFFICER)
    _queries(client, call_off)  # sessions, permissions and the like, once
    three = _queries(client, call_off)
    for n in range(20):
        call_offs.criterion_add(
            call_off=call_off,
            by=procurement_officer,
            name=f"Criterion {n}",
            weight=Decimal(1),
            kind="quality",
        )
    assert _queries(client, call_off) == three
