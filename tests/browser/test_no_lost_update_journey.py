"""Two officers edit one contract in Chromium, the first without JavaScript:
the second is told who changed it, sees what changed, and keeps what they
typed, on a page axe-core passes."""

import pytest

from contracts.models import Contract
from core.roles import Role
from tests.browser.test_provider_journey import sign_in
from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_second_save_from_one_copy_is_refused_on_the_page(
    live_server, page_factory, axe, user_with_role
):
    contract = ContractFactory(title="Supported living", description="First words")
    officer = Role.COMMISSIONING_OFFICER
    user_with_role(officer, username="lisa", first_name="Lisa", last_name="Lopez")
    user_with_role(officer, username="sam", first_name="Sam", last_name="Patel")
    edit = f"{live_server.url}/contracts/{contract.pk}/edit/"
    # axe-core is JavaScript, so it checks Sam's page; Lisa's has none.
    lisa, sam = page_factory(javascript=False), page_factory()
    for page, username in ((lisa, "lisa"), (sam, "sam")):
        sign_in(page, live_server, username)
        page.wait_for_url(f"{live_server.url}/")
        page.goto(edit)

    lisa.get_by_label("Title", exact=True).fill("Supported living, Bootle")
    lisa.get_by_role("button", name="Save contract").click()
    lisa.wait_for_url(f"{live_server.url}/contracts/{contract.pk}/")

    sam.get_by_label("Description (optional)", exact=True).fill("Second words")
    sam.get_by_role("button", name="Save contract").click()
    summary = sam.locator(".govuk-error-summary").inner_text()
    assert "This contract was changed by Lisa Lopez at" in summary
    assert "This was changed to “Supported living, Bootle” since you opened the page" in summary
    assert sam.get_by_label("Description (optional)", exact=True).input_value() == "Second words"
    axe.check(sam)
    contract.refresh_from_db()
    assert (contract.title, contract.description) == ("Supported living, Bootle", "First words")
    assert Contract.objects.get(pk=contract.pk).version == 2
