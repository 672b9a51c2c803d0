"""GOV.UK error messages derived from each field's label and type.

The Design System's messages name the field and say how to put it right
("Enter the start date", "Annual value must be £0 or more"). Django's own
("This field is required.", "Ensure that there are no more than 14
digits in total.") do neither, and five of them in an error summary cannot
be told apart. Every GOV.UK form replaces them after cleaning; a message
the form's author wrote is kept as it is.
"""

import functools
import inspect
import re
from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.html import strip_tags

# crispy-forms-gds's own date input messages, as generic as Django's.
_CRISPY_DATE_MESSAGES = (
    "Enter the day, month and year",
    "Enter the day of the month",
    "Enter the month",
    "Enter the year",
    "Enter a valid date",
    "Enter a valid month",
    "Enter a valid year",
)
_UNITS = re.compile(r"(\s*\([^()]*\))+$")
_ARTICLES = ("the ", "a ", "an ", "your ", "their ", "its ", "this ", "each ")


@functools.cache
def _defaults() -> tuple[frozenset[int], frozenset[str]]:
    """Every message Django or crispy-forms-gds writes for itself: the
    objects (a plural-aware message reads as "" until it has its numbers, so
    it is known by identity) and their texts."""
    found = list(_CRISPY_DATE_MESSAGES)
    for module in (forms.fields, forms.models, models.fields, models.fields.files):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            for parent in cls.__mro__:
                found.extend(getattr(parent, "default_error_messages", {}).values())
    # Validator classes carry their message; instances such as
    # validate_slug were given theirs.
    for _, obj in inspect.getmembers(validators):
        for attr in ("message", "messages"):
            value = getattr(obj, attr, None)
            if isinstance(value, dict):
                found.extend(value.values())
            elif value is not None and not callable(value):
                found.append(value)
    texts = frozenset(str(m) for m in found) - {""}
    return frozenset(id(m) for m in found), texts


def is_default(message) -> bool:
    ids, texts = _defaults()
    return id(message) in ids or str(message) in texts


# A label that is a clause, not a noun: "Why the budget changes".
_CLAUSES = ("why ", "what ", "how ", "who ", "which ", "when ", "where ", "whether ")


def _label(field) -> str:
    label = strip_tags(str(field.label or "")).strip()
    return _UNITS.sub("", label).strip().rstrip(":").strip()


def _is_clause(field) -> bool:
    return not getattr(field, "message_name", None) and _label(field).lower().startswith(_CLAUSES)


def field_noun(field: forms.Field) -> str:
    """What the messages call the field: its `message_name`, or its label
    without "(optional)" or a unit ("(£)", "(months)"). A question label
    ("Why is it ending?") cannot be named in a sentence, so it is quoted."""
    name = getattr(field, "message_name", None)
    if name:
        return str(name)
    label = _label(field)
    if not label:
        return "this answer"
    if label.endswith("?"):
        return f"the answer to “{label}”"
    return label


def _lower_first(text: str) -> str:
    # "CPV code" and "ICB share" keep their capitals.
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (first[1].isupper() or first.isupper()):
        return text
    return text[:1].lower() + text[1:]


def subject(field) -> str:
    """The noun at the start of a sentence: "Start date must be ..."."""
    noun = f"the answer to “{field_noun(field)}”" if _is_clause(field) else field_noun(field)
    return noun[:1].upper() + noun[1:]


def object_(field) -> str:
    """The noun after a verb: "Enter the start date", "Enter why the
    budget changes"."""
    noun = _lower_first(field_noun(field))
    if _is_clause(field) or noun.lower().startswith(_ARTICLES):
        return noun
    return f"the {noun}"


def is_money(field) -> bool:
    """Money is a DecimalField whose label says so, "Annual value (£)": the
    label is what tells a screen reader, which does not read the £ prefix."""
    return isinstance(field, forms.DecimalField) and "£" in str(field.label or "")


def is_percent(field) -> bool:
    return isinstance(field, forms.DecimalField) and "%" in str(field.label or "")


def _amount(field, value) -> str:
    value = Decimal(value)
    if is_money(field):
        text = f"{value:,.2f}".removesuffix(".00")
        return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    text = f"{value.normalize():,f}" if value != value.to_integral() else f"{value:,.0f}"
    return f"{text}%" if is_percent(field) else text


