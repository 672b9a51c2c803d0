import pytest
from hypothesis import given
from hypothesis import strategies as st

from providers import identifiers
from providers.identifiers import InvalidIdentifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01068186", "01068186"),
        ("SC123456", "SC123456"),
        ("sc123456", "SC123456"),
        (" 0106 8186 ", "01068186"),
        ("NI123456", "NI123456"),
        ("OC301234", "OC301234"),
        ("R0000123", "R0000123"),
    ],
)
def test_valid_companies_house_numbers_are_normalised(text, expected):
    assert identifiers.companies_house_number(text) == expected


@pytest.mark.parametrize(
    "text", ["1068186", "010681860", "SC12345", "S1234567", "ABCDEFGH", "", "01-68186"]
)
def test_invalid_companies_house_numbers_are_refused_with_an_example(text):
    with pytest.raises(InvalidIdentifier, match="8 characters, like 01068186"):
        identifiers.companies_house_number(text)


@given(st.from_regex(r"\A(\d{8}|[A-Z]{2}\d{6})\Z"))
def test_any_well_formed_number_survives_normalising_unchanged(number):
    assert identifiers.companies_house_number(number) == number
    assert identifiers.companies_house_number(number.lower()) == number


@given(st.text(max_size=12))
def test_companies_house_number_is_8_characters_or_refused(text):
    try:
        value = identifiers.companies_house_number(text)
    except InvalidIdentifier:
        return
    assert len(value) == 8
    assert value == value.upper()
    assert identifiers.companies_house_number(value) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [("l20 7ae", "L20 7AE"), ("L207AE", "L20 7AE"), ("EC1V 4NJ", "EC1V 4NJ"), ("n19bj", "N1 9BJ")],
)
def test_postcodes_are_put_in_standard_form(text, expected):
    assert identifiers.postcode(text) == expected


@pytest.mark.parametrize("text", ["L20", "12345", "LL20 7A"])
def test_bad_postcodes_are_refused(text):
    with pytest.raises(InvalidIdentifier):
        identifiers.postcode(text)


@pytest.mark.parametrize("text", ["1123456", "1123456-1", "SC012345", "NIC100002", "206002"])
def test_charity_numbers(text):
    assert identifiers.charity_number(text) == text


def test_cqc_provider_id():
    assert identifiers.cqc_provider_id(" 1-101634421 ") == "1-101634421"
    with pytest.raises(InvalidIdentifier, match="1-101634421"):
        identifiers.cqc_provider_id("101634421")


def test_identifiers_module_has_no_django_dependency():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(identifiers.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert "django" not in imported
