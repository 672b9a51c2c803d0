"""The search page's queries do not grow with the number of matches, and on
PostgreSQL each kind is found through its GIN index."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from procurement.services import call_offs
from search import selectors
from search.sources import SOURCES
from tests.factories import ContractFactory, ProviderFactory


def _grow(records, n):
    """n more matches of each kind a word can find here, named so that the
    kinds alternate on a page (equal rank, then by name): the page then
    holds every kind at both sizes."""
    start = records["lot"].call_offs.count()
    for i in range(start, start + n):
        ContractFactory(title=f"Hollyhock {i:02d} service")
        ProviderFactory(legal_name=f"Hollyhock {i:02d} Care Ltd")
        call_offs.call_off_create(
            lot=records["lot"],
            by=None,
            route="direct_award",
            reference=f"HH-{i}",
            title=f"Hollyhock {i:02d} flats",
            start_date=records["call_off"].start_date,
            annual_value=records["call_off"].annual_value,
        )


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("search:results"), {"q": "hollyhock"})
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("role", [Role.COMMISSIONING_OFFICER, Role.AUDITOR])
def test_the_search_page_reads_the_same_number_of_queries_at_two_sizes(
    records, client, user_with_role, role
):
    client.force_login(user_with_role(role))
    _grow(records, 2)
    small, response = _queries(client)
    assert len(response.context["results"]) == 6
    _grow(records, 15)
    large, response = _queries(client)
    assert response.context["total"] == 51
    assert len(response.context["results"]) == 20
    assert {r.kind for r in response.context["results"]} == {"contract", "provider", "call_off"}
    assert small == large


def test_an_evaluators_search_reads_the_same_number_of_queries_at_two_sizes(
    records, client, assigned_evaluator
):
    from procurement.services import evaluation

    client.force_login(assigned_evaluator)
    _grow(records, 2)
    for call_off in records["lot"].call_offs.filter(title__startswith="Hollyhock"):
        evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=assigned_evaluator)
    small, response = _queries(client)
    assert len(response.context["results"]) == 2
    _grow(records, 5)
    for call_off in records["lot"].call_offs.filter(title__startswith="Hollyhock", evaluators=None):
        evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=assigned_evaluator)
    large, response = _queries(client)
    assert len(response.context["results"]) == 7
    assert small == large


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.kind)
def test_each_kind_is_searched_through_its_gin_index(db, source):
    from django.apps import apps

    with connection.cursor() as cursor:
        # Enough documents of every kind, and their statistics, for the
        # planner to choose as it would on a council's register.
        cursor.execute(
            'INSERT INTO search_document (kind, record_id, "references", name, document) '
            "SELECT kind, n, '', '', to_tsvector('english', 'filler text ' || n) "
            "FROM generate_series(1000000, 1002000) n, unnest(%s::text[]) kind",
            [[s.kind for s in SOURCES]],
        )
        cursor.execute("ANALYZE search_document")
    queryset = apps.get_model(source.model).objects.all()
    matching = selectors._matching(source, queryset, "supported living")
    plan = matching.values_list("found_pk").explain()
    assert f"Bitmap Index Scan on search_document_{source.kind}" in plan


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.kind)
def test_the_database_keeps_each_kinds_documents_however_the_record_is_written(
    records, user_with_role, source
):
    """Raw SQL, as an import or a fix by hand might: the triggers see it."""
    from django.apps import apps

    admin = user_with_role(Role.ADMINISTRATOR)
    model = apps.get_model(source.model)
    record = records[source.kind]
    column = (source.names or source.texts)[0]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = 'Zinnia' WHERE id = %s", [record.pk])  # noqa: S608  # nosec B608
    found = selectors.search(user=admin, text="zinnia")
    assert [(k, pk) for k, pk, *_ in found[0:5]] == [(source.kind, record.pk)]


def test_a_removed_record_is_no_longer_found(db, user_with_role):
    from search.models import Document

    admin = user_with_role(Role.ADMINISTRATOR)
    provider = ProviderFactory(legal_name="Yarrow Homes Ltd")
    assert selectors.search(user=admin, text="yarrow").count() == 1
    provider.delete()
    assert selectors.search(user=admin, text="yarrow").count() == 0
    assert not Document.objects.filter(kind="provider", record_id=provider.pk).exists()