def _largest(field) -> Decimal:
    places = field.decimal_places or 0
    whole = (field.max_digits or 0) - places
    return Decimal(10) ** whole - (Decimal(1) / Decimal(10) ** places if places else 1)


def _is_choice(field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(
        field.widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple
    )


def required_message(field) -> str:
    if isinstance(field, forms.BooleanField):
        return f"Select “{strip_tags(str(field.label))}” to continue"
    if isinstance(field, forms.FileField):
        return f"Select {object_(field)}"
    if _is_choice(field):
        return f"Select {object_(field)}"
    return f"Enter {object_(field)}"


def _choose_again(field) -> str:
    """A choice no longer offered (removed since the page was opened), or
    a tampered one: ask for the answer again, as the form's author would."""
    written = field.error_messages.get("required")
    return required_message(field) if written is None or is_default(written) else str(written)


def invalid_message(field) -> str:
    if is_money(field):
        return f"{subject(field)} must be in pounds, like 1250 or 1250.50"
    # DecimalField and FloatField are IntegerFields to Django.
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return f"{subject(field)} must be a number, like 2.5"
    if isinstance(field, forms.IntegerField):
        return f"{subject(field)} must be a whole number"
    if isinstance(field, forms.DateField | forms.DateTimeField | DateInputField):
        return f"{subject(field)} must be a real date"
    if isinstance(field, forms.TimeField):
        return f"{subject(field)} must be a real time, like 09:30 or 14:00"
    if isinstance(field, forms.EmailField):
        return f"Enter {object_(field)} in the correct format, like name@example.gov.uk"
    if isinstance(field, forms.URLField):
        return f"Enter {object_(field)} in the correct format, like https://www.example.org"
    if isinstance(field, forms.FileField):
        return f"{subject(field)} must be a file: select it again"
    if _is_choice(field):
        return _choose_again(field)
    return f"Enter {object_(field)} in the correct format"


def message_for(field, code, params) -> str:
    """The GOV.UK message for one of Django's error codes."""
    params = params or {}
    limit = params.get("limit_value", params.get("max"))
    if code in ("required", "null", "blank"):
        return required_message(field)
    if code == "max_length":
        return f"{subject(field)} must be {limit:,} characters or fewer"
    if code == "min_length":
        return f"{subject(field)} must be {limit:,} characters or more"
    if code == "min_value":
        return f"{subject(field)} must be {_amount(field, limit)} or more"
    if code == "max_value":
        return f"{subject(field)} must be {_amount(field, limit)} or less"
    if code in ("max_digits", "max_whole_digits"):
        return f"{subject(field)} must be {_amount(field, _largest(field))} or less"
    if code == "max_decimal_places":
        if is_money(field):
            return f"{subject(field)} must be in pounds and pence, like 1250.50"
        return f"{subject(field)} must have {limit} decimal places or fewer"
    if code in ("invalid_choice", "invalid_pk_value", "invalid_list"):
        return _choose_again(field)
    if code == "incomplete":
        return f"Enter {object_(field)} in full"
    if code == "empty":
        return f"The selected file for {_lower_first(field_noun(field))} is empty"
    if code == "unique":
        return f"{subject(field)} is already in use: enter a different one"
    if code == "invalid_extension":
        return f"{subject(field)} must be a file of an allowed type"
    if code == "step_size":
        return f"{subject(field)} must be a multiple of {_amount(field, limit)}"
    return invalid_message(field)


def _rewrite(field, error: ValidationError) -> ValidationError:
    if not is_default(error.message):
        return error
    return ValidationError(message_for(field, error.code, error.params), code=error.code)


def govuk_messages(form) -> None:
    """Replace Django's default messages on every field with the GOV.UK
    ones. A field is given one of those, the first thing to put right (a
    negative £1,000,000,000,000,000 is not told it is both too small and
    too large); messages the form wrote (the password rules) all stay."""
    for name, errors in form._errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            continue
        field = form.fields[name]
        kept, seen = [], set()
        for item in errors.data:
            ours = isinstance(item, ValidationError) and is_default(item.message)
            if ours and kept:
                continue
            if ours:
                item = _rewrite(field, item)
            if isinstance(item, ValidationError):
                text = str(item.message % item.params if item.params else item.message)
            else:
                text = str(item)
            if text not in seen:
                seen.add(text)
                kept.append(item)
        errors.data[:] = kept
