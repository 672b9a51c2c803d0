"""The test suite's own tools: reproducible factory data and reading pages."""

import factory
import faker
from django.utils.html import escape

from tests import randomness
from tests.pages import html_text


def _names(nodeid, seed):
    randomness.reseed(nodeid, seed=seed)
    person = factory.Faker._get_faker(locale="en_GB")
    return [person.name() for _ in range(5)]


def test_a_seed_gives_a_test_the_same_names_every_time():
    assert _names("tests/a.py::test_one", 42) == _names("tests/a.py::test_one", 42)


def test_tests_and_seeds_get_different_names():
    names = _names("tests/a.py::test_one", 42)
    assert _names("tests/a.py::test_two", 42) != names
    assert _names("tests/a.py::test_one", 43) != names


def test_the_run_seed_is_printed_in_the_header():
    assert f"--seed {randomness.mode.seed}" in randomness.header()[0]


def test_hostile_names_hold_every_character_html_escapes():
    person = faker.Faker("en_GB")
    person.add_provider(randomness.HostileNames)
    for name in (person.first_name(), person.last_name(), person.name()):
        assert all(c in name for c in "'&\"<>"), name
        assert escape(name) != name


def test_page_text_is_what_a_reader_sees():
    html = (
        "<html><head><title>Elliott O&#x27;Connor</title><style>p {}</style></head>"
        "<body><p>Owner:\n  <strong>Elliott O&#x27;Connor</strong> &amp; &quot;Co&quot;</p>"
        "<table><tr><td>Sent <time>3 Dec</time>,</td><td>2026</td></tr></table>"
        '<script>var name = "hidden";</script></body></html>'
    )
    assert html_text(html) == "Elliott O'Connor Owner: Elliott O'Connor & \"Co\" Sent 3 Dec, 2026"
