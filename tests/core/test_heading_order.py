"""Every page's headings are in order, with and without a message from the
last action: one h1, the first heading, and no level skipped going down
(decision 0038). Screen reader users move through a page by its headings;
a skipped level or a heading before the h1 reads as missing content."""

from html.parser import HTMLParser

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory

from tests.conftest import ALL_ROLES
from tests.core.matrix_visits import pages_seen
from tests.core.test_permission_matrix import ROLE_IDS, objects  # noqa: F401

SUCCESS = "Your changes are saved"


class _Headings(HTMLParser):
    HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[list] = []  # [level, text]
        self.open: list | None = None
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif not self.hidden and len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.open = [int(tag[1]), ""]
            self.headings.append(self.open)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        elif self.open and tag == f"h{self.open[0]}":
            self.open[1] = " ".join(self.open[1].split())
            self.open = None

    def handle_data(self, data):
        if self.open:
            self.open[1] += data


def headings(html: str) -> list[tuple[int, str]]:
    parser = _Headings()
    parser.feed(html)
    parser.close()
    return [(level, text) for level, text in parser.headings]


def heading_problems(found: list[tuple[int, str]]) -> list[str]:
    """What is wrong with a page's outline, read top to bottom: the page
    starts above level 1, so a first heading other than the h1 is a skip."""
    h1s = [text for level, text in found if level == 1]
    problems = [] if len(h1s) == 1 else [f"{len(h1s)} h1s {h1s}"]
    previous = 0
    for level, text in found:
        if level > previous + 1:
            problems.append(f"h{previous or '(none)'} then h{level} {text!r}")
        previous = level
    return problems


def _leave_a_message(client):
    """What a view's messages.success() leaves for the next page: the
    messages framework's own cookie, as a redirect would set it."""
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, SUCCESS)
    response = HttpResponse()
    storage.update(response)
    client.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value


def test_heading_problems_finds_a_skip_a_heading_before_the_h1_and_a_second_h1():
    assert heading_problems([(1, "Page"), (2, "Part"), (3, "Detail"), (2, "Next")]) == []
    assert heading_problems([(1, "Page"), (3, "Detail")]) == ["h1 then h3 'Detail'"]
    assert heading_problems([(2, "Success"), (1, "Page")]) == ["h(none) then h2 'Success'"]
    assert heading_problems([(1, "Page"), (1, "Again")]) == ["2 h1s ['Page', 'Again']"]


@pytest.mark.parametrize("with_message", [False, True], ids=["no-message", "success-message"])
@pytest.mark.parametrize("role", ALL_ROLES, **ROLE_IDS)
def test_every_page_has_one_h1_first_and_no_heading_level_skipped(
    role,
    with_message,
    client_as,
    objects,  # noqa: F811
):
    client = client_as(role)
    failures = []
    checked = 0
    for page_role, url in pages_seen(objects):
        if page_role != role:
            continue
        if with_message:
            _leave_a_message(client)
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        checked += 1
        if with_message and SUCCESS not in html:
            failures.append(f"{url}: the success message was not shown")
        problems = heading_problems(headings(html))
        if problems:
            failures.append(f"{url}: " + "; ".join(problems))
    assert checked, f"no HTML page checked for {role}"
    assert not failures, f"{len(failures)} of {checked} pages:\n" + "\n".join(failures)
