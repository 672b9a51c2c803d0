"""Every error summary link lands on the first input of its field.

Every page that takes a form is submitted empty and then with answers each
field must refuse (tests/form_discovery.py), as a role that may use it; every
link in the summary that comes back is followed, as a browser follows a
fragment, to an input, select or textarea that is its field's first (the
first radio, a date's day). Each form tests/form_discovery.py finds must be
met on some page, so a new form is walked too.
"""

import pytest
from django import forms
from django.urls import reverse

from core.roles import Role
from tests.core.test_permission_matrix import MATRIX, objects  # noqa: F401
from tests.error_links import summary_link_problems
from tests.factories import UserFactory
from tests.form_discovery import discovered_forms, invalid_answers

# A form that asks nothing and is never refused has no error state.
NO_ERROR_STATE = {"providers.forms.ConfirmRemoveForm"}


def _forms_in(response) -> list[forms.BaseForm]:
    found = []
    for context in response.context or ():
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and all(value is not f for f in found):
                found.append(value)
    return found


def _path(form) -> str:
    return f"{type(form).__module__}.{type(form).__qualname__}"


def _pages(objects, client_as):  # noqa: F811
    """(page, client, method, url) for every page that takes a form."""
    clients = {}
    for name, page in sorted(MATRIX.items()):
        if page.post_ok == 200:
            role = min(page.allowed, key=list(Role).index)
            client = clients.setdefault(role, client_as(role))
            yield name, client, "post", reverse(name, args=[objects[a] for a in page.args])
    yield from _other_pages(objects, client_as)


def _other_pages(objects, client_as):  # noqa: F811
    """Pages an empty POST in the matrix does not bring back with errors:
    they send a signed-in user on, answer a GET, or are one person's own."""
    officer = client_as(Role.COMMISSIONING_OFFICER)
    yield "login", client_as(None), "post", reverse("login")
    yield "password_reset", client_as(None), "post", reverse("password_reset")
    yield "password_change", officer, "post", reverse("password_change")
    # A search too long is the search box's only refusal.
    yield "search:results", officer, "get", reverse("search:results")
    client, url = _set_password()
    yield "password_reset_confirm", client, "post", url
    yield from _evaluator_pages(objects)
    yield "procurement:provider_bid", client_as(None), "post", _open_bid_url(objects)


def _set_password():
    from django.contrib.auth.tokens import default_token_generator
    from django.test import Client
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = UserFactory()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    # Django swaps the token for a session and sends the visitor on.
    client = Client()
    return client, client.get(reverse("password_reset_confirm", args=[uid, token])).url


def _evaluator_pages(objects):  # noqa: F811
    from django.test import Client

    from procurement.models import EvaluatorAssignment
    from procurement.services.evaluation import conflict_declare

    assignment = EvaluatorAssignment.objects.get(pk=objects["assignment"])
    client = Client()
    client.force_login(assignment.evaluator)
    url = reverse("procurement:declaration", args=[assignment.pk])
    yield "procurement:declaration", client, "post", url
    # Bids are scored once the evaluator has declared no conflict.
    conflict_declare(assignment=assignment, by=assignment.evaluator, has_conflict=False)
    url = reverse("procurement:score_bid", args=[assignment.pk, objects["bid"]])
    yield "procurement:score_bid", client, "post", url


def _open_bid_url(objects) -> str:  # noqa: F811
    """A provider's link to a mini-competition still open for bids."""
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from procurement.models import Lot
    from procurement.services import call_offs

    call_off = call_offs.call_off_create(
        lot=Lot.objects.get(pk=objects["lot"]),
        by=None,
        route="mini_competition",
        reference="CO-2",
        title="Open scheme",
        start_date=date(2026, 6, 1),
        annual_value=Decimal("50000.00"),
        bid_deadline=datetime(2026, 2, 10, 12, tzinfo=UTC),
    )
    for name, weight, kind in (("Quality", 80, "quality"), ("Price", 20, "price")):
        call_offs.criterion_add(
            call_off=call_off, by=None, name=name, weight=Decimal(weight), kind=kind
        )
    [invitation] = call_offs.call_off_open(call_off=call_off, by=None)
    return reverse("procurement:provider_bid", args=[invitation.token])


def _submissions(client, method, url):
    """The page's error states: empty, then with answers it must refuse."""
    send = getattr(client, method)
    empty = send(url, {"q": "x" * 1000} if method == "get" else {})
    yield empty
    for form in _forms_in(empty):
        if form.is_bound and method == "post":
            yield send(url, invalid_answers(form))


@pytest.mark.django_db
def test_every_error_summary_link_lands_on_its_fields_first_input(client_as, objects):  # noqa: F811
    failures, met, links = [], set(), 0
    for name, client, method, url in _pages(objects, client_as):
        for response in _submissions(client, method, url):
            page_forms = [f for f in _forms_in(response) if f.is_bound]
            met.update(_path(f) for f in page_forms)
            whole = {str(e) for f in page_forms for e in f.non_field_errors()}
            linked, problems = summary_link_problems(
                response.content.decode(), whole_form_messages=whole
            )
            links += len(linked)
            failures.extend(f"{name}: {problem}" for problem in problems)
            failures.extend(
                f"{name}: “{message}” is not linked from the summary"
                for form in page_forms
                for message in _to_link(form)
                if message not in linked
            )
    unmet = discovered_forms() - met - NO_ERROR_STATE
    assert not unmet, f"No page in {__name__} showed these forms' errors: {sorted(unmet)}"
    assert not failures, f"{len(failures)} of {links} links do not land:\n" + "\n".join(failures)


def _to_link(form) -> set[str]:
    """Every message the summary must link: each question's, and the whole
    form's when it asks any question."""
    fields = [
        f
        for f in form.visible_fields()
        # A choice with nothing to choose has no input to go to.
        if not f.field.disabled and list(getattr(f.field, "choices", [None]))
    ]
    messages = {" ".join(str(e).split()) for f in fields for e in f.errors}
    if fields:
        messages |= {" ".join(str(e).split()) for e in form.non_field_errors()}
    return messages


def test_a_problem_with_a_form_that_asks_nothing_is_shown_without_a_dead_link():
    from django.template.loader import render_to_string

    from core.forms import GovUKForm
    from tests.pages import html_text

    class Refused(GovUKForm):
        def clean(self):
            raise forms.ValidationError("CO-1 is not open for bids.")

    html = render_to_string("includes/error_summary.html", {"form": Refused(data={})})
    assert html_text(html) == "There is a problem CO-1 is not open for bids."
    assert "<a" not in html


def test_a_problem_with_the_whole_form_goes_to_its_first_radio():
    from django.template.loader import render_to_string

    from core.forms import GovUKForm

    class Refused(GovUKForm):
        kind = forms.ChoiceField(
            label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
        )

        def clean(self):
            raise forms.ValidationError("This page is out of date.")

    html = render_to_string("includes/error_summary.html", {"form": Refused(data={"kind": "a"})})
    assert '<a href="#id_kind_1">This page is out of date.</a>' in html
