"""Random test data that a failing run can reproduce.

Every run draws one seed (or takes --seed / TEST_SEED) and prints it in the
pytest header. Before each test, factory-boy and Faker are reseeded from that
seed and the test's node id, so a test gets the same names whether it runs
alone or in the whole suite, and different tests still get different names.

--hostile-text (or TEST_HOSTILE_TEXT=1) makes every factory name and title
contain characters that HTML escapes (' & " < >). A test that looks for
factory text in a page's raw HTML fails every time in that mode instead of
once in a while (issue 11: "Elliott O'Connor").
"""

import os
import secrets

import factory
import factory.random
import faker
from faker.providers import BaseProvider
from faker.providers.person.en_GB import Provider as BritishNames

SEED_VARIABLE = "TEST_SEED"
HOSTILE_VARIABLE = "TEST_HOSTILE_TEXT"
# Added to factory titles and names in hostile mode: every character HTML
# escapes, and no letters, so a search in a test matches nothing extra.
HOSTILE_MARK = "'&\"<>"


class _Mode:
    seed: int | None = None
    hostile = False


mode = _Mode()


def decorated(plain: str) -> str:
    """A factory's default text, with the hostile mark when that mode is on."""
    return f"{plain} {HOSTILE_MARK}" if mode.hostile else plain


class HostileNames(BaseProvider):
    """Faker's British names, each with the hostile mark."""

    def first_name(self) -> str:
        return f"{BritishNames(self.generator).first_name()} {HOSTILE_MARK}"

    def last_name(self) -> str:
        return f"{BritishNames(self.generator).last_name()} {HOSTILE_MARK}"

    def name(self) -> str:
        return f"{self.first_name()} {self.last_name()}"


def add_options(parser) -> None:
    group = parser.getgroup("test data")
    group.addoption(
        "--seed",
        type=int,
        default=None,
        help=f"seed for factory-boy and Faker (default: ${SEED_VARIABLE}, else a new one)",
    )
    group.addoption(
        "--hostile-text",
        action="store_true",
        default=None,
        help=f"factory names and titles contain ' & \" < > (also ${HOSTILE_VARIABLE}=1)",
    )


def configure(config) -> None:
    seed = config.getoption("seed")
    if seed is None and os.environ.get(SEED_VARIABLE):
        seed = int(os.environ[SEED_VARIABLE])
    if seed is None:
        seed = secrets.randbelow(10**8)
    mode.seed = seed
    hostile = config.getoption("hostile_text")
    if hostile is None:
        hostile = os.environ.get(HOSTILE_VARIABLE, "") not in ("", "0")
    mode.hostile = hostile
    if hostile:
        # factory.Faker keeps one Faker per locale; later providers win.
        factory.Faker._get_faker(locale="en_GB").add_provider(HostileNames)


def header() -> list[str]:
    lines = [f"test data seed: {mode.seed} (rerun with --seed {mode.seed} or {SEED_VARIABLE})"]
    if mode.hostile:
        lines.append(f"hostile text: factory names and titles contain {HOSTILE_MARK}")
    return lines


def reseed(nodeid: str, *, seed: int | None = None) -> None:
    """Reseed factory-boy's and Faker's shared generators for one test."""
    # random.seed hashes a string with SHA-512: the result does not depend
    # on PYTHONHASHSEED.
    value = f"{mode.seed if seed is None else seed}:{nodeid}"
    factory.random.reseed_random(value)
    faker.Faker.seed(value)
