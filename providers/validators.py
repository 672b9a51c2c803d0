"""Model-level checks, so every way in (the admin included) keeps the
register's identifiers in their standard form."""

from django.core.exceptions import ValidationError

from providers import identifiers


def _standard_form(check):
    def validate(value):
        try:
            normalised = check(value)
        except identifiers.InvalidIdentifier as exc:
            raise ValidationError(str(exc)) from exc
        if normalised != value:
            raise ValidationError(f"Enter it as {normalised}")

    validate.__name__ = validate.__qualname__ = f"validate_{check.__name__}"
    return validate


validate_companies_house_number = _standard_form(identifiers.companies_house_number)
validate_charity_number = _standard_form(identifiers.charity_number)
validate_cqc_provider_id = _standard_form(identifiers.cqc_provider_id)
validate_postcode = _standard_form(identifiers.postcode)
