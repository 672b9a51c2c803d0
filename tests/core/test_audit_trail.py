"""The audit trail keeps its author and cannot be rewritten (core/audit.py)."""

import sys

import pytest
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models import ProtectedError
from django.test import Client
from django.test.utils import isolate_apps
from django.urls import reverse
from pgtrigger.core import INSTALLED
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from core.audit import TRIGGER_NAME, AuditTrail, check_audit_trail, historical_models
from core.models import User
from core.roles import Role
from providers.models import Provider
from providers.services import provider_create, provider_update
from tests.conftest import ROOT
from tests.factories import PASSWORD

APPEND_ONLY = "pgtrigger: Cannot update or delete rows"


@pytest.fixture
def officer(user_with_role):
    # Fixed names: the assertions below look for them in HTML.
    return user_with_role(
        Role.COMMISSIONING_OFFICER, username="lisa.lopez", first_name="Lisa", last_name="Lopez"
    )


@pytest.fixture
def administrator(user_with_role):
    return user_with_role(
        Role.ADMINISTRATOR, username="alex.morgan", first_name="Alex", last_name="Morgan"
    )


@pytest.fixture
def admin_client_(client, administrator):
    client.force_login(administrator)
    return client


def test_every_history_in_every_app_is_an_append_only_audit_trail():
    labels = {m._meta.app_label for m in historical_models()}
    assert {
        "core",
        "providers",
        "contracts",
        "procurement",
        "finance",
        "performance",
        "documents",
    } <= labels
    assert check_audit_trail() == []


def test_a_history_declared_the_plain_simple_history_way_fails_the_check():
    with isolate_apps("core") as registry:

        class Plain(models.Model):  # noqa: DJ008 - never shown
            history = HistoricalRecords()

            class Meta:
                app_label = "core"

        class Audited(models.Model):  # noqa: DJ008 - never shown
            history = AuditTrail()

            class Meta:
                app_label = "core"

        plain = registry.get_model("core", "HistoricalPlain")
        audited = registry.get_model("core", "HistoricalAudited")
        errors = check_audit_trail(models_to_check=[plain, audited])
    assert [(e.id, e.obj) for e in errors] == [("core.E001", plain)]


def test_every_historical_table_has_the_trigger_installed(postgresql):
    for model in historical_models():
        (trigger,) = [t for t in model._meta.triggers if t.name == TRIGGER_NAME]
        status, enabled = trigger.get_installation_status(model)
        assert (status, enabled) == (INSTALLED, True), model._meta.label


def test_history_cannot_be_changed_or_removed_even_with_raw_sql(postgresql, officer):
    provider = provider_create(by=officer, legal_name="Arch Futures Ltd")
    record = provider.history.get()
    attempts = [
        "UPDATE providers_historicalprovider SET legal_name = 'Someone else' WHERE history_id = %s",
        "UPDATE providers_historicalprovider SET history_user_id = NULL WHERE history_id = %s",
        "DELETE FROM providers_historicalprovider WHERE history_id = %s",
    ]
    for sql in attempts:
        with (
            pytest.raises(DatabaseError, match=APPEND_ONLY),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [record.history_id])
    with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic():
        Provider.history.filter(pk=record.pk).update(history_change_reason="Tidied up")
    with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic():
        record.delete()

    record.refresh_from_db()
    assert (record.legal_name, record.history_user, record.history_change_reason) == (
        "Arch Futures Ltd",
        officer,
        "Provider added",
    )
    # New records can still be added, and removing the provider adds one.
    provider_update(provider=provider, by=officer, legal_name="Arch Futures Limited")
    pk = provider.pk
    provider.delete()
    assert Provider.history.filter(id=pk).count() == 3


def test_the_database_refuses_to_delete_a_user_who_has_changed_something(postgresql, officer):
    provider_create(by=officer, legal_name="Arch Futures Ltd")
    with pytest.raises(ProtectedError), transaction.atomic():
        officer.delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_user WHERE id = %s", [officer.pk])
    assert User.objects.filter(pk=officer.pk).exists()


