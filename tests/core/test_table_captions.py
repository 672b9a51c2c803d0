"""Every table on every page says what it holds, and scrolls in its own region.

A caption is the table's name to a screen reader user moving between tables;
the region around it ({% table_scroll %}) is named by that caption, so a
keyboard user who tabs to a table that scrolls sideways hears which one it is
(decision 36). Every page of the permission matrix, as one person per area
(tests/core/matrix_visits.py).
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from core.roles import Role
from tests.core.matrix_records import MATRIX_DAY, matrix_objects
from tests.core.matrix_visits import html_pages, visits
from tests.factories import ProviderFactory


class _Tables(HTMLParser):
    """Each data table's caption text and the caption id its region names.

    Layout tables (role="presentation") are not data tables and are left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.regions: list[str | None] = []  # one per open <div>
        self.open: list[dict] = []
        self.in_caption = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            scroll = "app-table-scroll" in (attrs.get("class") or "").split()
            self.regions.append(attrs.get("aria-labelledby") if scroll else None)
        elif tag == "table" and attrs.get("role") != "presentation":
            region = next((r for r in reversed(self.regions) if r), None)
            table = {"caption": "", "caption_id": None, "region": region}
            self.tables.append(table)
            self.open.append(table)
        elif tag == "caption" and self.open:
            self.in_caption = True
            self.open[-1]["caption_id"] = attrs.get("id")

    def handle_endtag(self, tag):
        if tag == "div" and self.regions:
            self.regions.pop()
        elif tag == "table" and self.open:
            self.open.pop()
        elif tag == "caption":
            self.in_caption = False

    def handle_data(self, data):
        if self.in_caption and self.open:
            self.open[-1]["caption"] += data


def tables_of(response):
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


@pytest.fixture
def matrix_pages(db, time_machine, user_with_role):
    time_machine.move_to(MATRIX_DAY)
    return [
        (name, response)
        for pages in html_pages(visits(matrix_objects(), user_with_role)).values()
        for name, _, response in pages
    ]


def test_every_table_on_every_page_has_a_caption(matrix_pages):
    without = [
        name
        for name, response in matrix_pages
        for table in tables_of(response)
        if not table["caption"].strip()
    ]
    tables = sum(len(tables_of(r)) for _, r in matrix_pages)
    assert tables > 30, f"only {tables} tables found"
    assert not without, f"Tables without a caption on: {sorted(set(without))}"


def test_every_table_scrolls_in_a_region_named_by_its_caption(matrix_pages):
    # The Django admin's own history list is the admin's layout, not ours.
    ours = [(n, r) for n, r in matrix_pages if not n.startswith("admin:")]
    unnamed = [
        f"{name}: {table['caption'].strip()[:40]!r}"
        for name, response in ours
        for table in tables_of(response)
        if not table["caption_id"] or table["region"] != table["caption_id"]
    ]
    assert not unnamed, "Tables not in a region named by their caption:\n" + "\n".join(unnamed)


def test_the_admins_history_of_changes_has_a_caption(client_as):
    """The admin's pages are outside the matrix's list; its history list
    is our template (templates/simple_history)."""
    provider = ProviderFactory()
    response = client_as(Role.ADMINISTRATOR).get(
        reverse("admin:providers_provider_history", args=[provider.pk])
    )
    assert response.status_code == 200
    # The admin's navigation lists each app as a captioned table too.
    captions = [table["caption"].strip() for table in tables_of(response)]
    assert all(captions), captions
    assert f"Changes to {provider}" in captions
