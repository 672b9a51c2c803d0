"""Validators every text input gets without its form having to ask."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from core.text import control_character


class PlainTextValidator:
    """Refuses control characters, naming the field: "Title must not
    contain control characters". Long text (a textarea) may keep tabs and
    line breaks."""

    code = "control_characters"

    def __init__(self, label: str, *, multiline: bool):
        self.message = f"{label} must not contain control characters"
        self.multiline = multiline

    def __call__(self, value):
        if isinstance(value, str) and control_character(value, multiline=self.multiline):
            raise ValidationError(self.message, code=self.code)


def _label(label) -> str:
    text = str(label or "This field").strip()
    text = text.removesuffix("(optional)").strip().rstrip(":")
    return text[:1].upper() + text[1:]


def plain_text_field(field: forms.Field, label) -> None:
    """Give a CharField the validator, once; it replaces Django's own NUL
    check, which would otherwise add a second message."""
    if not isinstance(field, forms.CharField) or any(
        isinstance(v, PlainTextValidator) for v in field.validators
    ):
        return
    field.validators = [
        v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
    ]
    field.validators.append(
        PlainTextValidator(_label(label), multiline=isinstance(field.widget, forms.Textarea))
    )


def plain_text_form(form: forms.BaseForm) -> None:
    """Every text field of a form, including those added in its __init__."""
    for name, field in form.fields.items():
        plain_text_field(field, form[name].label)