def test_history_shows_the_authors_name_as_it_was_when_they_made_the_change(
    client, client_as, officer, administrator
):
    provider = provider_create(by=officer, legal_name="Arch Futures Ltd")
    officer.last_name = "Hughes"
    officer.save()

    html = (
        client_as(Role.AUDITOR)
        .get(reverse("providers:history", args=[provider.pk]))
        .content.decode()
    )
    assert "by Lisa Lopez" in html
    assert "Hughes" not in html

    client.force_login(administrator)
    admin_history = reverse("admin:providers_provider_history", args=[provider.pk])
    html = client.get(admin_history).content.decode()
    assert "Lisa Lopez" in html
    assert "Hughes" not in html


def test_records_made_in_bulk_keep_the_authors_name(officer):
    bulk_create_with_history(
        [Provider(legal_name="Arch Futures Ltd")], Provider, default_user=officer
    )
    assert Provider.history.get().history_user_name == "Lisa Lopez"


def test_changes_made_by_nobody_are_by_the_system(client, officer):
    provider = Provider.objects.create(legal_name="Imported Ltd")
    client.force_login(officer)
    html = client.get(reverse("providers:history", args=[provider.pk])).content.decode()
    assert "by the system" in html


def test_admin_offers_no_way_to_delete_a_user_who_has_changed_something(admin_client_, officer):
    provider_create(by=officer, legal_name="Arch Futures Ltd")
    delete_url = reverse("admin:core_user_delete", args=[officer.pk])

    change_page = admin_client_.get(reverse("admin:core_user_change", args=[officer.pk]))
    assert change_page.status_code == 200
    assert delete_url not in change_page.content.decode()
    assert admin_client_.get(delete_url).status_code == 403
    assert admin_client_.post(delete_url, {"post": "yes"}).status_code == 403

    changelist = reverse("admin:core_user_changelist")
    choices = dict(admin_client_.get(changelist).context["action_form"].fields["action"].choices)
    assert "delete_selected" not in choices
    assert "deactivate" in choices
    admin_client_.post(
        changelist, {"action": "delete_selected", "_selected_action": [officer.pk], "post": "yes"}
    )
    assert User.objects.filter(pk=officer.pk).exists()


def test_admin_can_delete_a_user_who_never_changed_anything(admin_client_, user_with_role):
    mistake = user_with_role(Role.AUDITOR, username="made.by.mistake")
    delete_url = reverse("admin:core_user_delete", args=[mistake.pk])
    change_page = admin_client_.get(reverse("admin:core_user_change", args=[mistake.pk]))
    assert delete_url in change_page.content.decode()

    response = admin_client_.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=mistake.pk).exists()


def test_signing_in_is_not_a_change_to_the_users_record(client, officer):
    before = officer.history.count()
    response = client.post(reverse("login"), {"username": "lisa.lopez", "password": PASSWORD})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.last_login is not None
    assert officer.history.count() == before


def test_a_deactivated_user_cannot_sign_in_and_keeps_their_history(
    admin_client_, administrator, officer
):
    provider = provider_create(by=officer, legal_name="Arch Futures Ltd")
    response = admin_client_.post(
        reverse("admin:core_user_changelist"),
        {"action": "deactivate", "_selected_action": [officer.pk, administrator.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["You cannot deactivate your own account", "1 user deactivated"]

    officer.refresh_from_db()
    administrator.refresh_from_db()
    assert not officer.is_active
    assert administrator.is_active
    deactivation = officer.history.first()
    assert (deactivation.history_change_reason, deactivation.history_user_name) == (
        "Deactivated",
        "Alex Morgan",
    )
    assert provider.history.get().history_user_name == "Lisa Lopez"

    client = Client()
    signed_in = client.post(reverse("login"), {"username": "lisa.lopez", "password": PASSWORD})
    assert signed_in.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_benchmark_removes_its_own_users_and_their_history_and_nothing_else(
    postgresql, officer, user_with_role
):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from _harness import remove_users

    bench = user_with_role(Role.COMMISSIONING_OFFICER, username="bench.officer")
    provider_create(by=bench, legal_name="Benchmark provider Ltd")
    kept = provider_create(by=officer, legal_name="Arch Futures Ltd").history.get()

    remove_users(User.objects.filter(username__startswith="bench."))

    assert not User.objects.filter(username="bench.officer").exists()
    assert list(Provider.history.all()) == [kept]
    # The trigger was ignored for that cleanup only.
    with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic():
        kept.delete()
