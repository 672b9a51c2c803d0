"""Administrators keep each service area's KPI templates in the admin."""

from django.test import Client
from django.urls import reverse

from core.roles import Role
from performance.models import KpiTemplate
from tests.factories import ContractFactory, UserFactory
from tests.html_forms import form_data
from tests.pages import page_text


def _signed_in(role):
    client = Client()
    client.force_login(UserFactory(role=role))
    return client


def test_an_administrator_adds_a_template_that_officers_then_offer(db):
    admin = _signed_in(Role.ADMINISTRATOR)
    response = admin.post(
        reverse("admin:performance_kpitemplate_add"),
        {
            "service_area": "supported_living",
            "name": "Outcomes achieved",
            "measure": "People whose outcomes were achieved, as a percentage",
            "unit": "%",
            "target": "85",
            "direction": "higher",
            "tolerance": "5",
            "frequency": "quarterly",
            "order": "1",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    template = KpiTemplate.objects.get()
    assert template.history.first().history_user.groups.filter(name=Role.ADMINISTRATOR.label)

    contract = ContractFactory(service_area="supported_living")
    page = _signed_in(Role.COMMISSIONING_OFFICER).get(
        reverse("performance:kpi_templates", args=[contract.pk])
    )
    assert "Outcomes achieved" in page_text(page)


def test_a_template_changed_in_the_admin_moves_its_version_on(db):
    template = KpiTemplate.objects.create(
        service_area="ilss", name="Accommodation maintained", measure="Citizens", unit="%",
        target=90, tolerance=5,
    )  # fmt: skip
    admin = _signed_in(Role.ADMINISTRATOR)
    url = reverse("admin:performance_kpitemplate_change", args=[template.pk])
    form = form_data(admin.get(url).text, having="seen_version")
    response = admin.post(url, {**form, "target": "92"})
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.target, template.version) == (92, 2)


def test_officers_cannot_change_templates_in_the_admin(db):
    response = _signed_in(Role.COMMISSIONING_OFFICER).get(
        reverse("admin:performance_kpitemplate_changelist")
    )
    assert response.status_code in (302, 403)
